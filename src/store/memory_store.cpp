// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/errc.hpp>
#include <mss/store/memory_store.hpp>

#include <algorithm>
#include <map>
#include <mutex>

namespace mss::store {

using key = std::pair<domain::account_ref, std::string>;  // (account, mailbox address)

struct memory_store::state
{
    std::mutex mutex;
    std::vector<domain::mailbox_link> links;
    std::map<key, domain::pending_link_code> codes;
    std::map<key, std::vector<std::chrono::sys_seconds>> requests;
    std::vector<domain::delegation> delegations;
    std::vector<domain::audit_entry> audit;
};

memory_store::memory_store() : state_(std::make_unique<state>()) {}
memory_store::~memory_store() = default;

boost::system::error_code memory_store::save_link(const domain::mailbox_link& link)
{
    std::lock_guard lock(state_->mutex);
    for (auto& existing : state_->links)
    {
        if (existing.box.address == link.box.address)
        {
            if (existing.account != link.account)
                return domain::errc::mailbox_linked_elsewhere;
            existing = link;
            return {};
        }
    }
    state_->links.push_back(link);
    return {};
}

boost::system::result<std::vector<domain::mailbox_link>> memory_store::links_of(const domain::account_ref& account)
{
    std::lock_guard lock(state_->mutex);
    std::vector<domain::mailbox_link> out;
    std::copy_if(state_->links.begin(), state_->links.end(), std::back_inserter(out),
                 [&](const auto& l) { return l.account == account; });
    return out;
}

boost::system::result<std::optional<domain::mailbox_link>> memory_store::link_of_mailbox(std::string_view address)
{
    std::lock_guard lock(state_->mutex);
    for (const auto& l : state_->links)
    {
        if (l.box.address.str() == address)
            return std::optional<domain::mailbox_link>(l);
    }
    return std::optional<domain::mailbox_link>();
}

boost::system::result<std::vector<domain::mailbox_link>> memory_store::all_links()
{
    std::lock_guard lock(state_->mutex);
    return state_->links;
}

boost::system::error_code memory_store::delete_link(const domain::account_ref& account, std::string_view address)
{
    std::lock_guard lock(state_->mutex);
    auto it = std::find_if(state_->links.begin(), state_->links.end(),
                           [&](const auto& l) { return l.account == account && l.box.address.str() == address; });
    if (it == state_->links.end())
        return domain::errc::link_not_found;
    state_->links.erase(it);
    state_->codes.erase({account, std::string(address)});
    return {};
}

boost::system::error_code memory_store::save_pending_code(const domain::pending_link_code& code)
{
    std::lock_guard lock(state_->mutex);
    state_->codes[{code.account, code.mailbox}] = code;
    return {};
}

boost::system::result<std::optional<domain::pending_link_code>> memory_store::pending_code(
    const domain::account_ref& account, std::string_view address)
{
    std::lock_guard lock(state_->mutex);
    auto it = state_->codes.find({account, std::string(address)});
    if (it == state_->codes.end())
        return std::optional<domain::pending_link_code>();
    return std::optional<domain::pending_link_code>(it->second);
}

boost::system::error_code memory_store::delete_pending_code(const domain::account_ref& account,
                                                            std::string_view address)
{
    std::lock_guard lock(state_->mutex);
    state_->codes.erase({account, std::string(address)});
    return {};
}

boost::system::error_code memory_store::record_code_request(const domain::account_ref& account,
                                                            std::string_view address, std::chrono::sys_seconds at)
{
    std::lock_guard lock(state_->mutex);
    state_->requests[{account, std::string(address)}].push_back(at);
    return {};
}

boost::system::result<std::vector<std::chrono::sys_seconds>> memory_store::code_requests(
    const domain::account_ref& account, std::string_view address, std::chrono::sys_seconds since)
{
    std::lock_guard lock(state_->mutex);
    std::vector<std::chrono::sys_seconds> out;
    auto it = state_->requests.find({account, std::string(address)});
    if (it != state_->requests.end())
        std::copy_if(it->second.begin(), it->second.end(), std::back_inserter(out), [&](auto t) { return t >= since; });
    return out;
}

boost::system::error_code memory_store::save_delegation(const domain::delegation& d)
{
    std::lock_guard lock(state_->mutex);
    if (d.revoked_at)
    {
        for (auto& existing : state_->delegations)
        {
            if (existing.structure_id == d.structure_id && existing.person_id == d.person_id && existing.active())
            {
                existing.revoked_at = d.revoked_at;
                existing.revoked_by = d.revoked_by;
            }
        }
        return {};
    }
    state_->delegations.push_back(d);
    return {};
}

boost::system::result<std::vector<domain::delegation>> memory_store::delegations_of_structure(
    std::string_view structure_id)
{
    std::lock_guard lock(state_->mutex);
    std::vector<domain::delegation> out;
    std::copy_if(state_->delegations.begin(), state_->delegations.end(), std::back_inserter(out),
                 [&](const auto& d) { return d.structure_id == structure_id; });
    return out;
}

boost::system::result<std::vector<domain::delegation>> memory_store::delegations_of_person(std::string_view person_id)
{
    std::lock_guard lock(state_->mutex);
    std::vector<domain::delegation> out;
    std::copy_if(state_->delegations.begin(), state_->delegations.end(), std::back_inserter(out),
                 [&](const auto& d) { return d.person_id == person_id; });
    return out;
}

boost::system::error_code memory_store::append_audit(const domain::audit_entry& entry)
{
    std::lock_guard lock(state_->mutex);
    state_->audit.push_back(entry);
    return {};
}

boost::system::result<std::vector<domain::audit_entry>> memory_store::audit_of_mailbox(std::string_view address)
{
    std::lock_guard lock(state_->mutex);
    std::vector<domain::audit_entry> out;
    std::copy_if(state_->audit.begin(), state_->audit.end(), std::back_inserter(out),
                 [&](const auto& e) { return e.mailbox == address; });
    return out;
}

}  // namespace mss::store
