// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::finess`: the FINESS number of a health or social-care structure.
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

/** @brief A well-formed FINESS number (Fichier National des Établissements Sanitaires et Sociaux).
 *
 *  A FINESS number has exactly 9 characters: the department (2 ASCII digits, or `2A` / `2B` for
 *  Corsica, upper case only) followed by 7 ASCII digits.
 *
 *  @note The FINESS key rule is not confirmed by the sources this library follows, so no key is
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
class MSS_API finess
{
public:
    /** @brief The number of characters of a FINESS number. */
    static constexpr std::size_t length = 9;

    /** @brief Validates `text` as a FINESS number. */
    static boost::system::result<finess> parse(std::string_view text);

    /** @brief Validates `text` as a FINESS number, explaining a failure in `diag`.
     *
     *  `diag` is cleared first. On failure it receives a client message naming what was wrong
     *  (never the number itself) and the position (byte offset, line 0) where the check failed.
     */
    static boost::system::result<finess> parse(std::string_view text, diagnostics& diag);

    /** @brief The 9 characters. */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @brief The department: the first 2 characters (`"75"`, `"2A"`, ...); valid as long as this
     *         object lives.
     */
    [[nodiscard]] std::string_view department() const noexcept
    {
        return std::string_view(value_).substr(0, 2);
    }

    /** @brief Two numbers are equal when their characters are. */
    friend bool operator==(const finess&, const finess&) = default;

    /** @brief Orders numbers by their text. */
    friend std::strong_ordering operator<=>(const finess&, const finess&) = default;

private:
    explicit finess(std::string value) : value_(std::move(value)) {}

    std::string value_;
};

}  // namespace mss::domain
