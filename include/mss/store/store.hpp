// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::store::store`: the one persistence interface for the library's state.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/audit_entry.hpp>
#include <mss/domain/delegation.hpp>
#include <mss/domain/inbox_settings.hpp>
#include <mss/domain/indexed_message.hpp>
#include <mss/domain/virtual_folder.hpp>
#include <mss/domain/link_code.hpp>
#include <mss/domain/mailbox_link.hpp>
#include <mss/domain/outbox_policy.hpp>
#include <mss/transport/outgoing_message.hpp>
#include <mss/transport/submission_result.hpp>
#include <mss/transport/folder_sync.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mss::store {

/** @brief A flag change to apply to the index. */
struct seen_update
{
    /** @brief UID in the folder being synchronised. */
    std::uint32_t uid = 0;
    /** @brief Whether the message is read now. */
    bool seen = false;
    /** @brief MODSEQ of the change. */
    std::uint64_t modseq = 0;
};

/** @brief A read receipt (RFC 8098 message disposition notification) that came back for a
 *         message a mailbox sent: "read by `reader` on `date`".
 *
 *  It is linked to the sent message by `original_message_id`, the `Message-ID` that message has in
 *  the index (folder Sent) and in the outbox; see `store::receipts_for`. */
struct receipt_record
{
    /** @brief The mailbox that sent the message and received the receipt. */
    std::string mailbox;
    /** @brief `Message-ID` of the sent message, without angle brackets. */
    std::string original_message_id;
    /** @brief Who read it: the receipt's `Final-Recipient` address. */
    std::string reader;
    /** @brief The disposition type, lower case: `displayed`, `deleted`, `dispatched`, `processed`. */
    std::string disposition;
    /** @brief When: the receipt's `Date`, else its arrival. */
    std::chrono::sys_seconds date{};
    /** @brief The receipt message itself in the index (it stays an ordinary message there). */
    domain::message_key notification{};

    friend bool operator==(const receipt_record&, const receipt_record&) = default;
};

/** @brief Everything one synchronisation of one folder changes, applied atomically with the new
 *         sync state: after a crash the index and the state never disagree. */
struct folder_update
{
    /** @brief Mailbox address. */
    std::string mailbox;
    /** @brief Server folder. */
    std::string folder;
    /** @brief The folder's state after the update. */
    transport::folder_sync_state state;
    /** @brief Drop every message of the folder first (UIDVALIDITY changed). */
    bool full_resync = false;
    /** @brief New messages (their `sequence` is assigned by the store). */
    std::vector<domain::indexed_message> added;
    /** @brief Read/unread changes. */
    std::vector<seen_update> seen_changes;
    /** @brief Expunged UIDs. */
    std::vector<std::uint32_t> vanished;
    /** @brief Read receipts found among the new messages. A receipt already recorded (same
     *         mailbox, original, reader and disposition) is kept as first recorded. */
    std::vector<receipt_record> receipts{};
};

/** @brief Position in a listing: the last message of a page (date, then sequence). */
struct message_cursor
{
    /** @brief Date of the last message shown. */
    std::chrono::sys_seconds date{};
    /** @brief Its sequence. */
    std::int64_t sequence = 0;

    friend bool operator==(const message_cursor&, const message_cursor&) = default;
};

/** @brief Which messages to list. */
struct folder_query
{
    /** @brief The mailboxes the person may read (their own and their structures'). */
    std::vector<std::string> mailboxes;
    /** @brief The virtual folder. */
    domain::virtual_folder folder = domain::virtual_folder::all;
    /** @brief False for persons without patient rights (not RPPS): patient exchanges are hidden. */
    bool patients_allowed = false;
    /** @brief Continue after this message (from the previous page); none for the first page. */
    std::optional<message_cursor> after;
    /** @brief Page size. */
    std::size_t limit = 50;
};

/** @brief One page of a listing, newest first. */
struct message_page
{
    /** @brief The messages. */
    std::vector<domain::indexed_message> messages;
    /** @brief Where the next page starts; empty on the last page. */
    std::optional<message_cursor> next;
};

/** @brief One message in the outbox: committed before it is submitted, so that nothing is lost
 *         when the process dies, and with a fixed Message-ID so that a duplicate is recognisable. */
struct outbox_item
{
    /** @brief Identifier assigned by the store. */
    std::int64_t id = 0;
    /** @brief The account whose mailbox sends it. */
    domain::account_ref account;
    /** @brief The person who sent it (audit). */
    std::string person_id;
    /** @brief The message and its envelope (Message-ID included). */
    transport::outgoing_message message;
    /** @brief Where it stands. */
    domain::outbox_state state = domain::outbox_state::queued;
    /** @brief Attempts made. */
    unsigned attempts = 0;
    /** @brief When it was queued. */
    std::chrono::sys_seconds created_at{};
    /** @brief When it may be tried next (`retry`). */
    std::chrono::sys_seconds next_attempt_at{};
    /** @brief Per-recipient answers of the last attempt. */
    std::vector<transport::recipient_result> results{};
    /** @brief Last error, in the library's words (never credentials). */
    std::string last_error{};
    /** @brief Sent, but the copy is not in the Sent folder yet (to retry alone, without re-sending). */
    bool copy_pending = false;
};

/** @brief Unread messages per virtual folder, indexed like `domain::all_virtual_folders`. */
using unread_counts = std::array<std::size_t, domain::all_virtual_folders.size()>;

/** @brief Messages per virtual folder (read and unread), indexed like `domain::all_virtual_folders`. */
using message_counts = std::array<std::size_t, domain::all_virtual_folders.size()>;

/** @brief Where the library keeps its state: links, pending one-time codes (hashes only), code
 *         requests (for throttling), delegations and the audit trail, inbox settings, the message
 *         index with folder membership and flags, and synchronisation state.
 *
 *  Two implementations ship: `memory_store` (tests, examples) and `sqlite_store` (the embedded
 *  default). Both pass the same contract tests (`tests/unit/store/contract`). Every function is
 *  one atomic change: it happens whole or not at all.
 *
 *  Calls are synchronous: the SQLite store works on a local file, in microseconds; an integrator
 *  whose store is remote can run the services on a thread pool.
 *
 *  @par Thread safety
 *  Implementations are safe to call from several threads at once.
 *  @par Errors
 *  `mss::store::errc` for storage failures; the domain errors named per function for refusals.
 */
class MSS_API store
{
public:
    virtual ~store() = default;

    /** @name Links
     *  A mailbox is linked to at most one account. */
    ///@{
    /** @brief Inserts or updates the link of `link.account` to `link.box`.
     *  @par Errors
     *  `domain::errc::mailbox_linked_elsewhere` when another account has this mailbox.
     */
    virtual boost::system::error_code save_link(const domain::mailbox_link& link) = 0;
    /** @brief The links of an account (at most one under the default policy). */
    virtual boost::system::result<std::vector<domain::mailbox_link>> links_of(const domain::account_ref& account) = 0;
    /** @brief The link of a mailbox, whoever holds it. */
    virtual boost::system::result<std::optional<domain::mailbox_link>> link_of_mailbox(std::string_view address) = 0;
    /** @brief Every link. */
    virtual boost::system::result<std::vector<domain::mailbox_link>> all_links() = 0;
    /** @brief Removes a link and everything stored for that mailbox: pending codes, message index,
     *         sync state.
     *  @par Errors
     *  `domain::errc::link_not_found` when there is no such link.
     */
    virtual boost::system::error_code delete_link(const domain::account_ref& account, std::string_view address) = 0;
    ///@}

    /** @name One-time codes */
    ///@{
    /** @brief Stores the pending code of (account, mailbox), replacing (voiding) any earlier one. */
    virtual boost::system::error_code save_pending_code(const domain::pending_link_code& code) = 0;
    /** @brief The pending code of (account, mailbox), if any. */
    virtual boost::system::result<std::optional<domain::pending_link_code>> pending_code(
        const domain::account_ref& account, std::string_view address) = 0;
    /** @brief Forgets the pending code of (account, mailbox). */
    virtual boost::system::error_code delete_pending_code(const domain::account_ref& account,
                                                          std::string_view address) = 0;
    /** @brief Records that a code was requested at `at`. */
    virtual boost::system::error_code record_code_request(const domain::account_ref& account, std::string_view address,
                                                          std::chrono::sys_seconds at) = 0;
    /** @brief Times of the code requests for (account, mailbox) since `since`. */
    virtual boost::system::result<std::vector<std::chrono::sys_seconds>> code_requests(
        const domain::account_ref& account, std::string_view address, std::chrono::sys_seconds since) = 0;
    ///@}

    /** @name Delegations and audit */
    ///@{
    /** @brief Records a grant, or the revocation of the active grant of (structure, person). */
    virtual boost::system::error_code save_delegation(const domain::delegation& d) = 0;
    /** @brief Every delegation (active and revoked) of a structure. */
    virtual boost::system::result<std::vector<domain::delegation>> delegations_of_structure(std::string_view structure_id) = 0;
    /** @brief Every delegation (active and revoked) held by a person. */
    virtual boost::system::result<std::vector<domain::delegation>> delegations_of_person(std::string_view person_id) = 0;
    /** @brief Appends to the audit trail. */
    virtual boost::system::error_code append_audit(const domain::audit_entry& entry) = 0;
    /** @brief The audit trail of a mailbox, oldest first. */
    virtual boost::system::result<std::vector<domain::audit_entry>> audit_of_mailbox(std::string_view address) = 0;
    ///@}

    /** @name Inbox settings (per account; default: everything lands in the inbox) */
    ///@{
    /** @brief The account's settings. */
    virtual boost::system::result<domain::inbox_settings> inbox_settings_of(const domain::account_ref& account) = 0;
    /** @brief Replaces the account's settings. Never touches messages already indexed. */
    virtual boost::system::error_code save_inbox_settings(const domain::account_ref& account,
                                                          const domain::inbox_settings& settings) = 0;
    ///@}

    /** @name Message index and synchronisation state */
    ///@{
    /** @brief The sync state of a folder (empty before the first synchronisation). */
    virtual boost::system::result<transport::folder_sync_state> sync_state(std::string_view mailbox,
                                                                           std::string_view folder) = 0;
    /** @brief Applies one synchronisation, index and state together. Messages already present
     *         (same key) are not duplicated. */
    virtual boost::system::error_code apply(const folder_update& update) = 0;
    /** @brief Marks one message read or unread in the index. */
    virtual boost::system::error_code set_seen(const domain::message_key& key, bool seen) = 0;
    /** @brief One message, by key. */
    virtual boost::system::result<std::optional<domain::indexed_message>> find_message(const domain::message_key& key) = 0;
    /** @brief A page of a virtual folder, newest first. */
    virtual boost::system::result<message_page> list(const folder_query& query) = 0;
    /** @brief Unread messages per virtual folder over `mailboxes`. */
    virtual boost::system::result<unread_counts> count_unread(const std::vector<std::string>& mailboxes,
                                                              bool patients_allowed) = 0;
    /** @brief Messages (read and unread) per virtual folder over `mailboxes`: what `list` would
     *         return page after page, counted. Without patient rights patient exchanges count
     *         nowhere, as they show nowhere.
     *
     *  The shipped stores keep counters next to the unread ones, so the call reads a few rows
     *  whatever the size of the index. This default pages through `list` (correct, but linear in
     *  the index): a store of its own should override it.
     */
    virtual boost::system::result<message_counts> count_messages(const std::vector<std::string>& mailboxes,
                                                                 bool patients_allowed);
    ///@}

    /** @name Read receipts
     *  Recorded by `apply` (`folder_update::receipts`); kept when the receipt message itself is
     *  expunged (the reading happened), forgotten with the link. */
    ///@{
    /** @brief The receipts received for the message `message_id` (without angle brackets) sent
     *         from `mailbox`, oldest first (then by reader). */
    virtual boost::system::result<std::vector<receipt_record>> receipts_for(std::string_view mailbox,
                                                                             std::string_view message_id) = 0;
    /** @brief The receipts of a sent message of the index; empty when `sent` is not indexed or
     *         is not a message the mailbox sent (a receipt is only ever about the user's own mail). */
    boost::system::result<std::vector<receipt_record>> receipts_for_sent(const domain::message_key& sent);
    /** @brief The receipts of an outbox item (by its Message-ID and sending mailbox); empty when
     *         there is no such item. */
    boost::system::result<std::vector<receipt_record>> receipts_for_outbox(std::int64_t id);
    ///@}

    /** @name Outbox */
    ///@{
    /** @brief Commits a new item (state `queued`); returns its id. */
    virtual boost::system::result<std::int64_t> enqueue(const outbox_item& item) = 0;
    /** @brief One item. */
    virtual boost::system::result<std::optional<outbox_item>> outbox_item_by_id(std::int64_t id) = 0;
    /** @brief Saves an item's state, attempts, next attempt time, results, error and copy flag. */
    virtual boost::system::error_code update_outbox(const outbox_item& item) = 0;
    /** @brief Items to work on at `now`: queued, retry due, and sending (left by a crash), oldest first. */
    virtual boost::system::result<std::vector<outbox_item>> due_outbox(std::chrono::sys_seconds now) = 0;
    /** @brief Sent items whose copy in Sent is still to be made. */
    virtual boost::system::result<std::vector<outbox_item>> pending_copies() = 0;
    /** @brief The item sent from `mailbox` with `Message-ID` `message_id` (without angle
     *         brackets), if the outbox has it: what a read receipt about that message is checked
     *         against (its recipients).
     *
     *  The shipped stores look it up by its (unique, indexed) Message-ID. This default answers
     *  "unknown", which leaves receipts unchecked: a store of its own should override it.
     */
    virtual boost::system::result<std::optional<outbox_item>> outbox_item_by_message_id(std::string_view mailbox,
                                                                                         std::string_view message_id);
    ///@}
};

}  // namespace mss::store
