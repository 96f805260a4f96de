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

/** @brief Receives every byte a client sends and receives, in order, as they go through the
 *         connection (commands, replies, and message data).
 *
 *  Off by default (an empty function). Bytes that carry credentials (the SASL response of AUTH
 *  PLAIN / XOAUTH2, both LOGIN answers) are replaced by `<redacted>` before the hook sees them:
 *  the state machines mark those byte ranges when they write the command (MailKit's secret
 *  detectors, done at the source). Everything else is passed as is.
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
 *  Traces contain message content and the server's text, which may be personal health data:
 *  never enable a trace in production without the same protection as the mail itself.
 */
using trace_hook = std::function<void(trace_direction, std::string_view)>;

}  // namespace mss::net
