// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::service::sync_service`: synchronising linked mailboxes into the local index, and
 *         keeping them synchronised (push).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/mailbox_link.hpp>
#include <mss/store/store.hpp>
#include <mss/transport/mailbox_access.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <chrono>
#include <cstddef>
#include <functional>

namespace mss::service {

/** @brief What one synchronisation of a mailbox did. */
struct sync_report
{
    /** @brief Messages added to the index (INBOX and Sent together). */
    std::size_t added = 0;
    /** @brief Read/unread changes applied. */
    std::size_t flag_changes = 0;
    /** @brief Messages removed because they were expunged on the server. */
    std::size_t removed = 0;
    /** @brief Folders whose UIDVALIDITY changed and were indexed again from scratch. */
    std::size_t full_resyncs = 0;
    /** @brief Read receipts found among the new received messages and recorded against the
     *         message they are about (see `store::store::receipts_for`). */
    std::size_t receipts = 0;
    /** @brief Read receipts not recorded because their reader was not a recipient of the message
     *         they name, as the outbox knows it (forged or misdirected); they stay indexed as
     *         ordinary messages. */
    std::size_t receipts_ignored = 0;
};

/** @brief Progress of a long synchronisation: `done` of `total` new messages indexed. */
using sync_progress = std::function<void(std::size_t done, std::size_t total)>;

/** @brief Synchronises a linked mailbox's INBOX and Sent into the store, through any
 *         `mailbox_access` (the IMAP client or the in-memory operator).
 *
 *  Each new message is classified at arrival (received/sent, professional/patient exchange) and
 *  put in the *Boîte de réception* or not according to the inbox settings of the account the
 *  mailbox is linked to, at that moment; the decision is stored with the message and never
 *  revisited. Flag changes and expunges made elsewhere are applied; a UIDVALIDITY change drops
 *  the folder's index and indexes it again, without duplicates.
 *
 *  A new received message that is a read receipt (RFC 8098, announced by its header) is fetched
 *  whole and recorded against the message it is about, in the same store transaction as its index
 *  entry; it stays an ordinary message of the folders. When the outbox knows the message it is
 *  about (`store::store::outbox_item_by_message_id`), a receipt is only recorded if its reader
 *  (`Final-Recipient`) was one of that message's recipients: anybody can write a receipt naming
 *  any Message-ID, only a recipient can have read the message.
 *
 *  The index is written in batches whose new messages are idempotent and whose sync state only
 *  advances with the last batch: a crash in the middle costs a re-fetch, never a duplicate or a
 *  lost message.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API sync_service
{
public:
    /** @brief Completion signature of `async_sync`. */
    using sync_signature = void(boost::system::error_code, sync_report);

    /** @brief `executor` runs the synchronisations; `db` holds the index. */
    sync_service(boost::asio::any_io_executor executor, store::store& db);

    /** @brief Messages indexed per store transaction (default 500). */
    void set_batch_size(std::size_t n) { batch_size_ = n == 0 ? 1 : n; }

    /** @brief Synchronises `link`'s mailbox once (initial or incremental, as the stored state says).
     *  @par Handler signature
     *  `void(boost::system::error_code, mss::service::sync_report)`.
     *  @par Object lifetimes
     *  `link`, `access` and `diag` must outlive the operation.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_sync(const domain::mailbox_link& link, transport::mailbox_access& access, diagnostics& diag,
                    sync_progress progress = {}, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, sync_signature>(
            [this](auto handler, const domain::mailbox_link* l, transport::mailbox_access* a, diagnostics* d,
                   sync_progress p) { start_sync(*l, *a, *d, std::move(p), std::move(handler)); },
            token, &link, &access, &diag, std::move(progress));
    }

    /** @brief Keeps `link`'s INBOX synchronised: waits for changes (IDLE), synchronises, and
     *         again, until an error or cancellation. `on_sync` is told after each round.
     *  @par Handler signature
     *  `void(boost::system::error_code)` — the error that stopped it.
     *  @par Cancellation
     *  Terminal cancellation through the handler's cancellation slot stops the loop.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_watch(const domain::mailbox_link& link, transport::mailbox_access& access, diagnostics& diag,
                     std::function<void(const sync_report&)> on_sync, std::chrono::milliseconds idle_period,
                     CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            [this](auto handler, const domain::mailbox_link* l, transport::mailbox_access* a, diagnostics* d,
                   std::function<void(const sync_report&)> cb, std::chrono::milliseconds period) {
                start_watch(*l, *a, *d, std::move(cb), period, std::move(handler));
            },
            token, &link, &access, &diag, std::move(on_sync), idle_period);
    }

private:
    void start_sync(const domain::mailbox_link& link, transport::mailbox_access& access, diagnostics& diag,
                    sync_progress progress, boost::asio::any_completion_handler<sync_signature> handler);
    void start_watch(const domain::mailbox_link& link, transport::mailbox_access& access, diagnostics& diag,
                     std::function<void(const sync_report&)> on_sync, std::chrono::milliseconds period,
                     boost::asio::any_completion_handler<void(boost::system::error_code)> handler);

    boost::asio::any_io_executor executor_;
    store::store& db_;
    std::size_t batch_size_ = 500;
};

/** @brief Turns a message summary into an index entry: parses the header (From, To, Cc, Bcc,
 *         Subject, Message-ID), classifies it, decides its inbox membership. Pure. */
MSS_API domain::indexed_message index_message(const transport::message_summary& summary, const std::string& mailbox,
                                              const std::string& folder, std::uint32_t uid_validity,
                                              domain::message_direction direction,
                                              const domain::inbox_settings& settings);

}  // namespace mss::service
