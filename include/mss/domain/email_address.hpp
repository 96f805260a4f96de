// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::email_address`: a validated RFC 5321/5322 addr-spec (`local@domain`),
 *         with internationalised local parts (RFC 6531) and domains (IDNA2008).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/errc.hpp>

#include <boost/system/result.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace mss::domain {

/** @brief A mailbox address `local-part@domain`, valid by construction.
 *
 *  Objects are only made by `parse()`, so every `email_address` holds an address that can be
 *  written on the wire (an SMTP `MAIL FROM`/`RCPT TO` path, a header) without further checks:
 *  - no control character anywhere (CR, LF, NUL, the other C0 controls, DEL and the C1 controls
 *    U+0080–U+009F): this is the header-injection guard;
 *  - the local part is a dot-atom (RFC 5322 `atext`, plus well-formed UTF-8 beyond ASCII as
 *    RFC 6531 allows) or a quoted string (with quoted pairs such as `\"` and `\\`), at most
 *    64 octets; it is kept exactly as given, quotes and case included;
 *  - the domain is a host name of at least two labels (LDH labels of 1 to 63 octets, no
 *    leading or trailing hyphen, no trailing dot, an all-numeric last label refused), at most
 *    253 octets in A-label form. Domains in UTF-8 (U-labels) are converted to A-labels; A-labels
 *    (`xn--...`) are checked to be valid IDNA2008. Address literals (`[192.0.2.1]`) are refused;
 *  - the whole address is at most 254 octets with its domain in A-label form.
 *
 *  Equality follows RFC 5321: the local part is compared exactly (it is case-sensitive, and
 *  `"jean"@x.fr` differs from `jean@x.fr`), the domain on its canonical form (lowercase A-labels),
 *  so `Dr.Martin@MEDECIN.example.fr` and `Dr.Martin@medecin.example.fr` are equal, and so are an
 *  IDN domain given in UTF-8 and the same domain given as A-labels.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for `const` use.
 */
class MSS_API email_address
{
public:
    /** @brief Parses and validates an addr-spec such as `dr.martin@medecin.example.fr`.
     *
     *  The text is the bare address: no display name, no angle brackets, no surrounding spaces
     *  (see `named_address` for those).
     *
     *  @return the address, or one of `errc::address_forbidden_character`,
     *          `errc::address_empty`, `errc::address_missing_at`, `errc::address_bad_local_part`,
     *          `errc::address_bad_domain`, `errc::address_too_long`.
     */
    [[nodiscard]] static boost::system::result<email_address> parse(std::string_view text);

    /** @brief Same as `parse(std::string_view)`, and on failure records an English message and
     *         the byte offset where the input broke (line 0) in `diag`.
     *
     *  `diag` is cleared first. The message never repeats the address itself.
     */
    [[nodiscard]] static boost::system::result<email_address> parse(std::string_view text,
                                                                    diagnostics& diag);

    /** @brief The local part exactly as given (quotes, quoted pairs and case kept). */
    [[nodiscard]] const std::string& local_part() const noexcept { return local_part_; }

    /** @brief The canonical domain: lowercase ASCII, internationalised labels as A-labels. */
    [[nodiscard]] const std::string& domain() const noexcept { return domain_; }

    /** @brief The domain for display: lowercase, internationalised labels as U-labels (UTF-8). */
    [[nodiscard]] const std::string& domain_unicode() const noexcept { return domain_unicode_; }

    /** @brief The address as it goes on the wire: `local_part() + "@" + domain()`. */
    [[nodiscard]] std::string str() const;

    /** @brief Tells whether `str()` is pure ASCII.
     *
     *  The canonical domain is always ASCII, so this is false only for a local part in UTF-8,
     *  which needs the SMTPUTF8 extension (RFC 6531) to be sent.
     */
    [[nodiscard]] bool is_ascii() const noexcept;

    /** @brief Equal when the local parts are identical and the canonical domains are equal. */
    friend bool operator==(const email_address&, const email_address&) = default;

private:
    email_address(std::string local_part, std::string domain, std::string domain_unicode);

    std::string local_part_;
    std::string domain_;
    std::string domain_unicode_;  // Derived from domain_: comparing it too changes nothing.
};

}  // namespace mss::domain

/** @brief Hashes an `email_address` consistently with its `operator==`, so that it can key an
 *         `std::unordered_map` or `std::unordered_set`.
 */
template <>
struct std::hash<mss::domain::email_address>
{
    /** @brief Combines the hashes of the local part and of the canonical domain. */
    std::size_t operator()(const mss::domain::email_address& address) const noexcept
    {
        const std::size_t h1 = std::hash<std::string_view>{}(address.local_part());
        const std::size_t h2 = std::hash<std::string_view>{}(address.domain());
        return h1 ^ (h2 + static_cast<std::size_t>(0x9e3779b97f4a7c15ULL) + (h1 << 6) + (h1 >> 2));
    }
};
