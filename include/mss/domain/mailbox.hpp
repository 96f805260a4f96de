// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::mailbox`: an MSSanté mailbox (BAL).
 */
#pragma once

#include <mss/domain/email_address.hpp>
#include <mss/domain/mailbox_type.hpp>

#include <string>

namespace mss::domain {

/** @brief An MSSanté mailbox, identified by its address alone. */
struct mailbox
{
    /** @brief The address; it never changes. */
    email_address address;
    /** @brief The type; it never changes either. */
    mailbox_type type = mailbox_type::per;
    /** @brief The operator serving it (e.g. "Medimail"), for display. */
    std::string operator_name;
    /** @brief Label shown to people (for a PER box: `<Title>_<GivenName>_<FAMILYNAME>_<Unit>`). */
    std::string display_label;
};

}  // namespace mss::domain
