// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::net::timeouts`: how long each phase of a connection may take.
 */
#pragma once

#include <chrono>

namespace mss::net
{

/** @brief Time limits of the Asio clients (SMTP now, IMAP next), one per phase.
 *
 *  Each limit bounds one step, not the whole operation: a message of many chunks gets `reply`
 *  for each chunk written and `data_end` for the server's answer after its last byte. When a
 *  limit passes, the connection is closed and the operation fails with the phase's code:
 *
 *  | phase                                   | limit           | error                          |
 *  |-----------------------------------------|-----------------|--------------------------------|
 *  | TCP connection                          | `connect`       | `mss::errc::connect_timeout`   |
 *  | TLS handshake (implicit TLS, STARTTLS)  | `tls_handshake` | `mss::errc::tls_handshake_timeout` |
 *  | the server's greeting                   | `reply`         | `mss::errc::greeting_timeout`  |
 *  | each reply or response                  | `reply`         | `mss::errc::read_timeout`      |
 *  | each write                              | `reply`         | `mss::errc::write_timeout`     |
 *  | the reply after a message's data        | `data_end`      | `mss::errc::read_timeout`      |
 *  | graceful TLS shutdown                   | `shutdown`      | (ignored: the socket is closed) |
 *
 *  A zero (or negative) duration means no limit. Name resolution is not bounded (the system
 *  resolver cannot be interrupted); use an address or a local name where that matters.
 *
 *  @par Thread safety
 *  A plain value type.
 */
struct timeouts
{
    /** @brief TCP connection establishment. */
    std::chrono::milliseconds connect = std::chrono::seconds(10);
    /** @brief The TLS handshake (implicit TLS, or after STARTTLS). */
    std::chrono::milliseconds tls_handshake = std::chrono::seconds(10);
    /** @brief The greeting, each reply (RFC 5321 §4.5.3.2 suggests 5 min; servers answer in
     *         milliseconds), and each write.
     */
    std::chrono::milliseconds reply = std::chrono::seconds(60);
    /** @brief The reply after the end of a message's data (RFC 5321 §4.5.3.2: 10 min), when the
     *         server may scan or deliver the message before answering.
     */
    std::chrono::milliseconds data_end = std::chrono::minutes(10);
    /** @brief The graceful TLS shutdown when closing. */
    std::chrono::milliseconds shutdown = std::chrono::seconds(2);
};

}  // namespace mss::net
