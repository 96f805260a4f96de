// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::delegation`: a person acting for a structure.
 */
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace mss::domain {

/** @brief What a delegate may do with the structure's mailbox. */
enum class delegate_role
{
    /** @brief Reads and sends with the structure's mailbox. */
    delegate,
    /** @brief Also links/unlinks the mailbox and changes its settings. */
    administrator,
};

/** @brief A grant of a structure to a person, and its revocation. Both are kept: the record is
 *         part of the audit trail. */
struct delegation
{
    /** @brief The structure's account id. */
    std::string structure_id;
    /** @brief The delegate's account id. */
    std::string person_id;
    /** @brief Role. */
    delegate_role role = delegate_role::delegate;
    /** @brief When it was granted. */
    std::chrono::sys_seconds granted_at{};
    /** @brief Who granted it (a person id). */
    std::string granted_by;
    /** @brief When it was revoked; empty while it is in force. */
    std::optional<std::chrono::sys_seconds> revoked_at;
    /** @brief Who revoked it. */
    std::string revoked_by;

    /** @brief True while the delegation is in force. */
    [[nodiscard]] bool active() const noexcept { return !revoked_at.has_value(); }
};

}  // namespace mss::domain
