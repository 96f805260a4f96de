// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::indexed_message`: what the local index keeps of one message.
 */
#pragma once

#include <mss/domain/message_classification.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace mss::domain {

/** @brief Identifies a message on its server: mailbox, folder, UIDVALIDITY, UID. */
struct message_key
{
    /** @brief Mailbox address. */
    std::string mailbox;
    /** @brief Server folder name ("INBOX", "Sent"). */
    std::string folder;
    /** @brief UIDVALIDITY of the folder when the message was indexed. */
    std::uint32_t uid_validity = 0;
    /** @brief UID. */
    std::uint32_t uid = 0;

    friend auto operator<=>(const message_key&, const message_key&) = default;
};

/** @brief One message of the index: enough to list, count and classify it without its body. */
struct indexed_message
{
    /** @brief Where it is on the server. */
    message_key key;
    /** @brief Insertion order in the index (set by the store): ties of `date` are broken by it. */
    std::int64_t sequence = 0;
    /** @brief `Message-ID` without angle brackets. */
    std::string message_id;
    /** @brief Subject, decoded to UTF-8. May be health data: never logged. */
    std::string subject;
    /** @brief The sender as shown (decoded display name and address). */
    std::string from;
    /** @brief When it arrived (the server's internal date): the listing order. */
    std::chrono::sys_seconds date{};
    /** @brief Size in bytes. */
    std::uint64_t size = 0;
    /** @brief `\Seen`. */
    bool seen = false;
    /** @brief MODSEQ of the last change seen. */
    std::uint64_t modseq = 0;
    /** @brief Classification at arrival. */
    message_classification classification;
    /** @brief Whether it landed in the inbox at arrival (settings at that time). */
    bool in_inbox = false;
};

}  // namespace mss::domain
