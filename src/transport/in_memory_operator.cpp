// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/transport/in_memory_operator.hpp>

#include "net/detail/complete_later.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

namespace mss::transport {
namespace {

struct stored_message
{
    std::string bytes;
    message_flags flags = message_flags::none;
    std::uint64_t modseq = 0;
    std::chrono::sys_seconds internal_date{};
};

struct folder
{
    folder_role role = folder_role::other;
    std::uint32_t uid_validity = 1;
    std::uint32_t uid_next = 1;
    std::uint64_t highest_modseq = 1;
    std::map<std::uint32_t, stored_message> messages;
    std::map<std::uint32_t, std::uint64_t> expunged;  // uid → modseq of the expunge
};

struct mailbox
{
    std::map<std::string, folder> folders;
};

using mss::net::detail::complete_later;

std::string header_block(const std::string& bytes)
{
    const auto end = bytes.find("\r\n\r\n");
    return end == std::string::npos ? bytes : bytes.substr(0, end + 2);
}

bool iequals_prefix(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

// The Message-ID header's value without angle brackets, or empty.
std::string message_id_of(const std::string& bytes)
{
    const std::string header = header_block(bytes);
    std::size_t line = 0;
    while (line < header.size())
    {
        const auto end = header.find("\r\n", line);
        const std::string_view text(header.data() + line, (end == std::string::npos ? header.size() : end) - line);
        if (iequals_prefix(text, "message-id:"))
        {
            auto value = text.substr(11);
            const auto open = value.find('<');
            const auto close = value.find('>', open);
            if (open != std::string_view::npos && close != std::string_view::npos)
                return std::string(value.substr(open + 1, close - open - 1));
        }
        if (end == std::string::npos)
            break;
        line = end + 2;
    }
    return {};
}

}  // namespace

struct in_memory_operator::state
{
    explicit state(boost::asio::any_io_executor ex) : executor(std::move(ex)) {}

    boost::asio::any_io_executor executor;
    mutable std::mutex mutex;
    std::map<std::string, mailbox> mailboxes;  // key: address as on the wire
    std::function<std::optional<simulated_reply>(const domain::email_address&)> recipient_policy;
    std::size_t submitted = 0;
    std::uint32_t next_uid_validity = 1000;
    // Waiters of async_wait_for_changes, woken when their folder changes.
    std::multimap<std::pair<std::string, std::string>, std::weak_ptr<boost::asio::steady_timer>> waiters;

    mailbox& create(const domain::email_address& address)
    {
        auto [it, inserted] = mailboxes.try_emplace(address.str());
        if (inserted)
        {
            for (auto [name, role] : {std::pair{"INBOX", folder_role::inbox}, std::pair{"Sent", folder_role::sent},
                                      std::pair{"Drafts", folder_role::drafts}, std::pair{"Trash", folder_role::trash}})
            {
                auto& f = it->second.folders[name];
                f.role = role;
                f.uid_validity = next_uid_validity++;
            }
        }
        return it->second;
    }

    folder* find_folder(const std::string& user, const std::string& name)
    {
        auto box = mailboxes.find(user);
        if (box == mailboxes.end())
            return nullptr;
        auto f = box->second.folders.find(name);
        return f == box->second.folders.end() ? nullptr : &f->second;
    }

    // Caller holds the mutex.
    std::uint32_t append(const std::string& user, const std::string& folder_name, std::string bytes,
                         message_flags flags)
    {
        folder* f = find_folder(user, folder_name);
        const std::uint32_t uid = f->uid_next++;
        stored_message m;
        m.bytes = std::move(bytes);
        m.flags = flags;
        m.modseq = ++f->highest_modseq;
        m.internal_date = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        f->messages.emplace(uid, std::move(m));
        wake(user, folder_name);
        return uid;
    }

    // Caller holds the mutex.
    void wake(const std::string& user, const std::string& folder_name)
    {
        auto range = waiters.equal_range({user, folder_name});
        for (auto it = range.first; it != range.second; ++it)
        {
            if (auto timer = it->second.lock())
                timer->cancel();
        }
        waiters.erase(range.first, range.second);
    }
};

namespace {

class memory_submission final : public mail_submission
{
public:
    memory_submission(std::shared_ptr<in_memory_operator::state> s, domain::email_address user)
        : state_(std::move(s)), user_(std::move(user))
    {
    }

private:
    void do_submit(const outgoing_message& message, diagnostics& diag,
                   boost::asio::any_completion_handler<submit_signature> handler) override
    {
        diag.clear();
        submission_result result;
        boost::system::error_code ec;
        {
            std::lock_guard lock(state_->mutex);
            if (!(message.envelope_sender == user_))
            {
                diag.set_client_message("the operator refused the sender");
                diag.set_server_message("553 5.7.1 Sender address rejected: not owned by user");
                ec = mss::errc::unexpected_response;
            }
            else
            {
                for (const auto& r : message.recipients)
                {
                    recipient_result answer{r.address, true, 250, "2.1.5", "Ok"};
                    if (state_->mailboxes.count(r.address.str()) == 0)
                        answer = {r.address, false, 550, "5.1.1", "Recipient address rejected: User unknown"};
                    else if (state_->recipient_policy)
                    {
                        if (auto reply = state_->recipient_policy(r.address))
                            answer = {r.address, reply->code / 100 == 2, reply->code, reply->enhanced_code,
                                      reply->text};
                    }
                    result.recipients.push_back(std::move(answer));
                }
                if (result.recipients.empty() ||
                    std::none_of(result.recipients.begin(), result.recipients.end(),
                                 [](const auto& r) { return r.accepted; }))
                {
                    diag.set_client_message("every recipient was refused");
                    ec = mss::errc::unexpected_response;
                }
                else
                {
                    for (const auto& r : result.recipients)
                    {
                        if (r.accepted)
                            state_->append(r.recipient.str(), "INBOX", message.data, message_flags::none);
                    }
                    ++state_->submitted;
                    result.final_reply = "250 2.0.0 Ok: queued";
                }
            }
        }
        complete_later(state_->executor, std::move(handler), ec, std::move(result));
    }

    std::shared_ptr<in_memory_operator::state> state_;
    domain::email_address user_;
};

class memory_access final : public mailbox_access
{
public:
    memory_access(std::shared_ptr<in_memory_operator::state> s, std::string user)
        : state_(std::move(s)), user_(std::move(user))
    {
    }

private:
    boost::system::error_code no_folder(diagnostics& diag, const std::string& name)
    {
        diag.set_client_message("no such folder");
        diag.set_server_message("NO [NONEXISTENT] Mailbox doesn't exist: " + name);
        return mss::errc::unexpected_response;
    }

    void do_list_folders(diagnostics& diag, boost::asio::any_completion_handler<list_signature> handler) override
    {
        diag.clear();
        std::vector<folder_info> out;
        {
            std::lock_guard lock(state_->mutex);
            auto box = state_->mailboxes.find(user_);
            if (box != state_->mailboxes.end())
            {
                for (const auto& [name, f] : box->second.folders)
                    out.push_back({name, f.role});
            }
        }
        complete_later(state_->executor, std::move(handler), boost::system::error_code(), std::move(out));
    }

    void do_sync_folder(const std::string& name, const folder_sync_state& known, diagnostics& diag,
                        boost::asio::any_completion_handler<sync_signature> handler) override
    {
        diag.clear();
        folder_changes changes;
        boost::system::error_code ec;
        {
            std::lock_guard lock(state_->mutex);
            folder* f = state_->find_folder(user_, name);
            if (!f)
                ec = no_folder(diag, name);
            else
            {
                changes.state = {f->uid_validity, f->uid_next, f->highest_modseq};
                changes.full_resync = known.uid_validity != f->uid_validity;
                for (const auto& [uid, m] : f->messages)
                {
                    if (changes.full_resync || uid >= known.uid_next)
                        changes.new_messages.push_back(
                            {uid, m.flags, m.modseq, m.internal_date, m.bytes.size(), header_block(m.bytes)});
                    else if (m.modseq > known.highest_modseq)
                        changes.flag_changes.push_back({uid, m.flags, m.modseq});
                }
                if (!changes.full_resync)
                {
                    for (const auto& [uid, modseq] : f->expunged)
                    {
                        if (modseq > known.highest_modseq && uid < known.uid_next)
                            changes.vanished.push_back(uid);
                    }
                }
            }
        }
        complete_later(state_->executor, std::move(handler), ec, std::move(changes));
    }

    void do_fetch_message(const std::string& name, std::uint32_t uid, diagnostics& diag,
                          boost::asio::any_completion_handler<fetch_signature> handler) override
    {
        diag.clear();
        std::string bytes;
        boost::system::error_code ec;
        {
            std::lock_guard lock(state_->mutex);
            folder* f = state_->find_folder(user_, name);
            if (!f)
                ec = no_folder(diag, name);
            else if (auto it = f->messages.find(uid); it == f->messages.end())
            {
                diag.set_client_message("no message with this UID");
                ec = mss::errc::unexpected_response;
            }
            else
                bytes = it->second.bytes;
        }
        complete_later(state_->executor, std::move(handler), ec, std::move(bytes));
    }

    void do_store_flags(const std::string& name, std::uint32_t uid, message_flags add, message_flags remove,
                        diagnostics& diag, boost::asio::any_completion_handler<store_signature> handler) override
    {
        diag.clear();
        boost::system::error_code ec;
        {
            std::lock_guard lock(state_->mutex);
            folder* f = state_->find_folder(user_, name);
            if (!f)
                ec = no_folder(diag, name);
            else if (auto it = f->messages.find(uid); it != f->messages.end())
            {
                const auto flags = without(it->second.flags | add, remove);
                if (flags != it->second.flags)
                {
                    it->second.flags = flags;
                    it->second.modseq = ++f->highest_modseq;
                    state_->wake(user_, name);
                }
            }
        }
        complete_later(state_->executor, std::move(handler), ec);
    }

    void do_append(const std::string& name, std::string_view message, message_flags flags, diagnostics& diag,
                   boost::asio::any_completion_handler<append_signature> handler) override
    {
        diag.clear();
        boost::system::error_code ec;
        std::uint32_t uid = 0;
        {
            std::lock_guard lock(state_->mutex);
            if (!state_->find_folder(user_, name))
                ec = no_folder(diag, name);
            else
                uid = state_->append(user_, name, std::string(message), flags);
        }
        complete_later(state_->executor, std::move(handler), ec, uid);
    }

    void do_find_message_id(const std::string& name, const std::string& message_id, diagnostics& diag,
                            boost::asio::any_completion_handler<find_signature> handler) override
    {
        diag.clear();
        boost::system::error_code ec;
        std::optional<std::uint32_t> found;
        {
            std::lock_guard lock(state_->mutex);
            folder* f = state_->find_folder(user_, name);
            if (!f)
                ec = no_folder(diag, name);
            else
            {
                for (const auto& [uid, m] : f->messages)
                {
                    if (message_id_of(m.bytes) == message_id)
                    {
                        found = uid;
                        break;
                    }
                }
            }
        }
        complete_later(state_->executor, std::move(handler), ec, found);
    }

    void do_wait_for_changes(const std::string& name, std::chrono::milliseconds max_wait, diagnostics& diag,
                             boost::asio::any_completion_handler<wait_signature> handler) override
    {
        diag.clear();
        auto timer = std::make_shared<boost::asio::steady_timer>(state_->executor, max_wait);
        {
            std::lock_guard lock(state_->mutex);
            if (!state_->find_folder(user_, name))
            {
                complete_later(state_->executor, std::move(handler), no_folder(diag, name), false);
                return;
            }
            state_->waiters.emplace(std::pair{user_, name}, timer);
        }
        // A change cancels the timer: operation_aborted then means "changed", expiry means "no change".
        // A cancellation from the caller also cancels it, and is reported as operation_aborted.
        auto cancelled = std::make_shared<bool>(false);
        auto slot = boost::asio::get_associated_cancellation_slot(handler);
        if (slot.is_connected())
        {
            slot.assign([timer, cancelled](boost::asio::cancellation_type) {
                *cancelled = true;
                timer->cancel();
            });
        }
        timer->async_wait([timer, cancelled, h = std::move(handler)](boost::system::error_code ec) mutable {
            if (*cancelled)
                std::move(h)(boost::asio::error::operation_aborted, false);
            else
                std::move(h)(boost::system::error_code(), ec == boost::asio::error::operation_aborted);
        });
    }

    std::shared_ptr<in_memory_operator::state> state_;
    std::string user_;
};

}  // namespace

in_memory_operator::in_memory_operator(boost::asio::any_io_executor executor)
    : state_(std::make_shared<state>(std::move(executor)))
{
}

in_memory_operator::~in_memory_operator() = default;

void in_memory_operator::add_mailbox(const domain::email_address& address)
{
    std::lock_guard lock(state_->mutex);
    state_->create(address);
}

std::unique_ptr<mail_submission> in_memory_operator::submission(const domain::email_address& user)
{
    return std::make_unique<memory_submission>(state_, user);
}

std::unique_ptr<mailbox_access> in_memory_operator::access(const domain::email_address& user)
{
    return std::make_unique<memory_access>(state_, user.str());
}

void in_memory_operator::set_recipient_policy(
    std::function<std::optional<simulated_reply>(const domain::email_address&)> policy)
{
    std::lock_guard lock(state_->mutex);
    state_->recipient_policy = std::move(policy);
}

void in_memory_operator::renumber_folder(const domain::email_address& user, const std::string& folder_name)
{
    std::lock_guard lock(state_->mutex);
    if (folder* f = state_->find_folder(user.str(), folder_name))
    {
        f->uid_validity = state_->next_uid_validity++;
        f->expunged.clear();
        state_->wake(user.str(), folder_name);
    }
}

std::uint32_t in_memory_operator::deliver(const domain::email_address& user, const std::string& folder_name,
                                          std::string message, message_flags flags)
{
    std::lock_guard lock(state_->mutex);
    state_->create(user);
    if (!state_->find_folder(user.str(), folder_name))
        state_->mailboxes[user.str()].folders[folder_name].uid_validity = state_->next_uid_validity++;
    return state_->append(user.str(), folder_name, std::move(message), flags);
}

void in_memory_operator::expunge(const domain::email_address& user, const std::string& folder_name,
                                 std::uint32_t uid)
{
    std::lock_guard lock(state_->mutex);
    folder* f = state_->find_folder(user.str(), folder_name);
    if (f && f->messages.erase(uid) == 1)
    {
        f->expunged[uid] = ++f->highest_modseq;
        state_->wake(user.str(), folder_name);
    }
}

std::size_t in_memory_operator::message_count(const domain::email_address& user, const std::string& folder_name) const
{
    std::lock_guard lock(state_->mutex);
    const folder* f = state_->find_folder(user.str(), folder_name);
    return f ? f->messages.size() : 0;
}

std::size_t in_memory_operator::submitted_count() const
{
    std::lock_guard lock(state_->mutex);
    return state_->submitted;
}

}  // namespace mss::transport
