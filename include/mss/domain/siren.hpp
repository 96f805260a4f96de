// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::siren`: the SIREN number of a legal entity.
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

/** @brief A valid SIREN number (the INSEE number of a company or public body).
 *
 *  A SIREN number has exactly 9 ASCII digits; the last one is a Luhn key computed over the whole
 *  number. It is the number of the national structure id with prefix `2`.
 *
 *  @par Input rules
 *  Nothing is trimmed or normalised: a leading or trailing space is a bad character. Checks run
 *  in this order: length, characters, key.
 *
 *  @par Errors
 *  - `errc::identifier_wrong_length`: not 9 characters (position: the length of the input);
 *  - `errc::identifier_bad_character`: a character is not a digit (position: its offset);
 *  - `errc::identifier_bad_key`: the Luhn key does not match (position: 8, the key's offset).
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for reading (the type is immutable).
 */
class MSS_API siren
{
public:
    /** @brief The number of characters of a SIREN number. */
    static constexpr std::size_t length = 9;

    /** @brief Validates `text` as a SIREN number. */
    static boost::system::result<siren> parse(std::string_view text);

    /** @brief Validates `text` as a SIREN number, explaining a failure in `diag`.
     *
     *  `diag` is cleared first. On failure it receives a client message naming what was wrong
     *  (never the number itself) and the position (byte offset, line 0) where the check failed.
     */
    static boost::system::result<siren> parse(std::string_view text, diagnostics& diag);

    /** @brief The 9 digits. */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @brief Two numbers are equal when their digits are. */
    friend bool operator==(const siren&, const siren&) = default;

    /** @brief Orders numbers by their text (which is also their numeric order). */
    friend std::strong_ordering operator<=>(const siren&, const siren&) = default;

private:
    explicit siren(std::string value) : value_(std::move(value)) {}

    std::string value_;
};

}  // namespace mss::domain
