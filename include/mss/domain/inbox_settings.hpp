// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::inbox_settings`: what lands in the *Boîte de réception*.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/message_classification.hpp>

namespace mss::domain {

/** @brief The kinds of messages an account wants in its *Boîte de réception*.
 *
 *  Settings apply to new messages only (the seed): the decision is taken when a message arrives
 *  and recorded with it; changing the settings never moves earlier messages in or out.
 *  Settings belong to the account the mailbox is linked to (the person for a PER box, the
 *  structure for an ORG box, shared by its delegates).
 */
struct inbox_settings
{
    /** @brief Discussions of the platform itself (not MSSanté mail: recorded for the platform). */
    bool platform_discussions = true;
    /** @brief MSSanté mail exchanged with professionals. */
    bool mssante_professional = true;
    /** @brief MSSanté mail exchanged with patients. */
    bool mssante_patient = true;

    friend bool operator==(const inbox_settings&, const inbox_settings&) = default;
};

/** @brief Whether a message arriving now lands in the inbox. Sent mail never does. */
MSS_API bool lands_in_inbox(const inbox_settings& settings, const message_classification& c) noexcept;

}  // namespace mss::domain
