// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::transport::mail_submission`: the abstract interface through which mail is sent.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/transport/outgoing_message.hpp>
#include <mss/transport/submission_result.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/system/error_code.hpp>

namespace mss::transport {

/** @brief Submits messages to a mail operator.
 *
 *  The library's SMTP client (`mss::net::smtp_client`) implements it, so does the in-memory
 *  operator used by tests and examples; an integrator implements `do_submit()` to plug in another
 *  way of sending (an operator's web service, a queue, a test double).
 *
 *  The public function is a template taking any Asio completion token (`asio::deferred` by
 *  default, `use_awaitable`, a callback, `use_future`); the virtual part takes an
 *  `any_completion_handler`, so an implementation is an ordinary compiled class.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe; one submission at a time per object (a second
 *  one completes with `mss::errc::operation_in_progress`).
 */
class MSS_API mail_submission
{
public:
    /** @brief The completion signature of `async_submit`. */
    using submit_signature = void(boost::system::error_code, submission_result);

    virtual ~mail_submission() = default;

    /** @brief Submits `message` to every envelope recipient.
     *
     *  @par Handler signature
     *  `void(boost::system::error_code, mss::transport::submission_result)`.
     *  @par Object lifetimes
     *  `message` and `diag` must stay alive until the operation completes. With the default
     *  token (`asio::deferred`) nothing happens until the returned operation is awaited or invoked.
     *  @par Errors
     *  Success when at least one recipient accepted the message; the result then lists refusals.
     *  Otherwise the implementation's error (`mss::smtp::errc::all_recipients_refused`, network and
     *  TLS errors, time-outs), with details in `diag`. An error means nothing was sent, except
     *  where `mss::is_fatal()` is true after the data was transmitted (ambiguous outcome: the
     *  `Message-ID` lets a retry be recognised).
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_submit(const outgoing_message& message, diagnostics& diag, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, submit_signature>(
            [this](auto handler, const outgoing_message* m, diagnostics* d) {
                do_submit(*m, *d, std::move(handler));
            },
            token, &message, &diag);
    }

protected:
    /** @brief The operation to implement. It must complete `handler` exactly once, never from
     *         inside this call (post it to the handler's executor instead). */
    virtual void do_submit(const outgoing_message& message, diagnostics& diag,
                           boost::asio::any_completion_handler<submit_signature> handler) = 0;
};

}  // namespace mss::transport
