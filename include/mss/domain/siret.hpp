// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::siret`: the SIRET number of an establishment.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/siren.hpp>

#include <boost/system/result.hpp>

#include <compare>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace mss::domain {

/** @brief A valid SIRET number (the INSEE number of one establishment of a legal entity).
 *
 *  A SIRET number has exactly 14 ASCII digits: the SIREN of the entity (9 digits, itself
 *  Luhn-valid) followed by a 5-digit establishment number (NIC). The whole number is Luhn-valid.
 *  It is the number of the national structure id with prefix `3`.
 *
 *  Known exception: the establishments of La Poste (SIREN `356000000`) do not follow Luhn; their
 *  SIRET is valid when the sum of its 14 digits is a multiple of 5. Such a SIRET is accepted when
 *  either rule holds.
 *
 *  @par Input rules
 *  Nothing is trimmed or normalised: a leading or trailing space is a bad character. Checks run
 *  in this order: length, characters, the SIREN key, the overall key.
 *
 *  @par Errors
 *  - `errc::identifier_wrong_length`: not 14 characters (position: the length of the input);
 *  - `errc::identifier_bad_character`: a character is not a digit (position: its offset);
 *  - `errc::identifier_bad_key`: the SIREN's key (position 8) or the overall key (position 13)
 *    does not match.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for reading (the type is immutable).
 */
class MSS_API siret
{
public:
    /** @brief The number of characters of a SIRET number. */
    static constexpr std::size_t length = 14;

    /** @brief Validates `text` as a SIRET number. */
    static boost::system::result<siret> parse(std::string_view text);

    /** @brief Validates `text` as a SIRET number, explaining a failure in `diag`.
     *
     *  `diag` is cleared first. On failure it receives a client message naming what was wrong
     *  (never the number itself) and the position (byte offset, line 0) where the check failed.
     */
    static boost::system::result<siret> parse(std::string_view text, diagnostics& diag);

    /** @brief The 14 digits. */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @brief The SIREN of the legal entity (the first 9 digits). */
    [[nodiscard]] mss::domain::siren siren() const;

    /** @brief The 5-digit establishment number (NIC); valid as long as this object lives. */
    [[nodiscard]] std::string_view nic() const noexcept { return std::string_view(value_).substr(9, 5); }

    /** @brief Two numbers are equal when their digits are. */
    friend bool operator==(const siret&, const siret&) = default;

    /** @brief Orders numbers by their text (which is also their numeric order). */
    friend std::strong_ordering operator<=>(const siret&, const siret&) = default;

private:
    explicit siret(std::string value) : value_(std::move(value)) {}

    std::string value_;
};

}  // namespace mss::domain
