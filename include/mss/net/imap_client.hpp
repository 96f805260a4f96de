// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::net::imap_client`: access to an MSSanté mailbox over IMAP4rev1, TLS always on.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/imap/capabilities.hpp>
#include <mss/imap/command.hpp>
#include <mss/imap/fetch_data.hpp>
#include <mss/imap/login_fsm.hpp>
#include <mss/imap/response_parser.hpp>
#include <mss/imap/sequence_set.hpp>
#include <mss/net/timeouts.hpp>
#include <mss/net/tls_options.hpp>
#include <mss/net/trace.hpp>
#include <mss/transport/mailbox_access.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace mss::net
{

/** @brief Who an `imap_client` authenticates as.
 *
 *  With `oauth_token` set, only `AUTHENTICATE XOAUTH2` is used (Pro Santé Connect access token,
 *  PER and ORG boxes); otherwise the password goes with `AUTHENTICATE PLAIN` (initial response on
 *  the command line when the server offers SASL-IR), or with `LOGIN` when PLAIN is not offered.
 *  Credentials are only ever sent over TLS and never appear in a trace.
 */
struct imap_credentials
{
    /** @brief The login: the MSSanté address of the mailbox. */
    std::string user;
    /** @brief The password (ignored when `oauth_token` is set). Never logged. */
    std::string password;
    /** @brief An OAuth 2.0 bearer token for XOAUTH2. Never logged. */
    std::string oauth_token;
};

/** @brief Settings of an `imap_client`: where the operator's IMAP service is, how to protect and
 *         authenticate the connection, and how long each step may take.
 *
 *  MSSanté (ECO.1.1.10): TLS 1.2 at least, trust anchors from configuration (IGC Santé), port 143
 *  with mandatory STARTTLS or port 993 with implicit TLS.
 */
struct imap_client_config
{
    /** @brief Host name or address of the IMAP server. */
    std::string host;
    /** @brief TCP port: 143 for STARTTLS, 993 for implicit TLS. */
    std::uint16_t port = 143;
    /** @brief `imap::tls_mode::starttls` (default: fails with `mss::errc::starttls_not_offered`
     *         before any credential when the server does not offer it) or `implicit`. The third
     *         mode, `insecure_plaintext`, is refused with `mss::errc::configuration_error`.
     */
    imap::tls_mode tls = imap::tls_mode::starttls;
    /** @brief Name the server certificate must be valid for, also sent as SNI; `host` when empty. */
    std::string tls_server_name;
    /** @brief Trust anchors, minimum version, client certificate (see `tls_options`). */
    net::tls_options tls_options;
    /** @brief Who to authenticate as. */
    imap_credentials credentials;
    /** @brief Allow the `LOGIN` command when `AUTH=PLAIN` is not offered (never with
     *         `LOGINDISABLED`). */
    bool allow_login_command = true;
    /** @brief Time limits per step. `reply` also bounds the answer to `DONE` and `NOOP` while
     *         waiting for changes: a server that does not answer in time is taken for dead.
     */
    net::timeouts timeouts;
    /** @brief Longest single IDLE command: servers drop clients idle for 30 minutes (RFC 2177),
     *         so a longer `async_wait_for_changes` ends IDLE with `DONE` and starts it again.
     */
    std::chrono::milliseconds idle_refresh = std::chrono::minutes(25);
    /** @brief Time between two `NOOP`s when the server does not offer IDLE. */
    std::chrono::milliseconds poll_interval = std::chrono::seconds(30);
    /** @brief Protocol trace, credentials redacted; off when empty. */
    trace_hook trace;
    /** @brief Limits of the response parser (line length, literal size, nesting). */
    imap::response_parser_options parser_limits;
};

/** @brief Reads and updates an MSSanté mailbox over IMAP, implementing
 *         `transport::mailbox_access`.
 *
 *  @code
 *  mss::net::imap_client client(co_await asio::this_coro::executor, {
 *      .host = "imap.operator.example", .tls_options = {.ca_file = "igc-sante.pem"},
 *      .credentials = {.user = "dr.martin@op.mssante.fr", .oauth_token = token}});
 *  mss::diagnostics diag;
 *  auto [ec, changes] = co_await client.async_sync_folder("INBOX", known, diag,
 *                                                         asio::as_tuple(asio::deferred));
 *  @endcode
 *
 *  The connection is opened lazily by the first operation (TCP, TLS or STARTTLS, capabilities,
 *  authentication, `ENABLE CONDSTORE QRESYNC` and `UTF8=ACCEPT` when offered) and kept for the
 *  next ones. One folder is selected at a time; an operation on another folder selects it first.
 *
 *  - `async_list_folders`: `LIST "" "*" RETURN (SPECIAL-USE)`; roles from the special-use
 *    attributes (by name when the server has none); non-selectable folders are left out.
 *  - `async_sync_folder`: with a known state, `SELECT folder (QRESYNC (uidvalidity modseq))`
 *    reports expunges (`VANISHED (EARLIER)`) and flag changes in one round trip; new messages
 *    come from `UID FETCH uid_next:(UIDNEXT-1) (UID FLAGS MODSEQ INTERNALDATE RFC822.SIZE
 *    BODY.PEEK[HEADER])`. A changed UIDVALIDITY (or an empty state) gives `full_resync` with
 *    every message. Without QRESYNC, flag changes come from `UID FETCH ... (CHANGEDSINCE n)` and
 *    expunges cannot be reported; without CONDSTORE, every known message is reported as a flag
 *    change. The result equals what `transport::in_memory_operator` reports for the same changes.
 *  - `async_fetch_message`: `UID FETCH uid (BODY.PEEK[])` (does not set `\Seen`); bodies of
 *    `parser_limits.stream_threshold` octets or more are streamed from the socket into the result
 *    string, reserved once to the announced size.
 *  - `async_store_flags`: `UID STORE uid +FLAGS.SILENT`, then `-FLAGS.SILENT`.
 *  - `async_append`: `APPEND` (non-synchronising literal with `LITERAL+`); the UID comes from
 *    `APPENDUID` (0 when the server lacks UIDPLUS).
 *  - `async_find_message_id`: `UID SEARCH HEADER Message-ID <id>`; the lowest matching UID.
 *  - `async_wait_for_changes`: selects the folder anew, then `IDLE`, renewed every
 *    `idle_refresh`; `EXISTS`, `EXPUNGE`, `FETCH` or `VANISHED` ends it with `DONE` and
 *    completes with `true`, the end of `max_wait` with `false`. When the folder's UIDVALIDITY,
 *    UIDNEXT or HIGHESTMODSEQ already differ from what this client's last `async_sync_folder`
 *    of it reported, it completes with `true` at once: a change made between a synchronisation
 *    and the wait is not lost (this differs from the in-memory operator, which only wakes on
 *    changes made during the wait). `NOOP` every `poll_interval` when the server lacks IDLE.
 *    A server that does not answer `DONE` or `NOOP` within `timeouts.reply` is taken for dead
 *    (`mss::errc::read_timeout`).
 *
 *  After an error that `imap::is_fatal()` calls fatal (network, TLS, time-out, `BYE`, unknown
 *  tag, parse error, limit), the connection is closed; the next operation opens a new one. When
 *  a kept connection turns out to be closed by the server (`BYE` for inactivity, reset, end of
 *  stream), every operation but `async_append` reconnects once and runs again (they are
 *  idempotent; an APPEND that may have reached the server is not repeated).
 *
 *  Errors of every operation, besides those of `transport::mailbox_access`:
 *  `mss::errc::operation_in_progress`, `configuration_error`, `file_unreadable`,
 *  `connect_timeout`, `tls_handshake_timeout`, `greeting_timeout`, `read_timeout`,
 *  `write_timeout`, `starttls_not_offered`, `starttls_injection`, `unexpected_response`,
 *  `malformed_response`, `limit_exceeded`; TLS errors (`asio::ssl` categories; the reason a
 *  certificate was refused is in `diag`); `imap::errc` values (`command_no` with the server's
 *  response code such as `NONEXISTENT` or `TRYCREATE` in `diag`, `auth_failed`, `bye`,
 *  `unknown_tag`, `literal_too_large`, `capability_missing`); `asio::error::operation_aborted`
 *  after a cancellation.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe. Call every member, and emit cancellation
 *  signals, from the client's executor (one thread, or a strand). One operation at a time: a
 *  second one while one runs completes with `mss::errc::operation_in_progress` and does not
 *  disturb the first.
 *
 *  @par Object lifetimes
 *  Arguments passed by reference (folder names, `diag`, the message of `async_append`) must stay
 *  valid until the operation completes. The client may be destroyed while an operation runs: the
 *  connection is closed and the operation completes with `asio::error::operation_aborted` (its
 *  handler still runs on its executor). The credentials are kept in memory for reconnections.
 *
 *  @par Cancellation
 *  Every operation supports terminal cancellation through its handler's cancellation slot: the
 *  connection is closed at once and the operation completes with
 *  `asio::error::operation_aborted`; the next operation reconnects. (A STORE or APPEND the server
 *  received before the cancellation may have taken effect.) Other cancellation types are
 *  ignored.
 */
class MSS_API imap_client final : public transport::mailbox_access
{
public:
    /** @brief Receives each FETCH response of `async_fetch`, decoded.
     *
     *  @par Object lifetimes
     *  The views inside `fetch_data` are valid during the call only.
     */
    using fetch_callback = std::function<void(const imap::fetch_data&)>;

    /** @brief Makes a client; nothing is connected before the first operation.
     *
     *  @par Errors
     *  None here: a TLS configuration error (no trust anchor, unreadable file) is reported by the
     *  first operation, with `mss::errc::configuration_error` or `file_unreadable`.
     */
    imap_client(boost::asio::any_io_executor executor, imap_client_config config);

    /** @brief Closes the connection without LOGOUT; see the class's Object lifetimes. */
    ~imap_client() override;

    imap_client(const imap_client&) = delete;
    imap_client& operator=(const imap_client&) = delete;

    /** @brief The executor all I/O runs on. */
    [[nodiscard]] boost::asio::any_io_executor get_executor() const;

    /** @brief Runs `UID FETCH` with any items on `folder` and hands every FETCH response to
     *         `on_fetch` as it is decoded (metadata listings: ENVELOPE, BODYSTRUCTURE, parts).
     *
     *  Responses are processed as they stream in, never collected: memory stays bounded by the
     *  largest single response. Unsolicited FETCH responses (flag changes made by another
     *  client meanwhile) reach `on_fetch` too; look at `fetch_data::present`.
     *
     *  @par Handler signature
     *  `void(boost::system::error_code)`.
     *  @par Object lifetimes
     *  `folder`, `params` (and the sections it points to) and `diag` must stay valid until
     *  completion. With the default token (`asio::deferred`) nothing happens until the returned
     *  operation is awaited or invoked.
     *  @par Cancellation
     *  Terminal cancellation closes the connection; completes with `operation_aborted`.
     *  @par Errors
     *  As the class; `mss::errc::invalid_argument` for parameters the serialiser refuses (an
     *  empty UID set, no item). An exception thrown by `on_fetch` is not caught: do not throw.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_fetch(const std::string& folder, const imap::fetch_params& params, fetch_callback on_fetch,
                     diagnostics& diag, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            [this](auto handler, const std::string* f, const imap::fetch_params* p, fetch_callback cb,
                   diagnostics* d) { do_fetch(*f, *p, std::move(cb), *d, std::move(handler)); },
            token, &folder, &params, std::move(on_fetch), &diag);
    }

    /** @brief Removes messages of `folder` for good: `UID STORE uids +FLAGS.SILENT (\\Deleted)`,
     *         then `UID EXPUNGE uids` (UIDPLUS), which leaves other `\\Deleted` messages alone.
     *
     *  UIDs that do not exist (any more) are ignored, as by the server. A later synchronisation
     *  reports them in `folder_changes::vanished`.
     *
     *  @par Handler signature
     *  `void(boost::system::error_code)`.
     *  @par Object lifetimes
     *  `folder` and `diag` must stay valid until completion. With the default token nothing
     *  happens until the returned operation is awaited or invoked.
     *  @par Cancellation
     *  Terminal cancellation closes the connection; completes with `operation_aborted` (the
     *  messages may or may not be expunged then).
     *  @par Errors
     *  As the class; `imap::errc::capability_missing` without UIDPLUS (a plain EXPUNGE would
     *  also remove messages another client marked `\\Deleted`); `mss::errc::invalid_argument`
     *  for an empty set.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_expunge(const std::string& folder, const imap::sequence_set& uids, diagnostics& diag,
                       CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            [this](auto handler, const std::string* f, imap::sequence_set u, diagnostics* d)
            { do_expunge(*f, std::move(u), *d, std::move(handler)); },
            token, &folder, uids, &diag);
    }

    /** @brief Ends the session politely: `LOGOUT`, graceful TLS shutdown, close.
     *
     *  Does nothing (and succeeds) when no connection is open.
     *
     *  @par Handler signature
     *  `void(boost::system::error_code)`.
     *  @par Object lifetimes
     *  With the default token nothing happens until the returned operation is awaited or invoked.
     *  @par Cancellation
     *  Terminal cancellation closes the socket at once; completes with `operation_aborted`.
     *  @par Errors
     *  I/O errors and time-outs of LOGOUT, or `mss::errc::operation_in_progress`. The connection
     *  is closed in every case.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_logout(CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            [this](auto handler) { do_logout(std::move(handler)); }, token);
    }

    /** @brief Closes the connection now, without LOGOUT. A running operation completes with
     *         `asio::error::operation_aborted`.
     */
    void close() noexcept;

    /** @brief Tells whether an authenticated session is open (the server may have closed it
     *         since: the next operation finds out and reconnects).
     */
    [[nodiscard]] bool is_connected() const noexcept;

    /** @brief The capabilities of the open session (empty when none is open).
     *  @par Object lifetimes
     *  Valid until the next operation starts.
     */
    [[nodiscard]] const imap::capability_set& server_capabilities() const noexcept;

    /** @brief Replaces the credentials for the next connection (an XOAUTH2 token refreshed before
     *         it expires). The open session, if any, stays as it is.
     *  @par Thread safety
     *  Not while an operation runs.
     */
    void set_credentials(imap_credentials credentials);

private:
    /** @name transport::mailbox_access
     *  Documented on the class and on `transport::mailbox_access`. */
    ///@{
    void do_list_folders(diagnostics& diag,
                         boost::asio::any_completion_handler<list_signature> handler) override;
    void do_sync_folder(const std::string& folder, const transport::folder_sync_state& known,
                        diagnostics& diag,
                        boost::asio::any_completion_handler<sync_signature> handler) override;
    void do_fetch_message(const std::string& folder, std::uint32_t uid, diagnostics& diag,
                          boost::asio::any_completion_handler<fetch_signature> handler) override;
    void do_store_flags(const std::string& folder, std::uint32_t uid, transport::message_flags add,
                        transport::message_flags remove, diagnostics& diag,
                        boost::asio::any_completion_handler<store_signature> handler) override;
    void do_append(const std::string& folder, std::string_view message, transport::message_flags flags,
                   diagnostics& diag, boost::asio::any_completion_handler<append_signature> handler) override;
    void do_find_message_id(const std::string& folder, const std::string& message_id, diagnostics& diag,
                            boost::asio::any_completion_handler<find_signature> handler) override;
    void do_wait_for_changes(const std::string& folder, std::chrono::milliseconds max_wait, diagnostics& diag,
                             boost::asio::any_completion_handler<wait_signature> handler) override;
    ///@}

    void do_fetch(const std::string& folder, const imap::fetch_params& params, fetch_callback on_fetch,
                  diagnostics& diag,
                  boost::asio::any_completion_handler<void(boost::system::error_code)> handler);
    void do_expunge(const std::string& folder, imap::sequence_set uids, diagnostics& diag,
                    boost::asio::any_completion_handler<void(boost::system::error_code)> handler);
    void do_logout(boost::asio::any_completion_handler<void(boost::system::error_code)> handler);

    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace mss::net
