// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/errc.hpp>
#include <mss/store/errc.hpp>
#include <mss/store/memory_store.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

namespace mss::store {

using account_mailbox = std::pair<domain::account_ref, std::string>;  // (account, mailbox address)

namespace {

constexpr std::size_t folder_count = domain::all_virtual_folders.size();

// Listing order: newest first, ties by sequence, newest first.
using order_key = std::pair<std::chrono::sys_seconds, std::int64_t>;
using folder_set = std::set<order_key, std::greater<>>;

domain::folder_facts facts_of(const domain::indexed_message& m)
{
    return {m.classification, m.in_inbox, m.seen};
}

bool counts_as_unread(const domain::indexed_message& m)
{
    return m.classification.direction == domain::message_direction::received && !m.seen;
}

// The index of one mailbox: messages by sequence, by (folder, uid), one ordered set per virtual
// folder, and total and unread counters per folder and exchange kind — so that a page and the
// counts never scan the mailbox.
struct mailbox_index
{
    std::map<std::int64_t, domain::indexed_message> messages;
    std::map<std::pair<std::string, std::uint32_t>, std::int64_t> by_uid;
    std::array<folder_set, folder_count> folders;
    std::array<std::array<std::size_t, 2>, folder_count> unread{};
    std::array<std::array<std::size_t, 2>, folder_count> total{};
    std::map<std::string, transport::folder_sync_state, std::less<>> sync;

    void index(const domain::indexed_message& m, bool add)
    {
        for (std::size_t f = 0; f < folder_count; ++f)
        {
            if (!domain::belongs_to(domain::all_virtual_folders[f], facts_of(m), true))
                continue;
            if (add)
                folders[f].insert({m.date, m.sequence});
            else
                folders[f].erase({m.date, m.sequence});
            total[f][static_cast<std::size_t>(m.classification.exchange)] += add ? 1 : static_cast<std::size_t>(-1);
            if (counts_as_unread(m))
                unread[f][static_cast<std::size_t>(m.classification.exchange)] += add ? 1 : static_cast<std::size_t>(-1);
        }
    }

    void insert(domain::indexed_message m)
    {
        index(m, true);
        by_uid[{m.key.folder, m.key.uid}] = m.sequence;
        messages.emplace(m.sequence, std::move(m));
    }

    void erase(std::int64_t sequence)
    {
        auto it = messages.find(sequence);
        if (it == messages.end())
            return;
        index(it->second, false);
        by_uid.erase({it->second.key.folder, it->second.key.uid});
        messages.erase(it);
    }

    domain::indexed_message* find(const std::string& folder, std::uint32_t uid)
    {
        auto it = by_uid.find({folder, uid});
        return it == by_uid.end() ? nullptr : &messages.at(it->second);
    }

    void set_seen(domain::indexed_message& m, bool seen)
    {
        if (m.seen == seen)
            return;
        index(m, false);
        m.seen = seen;
        index(m, true);
    }
};

}  // namespace

struct memory_store::state
{
    std::mutex mutex;
    std::vector<domain::mailbox_link> links;
    std::map<account_mailbox, domain::pending_link_code> codes;
    std::map<account_mailbox, std::vector<std::chrono::sys_seconds>> requests;
    std::vector<domain::delegation> delegations;
    std::vector<domain::audit_entry> audit;
    std::map<domain::account_ref, domain::inbox_settings> settings;
    std::map<std::string, mailbox_index, std::less<>> index;
    std::int64_t next_sequence = 1;
    std::map<std::int64_t, outbox_item> outbox;
    std::int64_t next_outbox_id = 1;
    // Read receipts by (mailbox, original Message-ID, reader, disposition): the first one recorded stays.
    std::map<std::tuple<std::string, std::string, std::string, std::string>, receipt_record> receipts;
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
    std::erase_if(state_->receipts, [&](const auto& r) { return std::get<0>(r.first) == address; });
    if (auto idx = state_->index.find(address); idx != state_->index.end())
        state_->index.erase(idx);
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

boost::system::result<domain::inbox_settings> memory_store::inbox_settings_of(const domain::account_ref& account)
{
    std::lock_guard lock(state_->mutex);
    auto it = state_->settings.find(account);
    return it == state_->settings.end() ? domain::inbox_settings{} : it->second;
}

boost::system::error_code memory_store::save_inbox_settings(const domain::account_ref& account,
                                                            const domain::inbox_settings& settings)
{
    std::lock_guard lock(state_->mutex);
    state_->settings[account] = settings;
    return {};
}

boost::system::result<transport::folder_sync_state> memory_store::sync_state(std::string_view mailbox,
                                                                             std::string_view folder)
{
    std::lock_guard lock(state_->mutex);
    auto box = state_->index.find(mailbox);
    if (box == state_->index.end())
        return transport::folder_sync_state{};
    auto it = box->second.sync.find(folder);
    return it == box->second.sync.end() ? transport::folder_sync_state{} : it->second;
}

boost::system::error_code memory_store::apply(const folder_update& update)
{
    std::lock_guard lock(state_->mutex);
    auto& box = state_->index[update.mailbox];
    if (update.full_resync)
    {
        std::vector<std::int64_t> doomed;
        for (const auto& [seq, m] : box.messages)
        {
            if (m.key.folder == update.folder)
                doomed.push_back(seq);
        }
        for (auto seq : doomed)
            box.erase(seq);
    }
    for (auto uid : update.vanished)
    {
        if (auto* m = box.find(update.folder, uid))
            box.erase(m->sequence);
    }
    for (const auto& change : update.seen_changes)
    {
        if (auto* m = box.find(update.folder, change.uid))
        {
            box.set_seen(*m, change.seen);
            m->modseq = change.modseq;
        }
    }
    for (const auto& added : update.added)
    {
        if (box.find(update.folder, added.key.uid))
            continue;  // already indexed: never a duplicate
        domain::indexed_message m = added;
        m.sequence = state_->next_sequence++;
        box.insert(std::move(m));
    }
    for (const auto& r : update.receipts)
        state_->receipts.try_emplace({r.mailbox, r.original_message_id, r.reader, r.disposition}, r);
    box.sync[update.folder] = update.state;
    return {};
}

boost::system::result<std::vector<receipt_record>> memory_store::receipts_for(std::string_view mailbox,
                                                                                std::string_view message_id)
{
    std::lock_guard lock(state_->mutex);
    std::vector<receipt_record> out;
    const std::tuple<std::string, std::string, std::string, std::string> first{mailbox, message_id, "", ""};
    for (auto it = state_->receipts.lower_bound(first);
         it != state_->receipts.end() && std::get<0>(it->first) == mailbox && std::get<1>(it->first) == message_id;
         ++it)
        out.push_back(it->second);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.date, a.reader) < std::tie(b.date, b.reader);
    });
    return out;
}

boost::system::error_code memory_store::set_seen(const domain::message_key& key, bool seen)
{
    std::lock_guard lock(state_->mutex);
    auto box = state_->index.find(key.mailbox);
    if (box == state_->index.end())
        return {};
    if (auto* m = box->second.find(key.folder, key.uid); m && m->key.uid_validity == key.uid_validity)
        box->second.set_seen(*m, seen);
    return {};
}

boost::system::result<std::optional<domain::indexed_message>> memory_store::find_message(const domain::message_key& key)
{
    std::lock_guard lock(state_->mutex);
    auto box = state_->index.find(key.mailbox);
    if (box == state_->index.end())
        return std::optional<domain::indexed_message>();
    auto* m = box->second.find(key.folder, key.uid);
    if (!m || m->key.uid_validity != key.uid_validity)
        return std::optional<domain::indexed_message>();
    return std::optional<domain::indexed_message>(*m);
}

boost::system::result<message_page> memory_store::list(const folder_query& query)
{
    std::lock_guard lock(state_->mutex);
    const auto folder = static_cast<std::size_t>(query.folder);
    // A k-way merge of the mailboxes' ordered sets, starting after the cursor.
    struct head
    {
        const mailbox_index* box;
        folder_set::const_iterator at, end;
    };
    std::vector<head> heads;
    for (const auto& name : query.mailboxes)
    {
        auto box = state_->index.find(name);
        if (box == state_->index.end())
            continue;
        const auto& set = box->second.folders[folder];
        auto start = query.after ? set.upper_bound({query.after->date, query.after->sequence}) : set.begin();
        heads.push_back({&box->second, start, set.end()});
    }
    message_page page;
    while (page.messages.size() < query.limit)
    {
        head* best = nullptr;
        for (auto& h : heads)
        {
            // Patient exchanges are invisible without patient rights: skip them in place.
            while (h.at != h.end && !query.patients_allowed &&
                   h.box->messages.at(h.at->second).classification.exchange == domain::exchange_kind::patient)
                ++h.at;
            if (h.at != h.end && (!best || *h.at > *best->at))
                best = &h;
        }
        if (!best)
            return page;
        page.messages.push_back(best->box->messages.at(best->at->second));
        ++best->at;
    }
    const auto more = std::any_of(heads.begin(), heads.end(), [](const head& h) { return h.at != h.end; });
    if (more)
        page.next = message_cursor{page.messages.back().date, page.messages.back().sequence};
    return page;
}

boost::system::result<unread_counts> memory_store::count_unread(const std::vector<std::string>& mailboxes,
                                                                bool patients_allowed)
{
    std::lock_guard lock(state_->mutex);
    unread_counts counts{};
    for (const auto& name : mailboxes)
    {
        auto box = state_->index.find(name);
        if (box == state_->index.end())
            continue;
        for (std::size_t f = 0; f < folder_count; ++f)
            counts[f] += box->second.unread[f][0] + (patients_allowed ? box->second.unread[f][1] : 0);
    }
    return counts;
}

boost::system::result<message_counts> memory_store::count_messages(const std::vector<std::string>& mailboxes,
                                                                   bool patients_allowed)
{
    std::lock_guard lock(state_->mutex);
    message_counts counts{};
    for (const auto& name : mailboxes)
    {
        auto box = state_->index.find(name);
        if (box == state_->index.end())
            continue;
        for (std::size_t f = 0; f < folder_count; ++f)
            counts[f] += box->second.total[f][0] + (patients_allowed ? box->second.total[f][1] : 0);
    }
    return counts;
}

boost::system::result<std::int64_t> memory_store::enqueue(const outbox_item& item)
{
    std::lock_guard lock(state_->mutex);
    outbox_item copy = item;
    copy.id = state_->next_outbox_id++;
    copy.state = domain::outbox_state::queued;
    state_->outbox.emplace(copy.id, copy);
    return copy.id;
}

boost::system::result<std::optional<outbox_item>> memory_store::outbox_item_by_id(std::int64_t id)
{
    std::lock_guard lock(state_->mutex);
    auto it = state_->outbox.find(id);
    return it == state_->outbox.end() ? std::optional<outbox_item>() : std::optional<outbox_item>(it->second);
}

boost::system::error_code memory_store::update_outbox(const outbox_item& item)
{
    std::lock_guard lock(state_->mutex);
    auto it = state_->outbox.find(item.id);
    if (it == state_->outbox.end())
        return errc::statement_failed;
    // The message itself never changes after queueing.
    auto& stored = it->second;
    stored.state = item.state;
    stored.attempts = item.attempts;
    stored.next_attempt_at = item.next_attempt_at;
    stored.results = item.results;
    stored.last_error = item.last_error;
    stored.copy_pending = item.copy_pending;
    return {};
}

boost::system::result<std::vector<outbox_item>> memory_store::due_outbox(std::chrono::sys_seconds now)
{
    std::lock_guard lock(state_->mutex);
    std::vector<outbox_item> out;
    for (const auto& [id, item] : state_->outbox)
    {
        using domain::outbox_state;
        if (item.state == outbox_state::queued || item.state == outbox_state::sending ||
            (item.state == outbox_state::retry && item.next_attempt_at <= now))
            out.push_back(item);
    }
    return out;
}

boost::system::result<std::vector<outbox_item>> memory_store::pending_copies()
{
    std::lock_guard lock(state_->mutex);
    std::vector<outbox_item> out;
    for (const auto& [id, item] : state_->outbox)
    {
        if (item.state == domain::outbox_state::sent && item.copy_pending)
            out.push_back(item);
    }
    return out;
}

boost::system::result<std::optional<outbox_item>> memory_store::outbox_item_by_message_id(std::string_view mailbox,
                                                                                          std::string_view message_id)
{
    std::lock_guard lock(state_->mutex);
    for (const auto& [id, item] : state_->outbox)
    {
        if (item.message.message_id == message_id && item.message.envelope_sender.str() == mailbox)
            return std::optional<outbox_item>(item);
    }
    return std::optional<outbox_item>();
}

}  // namespace mss::store
