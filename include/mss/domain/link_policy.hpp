// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::link_policy`: which accounts may link which mailboxes.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/account_ref.hpp>
#include <mss/domain/mailbox_type.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>

namespace mss::domain {

/** @brief Which account kinds may link which mailbox types, and how many mailboxes an account may
 *         have. The default is the seed's: a person links a PER or CAB box, a structure links an
 *         ORG or APP box, one linked mailbox per account. */
struct link_policy
{
    /** @brief Mailbox types a person may link (indexed by `mailbox_type`). */
    bool person_may_link[4] = {true, false, false, true};
    /** @brief Mailbox types a structure may link (indexed by `mailbox_type`). */
    bool structure_may_link[4] = {false, true, true, false};
    /** @brief Most mailboxes linked to one account. */
    std::size_t max_mailboxes_per_account = 1;

    /** @brief Whether `kind` may link a mailbox of `type`.
     *  @return empty, or `errc::mailbox_type_not_allowed`.
     */
    [[nodiscard]] MSS_API boost::system::error_code check(account_kind kind, mailbox_type type) const noexcept;
};

}  // namespace mss::domain
