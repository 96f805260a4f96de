// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Classifying a message at arrival: received or sent, professional or patient exchange.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/email_address.hpp>

#include <optional>
#include <vector>

namespace mss::domain {

/** @brief Whether the mailbox received or sent the message. */
enum class message_direction
{
    /** @brief In the mailbox's INBOX (or another non-Sent folder). */
    received,
    /** @brief In the mailbox's Sent folder. */
    sent,
};

/** @brief With whom the message is exchanged (ECO.3.1.1: shown apart). */
enum class exchange_kind
{
    /** @brief Between professionals. */
    professional,
    /** @brief With a patient (`@patient.mssante.fr`). */
    patient,
};

/** @brief The addresses classification looks at, taken from the message's header. */
struct message_parties
{
    /** @brief The sender (`From`), when it could be parsed. */
    std::optional<email_address> from;
    /** @brief Every recipient (`To`, `Cc`, and `Bcc` when the copy in Sent has it). */
    std::vector<email_address> recipients;
};

/** @brief The classification of one message. */
struct message_classification
{
    /** @brief Received or sent. */
    message_direction direction = message_direction::received;
    /** @brief Professional or patient exchange. */
    exchange_kind exchange = exchange_kind::professional;
    /** @brief The other party: the sender of received mail; for sent mail, the first patient
     *         recipient of a patient exchange, else the first recipient. Empty when unknown. */
    std::string counterpart;

    friend bool operator==(const message_classification&, const message_classification&) = default;
};

/** @brief Classifies a message: a patient exchange when the counterpart is at
 *         `patient.mssante.fr` — the sender for received mail, any recipient for sent mail. */
MSS_API message_classification classify_message(message_direction direction, const message_parties& parties);

}  // namespace mss::domain
