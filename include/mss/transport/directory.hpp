// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::transport::directory_search`: the abstract interface through which an MSSanté
 *         directory is searched.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/directory/entry.hpp>
#include <mss/directory/query.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/system/error_code.hpp>

namespace mss::transport
{

/** @brief Searches a directory of MSSanté mailboxes.
 *
 *  Implementations: `mss::transport::offline_directory` over the public extraction file (for the
 *  national directory, or a regional file in the same format), `mss::net::directory_client` over
 *  the Annuaire Santé FHIR API. An integrator implements `do_search()` to plug in another source
 *  (an operator's regional directory, a test double). `mss::directory::select_directory()` tells
 *  which directory a user searches.
 *
 *  The public function is a template taking any Asio completion token (`asio::deferred` by
 *  default, `use_awaitable`, a callback, `use_future`); the virtual part takes an
 *  `any_completion_handler`, so an implementation is an ordinary compiled class.
 *
 *  @par Contract of every implementation
 *  - liste-rouge mailboxes never appear in results;
 *  - entries come in a stable order, and `search_result::next_cursor` (when not empty) gives the
 *    next page through `query::cursor`;
 *  - the handler is completed exactly once, never from inside `do_search()`.
 *
 *  @par Thread safety
 *  Depends on the implementation (see each one).
 */
class MSS_API directory_search
{
public:
    /** @brief The completion signature of `async_search`. */
    using search_signature = void(boost::system::error_code, mss::directory::search_result);

    virtual ~directory_search() = default;

    /** @brief Runs `q` and delivers one page of entries.
     *
     *  @par Handler signature
     *  `void(boost::system::error_code, mss::directory::search_result)`.
     *  @par Object lifetimes
     *  `q` and `diag` must stay alive until the operation completes. With the default token
     *  (`asio::deferred`) nothing happens until the returned operation is awaited or invoked.
     *  @par Errors
     *  `mss::directory::errc::invalid_query` and the cursor errors (the caller's), and the
     *  implementation's own (network, TLS, time-outs, HTTP status, malformed responses), with
     *  details in `diag`. On error the result is empty.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_search(const mss::directory::query& q, diagnostics& diag, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, search_signature>(
            [this](auto handler, const mss::directory::query* query, diagnostics* d)
            { do_search(*query, *d, std::move(handler)); },
            token, &q, &diag);
    }

protected:
    /** @brief The operation to implement. It must complete `handler` exactly once, never from
     *         inside this call (post it to the handler's executor instead). */
    virtual void do_search(const mss::directory::query& q, diagnostics& diag,
                           boost::asio::any_completion_handler<search_signature> handler) = 0;
};

}  // namespace mss::transport
