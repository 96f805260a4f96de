// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::audit_entry`: who did what, on which mailbox, when.
 */
#pragma once

#include <mss/domain/account_ref.hpp>

#include <chrono>
#include <string>

namespace mss::domain {

/** @brief One line of the audit trail. Every action on a shared mailbox records the person who
 *         acted. Never holds message content or codes: only identifiers and the action's name. */
struct audit_entry
{
    /** @brief When. */
    std::chrono::sys_seconds at{};
    /** @brief The person who acted. */
    std::string person_id;
    /** @brief The account the mailbox is linked to. */
    account_ref account;
    /** @brief The mailbox address. */
    std::string mailbox;
    /** @brief What was done: "link_requested", "linked", "unlinked", "read", "sent", "delegation_granted", ... */
    std::string action;
    /** @brief Extra non-sensitive detail (e.g. a Message-ID, a refused error's name). */
    std::string detail;
};

}  // namespace mss::domain
