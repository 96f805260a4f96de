// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::mailbox_link`: a mailbox linked to a platform account.
 */
#pragma once

#include <mss/domain/account_ref.hpp>
#include <mss/domain/mailbox.hpp>

#include <chrono>

namespace mss::domain {

/** @brief The life of a link, as the seed describes it.
 *
 *  | from        | event                        | to            |
 *  |-------------|------------------------------|---------------|
 *  | not_linked  | code requested and sent      | code_sent     |
 *  | code_sent   | right code entered in time   | synchronising |
 *  | synchronising | first synchronisation done | ready         |
 *  | any linked  | "delete my identifier"       | unlinked      |
 */
enum class link_state
{
    /** @brief Nothing yet. */
    not_linked,
    /** @brief A one-time code was sent into the mailbox and is awaited. */
    code_sent,
    /** @brief Linked; the first synchronisation is running. */
    synchronising,
    /** @brief Linked and synchronised. */
    ready,
    /** @brief The link was removed. */
    unlinked,
};

/** @brief A mailbox linked to an account. */
struct mailbox_link
{
    /** @brief The account (a person's or a structure's). */
    account_ref account;
    /** @brief The mailbox. */
    mailbox box;
    /** @brief Where the link stands. */
    link_state state = link_state::synchronising;
    /** @brief When the right code was entered. */
    std::chrono::sys_seconds linked_at{};
};

}  // namespace mss::domain
