// SPDX-License-Identifier: Apache-2.0
#include <mss/transport/offline_directory.hpp>

#include "net/detail/complete_later.hpp"

#include <utility>

namespace mss::transport
{

offline_directory::offline_directory(boost::asio::any_io_executor executor,
                                     std::shared_ptr<const mss::directory::live_index> index,
                                     mss::directory::directory_kind kind)
    : executor_(std::move(executor)), index_(std::move(index)), kind_(kind)
{
}

void offline_directory::do_search(const mss::directory::query& q, diagnostics& diag,
                                  boost::asio::any_completion_handler<search_signature> handler)
{
    // The search is pure computation and short: run it here, complete later (never inside the
    // initiating call, as the interface requires).
    auto found = index_->search(q, diag);
    boost::system::error_code ec;
    mss::directory::search_result result;
    if (found)
        result = std::move(*found);
    else
        ec = found.error();
    mss::net::detail::complete_later(executor_, std::move(handler), ec, std::move(result));
}

}  // namespace mss::transport
