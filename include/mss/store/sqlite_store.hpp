// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::store::sqlite_store`: the store in one SQLite file, the embedded default.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/store/store.hpp>

#include <boost/system/result.hpp>

#include <memory>
#include <string>

namespace mss::store {

/** @brief A `store` in one SQLite file: WAL, `synchronous = FULL`, a busy time-out, versioned
 *         schema with forward migrations, prepared statements, one transaction per change.
 *
 *  State survives a restart or a crash of the process: whatever a call reported done is on disk.
 *  @par Thread safety
 *  Safe: calls are serialised on the one connection.
 */
class MSS_API sqlite_store final : public store
{
public:
    /** @brief Opens (or creates) `path` and brings its schema up to date.
     *  @par Errors
     *  `errc::open_failed`, `errc::schema_too_new`, `errc::migration_failed`, with details in `diag`.
     */
    static boost::system::result<std::unique_ptr<sqlite_store>> open(const std::string& path, diagnostics& diag);

    ~sqlite_store() override;

    boost::system::error_code save_link(const domain::mailbox_link& link) override;
    boost::system::result<std::vector<domain::mailbox_link>> links_of(const domain::account_ref& account) override;
    boost::system::result<std::optional<domain::mailbox_link>> link_of_mailbox(std::string_view address) override;
    boost::system::result<std::vector<domain::mailbox_link>> all_links() override;
    boost::system::error_code delete_link(const domain::account_ref& account, std::string_view address) override;

    boost::system::error_code save_pending_code(const domain::pending_link_code& code) override;
    boost::system::result<std::optional<domain::pending_link_code>> pending_code(const domain::account_ref& account,
                                                                                std::string_view address) override;
    boost::system::error_code delete_pending_code(const domain::account_ref& account, std::string_view address) override;
    boost::system::error_code record_code_request(const domain::account_ref& account, std::string_view address,
                                                  std::chrono::sys_seconds at) override;
    boost::system::result<std::vector<std::chrono::sys_seconds>> code_requests(const domain::account_ref& account,
                                                                               std::string_view address,
                                                                               std::chrono::sys_seconds since) override;

    boost::system::error_code save_delegation(const domain::delegation& d) override;
    boost::system::result<std::vector<domain::delegation>> delegations_of_structure(std::string_view structure_id) override;
    boost::system::result<std::vector<domain::delegation>> delegations_of_person(std::string_view person_id) override;
    boost::system::error_code append_audit(const domain::audit_entry& entry) override;
    boost::system::result<std::vector<domain::audit_entry>> audit_of_mailbox(std::string_view address) override;

    boost::system::result<domain::inbox_settings> inbox_settings_of(const domain::account_ref& account) override;
    boost::system::error_code save_inbox_settings(const domain::account_ref& account,
                                                  const domain::inbox_settings& settings) override;

    boost::system::result<transport::folder_sync_state> sync_state(std::string_view mailbox,
                                                                   std::string_view folder) override;
    boost::system::error_code apply(const folder_update& update) override;
    boost::system::error_code set_seen(const domain::message_key& key, bool seen) override;
    boost::system::result<std::optional<domain::indexed_message>> find_message(const domain::message_key& key) override;
    boost::system::result<message_page> list(const folder_query& query) override;
    boost::system::result<unread_counts> count_unread(const std::vector<std::string>& mailboxes,
                                                      bool patients_allowed) override;
    boost::system::result<message_counts> count_messages(const std::vector<std::string>& mailboxes,
                                                         bool patients_allowed) override;

    boost::system::result<std::vector<receipt_record>> receipts_for(std::string_view mailbox,
                                                                     std::string_view message_id) override;

    boost::system::result<std::int64_t> enqueue(const outbox_item& item) override;
    boost::system::result<std::optional<outbox_item>> outbox_item_by_id(std::int64_t id) override;
    boost::system::error_code update_outbox(const outbox_item& item) override;
    boost::system::result<std::vector<outbox_item>> due_outbox(std::chrono::sys_seconds now) override;
    boost::system::result<std::vector<outbox_item>> pending_copies() override;
    boost::system::result<std::optional<outbox_item>> outbox_item_by_message_id(std::string_view mailbox,
                                                                                 std::string_view message_id) override;

    /** @brief Runs `PRAGMA integrity_check`; true when SQLite answers "ok". */
    bool integrity_check();

    struct impl;  ///< Internal; named publicly only for the implementation's helpers.

private:
    explicit sqlite_store(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace mss::store
