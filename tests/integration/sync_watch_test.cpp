// SPDX-License-Identifier: Apache-2.0
// sync_service's watch loop (IDLE push) end to end: the real mss::net::imap_client against the
// sandbox Dovecot, a real sqlite_store, folder_service reading the index, and a message submitted
// through the real smtp_client to Postfix, which delivers it over LMTP. The settings come from the
// environment that `eval "$(scripts/sandbox env)"` sets; a missing variable fails the test.
//
// The test drives the io_context from its body (no coroutine lambdas: g++ 12 miscompiles them)
// and takes every time stamp inside the completion handlers, so that the latencies it prints are
// those of the library, not of the polling.
#include <mss/domain/trust_space.hpp>
#include <mss/net/imap_client.hpp>
#include <mss/net/smtp_client.hpp>
#include <mss/service/folder_service.hpp>
#include <mss/service/link_service.hpp>
#include <mss/service/read_receipt.hpp>
#include <mss/service/sync_service.hpp>
#include <mss/store/sqlite_store.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "sandbox_env.hpp"

namespace
{

using namespace sandbox_test;

namespace asio = boost::asio;
using boost::system::error_code;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;
using mss::domain::virtual_folder;

long long ms(clock_type::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

// The watched mailbox (a physician at the national operator) and who writes to it.
const std::string reader_key = "DR_BERNARD";
const std::string writer_key = "DR_MARTIN";

// Runs handlers until `done()` or `limit`; false on time-out.
template <class Predicate>
bool run_until(asio::io_context& io, Predicate done, clock_type::duration limit)
{
    const auto deadline = clock_type::now() + limit;
    while (!done())
    {
        if (clock_type::now() >= deadline)
            return false;
        if (io.stopped())
            io.restart();
        io.run_one_for(20ms);
    }
    return true;
}

// Everything a platform puts around the watch loop, on loopback: the index in a SQLite file, the
// link of the reader's mailbox to their person account, and the folders they see.
struct platform
{
    asio::io_context io;
    std::filesystem::path path = std::filesystem::temp_directory_path() / (unique_token() + ".db");
    std::unique_ptr<mss::store::sqlite_store> db;
    mss::domain::trust_space space;
    mss::net::smtp_client code_sender{io.get_executor(), smtp_config("LIAISON")};
    std::optional<mss::service::link_service> links;
    std::optional<mss::service::folder_service> folders;
    mss::domain::person reader{"p-bernard", "Dr Paul Bernard", mss::domain::rpps::parse("10000000009").value(), {},
                               "Médecin"};
    mss::domain::mailbox_link link{reader.ref(),
                                   {address(account(reader_key, "ADDRESS")), mss::domain::mailbox_type::per,
                                    "sandbox", ""},
                                   mss::domain::link_state::ready,
                                   std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())};

    platform()
    {
        mss::diagnostics diag;
        auto opened = mss::store::sqlite_store::open(path.string(), diag);
        REQUIRE_MESSAGE(opened.has_value(), diag.client_message());
        db = std::move(*opened);
        for (const char* domain : {"regional.mssante.test", "national.mssante.test"})
            REQUIRE(space.add({domain, "sandbox operator", "", "", "", "", 0}));
        links.emplace(io.get_executor(), *db, space, code_sender,
                      mss::service::link_service_config{address(account("LIAISON", "ADDRESS")), "SPICO", {}, {}});
        folders.emplace(io.get_executor(), *db, *links);
        REQUIRE_FALSE(db->save_link(link));
    }

    ~platform()
    {
        db.reset();
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix);
    }

    std::size_t unread_inbox()
    {
        auto counts = folders->unread(reader);
        REQUIRE(counts.has_value());
        return (*counts)[static_cast<std::size_t>(virtual_folder::inbox)];
    }

    // The reader's Inbox entry with this Message-ID, if the index has it.
    std::optional<mss::domain::indexed_message> in_inbox(const std::string& message_id)
    {
        std::optional<mss::store::message_cursor> after;
        for (;;)
        {
            // Called from completion handlers too: no REQUIRE (it would throw through the library).
            auto page = folders->list(reader, virtual_folder::inbox, after, 200);
            if (!page)
                return std::nullopt;
            for (const auto& m : page->messages)
            {
                if (m.message.message_id == message_id)
                    return m.message;
            }
            if (!page->next)
                return std::nullopt;
            after = page->next;
        }
    }
};

}  // namespace

TEST_SUITE("integration: sync_service watch loop over the sandbox")
{
    TEST_CASE("push: a delivered message reaches the Inbox index within 2 s, a \\Seen set elsewhere follows, "
              "and stopping the watch ends it promptly")
    {
        platform p;
        const std::string token = unique_token();
        const std::string message_id = token + "@regional.mssante.test";

        // The trace tells when Dovecot's untagged EXISTS / FETCH reached the watcher during IDLE:
        // the latency splits into the server's part and the library's (sync + index).
        // Only what arrives between IDLE and DONE counts: a sync round's own FETCH answers do not.
        std::optional<clock_type::time_point> armed_at, notified_at;
        bool idling = false;
        auto watcher_config = imap_config(reader_key);
        watcher_config.trace = [&](mss::net::trace_direction d, std::string_view bytes)
        {
            if (d == mss::net::trace_direction::sent)
            {
                if (bytes.find(" IDLE\r\n") != std::string_view::npos)
                    idling = true;
                else if (bytes.find("DONE\r\n") != std::string_view::npos)
                    idling = false;
                return;
            }
            if (idling && armed_at && !notified_at &&
                (bytes.find(" EXISTS\r\n") != std::string_view::npos ||
                 bytes.find(" FETCH (") != std::string_view::npos))
                notified_at = clock_type::now();
        };
        mss::net::imap_client watcher(p.io.get_executor(), watcher_config);
        mss::service::sync_service sync(p.io.get_executor(), *p.db);
        mss::diagnostics watch_diag;
        asio::cancellation_signal stop;

        // Each round, right after its store transaction: when did the message show up in the
        // Inbox, and when did the index see it read?
        std::size_t rounds = 0;
        std::optional<clock_type::time_point> indexed_at, seen_at;
        std::optional<mss::domain::indexed_message> indexed;
        bool expect_seen = false;
        std::optional<error_code> ended;
        clock_type::time_point ended_at;
        sync.async_watch(
            p.link, watcher, watch_diag,
            [&](const mss::service::sync_report&)
            {
                ++rounds;
                if (!indexed_at)
                {
                    if ((indexed = p.in_inbox(message_id)))
                        indexed_at = clock_type::now();
                }
                else if (expect_seen && !seen_at)
                {
                    auto now = p.db->find_message(indexed->key);
                    if (now && *now && (*now)->seen)
                        seen_at = clock_type::now();
                }
            },
            10min,
            asio::bind_cancellation_slot(stop.slot(),
                                         [&](error_code ec)
                                         {
                                             ended = ec;
                                             ended_at = clock_type::now();
                                         }));

        // The catch-up round (initial sync of INBOX and Sent into the empty index).
        REQUIRE_MESSAGE(run_until(p.io, [&] { return rounds >= 1 || ended; }, 60s), "no catch-up round in 60 s");
        REQUIRE_MESSAGE(!ended, ended->message() << ": " << watch_diag.client_message());
        CHECK_FALSE(indexed_at.has_value());
        const std::size_t unread_before = p.unread_inbox();
        // Let the watcher enter IDLE before the delivery (it does right after the round).
        run_until(p.io, [] { return false; }, 300ms);

        // Dr Martin writes to Dr Bernard through Postfix (submission, STARTTLS, SASL).
        mss::net::smtp_client smtp(p.io.get_executor(), smtp_config(writer_key));
        mss::transport::outgoing_message m{address(account(writer_key, "ADDRESS")), {}, message_id, {}, false, false};
        m.recipients.push_back({p.link.box.address, mss::transport::dsn_notify::server_default});
        m.data = "From: Dr Jean Martin <" + account(writer_key, "ADDRESS") + ">\r\nTo: <" +
                 p.link.box.address.str() + ">\r\nSubject: Avis " + token + "\r\nMessage-ID: <" + message_id +
                 ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour\r\n";
        mss::diagnostics smtp_diag;
        std::optional<error_code> submitted;
        clock_type::time_point submitted_at;
        smtp.async_submit(m, smtp_diag,
                          [&](error_code ec, mss::transport::submission_result)
                          {
                              submitted = ec;
                              submitted_at = clock_type::now();
                              armed_at = submitted_at;
                          });
        REQUIRE(run_until(p.io, [&] { return submitted.has_value(); }, 30s));
        REQUIRE_MESSAGE(!*submitted, submitted->message() << ": " << smtp_diag.client_message());
        smtp.async_quit([](error_code) {});

        const bool pushed = run_until(p.io, [&] { return indexed_at.has_value() || ended; }, 10s);
        REQUIRE_MESSAGE(!ended, "the watch stopped: " << ended->message() << ": " << watch_diag.client_message());
        REQUIRE_MESSAGE(pushed, "the delivered message was not in the Inbox index 10 s after its submission");
        const auto push_latency = *indexed_at - submitted_at;
        MESSAGE("push latency (submission accepted -> in the Inbox index): " << ms(push_latency) << " ms");
        if (notified_at)
            MESSAGE("  of which Dovecot -> IDLE notification: " << ms(*notified_at - submitted_at)
                                                              << " ms, then sync + index: "
                                                              << ms(*indexed_at - *notified_at) << " ms");
        CHECK(push_latency < 2s);
        CHECK(indexed->subject == "Avis " + token);
        CHECK_FALSE(indexed->seen);
        CHECK(indexed->in_inbox);
        CHECK(indexed->classification.direction == mss::domain::message_direction::received);
        CHECK(p.unread_inbox() == unread_before + 1);

        // Another client (a second IMAP session, as the reader's phone would) marks it read.
        mss::net::imap_client other(p.io.get_executor(), imap_config(reader_key));
        mss::diagnostics other_diag;
        std::optional<error_code> stored;
        clock_type::time_point stored_at;
        expect_seen = true;
        notified_at.reset();
        other.async_store_flags("INBOX", indexed->key.uid, mss::transport::message_flags::seen,
                                mss::transport::message_flags::none, other_diag,
                                [&](error_code ec)
                                {
                                    stored = ec;
                                    stored_at = clock_type::now();
                                });
        REQUIRE(run_until(p.io, [&] { return stored.has_value(); }, 30s));
        REQUIRE_MESSAGE(!*stored, stored->message() << ": " << other_diag.client_message());
        const bool flagged = run_until(p.io, [&] { return seen_at.has_value() || ended; }, 10s);
        REQUIRE_MESSAGE(!ended, "the watch stopped: " << ended->message() << ": " << watch_diag.client_message());
        REQUIRE_MESSAGE(flagged, "the \\Seen flag set by another session did not reach the index in 10 s");
        MESSAGE("flag latency (STORE \\Seen answered -> read in the index): " << ms(*seen_at - stored_at) << " ms");
        if (notified_at)
            MESSAGE("  of which Dovecot -> IDLE notification: " << ms(*notified_at - stored_at)
                                                              << " ms, then sync + index: " << ms(*seen_at - *notified_at)
                                                              << " ms");
        CHECK(*seen_at - stored_at < 2s);
        CHECK(p.unread_inbox() == unread_before);

        // Stop while the watcher idles: the loop ends with operation_aborted, at once.
        run_until(p.io, [] { return false; }, 200ms);
        CHECK(watcher.is_connected());
        const auto stop_at = clock_type::now();
        stop.emit(asio::cancellation_type::terminal);
        REQUIRE_MESSAGE(run_until(p.io, [&] { return ended.has_value(); }, 5s), "the watch did not stop within 5 s");
        MESSAGE("stop latency: " << ms(ended_at - stop_at) << " ms");
        CHECK(*ended == asio::error::operation_aborted);
        CHECK(ended_at - stop_at < 500ms);
        CHECK_FALSE(watcher.is_connected());
        // Nothing runs on after the stop: no further round.
        const std::size_t rounds_at_stop = rounds;
        run_until(p.io, [] { return false; }, 300ms);
        CHECK(rounds == rounds_at_stop);

        // Leave the mailbox as it was.
        mss::imap::sequence_set delivered;
        delivered.add(indexed->key.uid);
        std::optional<error_code> expunged;
        other.async_expunge("INBOX", delivered, other_diag, [&](error_code ec) { expunged = ec; });
        REQUIRE(run_until(p.io, [&] { return expunged.has_value(); }, 30s));
        CHECK_MESSAGE(!*expunged, expunged->message() << ": " << other_diag.client_message());
    }

    TEST_CASE("push: a read receipt delivered while watching is recorded against the message the mailbox sent")
    {
        platform p;
        const std::string token = unique_token();
        const std::string bernard = p.link.box.address.str();
        const std::string martin = account(writer_key, "ADDRESS");
        const std::string original_id = token + "-orig@national.mssante.test";
        const std::string receipt_id = token + "-mdn@regional.mssante.test";

        // What Dr Bernard sent from another client, asking for a read receipt: only its copy in
        // Sent is on the server.
        const std::string original = "Return-Path: <" + bernard + ">\r\nFrom: Dr Paul Bernard <" + bernard +
                                     ">\r\nTo: <" + martin + ">\r\nSubject: Avis " + token + "\r\nMessage-ID: <" +
                                     original_id + ">\r\nDisposition-Notification-To: <" + bernard +
                                     ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour\r\n";
        mss::net::imap_client other(p.io.get_executor(), imap_config(reader_key));
        mss::diagnostics other_diag;
        std::optional<error_code> appended;
        std::uint32_t sent_uid = 0;
        other.async_append("Sent", original, mss::transport::message_flags::seen, other_diag,
                           [&](error_code ec, std::uint32_t uid)
                           {
                               appended = ec;
                               sent_uid = uid;
                           });
        REQUIRE(run_until(p.io, [&] { return appended.has_value(); }, 30s));
        REQUIRE_MESSAGE(!*appended, appended->message() << ": " << other_diag.client_message());
        REQUIRE(sent_uid != 0);

        mss::net::imap_client watcher(p.io.get_executor(), imap_config(reader_key));
        mss::service::sync_service sync(p.io.get_executor(), *p.db);
        mss::diagnostics watch_diag;
        asio::cancellation_signal stop;
        std::vector<mss::service::sync_report> rounds;
        std::optional<clock_type::time_point> recorded_at;
        std::optional<error_code> ended;
        sync.async_watch(
            p.link, watcher, watch_diag,
            [&](const mss::service::sync_report& r)
            {
                rounds.push_back(r);
                if (r.receipts > 0 && !recorded_at)
                    recorded_at = clock_type::now();
            },
            10min, asio::bind_cancellation_slot(stop.slot(), [&](error_code ec) { ended = ec; }));
        REQUIRE_MESSAGE(run_until(p.io, [&] { return !rounds.empty() || ended; }, 60s), "no catch-up round in 60 s");
        REQUIRE_MESSAGE(!ended, ended->message() << ": " << watch_diag.client_message());
        const mss::domain::message_key sent_key{bernard, "Sent", p.db->sync_state(bernard, "Sent").value().uid_validity,
                                                sent_uid};
        REQUIRE(p.db->find_message(sent_key).value().has_value());
        CHECK(p.db->receipts_for_sent(sent_key).value().empty());
        run_until(p.io, [] { return false; }, 300ms);

        // Dr Martin's application reads it and sends the receipt the library makes, through Postfix.
        const auto request = mss::service::receipt_requested(original);
        REQUIRE(request.has_value());
        CHECK(request->may_send_automatically);
        mss::diagnostics make_diag;
        const auto read_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        auto mdn = mss::service::make_read_receipt(*request, {address(martin), mss::domain::mailbox_type::per, "", ""},
                                                   "NIL-SANDBOX", receipt_id, read_at, make_diag);
        REQUIRE_MESSAGE(mdn.has_value(), make_diag.client_message());
        mss::net::smtp_client smtp(p.io.get_executor(), smtp_config(writer_key));
        mss::diagnostics smtp_diag;
        std::optional<error_code> submitted;
        clock_type::time_point submitted_at;
        smtp.async_submit(*mdn, smtp_diag,
                          [&](error_code ec, mss::transport::submission_result)
                          {
                              submitted = ec;
                              submitted_at = clock_type::now();
                          });
        REQUIRE(run_until(p.io, [&] { return submitted.has_value(); }, 30s));
        REQUIRE_MESSAGE(!*submitted, submitted->message() << ": " << smtp_diag.client_message());
        smtp.async_quit([](error_code) {});

        const bool pushed = run_until(p.io, [&] { return recorded_at.has_value() || ended; }, 10s);
        REQUIRE_MESSAGE(!ended, "the watch stopped: " << ended->message() << ": " << watch_diag.client_message());
        REQUIRE_MESSAGE(pushed, "the receipt was not recorded 10 s after its submission");
        MESSAGE("receipt latency (submission accepted -> recorded): " << ms(*recorded_at - submitted_at) << " ms");
        CHECK(*recorded_at - submitted_at < 2s);
        const auto receipts = p.db->receipts_for_sent(sent_key).value();
        REQUIRE(receipts.size() == 1);
        CHECK(receipts[0].reader == martin);
        CHECK(receipts[0].disposition == "displayed");
        CHECK(receipts[0].date == read_at);
        // The receipt message itself is in the Inbox, as the issue asks nothing else.
        const auto notification = p.in_inbox(receipt_id);
        REQUIRE(notification.has_value());
        CHECK(notification->key == receipts[0].notification);

        stop.emit(asio::cancellation_type::terminal);
        REQUIRE(run_until(p.io, [&] { return ended.has_value(); }, 5s));
        CHECK(*ended == asio::error::operation_aborted);

        // Leave the mailbox as it was.
        for (const auto& [folder, uid] : {std::pair<std::string, std::uint32_t>{"INBOX", notification->key.uid},
                                          std::pair<std::string, std::uint32_t>{"Sent", sent_uid}})
        {
            mss::imap::sequence_set doomed;
            doomed.add(uid);
            std::optional<error_code> expunged;
            other.async_expunge(folder, doomed, other_diag, [&](error_code ec) { expunged = ec; });
            REQUIRE(run_until(p.io, [&] { return expunged.has_value(); }, 30s));
            CHECK_MESSAGE(!*expunged, expunged->message() << ": " << other_diag.client_message());
        }
    }
}
