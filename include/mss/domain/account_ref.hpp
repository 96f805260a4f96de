// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::account_ref`: which platform account — a person's or a structure's.
 */
#pragma once

#include <compare>
#include <string>

namespace mss::domain {

/** @brief The two kinds of platform accounts of the seed. */
enum class account_kind
{
    /** @brief A natural person (personne physique). */
    person,
    /** @brief A structure (personne morale): a hospital department, a pharmacy, a practice. */
    structure,
};

/** @brief Names a platform account: its kind and the platform's own identifier for it. */
struct account_ref
{
    /** @brief Person or structure. */
    account_kind kind = account_kind::person;
    /** @brief The platform's identifier of the account (opaque to the library). */
    std::string id;

    friend auto operator<=>(const account_ref&, const account_ref&) = default;
};

}  // namespace mss::domain
