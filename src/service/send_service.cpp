// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/errc.hpp>
#include <mss/error.hpp>
#include <mss/service/message_renderer.hpp>
#include <mss/service/send_service.hpp>
#include <mss/service/sync_service.hpp>
#include <mss/smtp/errc.hpp>

#include "net/detail/complete_later.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/rand.h>

#include <algorithm>

namespace mss::service {
namespace asio = boost::asio;
namespace {

constexpr auto await = asio::as_tuple(asio::use_awaitable);

std::chrono::sys_seconds system_now()
{
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

void random_bytes(std::span<std::uint8_t> out)
{
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1)
        throw std::runtime_error("the CSPRNG failed");
}

std::string random_hex(std::size_t bytes)
{
    std::vector<std::uint8_t> raw(bytes);
    random_bytes(raw);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (auto b : raw)
    {
        out += hex[b >> 4];
        out += hex[b & 0xf];
    }
    return out;
}

boost::system::error_code error_of(std::exception_ptr e)
{
    try
    {
        std::rethrow_exception(e);
    }
    catch (const boost::system::system_error& error)
    {
        return error.code();
    }
    catch (...)
    {
        return make_error_code(boost::system::errc::state_not_recoverable);
    }
}

// Permanent when the server refused for good: every recipient with a 5xx, or a 5xx reply
// (MAIL FROM refused, message refused at the end of DATA). Anything else may work later.
bool permanent_failure(const boost::system::error_code& ec, const transport::submission_result& result)
{
    if (!result.recipients.empty())
        return std::all_of(result.recipients.begin(), result.recipients.end(),
                           [](const auto& r) { return !r.accepted && r.code >= 500; });
    return smtp::is_permanent(ec);
}

// Indexes our own copy in Sent at once, without moving the folder's sync state.
void index_copy(store::store& db, const store::outbox_item& item, const std::string& folder, std::uint32_t uid,
                std::chrono::sys_seconds now)
{
    auto state = db.sync_state(item.message.envelope_sender.str(), folder);
    if (!state || state->uid_validity == 0)
        return;  // the folder was never synchronised: the first sync will index the copy
    const auto header_end = item.message.data.find("\r\n\r\n");
    transport::message_summary summary{uid, transport::message_flags::seen, 0, now, item.message.data.size(),
                                       item.message.data.substr(0, header_end == std::string::npos ? 0 : header_end + 2)};
    store::folder_update update{item.message.envelope_sender.str(), folder, *state, false, {}, {}, {}};
    update.added.push_back(index_message(summary, update.mailbox, folder, state->uid_validity,
                                         domain::message_direction::sent, {}));
    db.apply(update);
}

struct delivery
{
    store::store& db;
    const send_config& config;
    std::function<std::chrono::sys_seconds()> now;

    // Appends the copy to Sent; on failure the item keeps copy_pending for a later retry.
    asio::awaitable<std::optional<std::uint32_t>> save_copy(store::outbox_item& item, transport::mailbox_access& access,
                                                            diagnostics& diag)
    {
        auto [ec, uid] = co_await access.async_append(config.sent_folder, item.message.data,
                                                     transport::message_flags::seen, diag, await);
        if (ec)
            co_return std::nullopt;
        item.copy_pending = false;
        db.update_outbox(item);
        index_copy(db, item, config.sent_folder, uid, now());
        co_return uid;
    }

    asio::awaitable<std::pair<boost::system::error_code, send_report>> run(store::outbox_item item,
                                                                          transport::mail_submission& submission,
                                                                          transport::mailbox_access& access,
                                                                          diagnostics& diag)
    {
        send_report report{item.id, item.state, {}, item.message.message_id, {}, {}};
        if (item.state == domain::outbox_state::sending)
        {
            // A crash interrupted this item: if its copy is in Sent, it was delivered.
            auto [find_ec, found] = co_await access.async_find_message_id(config.sent_folder,
                                                                          item.message.message_id, diag, await);
            if (!find_ec && found)
            {
                item.state = domain::outbox_state::sent;
                item.copy_pending = false;
                db.update_outbox(item);
                report.state = item.state;
                report.sent_uid = *found;
                co_return std::pair{boost::system::error_code(), report};
            }
        }
        // Durable before the first byte leaves: after a crash this item is found in `sending`.
        item.state = domain::outbox_state::sending;
        ++item.attempts;
        if (auto ec = db.update_outbox(item))
            co_return std::pair{ec, report};

        auto [ec, result] = co_await submission.async_submit(item.message, diag, await);
        item.results = result.recipients;
        report.recipients = result.recipients;
        if (!ec)
        {
            item.state = domain::outbox_state::sent;
            item.copy_pending = true;
            item.last_error.clear();
            if (auto store_ec = db.update_outbox(item))
                co_return std::pair{store_ec, report};
            report.state = item.state;
            report.sent_uid = co_await save_copy(item, access, diag);
            co_return std::pair{boost::system::error_code(), report};
        }
        item.last_error = diag.client_message().empty() ? ec.message() : diag.client_message();
        const auto next = permanent_failure(ec, result) ? std::nullopt
                                                        : domain::next_attempt(config.retry, item.attempts, now());
        item.state = next ? domain::outbox_state::retry : domain::outbox_state::failed;
        item.next_attempt_at = next.value_or(now());
        db.update_outbox(item);
        report.state = item.state;
        co_return std::pair{ec, report};
    }
};

// Free coroutines rather than lambdas: g++ 12 warns falsely (mismatched-new-delete) on coroutine
// lambdas under sanitizers, and a coroutine's parameters live in its frame for as long as it runs.
asio::awaitable<std::pair<boost::system::error_code, send_report>> deliver_one(delivery work, store::outbox_item item,
                                                                              transport::mail_submission& submission,
                                                                              transport::mailbox_access& access,
                                                                              diagnostics& diag)
{
    // Not `co_return co_await`: g++ 12 miscompiles it.
    auto result = co_await work.run(std::move(item), submission, access, diag);
    co_return result;
}

asio::awaitable<std::pair<boost::system::error_code, std::size_t>> process_due(
    store::store& db, const send_config& config, std::function<std::chrono::sys_seconds()> now,
    std::function<mailbox_transports(const std::string&)> of, diagnostics& dg)
{
    std::size_t processed = 0;
    delivery deliver{db, config, now};
    auto copies = db.pending_copies();
    if (!copies)
        co_return std::pair{copies.error(), processed};
    for (auto& item : *copies)
    {
        auto t = of(item.message.envelope_sender.str());
        if (!t.access)
            continue;
        co_await deliver.save_copy(item, *t.access, dg);
        ++processed;
    }
    auto due = db.due_outbox(now());
    if (!due)
        co_return std::pair{due.error(), processed};
    for (auto& item : *due)
    {
        auto t = of(item.message.envelope_sender.str());
        if (!t.submission || !t.access)
            continue;
        co_await deliver.run(std::move(item), *t.submission, *t.access, dg);
        ++processed;
    }
    co_return std::pair{boost::system::error_code(), processed};
}

}  // namespace

send_service::send_service(boost::asio::any_io_executor executor, store::store& db, const domain::trust_space& space,
                           link_service& links, send_config config, clock now)
    : executor_(std::move(executor)),
      db_(db),
      space_(space),
      links_(links),
      config_(std::move(config)),
      now_(now ? std::move(now) : clock(&system_now))
{
}

void send_service::start_send(const domain::draft& d, transport::mail_submission& submission,
                              transport::mailbox_access& access, diagnostics& diag,
                              boost::asio::any_completion_handler<send_signature> handler)
{
    diag.clear();
    auto refuse = [&](boost::system::error_code ec, std::string recipient = {}) {
        send_report report;
        report.refused_recipient = std::move(recipient);
        net::detail::complete_later(executor_, std::move(handler), ec, std::move(report));
    };
    const std::string from = d.from.address.str();
    if (auto ec = links_.check_access(d.acting_person_id, from, domain::mailbox_action::send))
    {
        diag.set_client_message(ec.message());
        return refuse(ec);
    }
    auto link = db_.link_of_mailbox(from);
    const domain::account_ref account = link && *link ? (*link)->account : domain::account_ref{};
    const auto recipients = d.all_recipients();
    if (auto refusal = domain::check_recipients(config_.policy, d.context, recipients, space_))
    {
        diag.set_client_message(refusal->error.message());
        links_.audit(d.acting_person_id, account, from, "send_refused", refusal->error.message());
        return refuse(refusal->error, std::move(refusal->recipient));
    }
    const auto now = now_();
    const std::string message_id = random_hex(16) + "@" + std::string(d.from.address.domain());
    auto rendered = render_message(d, {config_.product_reference, message_id, now, &random_bytes}, diag);
    if (!rendered)
        return refuse(rendered.error());

    store::outbox_item item{0, account, d.acting_person_id, std::move(*rendered)};
    item.created_at = now;
    auto id = db_.enqueue(item);
    if (!id)
    {
        diag.set_client_message("the message could not be stored in the outbox");
        return refuse(id.error());
    }
    item.id = *id;
    links_.audit(d.acting_person_id, item.account, from, "sent", message_id);

    asio::co_spawn(executor_, deliver_one(delivery{db_, config_, now_}, std::move(item), submission, access, diag),
                   [ex = executor_, h = std::move(handler)](std::exception_ptr e,
                                                            std::pair<boost::system::error_code, send_report> r) mutable {
                       if (e)
                           r.first = error_of(e);
                       net::detail::complete_later(ex, std::move(h), r.first, std::move(r.second));
                   });
}

void send_service::start_process(std::function<mailbox_transports(const std::string&)> transports_of,
                                 diagnostics& diag, boost::asio::any_completion_handler<process_signature> handler)
{
    diag.clear();
    asio::co_spawn(executor_, process_due(db_, config_, now_, std::move(transports_of), diag),
                   [ex = executor_, h = std::move(handler)](std::exception_ptr e,
                                                            std::pair<boost::system::error_code, std::size_t> r) mutable {
                       if (e)
                           r.first = error_of(e);
                       net::detail::complete_later(ex, std::move(h), r.first, r.second);
                   });
}

}  // namespace mss::service
