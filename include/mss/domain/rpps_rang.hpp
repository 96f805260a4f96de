// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::rpps_rang`: an RPPS number followed by an order number (RPPS-rang).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/rpps.hpp>

#include <boost/system/result.hpp>

#include <compare>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace mss::domain {

/** @brief A valid RPPS-rang: a structure identified through a professional's RPPS number.
 *
 *  An RPPS-rang has exactly 14 ASCII digits: an RPPS number (11 digits, itself Luhn-valid), a
 *  2-digit order number, and a Luhn key computed over all 14 digits. It is the number of the
 *  national structure id with prefix `4` (see `national_structure_id`).
 *
 *  @par Input rules
 *  Nothing is trimmed or normalised: a leading or trailing space is a bad character. Checks run
 *  in this order: length, characters, the embedded RPPS key, the overall key.
 *
 *  @par Errors
 *  - `errc::identifier_wrong_length`: not 14 characters (position: the length of the input);
 *  - `errc::identifier_bad_character`: a character is not a digit (position: its offset);
 *  - `errc::identifier_bad_key`: the embedded RPPS's key (position 10) or the overall key
 *    (position 13) does not match.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for reading (the type is immutable).
 */
class MSS_API rpps_rang
{
public:
    /** @brief The number of characters of an RPPS-rang. */
    static constexpr std::size_t length = 14;

    /** @brief Validates `text` as an RPPS-rang. */
    static boost::system::result<rpps_rang> parse(std::string_view text);

    /** @brief Validates `text` as an RPPS-rang, explaining a failure in `diag`.
     *
     *  `diag` is cleared first. On failure it receives a client message naming what was wrong
     *  (never the number itself) and the position (byte offset, line 0) where the check failed.
     */
    static boost::system::result<rpps_rang> parse(std::string_view text, diagnostics& diag);

    /** @brief The 14 digits. */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @brief The embedded RPPS number (the first 11 digits). */
    [[nodiscard]] mss::domain::rpps rpps() const;

    /** @brief The 2-digit order number (digits 12 and 13); valid as long as this object lives. */
    [[nodiscard]] std::string_view order() const noexcept { return std::string_view(value_).substr(11, 2); }

    /** @brief Two RPPS-rang are equal when their digits are. */
    friend bool operator==(const rpps_rang&, const rpps_rang&) = default;

    /** @brief Orders RPPS-rang by their text. */
    friend std::strong_ordering operator<=>(const rpps_rang&, const rpps_rang&) = default;

private:
    explicit rpps_rang(std::string value) : value_(std::move(value)) {}

    std::string value_;
};

}  // namespace mss::domain
