// SPDX-License-Identifier: Apache-2.0
// Completing a handler later, never inside the initiating call: the transports' contract.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace mss::net::detail {

// Boost 1.81's any_completion_executor (the executor of an any_completion_handler) cannot be
// posted to: it does not support require(blocking.never). So post to `fallback`, then dispatch to
// the handler's own executor (which is `fallback` when the handler has none).
template <class Handler, class... Args>
void complete_later(const boost::asio::any_io_executor& fallback, Handler handler, Args... args)
{
    boost::asio::post(fallback, [fallback, h = std::move(handler), ... a = std::move(args)]() mutable {
        auto executor = boost::asio::get_associated_executor(h, fallback);
        boost::asio::dispatch(executor,
                              [h = std::move(h), ... a = std::move(a)]() mutable { std::move(h)(std::move(a)...); });
    });
}

}  // namespace mss::net::detail
