// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Read receipts (RFC 8098 message disposition notifications): when one is asked, making
 *         one, and reading one that comes back.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/mailbox.hpp>
#include <mss/transport/outgoing_message.hpp>

#include <boost/system/result.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mss::service {

/** @brief A read receipt asked by a received message. */
struct receipt_request
{
    /** @brief Where to send it (`Disposition-Notification-To`). */
    domain::email_address notify;
    /** @brief The original's `Message-ID`, without angle brackets. */
    std::string original_message_id;
    /** @brief The original's subject (decoded), for the human-readable part. */
    std::string original_subject;
    /** @brief False when the notification address differs from `Return-Path`: the receipt may then
     *         only be sent when the user asks (RFC 8098 §2.1, MSSanté ECO.3.1.6). */
    bool may_send_automatically = false;
};

/** @brief Whether `raw` (a received message, its header at least) asks for a read receipt. */
MSS_API std::optional<receipt_request> receipt_requested(std::string_view raw);

/** @brief A `displayed` read receipt for `request`, sent from `reporter`: a
 *         `multipart/report; report-type=disposition-notification` with a French human-readable
 *         part and a `message/disposition-notification` part (`Reporting-UA`, `Final-Recipient`,
 *         `Original-Message-ID`, `Disposition: manual-action/MDN-sent-manually; displayed`).
 *  @par Errors
 *  `mss::errc::configuration_error` without a product reference (X-MSS-NIL).
 */
MSS_API boost::system::result<transport::outgoing_message> make_read_receipt(
    const receipt_request& request, const domain::mailbox& reporter, const std::string& product_reference,
    const std::string& message_id, std::chrono::sys_seconds date, diagnostics& diag);

/** @brief What a received read receipt says. */
struct read_receipt
{
    /** @brief The message it is about, without angle brackets: link it to the sent message. */
    std::string original_message_id;
    /** @brief Who read it (`Final-Recipient`, the address only; the receipt's `From` when the
     *         field is missing). */
    std::string final_recipient;
    /** @brief The disposition type, lower case: `displayed`, `deleted`, `dispatched`, `processed`. */
    std::string disposition;
    /** @brief The receipt's `Date`, when present and readable: about when the message was read. */
    std::optional<std::chrono::sys_seconds> date{};
};

/** @brief Whether a header block (RFC822.HEADER, no body needed) announces an RFC 8098
 *         notification: `Content-Type: multipart/report; report-type=disposition-notification`.
 *
 *  Cheap enough to run on every new message during synchronisation; only the messages it accepts
 *  need to be fetched whole for `parse_read_receipt`.
 */
MSS_API bool is_read_receipt_header(std::string_view header);

/** @brief Reads a received message (header and body) as an RFC 8098 notification; empty when it
 *         is not one.
 *
 *  The machine-readable part (`message/disposition-notification`, or its RFC 6533
 *  `message/global-disposition-notification` form) gives the original's `Original-Message-ID`,
 *  the reader (`Final-Recipient`) and the disposition. A notification without
 *  `Original-Message-ID` (the field is only recommended) is linked through its `In-Reply-To`.
 *  Without either, or without a disposition, it is not a usable receipt: empty.
 */
MSS_API std::optional<read_receipt> parse_read_receipt(std::string_view raw);

}  // namespace mss::service
