// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::national_structure_id`: the national identifier of a health structure.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/finess.hpp>
#include <mss/domain/rpps_rang.hpp>
#include <mss/domain/siren.hpp>
#include <mss/domain/siret.hpp>

#include <boost/system/result.hpp>

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mss::domain {

/** @brief A valid national structure identifier: a one-character prefix followed by a number.
 *
 *  | prefix | number | kind |
 *  |---|---|---|
 *  | `1` | a FINESS number, validated as `finess` (10 characters in all) | `kind::finess` |
 *  | `2` | a SIREN number, validated as `siren` (10 characters in all) | `kind::siren` |
 *  | `3` | a SIRET number, validated as `siret` (15 characters in all) | `kind::siret` |
 *  | `4` | an RPPS-rang, validated as `rpps_rang` (15 characters in all) | `kind::rpps_rang` |
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
 *  - `errc::identifier_bad_character`, `errc::identifier_bad_key`: as for the number's own type.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for reading (the type is immutable).
 */
class MSS_API national_structure_id
{
public:
    /** @brief Which register the number comes from, as told by the prefix. */
    enum class kind
    {
        /** @brief Prefix `1`: a FINESS number. */
        finess,
        /** @brief Prefix `2`: a SIREN number. */
        siren,
        /** @brief Prefix `3`: a SIRET number. */
        siret,
        /** @brief Prefix `4`: an RPPS-rang. */
        rpps_rang,
    };

    /** @brief Validates `text` as a national structure identifier. */
    static boost::system::result<national_structure_id> parse(std::string_view text);

    /** @brief Validates `text` as a national structure identifier, explaining a failure in `diag`.
     *
     *  `diag` is cleared first. On failure it receives a client message naming what was wrong
     *  (never the identifier itself) and the position (byte offset in `text`, line 0) where the
     *  check failed.
     */
    static boost::system::result<national_structure_id> parse(std::string_view text, diagnostics& diag);

    /** @brief The identifier of a FINESS number: `1` followed by its 9 characters. */
    static national_structure_id from_finess(const mss::domain::finess& number);

    /** @brief The identifier of a SIREN number: `2` followed by its 9 digits. */
    static national_structure_id from_siren(const mss::domain::siren& number);

    /** @brief The identifier of a SIRET number: `3` followed by its 14 digits. */
    static national_structure_id from_siret(const mss::domain::siret& number);

    /** @brief The identifier of an RPPS-rang: `4` followed by its 14 digits. */
    static national_structure_id from_rpps_rang(const mss::domain::rpps_rang& number);

    /** @brief The whole identifier, prefix included. */
    [[nodiscard]] const std::string& value() const noexcept { return value_; }

    /** @brief Which register the number comes from. */
    [[nodiscard]] kind get_kind() const noexcept { return kind_; }

    /** @brief The prefix character (`'1'` to `'4'`). */
    [[nodiscard]] char prefix() const noexcept { return value_.front(); }

    /** @brief The number after the prefix; valid as long as this object lives. */
    [[nodiscard]] std::string_view number() const noexcept { return std::string_view(value_).substr(1); }

    /** @brief The FINESS number when `get_kind() == kind::finess`, otherwise nothing. */
    [[nodiscard]] std::optional<mss::domain::finess> as_finess() const;

    /** @brief The SIREN number when `get_kind() == kind::siren`, otherwise nothing. */
    [[nodiscard]] std::optional<mss::domain::siren> as_siren() const;

    /** @brief The SIRET number when `get_kind() == kind::siret`, otherwise nothing. */
    [[nodiscard]] std::optional<mss::domain::siret> as_siret() const;

    /** @brief The RPPS-rang when `get_kind() == kind::rpps_rang`, otherwise nothing. */
    [[nodiscard]] std::optional<mss::domain::rpps_rang> as_rpps_rang() const;

    /** @brief Two identifiers are equal when their texts are. */
    friend bool operator==(const national_structure_id&, const national_structure_id&) = default;

    /** @brief Orders identifiers by their text. */
    friend std::strong_ordering operator<=>(const national_structure_id& a,
                                            const national_structure_id& b) noexcept
    {
        return a.value_ <=> b.value_;
    }

private:
    national_structure_id(std::string value, kind k) : value_(std::move(value)), kind_(k) {}

    std::string value_;
    kind kind_;
};

}  // namespace mss::domain
