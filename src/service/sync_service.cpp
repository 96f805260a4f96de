// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/inbox_settings.hpp>
#include <mss/error.hpp>
#include <mss/mime/address_list.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/header_block.hpp>
#include <mss/service/read_receipt.hpp>
#include <mss/service/sync_service.hpp>

#include "net/detail/complete_later.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace mss::service {
namespace asio = boost::asio;
namespace {

constexpr auto await = asio::as_tuple(asio::use_awaitable);

std::string header_text(const mime::header_block& block, std::string_view name)
{
    const auto* field = block.find(name);
    if (!field)
        return {};
    std::string decoded;
    mime::decode_header_text(mime::unfold(field->raw_value), decoded);
    return decoded;
}

std::vector<domain::named_address> header_addresses(const mime::header_block& block, std::string_view name)
{
    std::vector<domain::named_address> out;
    for (const auto& field : block.fields())
    {
        if (field.name.size() == name.size() &&
            std::equal(name.begin(), name.end(), field.name.begin(),
                       [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                                   std::tolower(static_cast<unsigned char>(b)); }))
            mime::parse_address_list(field.raw_value, out);
    }
    return out;
}

// An exception out of a coroutine becomes an error code: none crosses the async boundary.
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
    catch (const std::bad_alloc&)
    {
        return make_error_code(boost::system::errc::not_enough_memory);
    }
    catch (...)
    {
        return make_error_code(boost::system::errc::state_not_recoverable);
    }
}

// A receipt is a few kilobytes; one this large carries a whole original (RFC 8098 §3 allows
// returning it) and is not worth fetching during a push round: it is indexed, not recorded.
constexpr std::uint64_t max_receipt_size = 1024 * 1024;

// Addresses compared as a reader writes them back: the domain canonical, the local part without
// regard to ASCII case (operators treat it so; a receipt is not refused over "Dr.Martin").
bool same_mailbox(const domain::email_address& a, std::string_view b)
{
    auto parsed = domain::email_address::parse(b);
    if (!parsed || parsed->domain() != a.domain() || parsed->local_part().size() != a.local_part().size())
        return false;
    return std::equal(a.local_part().begin(), a.local_part().end(), parsed->local_part().begin(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

// Whether a receipt's reader may have read the message it names: true unless the outbox knows
// that message and the reader is none of its recipients (To, Cc and Bcc: the envelope).
boost::system::result<bool> reader_was_recipient(store::store& db, const std::string& mailbox,
                                                 const read_receipt& receipt)
{
    auto sent = db.outbox_item_by_message_id(mailbox, receipt.original_message_id);
    if (!sent)
        return boost::system::result<bool>(boost::system::in_place_error, sent.error());
    if (!*sent || (*sent)->message.recipients.empty())
        return true;
    const auto& recipients = (*sent)->message.recipients;
    return std::any_of(recipients.begin(), recipients.end(),
                       [&](const auto& r) { return same_mailbox(r.address, receipt.final_recipient); });
}

struct folder_plan
{
    std::string name;
    domain::message_direction direction;
};

}  // namespace

domain::indexed_message index_message(const transport::message_summary& summary, const std::string& mailbox,
                                      const std::string& folder, std::uint32_t uid_validity,
                                      domain::message_direction direction, const domain::inbox_settings& settings)
{
    domain::indexed_message m;
    m.key = {mailbox, folder, uid_validity, summary.uid};
    m.date = summary.internal_date;
    m.size = summary.size;
    m.seen = transport::has(summary.flags, transport::message_flags::seen);
    m.modseq = summary.modseq;

    mime::header_block block;
    diagnostics ignored;
    // A header the parser gives up on still yields a message in the index, unclassified fields empty.
    mime::header_block::parse(summary.header, block, ignored);
    m.subject = header_text(block, "Subject");
    domain::message_parties parties;
    if (auto from = header_addresses(block, "From"); !from.empty())
    {
        parties.from = from.front().address();
        m.from = from.front().display_name().empty()
                     ? from.front().address().str()
                     : std::string(from.front().display_name()) + " <" + from.front().address().str() + ">";
    }
    for (const char* name : {"To", "Cc", "Bcc"})
    {
        for (auto& a : header_addresses(block, name))
            parties.recipients.push_back(a.address());
    }
    if (const auto* id = block.find("Message-ID"))
    {
        const std::string value = mime::unfold(id->raw_value);
        const auto open = value.find('<');
        const auto close = value.find('>', open == std::string::npos ? 0 : open);
        m.message_id = open != std::string::npos && close != std::string::npos
                           ? value.substr(open + 1, close - open - 1)
                           : value;
    }
    m.classification = domain::classify_message(direction, parties);
    m.in_inbox = domain::lands_in_inbox(settings, m.classification);
    return m;
}

namespace {

// One synchronisation of one mailbox, as a coroutine over the transport.
asio::awaitable<std::pair<boost::system::error_code, sync_report>> run_sync(store::store& db,
                                                                            const domain::mailbox_link& link,
                                                                            transport::mailbox_access& access,
                                                                            diagnostics& diag, sync_progress progress,
                                                                            std::size_t batch_size)
{
    // Cancellation shows as operation_aborted results, never as exceptions.
    co_await asio::this_coro::throw_if_cancelled(false);
    sync_report report;
    auto [list_ec, folders] = co_await access.async_list_folders(diag, await);
    if (list_ec)
        co_return std::pair{list_ec, report};
    std::vector<folder_plan> plan;
    for (const auto& f : folders)
    {
        if (f.role == transport::folder_role::inbox || f.name == "INBOX")
            plan.push_back({f.name, domain::message_direction::received});
    }
    for (const auto& f : folders)
    {
        if (f.role == transport::folder_role::sent)
            plan.push_back({f.name, domain::message_direction::sent});
    }

    const std::string mailbox = link.box.address.str();
    for (const auto& folder : plan)
    {
        auto known = db.sync_state(mailbox, folder.name);
        if (!known)
            co_return std::pair{known.error(), report};
        auto [sync_ec, changes] = co_await access.async_sync_folder(folder.name, *known, diag, await);
        if (sync_ec)
            co_return std::pair{sync_ec, report};
        auto settings = db.inbox_settings_of(link.account);
        if (!settings)
            co_return std::pair{settings.error(), report};

        // First batch: resync flag, expunges, flag changes; every batch: some new messages; the
        // new sync state goes with the last batch only.
        store::folder_update update{mailbox, folder.name, *known, changes.full_resync, {}, {}, changes.vanished};
        for (const auto& c : changes.flag_changes)
            update.seen_changes.push_back({c.uid, transport::has(c.flags, transport::message_flags::seen), c.modseq});
        const std::size_t total = changes.new_messages.size();
        std::size_t done = 0;
        do
        {
            const std::size_t end = std::min(total, done + batch_size);
            for (std::size_t i = done; i < end; ++i)
            {
                const auto& summary = changes.new_messages[i];
                update.added.push_back(index_message(summary, mailbox, folder.name, changes.state.uid_validity,
                                                     folder.direction, *settings));
                // A read receipt for the user's own mail: read whole (the header only announces
                // it) and recorded with the batch that indexes it.
                if (folder.direction != domain::message_direction::received || summary.size > max_receipt_size ||
                    !is_read_receipt_header(summary.header))
                    continue;
                auto [fetch_ec, raw] = co_await access.async_fetch_message(folder.name, summary.uid, diag, await);
                if (fetch_ec == asio::error::operation_aborted || mss::is_fatal(fetch_ec))
                    co_return std::pair{fetch_ec, report};
                // A refusal of this one message (expunged meanwhile): it stays indexed, without receipt.
                if (fetch_ec)
                    continue;
                auto receipt = parse_read_receipt(raw);
                if (!receipt)
                    continue;
                auto genuine = reader_was_recipient(db, mailbox, *receipt);
                if (!genuine)
                    co_return std::pair{genuine.error(), report};
                if (!*genuine)
                {
                    ++report.receipts_ignored;
                    continue;
                }
                update.receipts.push_back({mailbox, std::move(receipt->original_message_id),
                                               std::move(receipt->final_recipient), std::move(receipt->disposition),
                                               receipt->date.value_or(summary.internal_date),
                                               update.added.back().key});
            }
            if (end == total)
                update.state = changes.state;
            if (auto ec = db.apply(update))
                co_return std::pair{ec, report};
            report.added += update.added.size();
            report.receipts += update.receipts.size();
            done = end;
            if (progress && total > 0)
                progress(done, total);
            update = store::folder_update{mailbox, folder.name, *known, false, {}, {}, {}};
        } while (done < total);
        report.flag_changes += changes.flag_changes.size();
        report.removed += changes.vanished.size();
        report.full_resyncs += changes.full_resync && known->uid_validity != 0 ? 1 : 0;
    }
    co_return std::pair{boost::system::error_code(), report};
}

// Keeps one mailbox synchronised until an error or cancellation (a free coroutine: see send_service).
asio::awaitable<boost::system::error_code> watch_loop(store::store& db, const domain::mailbox_link& l,
                                                     transport::mailbox_access& a, diagnostics& d,
                                                     std::function<void(const sync_report&)> cb,
                                                     std::chrono::milliseconds p, std::size_t batch)
{
    co_await asio::this_coro::throw_if_cancelled(false);
    // Catch up first: what arrived while nobody watched.
    auto [ec, report] = co_await run_sync(db, l, a, d, {}, batch);
    if (ec)
        co_return ec;
    if (cb)
        cb(report);
    for (;;)
    {
        // A cancellation that arrived between two waits is seen here (the signal fires once).
        auto cs = co_await asio::this_coro::cancellation_state;
        if (cs.cancelled() != asio::cancellation_type::none)
            co_return boost::system::error_code(asio::error::operation_aborted);
        auto [wait_ec, changed] = co_await a.async_wait_for_changes("INBOX", p, d, await);
        if (wait_ec)
            co_return wait_ec;
        if (!changed)
            continue;  // the period ended: wait again (the IMAP client renews IDLE here)
        auto [sync_ec, r] = co_await run_sync(db, l, a, d, {}, batch);
        if (sync_ec)
            co_return sync_ec;
        if (cb)
            cb(r);
    }
}

}  // namespace

sync_service::sync_service(boost::asio::any_io_executor executor, store::store& db)
    : executor_(std::move(executor)), db_(db)
{
}

void sync_service::start_sync(const domain::mailbox_link& link, transport::mailbox_access& access, diagnostics& diag,
                              sync_progress progress, boost::asio::any_completion_handler<sync_signature> handler)
{
    diag.clear();
    auto slot = asio::get_associated_cancellation_slot(handler);
    asio::co_spawn(executor_, run_sync(db_, link, access, diag, std::move(progress), batch_size_),
                   asio::bind_cancellation_slot(
                       slot, [ex = executor_, h = std::move(handler)](
                                 std::exception_ptr e, std::pair<boost::system::error_code, sync_report> r) mutable {
                           if (e)
                               r.first = error_of(e);
                           net::detail::complete_later(ex, std::move(h), r.first, r.second);
                       }));
}

void sync_service::start_watch(const domain::mailbox_link& link, transport::mailbox_access& access,
                               diagnostics& diag, std::function<void(const sync_report&)> on_sync,
                               std::chrono::milliseconds period,
                               boost::asio::any_completion_handler<void(boost::system::error_code)> handler)
{
    diag.clear();
    auto slot = asio::get_associated_cancellation_slot(handler);
    asio::co_spawn(executor_, watch_loop(db_, link, access, diag, std::move(on_sync), period, batch_size_),
                   asio::bind_cancellation_slot(slot, [ex = executor_, h = std::move(handler)](
                                                          std::exception_ptr e, boost::system::error_code ec) mutable {
                       if (e)
                           ec = error_of(e);
                       net::detail::complete_later(ex, std::move(h), ec);
                   }));
}

}  // namespace mss::service
