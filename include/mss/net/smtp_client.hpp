// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::net::smtp_client`: SMTP submission (RFC 6409) over Asio, TLS always on.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/net/timeouts.hpp>
#include <mss/net/tls_options.hpp>
#include <mss/net/trace.hpp>
#include <mss/smtp/reply_parser.hpp>
#include <mss/smtp/submission.hpp>
#include <mss/transport/mail_submission.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/system/error_code.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace mss::net
{

/** @brief Settings of an `smtp_client`: where the operator's submission service is, how to
 *         protect and authenticate the connection.
 *
 *  MSSanté (ECO.1.1.10): TLS 1.2 at least, trust anchors from configuration (IGC Santé), port
 *  587 with mandatory STARTTLS or port 465 with implicit TLS; XOAUTH2 with a Pro Santé Connect
 *  token for PER and ORG boxes, a client certificate (EXTERNAL) for APP boxes.
 */
struct smtp_client_config
{
    /** @brief Host name or address of the submission server. */
    std::string host;
    /** @brief TCP port: 587 for STARTTLS, 465 for implicit TLS. */
    std::uint16_t port = 587;
    /** @brief STARTTLS (default; fails with `mss::errc::starttls_not_offered` when the server
     *         does not offer it) or implicit TLS. There is no clear-text mode.
     */
    smtp::tls_mode tls = smtp::tls_mode::starttls;
    /** @brief Name the server certificate must be valid for, also sent as SNI; `host` when
     *         empty (set it when `host` is an address but the certificate names the server).
     */
    std::string tls_server_name;
    /** @brief Trust anchors, minimum version, client certificate (see `tls_options`). */
    net::tls_options tls_options;
    /** @brief The client's name in EHLO; when empty, the connection's local address as an
     *         address literal (`[192.0.2.1]`).
     */
    std::string ehlo_domain;
    /** @brief Who to authenticate as: a password (PLAIN, or LOGIN when only LOGIN is offered), a
     *         bearer token (`smtp::secret_kind::bearer_token`: XOAUTH2 only), or an empty secret
     *         with a client certificate in `tls_options` (EXTERNAL). Sent only under TLS.
     */
    smtp::credentials credentials;
    /** @brief Time limits per phase. */
    net::timeouts timeouts;
    /** @brief Protocol trace, credentials redacted; off when empty. */
    trace_hook trace;
    /** @brief Limits of the reply parser (a server answering `250-` forever hits `max_lines`). */
    smtp::reply_parser_options reply_limits;
};

/** @brief Submits messages to an MSSanté operator over SMTP, implementing
 *         `transport::mail_submission`.
 *
 *  @code
 *  mss::net::smtp_client client(co_await asio::this_coro::executor, {
 *      .host = "smtp.operator.example", .tls_options = {.ca_file = "igc-sante.pem"},
 *      .credentials = {.user = "dr.martin@op.mssante.fr", .secret = token,
 *                      .kind = mss::smtp::secret_kind::bearer_token}});
 *  mss::diagnostics diag;
 *  auto [ec, result] = co_await client.async_submit(message, diag, asio::as_tuple(asio::deferred));
 *  co_await client.async_quit(asio::as_tuple(asio::deferred));
 *  @endcode
 *
 *  The connection is opened lazily by the first submission (TCP, TLS, EHLO, STARTTLS, EHLO,
 *  AUTH) and kept for the next ones: each message is one transaction (MAIL, RCPT..., DATA,
 *  pipelined when the server offers PIPELINING), with RSET before a message that follows a
 *  failed one. When the server closed an idle kept connection (a `421` reply, or the connection
 *  found closed) before any recipient was answered, the client reconnects once and submits the
 *  message on the new connection: nothing of it can have been queued. After an error that
 *  `mss::is_fatal()` calls fatal (network, TLS, time-out, protocol violation, `421`), the
 *  connection is closed and never reused; the next submission opens a new one.
 *
 *  `async_submit` (inherited from `transport::mail_submission`) behaves as documented there,
 *  plus:
 *
 *  @par Handler signature
 *  `void(boost::system::error_code, mss::transport::submission_result)`; the result carries the
 *  per-recipient answers received, also on error (`all_recipients_refused`: every refusal).
 *
 *  @par Cancellation
 *  Terminal cancellation through the handler's cancellation slot closes the connection at once;
 *  the operation completes with `asio::error::operation_aborted` (when the data was already
 *  sent, whether the server queued the message is unknown; a message whose final reply arrived
 *  before the signal completes with success). Other cancellation types are ignored.
 *
 *  @par Errors
 *  `mss::errc::operation_in_progress`; `configuration_error`, `file_unreadable` (TLS settings);
 *  `connect_timeout`, `tls_handshake_timeout`, `greeting_timeout`, `read_timeout`,
 *  `write_timeout`; `starttls_not_offered`, `starttls_injection`, `malformed_response`,
 *  `limit_exceeded`, `unexpected_response`; network errors and TLS errors (`asio.ssl`
 *  categories: an untrusted or mismatching certificate, with OpenSSL's reason in `diag`);
 *  `mss::smtp::errc` (`auth_failed`, `auth_mechanism_unavailable`, `all_recipients_refused`,
 *  `message_too_large`, ...) and reply-category errors (value = reply code), see
 *  `mss/smtp/submission.hpp`. No credential is ever sent before TLS is established and the
 *  server certificate verified.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe. Call every member, and emit cancellation
 *  signals, from the client's executor (one thread, or a strand). One operation at a time: a
 *  second `async_submit` or `async_quit` while one runs completes with
 *  `mss::errc::operation_in_progress` and does not disturb the first.
 *
 *  @par Object lifetimes
 *  The client may be destroyed while an operation runs: the connection is closed and the
 *  operation completes with `asio::error::operation_aborted` (its handler still runs on its
 *  executor). The credentials are kept in memory for reconnections.
 */
class MSS_API smtp_client final : public transport::mail_submission
{
public:
    /** @brief Makes a client; nothing is connected before the first submission.
     *
     *  @par Errors
     *  None here: a TLS configuration error (no trust anchor, unreadable file) is reported by
     *  the first submission, with `mss::errc::configuration_error` or `file_unreadable`.
     */
    smtp_client(boost::asio::any_io_executor executor, smtp_client_config config);

    /** @brief Closes the connection without QUIT; see the class's Object lifetimes. */
    ~smtp_client() override;

    /** @brief Not copyable: a client owns its connection. */
    smtp_client(const smtp_client&) = delete;
    /** @brief Not copyable. */
    smtp_client& operator=(const smtp_client&) = delete;

    /** @brief The executor all I/O runs on. */
    [[nodiscard]] boost::asio::any_io_executor get_executor() const;

    /** @brief Ends the session politely: QUIT, graceful TLS shutdown, close.
     *
     *  Does nothing (and succeeds) when no connection is open.
     *
     *  @par Handler signature
     *  `void(boost::system::error_code)`.
     *  @par Object lifetimes
     *  With the default token (`asio::deferred`) nothing happens until the returned operation is
     *  awaited or invoked.
     *  @par Cancellation
     *  Terminal cancellation through the handler's cancellation slot closes the socket at once;
     *  the operation completes with `asio::error::operation_aborted`.
     *  @par Errors
     *  I/O errors and time-outs of QUIT, a negative reply to QUIT, or
     *  `mss::errc::operation_in_progress`. The connection is closed in every case.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_quit(CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            [this](auto handler) { do_quit(std::move(handler)); }, token);
    }

    /** @brief Closes the connection now, without QUIT. A running operation completes with
     *         `asio::error::operation_aborted`.
     */
    void close() noexcept;

    /** @brief Tells whether an authenticated session is open (the server may still have closed
     *         it since: the next submission finds out and reconnects).
     */
    [[nodiscard]] bool is_connected() const noexcept;

    /** @brief Replaces the credentials for the next connection (an XOAUTH2 token refreshed
     *         before it expires). The open session, if any, stays as it is.
     *
     *  @par Thread safety
     *  Not while an operation runs.
     */
    void set_credentials(smtp::credentials credentials);

private:
    void do_submit(const transport::outgoing_message& message, diagnostics& diag,
                   boost::asio::any_completion_handler<submit_signature> handler) override;

    void do_quit(boost::asio::any_completion_handler<void(boost::system::error_code)> handler);

    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace mss::net
