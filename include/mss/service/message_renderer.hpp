// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Turning a draft into the MSSanté message that goes on the wire.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/draft.hpp>
#include <mss/transport/outgoing_message.hpp>

#include <boost/system/result.hpp>

#include <chrono>
#include <functional>
#include <span>
#include <string>

namespace mss::service {

/** @brief What the renderer needs besides the draft. */
struct render_params
{
    /** @brief `X-MSS-NIL`: the product reference the software vendor got from ANS. Required. */
    std::string product_reference;
    /** @brief `Message-ID` without angle brackets, fixed before queueing. */
    std::string message_id;
    /** @brief The message's date. */
    std::chrono::sys_seconds date{};
    /** @brief Random bytes for MIME boundaries (a CSPRNG is not needed, but never a constant). */
    std::function<void(std::span<std::uint8_t>)> random;
};

/** @brief Renders `d` as an RFC 5322 / MIME message and its SMTP envelope.
 *
 *  Headers: From (the mailbox with its MSSanté label as display name), To, Cc (Bcc only in the
 *  envelope), Subject (RFC 2047 when needed), Date, Message-ID, In-Reply-To and References on
 *  replies, MIME-Version, `X-MSS-NIL` always, `Disposition-Notification-To` when a read receipt
 *  is asked, `X-MSS-MES: FIN` when a patient conversation is closed; `X-MSS-CODECDA` and
 *  `X-MSS-INS` only when CDA documents travel in an `IHE_XDM.zip` (ECO.2.4.1–2.4.3).
 *  Body: `multipart/alternative` (text/plain + text/html, UTF-8, quoted-printable) inside
 *  `multipart/mixed` when there are attachments (base64, RFC 2231 file names, streamed from their
 *  files), a forwarded message as `message/rfc822`. Lines end in CRLF; none exceeds 998 octets.
 *
 *  @par Errors
 *  `mss::errc::configuration_error` without a product reference; `mss::errc::file_unreadable`
 *  when an attachment's file cannot be read; `mss::errc::invalid_argument` for header text with
 *  CR/LF/NUL or a CDA document that is not CDA. Details in `diag`.
 */
MSS_API boost::system::result<transport::outgoing_message> render_message(const domain::draft& d,
                                                                          const render_params& params,
                                                                          diagnostics& diag);

}  // namespace mss::service
