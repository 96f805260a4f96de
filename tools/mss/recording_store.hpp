// SPDX-License-Identifier: Apache-2.0
// A store that hands every call to the tool's store and reports each synchronisation it applies:
// `mss sync --watch` prints one line per change from what the sync service writes, without
// diffing the index (new messages, read marks and expunges arrive here by UID).
#pragma once

#include <mss/store/store.hpp>

#include <functional>
#include <utility>

namespace mss_cli {

class recording_store final : public mss::store::store
{
public:
    /** `on_apply` is told each update once the inner store has applied it. */
    recording_store(mss::store::store& inner, std::function<void(const mss::store::folder_update&)> on_apply)
        : inner_(inner), on_apply_(std::move(on_apply))
    {
    }

    boost::system::error_code save_link(const mss::domain::mailbox_link& l) override { return inner_.save_link(l); }
    boost::system::result<std::vector<mss::domain::mailbox_link>> links_of(const mss::domain::account_ref& a) override
    {
        return inner_.links_of(a);
    }
    boost::system::result<std::optional<mss::domain::mailbox_link>> link_of_mailbox(std::string_view a) override
    {
        return inner_.link_of_mailbox(a);
    }
    boost::system::result<std::vector<mss::domain::mailbox_link>> all_links() override { return inner_.all_links(); }
    boost::system::error_code delete_link(const mss::domain::account_ref& a, std::string_view b) override
    {
        return inner_.delete_link(a, b);
    }
    boost::system::error_code save_pending_code(const mss::domain::pending_link_code& c) override
    {
        return inner_.save_pending_code(c);
    }
    boost::system::result<std::optional<mss::domain::pending_link_code>> pending_code(const mss::domain::account_ref& a,
                                                                                std::string_view b) override
    {
        return inner_.pending_code(a, b);
    }
    boost::system::error_code delete_pending_code(const mss::domain::account_ref& a, std::string_view b) override
    {
        return inner_.delete_pending_code(a, b);
    }
    boost::system::error_code record_code_request(const mss::domain::account_ref& a, std::string_view b,
                                                  std::chrono::sys_seconds at) override
    {
        return inner_.record_code_request(a, b, at);
    }
    boost::system::result<std::vector<std::chrono::sys_seconds>> code_requests(const mss::domain::account_ref& a,
                                                                               std::string_view b,
                                                                               std::chrono::sys_seconds s) override
    {
        return inner_.code_requests(a, b, s);
    }
    boost::system::error_code save_delegation(const mss::domain::delegation& d) override { return inner_.save_delegation(d); }
    boost::system::result<std::vector<mss::domain::delegation>> delegations_of_structure(std::string_view s) override
    {
        return inner_.delegations_of_structure(s);
    }
    boost::system::result<std::vector<mss::domain::delegation>> delegations_of_person(std::string_view p) override
    {
        return inner_.delegations_of_person(p);
    }
    boost::system::error_code append_audit(const mss::domain::audit_entry& e) override { return inner_.append_audit(e); }
    boost::system::result<std::vector<mss::domain::audit_entry>> audit_of_mailbox(std::string_view a) override
    {
        return inner_.audit_of_mailbox(a);
    }
    boost::system::result<mss::domain::inbox_settings> inbox_settings_of(const mss::domain::account_ref& a) override
    {
        return inner_.inbox_settings_of(a);
    }
    boost::system::error_code save_inbox_settings(const mss::domain::account_ref& a, const mss::domain::inbox_settings& s) override
    {
        return inner_.save_inbox_settings(a, s);
    }
    boost::system::result<mss::transport::folder_sync_state> sync_state(std::string_view a, std::string_view f) override
    {
        return inner_.sync_state(a, f);
    }
    boost::system::error_code apply(const mss::store::folder_update& u) override
    {
        auto ec = inner_.apply(u);
        if (!ec && on_apply_)
            on_apply_(u);
        return ec;
    }
    boost::system::error_code set_seen(const mss::domain::message_key& k, bool s) override { return inner_.set_seen(k, s); }
    boost::system::result<std::optional<mss::domain::indexed_message>> find_message(const mss::domain::message_key& k) override
    {
        return inner_.find_message(k);
    }
    boost::system::result<mss::store::message_page> list(const mss::store::folder_query& q) override { return inner_.list(q); }
    boost::system::result<mss::store::unread_counts> count_unread(const std::vector<std::string>& b, bool p) override
    {
        return inner_.count_unread(b, p);
    }
    boost::system::result<mss::store::message_counts> count_messages(const std::vector<std::string>& b, bool p) override
    {
        return inner_.count_messages(b, p);
    }
    boost::system::result<std::vector<mss::store::receipt_record>> receipts_for(std::string_view a,
                                                                            std::string_view id) override
    {
        return inner_.receipts_for(a, id);
    }
    boost::system::result<std::int64_t> enqueue(const mss::store::outbox_item& i) override { return inner_.enqueue(i); }
    boost::system::result<std::optional<mss::store::outbox_item>> outbox_item_by_id(std::int64_t id) override
    {
        return inner_.outbox_item_by_id(id);
    }
    boost::system::error_code update_outbox(const mss::store::outbox_item& i) override { return inner_.update_outbox(i); }
    boost::system::result<std::vector<mss::store::outbox_item>> due_outbox(std::chrono::sys_seconds now) override
    {
        return inner_.due_outbox(now);
    }
    boost::system::result<std::vector<mss::store::outbox_item>> pending_copies() override { return inner_.pending_copies(); }
    boost::system::result<std::optional<mss::store::outbox_item>> outbox_item_by_message_id(
        std::string_view mailbox, std::string_view message_id) override
    {
        return inner_.outbox_item_by_message_id(mailbox, message_id);
    }

private:
    mss::store::store& inner_;
    std::function<void(const mss::store::folder_update&)> on_apply_;
};

}  // namespace mss_cli
