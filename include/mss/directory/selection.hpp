// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Which directory a user searches: the national Annuaire Santé or the regional one.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/person.hpp>

#include <string_view>

namespace mss::directory
{

/** @brief The two directories a user may search. */
enum class directory_kind
{
    /** @brief The national directory (Annuaire Santé: its FHIR API or its public extraction). */
    national,
    /** @brief The regional directory of the operator (for users without RPPS or ADELI). */
    regional,
};

/** @brief The directory a person searches (the seed's rule): a person with an RPPS or ADELI
 *         number searches the national directory, any other person the regional one.
 */
MSS_API directory_kind select_directory(const domain::person& who) noexcept;

/** @brief `"national"` or `"regional"`. */
MSS_API std::string_view to_string(directory_kind kind) noexcept;

}  // namespace mss::directory
