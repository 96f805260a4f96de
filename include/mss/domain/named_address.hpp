// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::named_address`: an `email_address` with an optional display name, as in
 *         `"Dupont, Jean" <jean.dupont@medecin.example.fr>`.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/email_address.hpp>
#include <mss/domain/errc.hpp>

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace mss::domain {

/** @brief An address and the display name that goes with it (RFC 5322 `mailbox`).
 *
 *  The display name is kept in its plain form: UTF-8 text, without the quotes and backslashes of
 *  its header syntax, and without control characters (CR, LF, NUL, other C0 controls, DEL, C1
 *  controls). It is empty when there is none. Quoting or RFC 2047 encoding it for a header is the
 *  MIME layer's job; likewise RFC 2047 encoded-words found in the input are not decoded here and
 *  stay as they are.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for `const` use.
 */
class MSS_API named_address
{
public:
    /** @brief Parses a mailbox in one of these forms, surrounding spaces ignored:
     *  - `a@b.fr` (a bare addr-spec, no display name);
     *  - `<a@b.fr>`;
     *  - `Jean Dupont <a@b.fr>` (words of RFC 5322 `atext`, UTF-8 and dots, separated by spaces);
     *  - `"Dupont, Jean" <a@b.fr>` (a quoted display name, where `\"` and `\\` stand for `"` and
     *    `\`); quoted and unquoted words may be mixed.
     *
     *  @return the named address, or `errc::address_forbidden_character` (a control character
     *          anywhere), `errc::address_empty`, `errc::address_bad_display_name` (an unbalanced
     *          quote, `<` without `>` or the reverse, a special character such as `,` `;` `@`
     *          outside quotes, text that is not UTF-8), or any error of `email_address::parse`.
     */
    [[nodiscard]] static boost::system::result<named_address> parse(std::string_view text);

    /** @brief Same as `parse(std::string_view)`, and on failure records an English message and
     *         the byte offset in `text` where the input broke (line 0) in `diag`.
     *
     *  `diag` is cleared first. The message never repeats the name or the address.
     */
    [[nodiscard]] static boost::system::result<named_address> parse(std::string_view text,
                                                                    diagnostics& diag);

    /** @brief Makes a named address from a display name in plain form (not quoted, not encoded).
     *
     *  An empty name means none.
     *  @return the named address, or `errc::address_forbidden_character` when the name holds a
     *          control character, `errc::address_bad_display_name` when it is not UTF-8.
     */
    [[nodiscard]] static boost::system::result<named_address> make(std::string display_name,
                                                                   email_address address);

    /** @brief The display name in plain UTF-8 form; empty when there is none. */
    [[nodiscard]] const std::string& display_name() const noexcept { return display_name_; }

    /** @brief Tells whether there is a (non-empty) display name. */
    [[nodiscard]] bool has_display_name() const noexcept { return !display_name_.empty(); }

    /** @brief The address. */
    [[nodiscard]] const email_address& address() const noexcept { return address_; }

    /** @brief Equal when both the display names (exactly) and the addresses are equal. */
    friend bool operator==(const named_address&, const named_address&) = default;

private:
    named_address(std::string display_name, email_address address);

    std::string display_name_;
    email_address address_;
};

}  // namespace mss::domain
