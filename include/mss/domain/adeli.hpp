// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::adeli`: the ADELI number of a health professional.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>

#include <boost/system/result.hpp>

#include <compare>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace mss::domain {

/** @brief A well-formed ADELI number (Automatisation DEs LIstes).
 *
 *  An ADELI number has exactly 9 characters: ASCII digits, except that the first two (the
 *  department) may also be `2A` or `2B` (Corsica, upper case only).
 *
 *  @note The ADELI key rule is not confirmed by the sources this library follows, so no key is
 *  checked: a number with a wrong last digit is accepted. Only length and characters are checked.
 *
 *  @par Input rules
 *  Nothing is trimmed or normalised: a leading or trailing space or a lower-case `2a` is a bad
 *  character. Checks run in this order: length, characters.
 *
 *  @par Errors
 *  - `errc::identifier_wrong_length`: not 9 characters (position: the length of the input);
 *  - `errc::identifier_bad_character`: a character is not allowed where it stands (position: its
 *    offset).
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for reading (the type is immutable).
 */
class MSS_API adeli
{
public:
    /** @brief The number of characters of an ADELI number. */
    static constexpr std::size_t length = 9;

    /** @brief Validates `text` as an ADELI number. */
    static boost::system::result<adeli> parse(std::string_view text);

    /** @brief Validates `text` as an ADELI number, explaining a failure in `diag`.
     *
     *  `diag` is cleared first. On failure it receives a client message naming what was wrong
     *  (never the number itself) and the position (byte offset, line 0) where the check failed.
     */
    static boost::system::result<adeli> parse(std::string_view text, diagnostics& diag);

    /** @brief The 9 characters. */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @brief Two numbers are equal when their characters are. */
    friend bool operator==(const adeli&, const adeli&) = default;

    /** @brief Orders numbers by their text. */
    friend std::strong_ordering operator<=>(const adeli&, const adeli&) = default;

private:
    explicit adeli(std::string value) : value_(std::move(value)) {}

    std::string value_;
};

}  // namespace mss::domain
