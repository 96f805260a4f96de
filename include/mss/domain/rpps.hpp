// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::rpps`: the RPPS number of a health professional.
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

/** @brief A valid RPPS number (Répertoire Partagé des Professionnels de Santé).
 *
 *  An RPPS number has exactly 11 ASCII digits; the last one is a Luhn key computed over the
 *  whole number. An object of this type always holds a valid number: the only way to get one is
 *  `parse()` (or copying another).
 *
 *  @par Input rules
 *  Nothing is trimmed or normalised: a leading or trailing space, a separator or a non-ASCII
 *  byte is a bad character. Checks run in this order: length, characters, key.
 *
 *  @par Errors
 *  - `errc::identifier_wrong_length`: not 11 characters (position: the length of the input);
 *  - `errc::identifier_bad_character`: a character is not a digit (position: its offset);
 *  - `errc::identifier_bad_key`: the Luhn key does not match (position: 10, the key's offset).
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for reading (the type is immutable).
 */
class MSS_API rpps
{
public:
    /** @brief The number of characters of an RPPS number. */
    static constexpr std::size_t length = 11;

    /** @brief Validates `text` as an RPPS number. */
    static boost::system::result<rpps> parse(std::string_view text);

    /** @brief Validates `text` as an RPPS number, explaining a failure in `diag`.
     *
     *  `diag` is cleared first. On failure it receives a client message naming what was wrong
     *  (never the number itself) and the position (byte offset, line 0) where the check failed.
     */
    static boost::system::result<rpps> parse(std::string_view text, diagnostics& diag);

    /** @brief The 11 digits. */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @brief Two numbers are equal when their digits are. */
    friend bool operator==(const rpps&, const rpps&) = default;

    /** @brief Orders numbers by their text (which is also their numeric order). */
    friend std::strong_ordering operator<=>(const rpps&, const rpps&) = default;

private:
    explicit rpps(std::string value) : value_(std::move(value)) {}

    std::string value_;
};

}  // namespace mss::domain
