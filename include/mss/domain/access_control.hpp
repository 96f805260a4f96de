// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Who may do what with a linked mailbox: owners, delegates, administrators.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/delegation.hpp>
#include <mss/domain/mailbox_link.hpp>

#include <boost/system/error_code.hpp>

#include <span>
#include <string_view>

namespace mss::domain {

/** @brief What a person wants to do with a mailbox. */
enum class mailbox_action
{
    /** @brief See its mail (folders, messages). */
    read,
    /** @brief Send, reply, forward from it. */
    send,
    /** @brief Change the mailbox's settings. */
    change_settings,
    /** @brief Link or unlink it. */
    link_unlink,
};

/** @brief Decides whether person `person_id` may perform `action` on `link`'s mailbox.
 *
 *  - A person's mailbox: its owner may do everything; anybody else is refused.
 *  - A structure's mailbox: a person with an active delegation of that structure may read and
 *    send; change settings and link/unlink need the administrator role. A person whose
 *    delegation was revoked is refused at once (`access_delegation_revoked`); delegations of other
 *    structures do not count.
 *
 *  @param delegations any delegations (those of other structures or persons are ignored).
 *  @return empty when allowed; otherwise `errc::access_not_allowed`,
 *          `errc::access_delegation_revoked` or `errc::access_reserved_to_administrators`.
 */
MSS_API boost::system::error_code check_access(std::string_view person_id, const mailbox_link& link,
                                               std::span<const delegation> delegations,
                                               mailbox_action action) noexcept;

}  // namespace mss::domain
