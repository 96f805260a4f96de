// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::transport::offline_directory`: a directory searched in memory, over the index of
 *         an extraction file.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/directory/extraction_index.hpp>
#include <mss/directory/selection.hpp>
#include <mss/transport/directory.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace mss::transport
{

/** @brief Implements `directory_search` over a `mss::directory::live_index`.
 *
 *  The same class serves the national directory (the index of ANS's public extraction file) and
 *  a regional one (an index of the operator's file in the same format, which may hold boxes the
 *  national file does not publish). Reloading the index (`live_index::reload`, typically daily
 *  when ANS publishes a new file) swaps it in while searches go on.
 *
 *  @code
 *  auto national = std::make_shared<mss::directory::live_index>();
 *  national->reload("Extraction_Correspondance_MSSante_20260301.txt", report, diag);
 *  mss::transport::offline_directory directory(executor, national,
 *                                              mss::directory::directory_kind::national);
 *  auto [ec, page] = co_await directory.async_search(q, diag, asio::as_tuple(asio::deferred));
 *  @endcode
 *
 *  A search runs in the calling thread (well under a millisecond); its handler is completed
 *  afterwards through the handler's executor, or `executor` when it has none.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe; searches may run from any number of threads at
 *  once, and concurrently with reloads of the index.
 *
 *  @par Cancellation
 *  Not supported: a search is over before its handler could be cancelled.
 */
class MSS_API offline_directory final : public directory_search
{
public:
    /** @brief Searches `index` (shared, so that it can be reloaded elsewhere); `kind` says which
     *         directory it stands for.
     */
    offline_directory(boost::asio::any_io_executor executor,
                      std::shared_ptr<const mss::directory::live_index> index,
                      mss::directory::directory_kind kind);

    /** @brief The executor completions default to. */
    [[nodiscard]] const boost::asio::any_io_executor& get_executor() const noexcept { return executor_; }

    /** @brief Which directory this one stands for. */
    [[nodiscard]] mss::directory::directory_kind kind() const noexcept { return kind_; }

    /** @brief The index searched. */
    [[nodiscard]] const std::shared_ptr<const mss::directory::live_index>& index() const noexcept
    {
        return index_;
    }

private:
    /** @brief Searches the current index (see `directory_search::async_search`).
     *
     *  @par Errors
     *  Those of `extraction_index::search`, and `mss::directory::errc::no_index` before the index
     *  is first loaded.
     */
    void do_search(const mss::directory::query& q, diagnostics& diag,
                   boost::asio::any_completion_handler<search_signature> handler) override;

    boost::asio::any_io_executor executor_;
    std::shared_ptr<const mss::directory::live_index> index_;
    mss::directory::directory_kind kind_;
};

}  // namespace mss::transport
