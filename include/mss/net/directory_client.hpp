// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::net::directory_client`: the national directory (Annuaire Santé FHIR API) over
 *         HTTPS, implementing `transport::directory_search`.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/directory/fhir.hpp>
#include <mss/net/tls_options.hpp>
#include <mss/transport/directory.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace mss::net
{

/** @brief Time limits of a `directory_client`. A zero (or negative) duration means no limit.
 *
 *  | phase                                  | limit           | error                                |
 *  |----------------------------------------|-----------------|--------------------------------------|
 *  | TCP connection                         | `connect`       | `mss::errc::connect_timeout`         |
 *  | TLS handshake                          | `tls_handshake` | `mss::errc::tls_handshake_timeout`   |
 *  | the whole search, every page included  | `request`       | `mss::directory::errc::request_timeout` |
 *
 *  The connection and handshake limits are also bounded by what remains of `request`. Name
 *  resolution is not bounded (the system resolver cannot be interrupted).
 */
struct directory_timeouts
{
    /** @brief TCP connection establishment. */
    std::chrono::milliseconds connect = std::chrono::seconds(10);
    /** @brief The TLS handshake. */
    std::chrono::milliseconds tls_handshake = std::chrono::seconds(10);
    /** @brief The whole search: connection, every page's request and response. */
    std::chrono::milliseconds request = std::chrono::seconds(30);
};

/** @brief Settings of a `directory_client`. */
struct directory_client_config
{
    /** @brief The API's base URL, `https://` only (the key must never travel in clear text). */
    std::string base_url = std::string(mss::directory::fhir::production_base_url);
    /** @brief The API key, sent in the `ESANTE-API-KEY` header of every request. It is kept in
     *         memory and never written to diagnostics or logs.
     */
    std::string api_key;
    /** @brief Trust anchors and minimum version (TLS 1.2 at least). The Annuaire Santé gateway
     *         has a certificate from a public CA: `use_system_trust_store` (or a CA file) is
     *         needed.
     */
    net::tls_options tls_options;
    /** @brief Time limits. */
    directory_timeouts timeouts;
    /** @brief Limits of each response: largest body, deepest JSON. */
    mss::directory::fhir::decode_options limits;
    /** @brief Resources per page asked of the server (`_count`). */
    std::size_t page_size = 50;
    /** @brief Most pages fetched for one search (a query whose filters the server cannot apply,
     *         such as the mailbox type, may need several pages to fill `limit`).
     */
    std::size_t max_pages = 10;
    /** @brief Ask for the practitioners' roles too (see `fhir::url_options::include_roles`). */
    bool include_roles = true;
    /** @brief The `User-Agent` header. */
    std::string user_agent = "mss/0.1";
};

/** @brief Searches the Annuaire Santé FHIR API.
 *
 *  @code
 *  mss::net::directory_client national(co_await asio::this_coro::executor, {
 *      .api_key = key, .tls_options = {.use_system_trust_store = true}});
 *  mss::directory::query q;
 *  q.family_name = "dupont";
 *  q.city = "lyon";
 *  mss::diagnostics diag;
 *  auto [ec, page] = co_await national.async_search(q, diag, asio::as_tuple(asio::deferred));
 *  @endcode
 *
 *  A search builds the FHIR URL of the query (`fhir::search_url`), sends `GET` requests with the
 *  API key, decodes each Bundle (`fhir::decode_bundle`), applies on its side the criteria the
 *  server does not (mailbox type, department: `matches_exact_criteria`), and follows the
 *  Bundle's `next` links until `limit` entries are found, the listing ends, or `max_pages` pages
 *  were read. `next_cursor` continues where the page stopped, even in the middle of a server
 *  page. Liste-rouge mailboxes are never returned.
 *
 *  The connection (TLS ≥ 1.2, SNI, the certificate verified for the base URL's host name) is kept
 *  between searches while the server allows it; a kept connection found closed by the server
 *  before any answer is reopened once. Redirects are not followed (the key would go with them).
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe. Call every member, and emit cancellation
 *  signals, from the client's executor (one thread, or a strand). One search at a time: a second
 *  one while the first runs completes with `mss::errc::operation_in_progress`.
 *
 *  @par Object lifetimes
 *  The client may be destroyed while a search runs: the connection is closed and the search
 *  completes with `asio::error::operation_aborted`.
 */
class MSS_API directory_client final : public transport::directory_search
{
public:
    /** @brief Makes a client; nothing is connected before the first search.
     *
     *  @par Errors
     *  None here: an unusable base URL or TLS configuration is reported by the first search
     *  (`mss::directory::errc::invalid_query`, `mss::errc::configuration_error`,
     *  `mss::errc::file_unreadable`).
     */
    directory_client(boost::asio::any_io_executor executor, directory_client_config config);

    /** @brief Closes the connection; see the class's Object lifetimes. */
    ~directory_client() override;

    directory_client(const directory_client&) = delete;
    directory_client& operator=(const directory_client&) = delete;

    /** @brief The executor all I/O runs on. */
    [[nodiscard]] boost::asio::any_io_executor get_executor() const;

    /** @brief Closes the connection now; a running search completes with
     *         `asio::error::operation_aborted`.
     */
    void close() noexcept;

    /** @brief Replaces the API key for the next requests. Not while a search runs. */
    void set_api_key(std::string api_key);

private:
    /** @brief Runs one search (see `transport::directory_search::async_search`).
     *
     *  @par Cancellation
     *  Terminal cancellation through the handler's cancellation slot closes the connection at
     *  once; the search completes with `asio::error::operation_aborted`.
     *  @par Errors
     *  - the caller's: `mss::directory::errc::invalid_query`, `invalid_cursor` (a cursor not made
     *    by this client, or pointing to another server), `mss::errc::operation_in_progress`;
     *  - configuration: `mss::errc::configuration_error`, `mss::errc::file_unreadable`;
     *  - network and TLS: resolver and socket errors, `asio::ssl` errors (an untrusted or
     *    mismatching certificate is described in `diag`), `mss::errc::connect_timeout`,
     *    `mss::errc::tls_handshake_timeout`, `mss::directory::errc::request_timeout`;
     *  - the server's: `mss::directory::errc::http_unauthorized` (401, 403),
     *    `http_client_error` (other 4xx), `http_server_error` (5xx), `http_unexpected_response`
     *    (a redirect, a `next` link to another server, an unreadable HTTP message),
     *    `fhir_too_large`, `fhir_malformed_json`, `fhir_not_a_bundle`. The HTTP status is in
     *    `diag.client_message()`; the server's own explanation (an OperationOutcome's text) in
     *    `diag.server_message()`.
     */
    void do_search(const mss::directory::query& q, diagnostics& diag,
                   boost::asio::any_completion_handler<search_signature> handler) override;

    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace mss::net
