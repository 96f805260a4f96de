// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::ins`: the national health identifier (INS) of a patient.
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

/** @brief A valid INS (Identifiant National de Santé): a patient's NIR or NIA with its key.
 *
 *  An INS has exactly 15 characters: a 13-character registration number (NIR, or NIA for a
 *  temporary number) followed by a 2-digit key. Every character is an ASCII digit, except the
 *  department of birth (characters 6 and 7, counting from 1), which may also be `2A` or `2B`
 *  (Corsica, upper case only).
 *
 *  The key is `97 - (n mod 97)`, where `n` is the 13-character number read as an integer after
 *  replacing `2A` by `19` and `2B` by `18`; it is written on 2 digits (`01` to `97`).
 *
 *  @warning An INS is personal health data. The library never puts it in a message, a log or a
 *  diagnostic; an application should not log `value()` either.
 *
 *  @par Input rules
 *  Nothing is trimmed or normalised: a leading or trailing space, the usual separating spaces
 *  (`2 79 03 ...`) or a lower-case `2a` are bad characters. Checks run in this order: length,
 *  characters, key.
 *
 *  @par Errors
 *  - `errc::identifier_wrong_length`: not 15 characters (position: the length of the input);
 *  - `errc::identifier_bad_character`: a character is not allowed where it stands (position: its
 *    offset);
 *  - `errc::identifier_bad_key`: the key does not match (position: 13, the key's offset).
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for reading (the type is immutable).
 */
class MSS_API ins
{
public:
    /** @brief The number of characters of an INS (registration number and key). */
    static constexpr std::size_t length = 15;

    /** @brief Validates `text` as an INS. */
    static boost::system::result<ins> parse(std::string_view text);

    /** @brief Validates `text` as an INS, explaining a failure in `diag`.
     *
     *  `diag` is cleared first. On failure it receives a client message naming what was wrong
     *  (never the INS itself nor any part of it) and the position (byte offset, line 0) where the
     *  check failed.
     */
    static boost::system::result<ins> parse(std::string_view text, diagnostics& diag);

    /** @brief The 15 characters. Personal data: do not log. */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @brief The 13-character registration number (NIR or NIA); valid as long as this object lives. */
    [[nodiscard]] std::string_view nir() const noexcept { return std::string_view(value_).substr(0, 13); }

    /** @brief The 2-digit key; valid as long as this object lives. */
    [[nodiscard]] std::string_view key() const noexcept { return std::string_view(value_).substr(13, 2); }

    /** @brief Two INS are equal when their characters are. */
    friend bool operator==(const ins&, const ins&) = default;

    /** @brief Orders INS by their text (for use as a key in ordered containers). */
    friend std::strong_ordering operator<=>(const ins&, const ins&) = default;

private:
    explicit ins(std::string value) : value_(std::move(value)) {}

    std::string value_;
};

}  // namespace mss::domain
