// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::person`: a person's platform account (personne physique).
 */
#pragma once

#include <mss/domain/account_ref.hpp>
#include <mss/domain/adeli.hpp>
#include <mss/domain/rpps.hpp>

#include <optional>
#include <string>

namespace mss::domain {

/** @brief A professional's platform account. RPPS and ADELI numbers are optional; when present
 *         they are valid by construction (their types only come from validating parsers). */
struct person
{
    /** @brief The platform's identifier of the account. */
    std::string id;
    /** @brief Display name, for people. */
    std::string display_name;
    /** @brief RPPS number, when the person is in the RPPS register. */
    std::optional<rpps> rpps_number;
    /** @brief ADELI number, when the person has one. */
    std::optional<adeli> adeli_number;
    /** @brief Profession, as the platform labels it (e.g. "Médecin", "Infirmier"). */
    std::string profession;

    /** @brief The account reference of this person. */
    [[nodiscard]] account_ref ref() const { return {account_kind::person, id}; }

    /** @brief "Has an RPPS or ADELI number" in the seed's sense: selects the national directory. */
    [[nodiscard]] bool has_rpps_or_adeli() const noexcept { return rpps_number || adeli_number; }

    /** @brief Registered in RPPS: the only professionals who exchange with patients. */
    [[nodiscard]] bool is_rpps_professional() const noexcept { return rpps_number.has_value(); }
};

}  // namespace mss::domain
