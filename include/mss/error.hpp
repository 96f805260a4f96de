// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Library-wide error codes (`mss::errc`) and the fatal/non-fatal classifier.
 *
 *  Every layer has its own category (`mss::domain::errc`, later `mss::mime::errc`,
 *  `mss::smtp::errc`, `mss::imap::errc`); this one holds the conditions that any layer can
 *  raise: misuse of an object, time-outs by phase, limits, and peers that break a protocol.
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace mss {

/** @brief Library-wide error conditions.
 *
 *  The values are grouped by who is at fault (after h11's local/remote split):
 *  - usage errors, the caller's bug: `invalid_argument`, `operation_in_progress`, `not_connected`;
 *  - peer errors, the other side's bug: `unexpected_response`, `malformed_response`;
 *  - environment: time-outs by phase and exceeded limits.
 */
enum class errc : int
{
    /** @brief An argument is not acceptable (e.g. CR/LF inside a protocol argument). */
    invalid_argument = 1,
    /** @brief A second operation was started while one is still running on the same object. */
    operation_in_progress,
    /** @brief The operation needs an established session and there is none. */
    not_connected,
    /** @brief TCP connection establishment took too long. */
    connect_timeout,
    /** @brief The TLS handshake took too long. */
    tls_handshake_timeout,
    /** @brief The server's greeting did not arrive in time. */
    greeting_timeout,
    /** @brief A reply or response did not arrive in time. */
    read_timeout,
    /** @brief Sending bytes to the peer took too long. */
    write_timeout,
    /** @brief A configured limit (line length, size, nesting, count) was exceeded. */
    limit_exceeded,
    /** @brief The peer sent something valid but not expected in the current state. */
    unexpected_response,
    /** @brief The peer sent bytes that do not follow the protocol's grammar. */
    malformed_response,
    /** @brief The server does not offer STARTTLS and clear text is never allowed. */
    starttls_not_offered,
    /** @brief Bytes arrived together with the STARTTLS reply (response injection). */
    starttls_injection,
    /** @brief A file could not be read. */
    file_unreadable,
    /** @brief The library is configured inconsistently (e.g. no X-MSS-NIL product reference). */
    configuration_error,
};

/** @brief The category of `mss::errc`; its name is `"mss"`. */
MSS_API const boost::system::error_category& library_category() noexcept;

/** @brief Makes an `error_code` from an `mss::errc` value (found by argument-dependent lookup). */
MSS_API boost::system::error_code make_error_code(errc e) noexcept;

/** @brief Tells whether an error leaves the connection unusable.
 *
 *  Fatal: network and TLS errors, time-outs, peer protocol violations, exceeded limits while
 *  reading a response. A new connection is needed. Not fatal: a refusal of one command (a domain
 *  rule, an IMAP `NO`, an SMTP 5xx for one recipient); the same connection can go on.
 *  A default-constructed (success) code is not fatal.
 */
MSS_API bool is_fatal(const boost::system::error_code& ec) noexcept;

}  // namespace mss

namespace boost::system {
template <>
struct is_error_code_enum<mss::errc> : std::true_type
{
};
}  // namespace boost::system
