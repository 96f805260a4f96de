// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::structure`: a structure's platform account (personne morale).
 */
#pragma once

#include <mss/domain/account_ref.hpp>
#include <mss/domain/national_structure_id.hpp>

#include <optional>
#include <string>

namespace mss::domain {

/** @brief A structure's platform account. Its delegates are recorded as `delegation`s. */
struct structure
{
    /** @brief The platform's identifier of the account. */
    std::string id;
    /** @brief Name of the structure. */
    std::string name;
    /** @brief National structure identifier (FINESS, SIREN, SIRET, RPPS-rang), when known. */
    std::optional<national_structure_id> national_id;

    /** @brief The account reference of this structure. */
    [[nodiscard]] account_ref ref() const { return {account_kind::structure, id}; }
};

}  // namespace mss::domain
