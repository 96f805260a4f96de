// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::net::trace_hook`: the protocol trace of the Asio clients, with credentials
 *         redacted.
 */
#pragma once

#include <functional>
#include <string_view>

namespace mss::net
{

/** @brief Which way traced bytes went. */
enum class trace_direction
{
    /** @brief Written by the client to the server. */
    sent,
    /** @brief Read by the client from the server. */
    received,
};

/** @brief Receives the bytes a client sends and receives, in order, as they go through the
 *         connection: commands and replies, with credentials and message content hidden.
 *
 *  Off by default (an empty function). Some bytes are replaced by `<redacted>` before the hook
 *  sees them, marked by the state machines and the clients when they write or read them
 *  (MailKit's secret detectors, done at the source):
 *  - credentials: the SASL response of AUTH PLAIN / XOAUTH2, both LOGIN answers, the IMAP LOGIN
 *    arguments;
 *  - message content: the SMTP message data (what follows DATA, up to the final dot, which
 *    stays visible), and the content of every IMAP literal, sent or received (`BODY[]` of a
 *    FETCH, an APPENDed message, a mailbox name sent as a literal). A mail's body may be health
 *    data, or a one-time code sent to link a mailbox.
 *  Everything else is passed as is.
 *
 *  @par Thread safety
 *  Called from the client's executor, during the client's operations only.
 *
 *  @par Object lifetimes
 *  The `string_view` is valid during the call only.
 *
 *  @par Errors
 *  The hook must not throw; an exception it throws is caught and ignored.
 *
 *  Traces still contain envelope addresses, IMAP quoted strings (ENVELOPE subjects, say) and the
 *  server's text, which may be personal data: never enable a trace in production without the
 *  same protection as the mail itself.
 */
using trace_hook = std::function<void(trace_direction, std::string_view)>;

}  // namespace mss::net
