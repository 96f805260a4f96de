// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::transport::outgoing_message`: a built message and its SMTP envelope.
 */
#pragma once

#include <mss/domain/email_address.hpp>

#include <string>
#include <vector>

namespace mss::transport {

/** @brief Which delivery status notifications to ask for one recipient (RFC 3461 `NOTIFY`). */
enum class dsn_notify : unsigned
{
    /** @brief Let the server decide (no NOTIFY parameter). */
    server_default = 0,
    /** @brief Never notify. */
    never = 1,
    /** @brief Notify on success. */
    success = 2,
    /** @brief Notify on failure. */
    failure = 4,
    /** @brief Notify on delay. */
    delay = 8,
};

/** @brief Combines notification flags. */
constexpr dsn_notify operator|(dsn_notify a, dsn_notify b) noexcept
{
    return static_cast<dsn_notify>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}

/** @brief One envelope recipient. */
struct envelope_recipient
{
    /** @brief The recipient's address (`RCPT TO`). */
    domain::email_address address;
    /** @brief DSN request for this recipient. */
    dsn_notify notify = dsn_notify::server_default;
};

/** @brief A complete RFC 5322 message ready to submit, with its envelope.
 *
 *  `data` holds the message as it goes on the wire, CRLF line endings, not dot-stuffed (the
 *  submission layer does that). `message_id` is the `Message-ID` header's value without angle
 *  brackets: it is fixed when the message is queued, so a copy found later (in Sent, or at the
 *  recipient) can be recognised.
 */
struct outgoing_message
{
    /** @brief Envelope sender (`MAIL FROM`): the mailbox the message is sent from. */
    domain::email_address envelope_sender;
    /** @brief Envelope recipients: To, Cc and Bcc together. */
    std::vector<envelope_recipient> recipients;
    /** @brief `Message-ID` without angle brackets. */
    std::string message_id;
    /** @brief The message bytes. */
    std::string data;
    /** @brief Whether the message holds 8-bit bytes outside headers (`BODY=8BITMIME`). */
    bool eight_bit = false;
    /** @brief Whether an address or header needs SMTPUTF8. */
    bool needs_smtputf8 = false;
};

}  // namespace mss::transport
