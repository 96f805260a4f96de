// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::transport::mailbox_access`: the abstract interface through which a mailbox is read.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/transport/folder_sync.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mss::transport {

/** @brief Reads and updates one mailbox (one account at one operator): what synchronisation,
 *         read/unread, the copy in Sent and push need — and nothing IMAP-specific.
 *
 *  The library's IMAP client implements it, so does the in-memory operator; an integrator can
 *  implement the protected `do_*` functions for another access (an operator's web service).
 *
 *  Every public function is a template taking any Asio completion token (`asio::deferred` by
 *  default: nothing happens until the returned operation is awaited or invoked). Arguments passed
 *  by reference (`diag`, strings) must stay alive until completion.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe; one operation at a time per object (a second
 *  one completes with `mss::errc::operation_in_progress`).
 *
 *  @par Cancellation
 *  Implementations document what they support; the IMAP client supports terminal cancellation of
 *  every operation (the connection is then closed).
 */
class MSS_API mailbox_access
{
public:
    /** @brief Signature of `async_list_folders`. */
    using list_signature = void(boost::system::error_code, std::vector<folder_info>);
    /** @brief Signature of `async_sync_folder`. */
    using sync_signature = void(boost::system::error_code, folder_changes);
    /** @brief Signature of `async_fetch_message`. */
    using fetch_signature = void(boost::system::error_code, std::string);
    /** @brief Signature of `async_store_flags`. */
    using store_signature = void(boost::system::error_code);
    /** @brief Signature of `async_append`: the new message's UID (0 when the server does not say). */
    using append_signature = void(boost::system::error_code, std::uint32_t);
    /** @brief Signature of `async_find_message_id`. */
    using find_signature = void(boost::system::error_code, std::optional<std::uint32_t>);
    /** @brief Signature of `async_wait_for_changes`: true when the folder changed. */
    using wait_signature = void(boost::system::error_code, bool);

    virtual ~mailbox_access() = default;

    /** @brief Lists the folders with their special-use roles (INBOX, Sent, ...). */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_list_folders(diagnostics& diag, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, list_signature>(
            [this](auto handler, diagnostics* d) { do_list_folders(*d, std::move(handler)); }, token, &diag);
    }

    /** @brief Reports what changed in `folder` since `known` (an empty state gives everything).
     *  @par Errors
     *  Implementation errors; a UIDVALIDITY change is not an error: it sets `full_resync`.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_sync_folder(const std::string& folder, const folder_sync_state& known, diagnostics& diag,
                           CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, sync_signature>(
            [this](auto handler, const std::string* f, const folder_sync_state* k, diagnostics* d) {
                do_sync_folder(*f, *k, *d, std::move(handler));
            },
            token, &folder, &known, &diag);
    }

    /** @brief Fetches a whole message (RFC822) by UID. */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_fetch_message(const std::string& folder, std::uint32_t uid, diagnostics& diag,
                             CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, fetch_signature>(
            [this](auto handler, const std::string* f, std::uint32_t u, diagnostics* d) {
                do_fetch_message(*f, u, *d, std::move(handler));
            },
            token, &folder, uid, &diag);
    }

    /** @brief Adds then removes flags of one message (e.g. add `seen` to mark it read). */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_store_flags(const std::string& folder, std::uint32_t uid, message_flags add, message_flags remove,
                           diagnostics& diag, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, store_signature>(
            [this](auto handler, const std::string* f, std::uint32_t u, message_flags a, message_flags r,
                   diagnostics* d) { do_store_flags(*f, u, a, r, *d, std::move(handler)); },
            token, &folder, uid, add, remove, &diag);
    }

    /** @brief Appends a message to `folder` (the copy in Sent) with `flags`. */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_append(const std::string& folder, std::string_view message, message_flags flags, diagnostics& diag,
                      CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, append_signature>(
            [this](auto handler, const std::string* f, std::string_view m, message_flags fl, diagnostics* d) {
                do_append(*f, m, fl, *d, std::move(handler));
            },
            token, &folder, message, flags, &diag);
    }

    /** @brief Finds a message by its `Message-ID` (without angle brackets) in `folder`. */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_find_message_id(const std::string& folder, const std::string& message_id, diagnostics& diag,
                               CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, find_signature>(
            [this](auto handler, const std::string* f, const std::string* id, diagnostics* d) {
                do_find_message_id(*f, *id, *d, std::move(handler));
            },
            token, &folder, &message_id, &diag);
    }

    /** @brief Waits until `folder` changes (IMAP IDLE) or `max_wait` passes; completes with true
     *         when something changed. Then call `async_sync_folder` to learn what. */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_wait_for_changes(const std::string& folder, std::chrono::milliseconds max_wait, diagnostics& diag,
                                CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, wait_signature>(
            [this](auto handler, const std::string* f, std::chrono::milliseconds w, diagnostics* d) {
                do_wait_for_changes(*f, w, *d, std::move(handler));
            },
            token, &folder, max_wait, &diag);
    }

protected:
    /** @name Operations to implement
     *  Each must complete its handler exactly once, never from inside the call itself. */
    ///@{
    virtual void do_list_folders(diagnostics& diag, boost::asio::any_completion_handler<list_signature> handler) = 0;
    virtual void do_sync_folder(const std::string& folder, const folder_sync_state& known, diagnostics& diag,
                                boost::asio::any_completion_handler<sync_signature> handler) = 0;
    virtual void do_fetch_message(const std::string& folder, std::uint32_t uid, diagnostics& diag,
                                  boost::asio::any_completion_handler<fetch_signature> handler) = 0;
    virtual void do_store_flags(const std::string& folder, std::uint32_t uid, message_flags add, message_flags remove,
                                diagnostics& diag, boost::asio::any_completion_handler<store_signature> handler) = 0;
    virtual void do_append(const std::string& folder, std::string_view message, message_flags flags,
                           diagnostics& diag, boost::asio::any_completion_handler<append_signature> handler) = 0;
    virtual void do_find_message_id(const std::string& folder, const std::string& message_id, diagnostics& diag,
                                    boost::asio::any_completion_handler<find_signature> handler) = 0;
    virtual void do_wait_for_changes(const std::string& folder, std::chrono::milliseconds max_wait,
                                     diagnostics& diag, boost::asio::any_completion_handler<wait_signature> handler) = 0;
    ///@}
};

}  // namespace mss::transport
