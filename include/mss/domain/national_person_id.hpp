// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::national_person_id`: the national identifier of a health professional
 *         (idNat_PS).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/adeli.hpp>
#include <mss/domain/rpps.hpp>

#include <boost/system/result.hpp>

#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mss::domain {

/** @brief A valid national professional identifier (idNat_PS): a one-character prefix followed
 *         by a number.
 *
 *  | prefix | number | kind |
 *  |---|---|---|
 *  | `8` | an RPPS number, validated as `rpps` (12 characters in all) | `kind::rpps` |
 *  | `0` | an ADELI number, validated as `adeli` (10 characters in all) | `kind::adeli` |
 *  | `1`, `3`, `4`, `5`, `6` | 1 to 20 ASCII letters or digits, no key checked | `kind::other` |
 *
 *  Any other prefix is refused with `errc::identifier_unknown_prefix`.
 *
 *  @par Input rules
 *  Nothing is trimmed or normalised: a leading or trailing space is a bad character (a leading
 *  space is an unknown prefix). Checks run in this order: empty input, prefix, then the length,
 *  characters and key of the number, as its own type checks them.
 *
 *  @par Errors
 *  Positions are offsets in the whole text, prefix included.
 *  - `errc::identifier_wrong_length`: the input is empty (position 0) or the number has the wrong
 *    length for its prefix (position: the length of the input);
 *  - `errc::identifier_unknown_prefix`: the first character is not a defined prefix (position 0);
 *  - `errc::identifier_bad_character`, `errc::identifier_bad_key`: as for `rpps`, `adeli` or
 *    (for `kind::other`) a character that is not an ASCII letter or digit.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for reading (the type is immutable).
 */
class MSS_API national_person_id
{
public:
    /** @brief Which register the number comes from, as told by the prefix. */
    enum class kind
    {
        /** @brief Prefix `8`: an RPPS number. */
        rpps,
        /** @brief Prefix `0`: an ADELI number. */
        adeli,
        /** @brief Prefixes `1`, `3`, `4`, `5`, `6`: other registers; the number is not checked
         *         beyond its characters.
         */
        other,
    };

    /** @brief The longest number accepted after a prefix of `kind::other`. */
    static constexpr std::size_t max_other_length = 20;

    /** @brief Validates `text` as a national professional identifier. */
    static boost::system::result<national_person_id> parse(std::string_view text);

    /** @brief Validates `text` as a national professional identifier, explaining a failure in
     *         `diag`.
     *
     *  `diag` is cleared first. On failure it receives a client message naming what was wrong
     *  (never the identifier itself) and the position (byte offset in `text`, line 0) where the
     *  check failed.
     */
    static boost::system::result<national_person_id> parse(std::string_view text, diagnostics& diag);

    /** @brief The identifier of an RPPS number: `8` followed by its 11 digits. */
    static national_person_id from_rpps(const mss::domain::rpps& number);

    /** @brief The identifier of an ADELI number: `0` followed by its 9 characters. */
    static national_person_id from_adeli(const mss::domain::adeli& number);

    /** @brief The whole identifier, prefix included. */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @brief Which register the number comes from. */
    [[nodiscard]] kind get_kind() const noexcept { return kind_; }

    /** @brief The prefix character (`'8'`, `'0'`, ...). */
    [[nodiscard]] char prefix() const noexcept { return value_.front(); }

    /** @brief The number after the prefix; valid as long as this object lives. */
    [[nodiscard]] std::string_view number() const noexcept { return std::string_view(value_).substr(1); }

    /** @brief The RPPS number when `get_kind() == kind::rpps`, otherwise nothing. */
    [[nodiscard]] std::optional<mss::domain::rpps> as_rpps() const;

    /** @brief The ADELI number when `get_kind() == kind::adeli`, otherwise nothing. */
    [[nodiscard]] std::optional<mss::domain::adeli> as_adeli() const;

    /** @brief Two identifiers are equal when their texts are. */
    friend bool operator==(const national_person_id&, const national_person_id&) = default;

    /** @brief Orders identifiers by their text. */
    friend std::strong_ordering operator<=>(const national_person_id& a, const national_person_id& b) noexcept
    {
        return a.value_ <=> b.value_;
    }

private:
    national_person_id(std::string value, kind k) : value_(std::move(value)), kind_(k) {}

    std::string value_;
    kind kind_;
};

}  // namespace mss::domain
