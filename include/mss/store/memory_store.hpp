// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::store::memory_store`: the store in memory, for tests and examples.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/store/store.hpp>

#include <memory>

namespace mss::store {

/** @brief A `store` that keeps everything in memory and loses it with the process.
 *  @par Thread safety
 *  Safe: one mutex guards the state.
 */
class MSS_API memory_store final : public store
{
public:
    memory_store();
    ~memory_store() override;

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

private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace mss::store
