// SPDX-License-Identifier: Apache-2.0
#include "watch.hpp"

#include "messages.hpp"
#include "recording_store.hpp"
#include "session.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <fmt/core.h>

#include <csignal>

namespace mss_cli {
namespace {

namespace asio = boost::asio;
namespace domain = mss::domain;
using boost::system::error_code;

// IDLE is renewed within the 29 minutes RFC 2177 allows servers to keep it.
constexpr std::chrono::minutes idle_period{10};

// Prints each change of an applied update: one line (or one JSON document) per change.
class change_printer
{
public:
    change_printer(const output& out, bool patients_allowed) : out_(out), patients_allowed_(patients_allowed) {}

    /** During the catch-up round changes are only counted: a first sync may bring thousands. */
    void set_quiet(bool quiet) { quiet_ = quiet; }

    void print(const mss::store::folder_update& u)
    {
        if (quiet_)
            return;
        for (auto uid : u.vanished)
            simple("removed", {u.mailbox, u.folder, u.state.uid_validity, uid});
        for (const auto& c : u.seen_changes)
            simple(c.seen ? "read" : "unread", {u.mailbox, u.folder, u.state.uid_validity, c.uid});
        for (const auto& m : u.added)
            added(m);
        for (const auto& r : u.receipts)
        {
            if (out_.json())
            {
                json_writer doc;
                out_.emit(doc.begin_object()
                              .member("event", "receipt")
                              .member("original_message_id", r.original_message_id)
                              .member("reader", r.reader)
                              .member("disposition", r.disposition)
                              .member("date", format_date(r.date))
                              .end_object());
            }
            else
                out_.say(fmt::format("receipt <{}> {} by {} on {}", printable(r.original_message_id),
                                     printable(r.disposition), printable(r.reader), format_date(r.date)));
        }
    }

private:
    void simple(std::string_view event, const domain::message_key& key)
    {
        if (out_.json())
        {
            json_writer doc;
            out_.emit(doc.begin_object().member("event", event).member("id", format_message_id(key)).end_object());
        }
        else
            out_.say(fmt::format("{:<8}{}", event, format_message_id(key)));
    }

    void added(const domain::indexed_message& m)
    {
        // Patient exchanges stay hidden from persons without patient rights, as in the folders.
        const bool hidden = m.classification.exchange == domain::exchange_kind::patient && !patients_allowed_;
        if (out_.json())
        {
            json_writer doc;
            doc.begin_object().member("event", "new");
            if (hidden)
                doc.member("id", format_message_id(m.key)).member("hidden", true);
            else
                write_indexed(doc, m);
            out_.emit(doc.end_object());
            return;
        }
        if (hidden)
            out_.say(fmt::format("{:<8}{}  (a patient exchange: shown to RPPS professionals only)", "new",
                                 format_message_id(m.key)));
        else
            out_.say(fmt::format("{:<8}{}  {}  {}  {}", "new", format_message_id(m.key), format_date(m.date),
                                 pad(printable(m.from), 32), printable(m.subject)));
    }

    const output& out_;
    bool patients_allowed_;
    bool quiet_ = true;
};

}  // namespace

int watch_mailbox(session& s, const domain::mailbox_link& link, std::optional<std::chrono::seconds> duration)
{
    const std::string address = link.box.address.str();
    auto& access = s.imap();
    change_printer printer(s.out(), s.person().is_rpps_professional());
    recording_store recorder(s.db(), [&printer](const mss::store::folder_update& u) { printer.print(u); });
    mss::service::sync_service watcher(s.io().get_executor(), recorder);

    // Either way of stopping is a terminal cancellation of the watch: the IMAP client closes its
    // connection at once and the loop ends with operation_aborted.
    asio::cancellation_signal stop;
    std::string reason;
    auto stop_for = [&](std::string why) {
        if (!reason.empty())
            return;
        reason = std::move(why);
        stop.emit(asio::cancellation_type::terminal);
    };
    asio::signal_set signals(s.io(), SIGINT, SIGTERM);
    signals.async_wait([&](const error_code& ec, int number) {
        if (!ec)
            stop_for(number == SIGINT ? "SIGINT" : "SIGTERM");
    });
    asio::steady_timer timer(s.io());
    if (duration)
    {
        timer.expires_after(*duration);
        timer.async_wait([&](const error_code& ec) {
            if (!ec)
                stop_for("time");
        });
    }

    std::size_t rounds = 0;
    bool marked_ready = false;
    mss::diagnostics diag;
    auto on_round = [&](const mss::service::sync_report& r) {
        if (rounds++ == 0)
        {
            // The catch-up round: the mailbox is up to date, the watch starts now.
            printer.set_quiet(false);
            if (link.state == domain::link_state::synchronising && !marked_ready)
                marked_ready = !s.links().mark_ready(link.account, address);
            if (s.out().json())
            {
                json_writer doc;
                s.out().emit(doc.begin_object()
                                 .member("event", "watching")
                                 .member("mailbox", address)
                                 .member("added", static_cast<std::uint64_t>(r.added))
                                 .member("flag_changes", static_cast<std::uint64_t>(r.flag_changes))
                                 .member("removed", static_cast<std::uint64_t>(r.removed))
                                 .end_object());
            }
            else
                s.out().say(fmt::format("watching {}: caught up ({} new, {} read/unread change(s), {} removed); "
                                        "Ctrl-C stops",
                                        address, r.added, r.flag_changes, r.removed));
        }
    };
    auto [ec] = s.wait<error_code>([&](auto handler) {
        watcher.async_watch(link, access, diag, on_round, idle_period,
                            asio::bind_cancellation_slot(stop.slot(), std::move(handler)));
    });
    signals.cancel();
    timer.cancel();
    // Whatever ended the watch, no connection stays open behind it.
    s.close_imap();

    if (!reason.empty() && (ec == asio::error::operation_aborted || !ec))
    {
        if (s.out().json())
        {
            json_writer doc;
            s.out().emit(doc.begin_object()
                             .member("event", "stopped")
                             .member("reason", reason)
                             .member("rounds", static_cast<std::uint64_t>(rounds))
                             .end_object());
        }
        else
            s.out().say(fmt::format("stopped ({}) after {} synchronisation round(s)", reason, rounds));
        return exit_ok;
    }
    throw s.network_failure("imap", ec ? ec : error_code(asio::error::operation_aborted), diag);
}

}  // namespace mss_cli
