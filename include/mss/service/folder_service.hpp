// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::service::folder_service`: what a person sees — virtual folders across their own
 *         and their structures' mailboxes, unread counts, read/unread.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/person.hpp>
#include <mss/domain/virtual_folder.hpp>
#include <mss/service/link_service.hpp>
#include <mss/store/store.hpp>
#include <mss/transport/mailbox_access.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <functional>
#include <optional>
#include <string>

namespace mss::service {

/** @brief One message of a listing, with the label to show for the other party. */
struct listed_message
{
    /** @brief The index entry. */
    domain::indexed_message message;
    /** @brief Who the message is exchanged with, as shown: for patients their name or INS from
     *         the platform (ECO.3.1.2), never the bare numeric address when the platform knows it. */
    std::string counterpart_label;
};

/** @brief A page of a virtual folder and the unread and total counts of every folder. */
struct folder_listing
{
    /** @brief The page, newest first. */
    std::vector<listed_message> messages;
    /** @brief Cursor of the next page; empty on the last. */
    std::optional<store::message_cursor> next;
    /** @brief Unread messages per virtual folder (indexed like `domain::all_virtual_folders`). */
    store::unread_counts unread{};
    /** @brief Messages per virtual folder, read and unread (indexed like `domain::all_virtual_folders`). */
    store::message_counts totals{};
};

/** @brief The platform's knowledge of a patient, for display: e.g. "DUPONT Marie (INS …)". */
using patient_label_hook = std::function<std::optional<std::string>(const domain::email_address& patient)>;

/** @brief Folders as a person sees them.
 *
 *  The mailboxes listed are those the person may read now (their own, and those of structures
 *  they are an active delegate of): a revoked delegate sees nothing of the structure at the very
 *  next call. Patient exchanges are only shown to RPPS professionals; for others the patient
 *  folder exists and stays empty.
 *
 *  @par Thread safety
 *  Not thread-safe: serialise calls.
 */
class MSS_API folder_service
{
public:
    /** @brief The store, the link service (for who sees what) and an executor for completions. */
    folder_service(boost::asio::any_io_executor executor, store::store& db, link_service& links);

    /** @brief Sets the hook that names patients. Without it, a patient shows as "Patient (INS …)". */
    void set_patient_label_hook(patient_label_hook hook) { patient_label_ = std::move(hook); }

    /** @brief A page of `folder` for `who`, with unread and total counts. */
    boost::system::result<folder_listing> list(const domain::person& who, domain::virtual_folder folder,
                                               std::optional<store::message_cursor> after = {},
                                               std::size_t limit = 50);

    /** @brief Unread counts of every folder for `who`. */
    boost::system::result<store::unread_counts> unread(const domain::person& who);

    /** @brief Message counts (read and unread) of every folder for `who`: the number of messages
     *         `list` would show page after page, read from the store's counters. */
    boost::system::result<store::message_counts> totals(const domain::person& who);

    /** @brief Marks a message read (or unread) in the index and on the server (`\Seen`).
     *  @par Handler signature
     *  `void(boost::system::error_code)`.
     *  @par Errors
     *  Access refusals (`domain::errc::access_*`), the transport's errors. On a transport error
     *  the index is left as it was.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_mark_read(const domain::person& who, const domain::message_key& key, bool seen,
                         transport::mailbox_access& access, diagnostics& diag, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            [this](auto handler, const domain::person* w, const domain::message_key* k, bool s,
                   transport::mailbox_access* a, diagnostics* d) { mark_read(*w, *k, s, *a, *d, std::move(handler)); },
            token, &who, &key, seen, &access, &diag);
    }

    /** @brief The addresses of the mailboxes `who` may read now. */
    boost::system::result<std::vector<std::string>> readable_mailboxes(const domain::person& who);

private:
    void mark_read(const domain::person& who, const domain::message_key& key, bool seen,
                   transport::mailbox_access& access, diagnostics& diag,
                   boost::asio::any_completion_handler<void(boost::system::error_code)> handler);
    std::string label_of(const domain::indexed_message& m) const;

    boost::asio::any_io_executor executor_;
    store::store& db_;
    link_service& links_;
    patient_label_hook patient_label_;
};

}  // namespace mss::service
