// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::original_message`: what a reply or a forward needs of the message it answers.
 */
#pragma once

#include <mss/domain/attachment.hpp>
#include <mss/domain/message_classification.hpp>
#include <mss/domain/named_address.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace mss::domain {

/** @brief A received (or sent) message, as replies and forwards see it. */
struct original_message
{
    /** @brief `Message-ID` without angle brackets. */
    std::string message_id;
    /** @brief `References` ids, oldest first, without angle brackets. */
    std::vector<std::string> references;
    /** @brief Decoded subject. */
    std::string subject;
    /** @brief Sender. */
    std::optional<named_address> from;
    /** @brief `Reply-To`, when set. */
    std::vector<named_address> reply_to;
    /** @brief Recipients. */
    std::vector<named_address> to;
    /** @brief Copies. */
    std::vector<named_address> cc;
    /** @brief Date. */
    std::chrono::sys_seconds date{};
    /** @brief Text body (UTF-8). */
    std::string text_body;
    /** @brief HTML body, if any. */
    std::string html_body;
    /** @brief Attachments, carried over by a forward. */
    std::vector<attachment> attachments;
    /** @brief The whole message, for a forward as message/rfc822. */
    std::string raw;
    /** @brief How it was classified when indexed. */
    message_classification classification;
    /** @brief Opened from the *MSSanté – Patients* folder. */
    bool opened_from_patient_folder = false;
};

}  // namespace mss::domain
