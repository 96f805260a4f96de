// SPDX-License-Identifier: Apache-2.0
// Read receipts found by synchronisation (initial, incremental and push) and linked to the sent
// message they are about, over the in-memory operator and both stores.
#include "operator_world.hpp"
#include "unit/store/contract/store_fixtures.hpp"

#include <mss/service/folder_service.hpp>
#include <mss/service/read_receipt.hpp>
#include <mss/service/sync_service.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/store/sqlite_store.hpp>
#include <mss/transport/in_memory_operator.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <doctest/doctest.h>

#include <filesystem>

using namespace mss;
using namespace folders_test;
using store_contract::memory_fixture;
using store_contract::sqlite_fixture;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using domain::virtual_folder;

namespace {

const std::chrono::sys_seconds read_at = std::chrono::sys_days(std::chrono::year(2026) / 11 / 26) + 10h + 5min;

struct world : operator_world
{
    domain::email_address bernard = addr("dr.bernard@regional.mssante.test");

    world() { open({martin, bernard}); }

    domain::mailbox_link link(store::store& db)
    {
        domain::mailbox_link l{dr_martin.ref(), {martin, domain::mailbox_type::per, "Medimail", ""},
                               domain::link_state::ready, {}};
        REQUIRE_FALSE(db.save_link(l));
        return l;
    }

    // What Martin sent (from another client: it is only in his Sent folder), asking for a receipt.
    std::string original(const std::string& id) const
    {
        return "Return-Path: <" + martin.str() + ">\r\nFrom: Dr Jean Martin <" + martin.str() + ">\r\nTo: <" +
               bernard.str() + ">\r\nSubject: Compte rendu\r\nMessage-ID: <" + id +
               ">\r\nDisposition-Notification-To: <" + martin.str() + ">\r\n\r\nCorps\r\n";
    }

    // Bernard's read receipt for it, made by the library as his application would.
    std::string receipt_for(const std::string& original_bytes, const std::string& id) const
    {
        const auto request = service::receipt_requested(original_bytes).value();
        diagnostics diag;
        auto mdn = service::make_read_receipt(request, {bernard, domain::mailbox_type::per, "", ""}, "NIL-TEST", id,
                                              read_at, diag);
        REQUIRE(mdn.has_value());
        return mdn->data;
    }

    service::sync_report sync(service::sync_service& s, const domain::mailbox_link& link)
    {
        return sync_link(s, link, martin);
    }
};

domain::message_key sent_key(store::store& db, const std::string& mailbox, std::uint32_t uid)
{
    return {mailbox, "Sent", db.sync_state(mailbox, "Sent").value().uid_validity, uid};
}

}  // namespace

TEST_SUITE("folders: read receipts")
{
    TEST_CASE_TEMPLATE("a receipt synchronised with its original is recorded against the sent message", F,
                       memory_fixture, sqlite_fixture)
    {
        F f;
        auto& db = f.get();
        world w;
        const auto link = w.link(db);
        const std::string sent = w.original("orig-1@regional.mssante.test");
        const auto sent_uid = w.op.deliver(w.martin, "Sent", sent, transport::message_flags::seen);
        w.op.deliver(w.martin, "Sent", w.original("orig-2@regional.mssante.test"), transport::message_flags::seen);
        // The receipt arrives among ordinary mail; INBOX is synchronised before Sent.
        w.op.deliver(w.martin, "INBOX",
                     "From: <" + w.bernard.str() + ">\r\nTo: <" + w.martin.str() +
                         ">\r\nSubject: Avis\r\nMessage-ID: <avis@x>\r\n\r\nBonjour\r\n");
        const auto mdn_uid = w.op.deliver(w.martin, "INBOX", w.receipt_for(sent, "mdn-1@regional.mssante.test"));

        service::sync_service s(w.io.get_executor(), db);
        const auto report = w.sync(s, link);
        CHECK(report.added == 4);
        CHECK(report.receipts == 1);

        const auto receipts = db.receipts_for_sent(sent_key(db, w.martin.str(), sent_uid)).value();
        REQUIRE(receipts.size() == 1);
        CHECK(receipts[0].reader == w.bernard.str());
        CHECK(receipts[0].disposition == "displayed");
        CHECK(receipts[0].date == read_at);
        CHECK(receipts[0].original_message_id == "orig-1@regional.mssante.test");
        CHECK(receipts[0].notification.uid == mdn_uid);
        CHECK(db.receipts_for_sent(sent_key(db, w.martin.str(), sent_uid + 1)).value().empty());

        // The issue asks to link receipts, not to hide them: the receipt stays an ordinary
        // (unread) message of the inbox.
        auto links = w.links(db);
        service::folder_service folders(w.io.get_executor(), db, links);
        const auto inbox = folders.list(w.dr_martin, virtual_folder::inbox).value();
        CHECK(inbox.messages.size() == 2);
        CHECK(unread_in(inbox.unread, virtual_folder::inbox) == 2);
        // Totals count read and unread alike: two sent, two received (one of them the receipt).
        const auto totals = folders.totals(w.dr_martin).value();
        CHECK(totals[static_cast<std::size_t>(virtual_folder::all)] == 4);
        CHECK(totals[static_cast<std::size_t>(virtual_folder::professionals_sent)] == 2);
        CHECK(totals[static_cast<std::size_t>(virtual_folder::inbox)] == 2);
        CHECK(inbox.totals == totals);

        // Nothing new: nothing fetched again, nothing recorded twice.
        CHECK(w.sync(s, link).receipts == 0);
        CHECK(db.receipts_for(w.martin.str(), "orig-1@regional.mssante.test").value().size() == 1);
    }

    TEST_CASE_TEMPLATE("a receipt whose reader was not a recipient of the message, as the outbox knows it, is "
                       "not recorded",
                       F, memory_fixture, sqlite_fixture)
    {
        F f;
        auto& db = f.get();
        world w;
        const auto link = w.link(db);
        // As the sender typed it; receipts name their reader in lower case.
        const auto durand = addr("Dr.Durand@regional.mssante.test");
        const auto mallory = addr("mallory@regional.mssante.test");
        // Sent through the library: the outbox knows its recipients, Bernard and (Cc) Durand.
        const std::string sent = w.original("orig-out@regional.mssante.test");
        store::outbox_item item{0, w.dr_martin.ref(), w.dr_martin.id,
                                {w.martin, {{w.bernard}, {durand}}, "orig-out@regional.mssante.test", sent, false, false}};
        item.created_at = read_at - 1h;
        REQUIRE(db.enqueue(item).has_value());
        w.op.deliver(w.martin, "Sent", sent, transport::message_flags::seen);
        // Sent from another client: the outbox does not know whom it went to.
        const std::string elsewhere = w.original("orig-else@regional.mssante.test");
        w.op.deliver(w.martin, "Sent", elsewhere, transport::message_flags::seen);

        auto receipt_by = [&](const std::string& original, const std::string& id, const domain::email_address& reader) {
            const auto request = service::receipt_requested(original).value();
            diagnostics diag;
            auto mdn = service::make_read_receipt(request, {reader, domain::mailbox_type::per, "", ""}, "NIL-TEST", id,
                                                  read_at, diag);
            REQUIRE(mdn.has_value());
            return mdn->data;
        };
        w.op.deliver(w.martin, "INBOX", receipt_by(sent, "mdn-b@regional.mssante.test", w.bernard));
        // Mallory never received it: a receipt in her name is a forgery.
        const auto forged_uid =
            w.op.deliver(w.martin, "INBOX", receipt_by(sent, "mdn-m@regional.mssante.test", mallory));
        // Durand's receipt names "dr.durand": the same mailbox as the recipient "Dr.Durand".
        w.op.deliver(w.martin, "INBOX",
                     receipt_by(sent, "mdn-d@regional.mssante.test", addr("dr.durand@regional.mssante.test")));
        // Nothing to check this one against: recorded as before.
        w.op.deliver(w.martin, "INBOX", receipt_by(elsewhere, "mdn-e@regional.mssante.test", mallory));

        service::sync_service s(w.io.get_executor(), db);
        const auto report = w.sync(s, link);
        CHECK(report.added == 6);
        CHECK(report.receipts == 3);
        CHECK(report.receipts_ignored == 1);

        const auto out = db.receipts_for(w.martin.str(), "orig-out@regional.mssante.test").value();
        REQUIRE(out.size() == 2);
        CHECK(out[0].reader == w.bernard.str());
        CHECK(out[1].reader == "dr.durand@regional.mssante.test");
        const auto else_receipts = db.receipts_for(w.martin.str(), "orig-else@regional.mssante.test").value();
        REQUIRE(else_receipts.size() == 1);
        CHECK(else_receipts[0].reader == mallory.str());
        // The forged receipt stays an ordinary message of the index.
        const auto inbox_state = db.sync_state(w.martin.str(), "INBOX").value();
        CHECK(db.find_message({w.martin.str(), "INBOX", inbox_state.uid_validity, forged_uid}).value().has_value());
        CHECK(db.receipts_for_outbox(1).value().size() == 2);
    }

    TEST_CASE("receipts Martin sends himself (in Sent) are not receipts for him; a huge report is only indexed")
    {
        world w;
        store::memory_store db;
        const auto link = w.link(db);
        const std::string theirs =
            "Return-Path: <" + w.bernard.str() + ">\r\nFrom: <" + w.bernard.str() + ">\r\nTo: <" + w.martin.str() +
            ">\r\nSubject: Question\r\nMessage-ID: <q@x>\r\nDisposition-Notification-To: <" + w.bernard.str() +
            ">\r\n\r\nx\r\n";
        // Martin's own receipt to Bernard, copied into his Sent.
        const auto request = service::receipt_requested(theirs).value();
        diagnostics diag;
        auto own = service::make_read_receipt(request, {w.martin, domain::mailbox_type::per, "", ""}, "NIL", "own@x",
                                              read_at, diag)
                       .value();
        w.op.deliver(w.martin, "Sent", own.data, transport::message_flags::seen);
        // A report carrying a huge original (RFC 8098 allows returning it) is not fetched.
        std::string huge = w.receipt_for(w.original("orig-9@regional.mssante.test"), "mdn-9@x");
        huge.insert(huge.rfind("--=_mss_mdn_"), "--=_mss_mdn_mdn-9\r\nContent-Type: text/plain\r\n\r\n" +
                                                    std::string(1100 * 1024, 'x') + "\r\n");
        w.op.deliver(w.martin, "INBOX", huge);

        service::sync_service s(w.io.get_executor(), db);
        const auto report = w.sync(s, link);
        CHECK(report.added == 2);
        CHECK(report.receipts == 0);
        CHECK(db.receipts_for(w.martin.str(), "q@x").value().empty());
        CHECK(db.receipts_for(w.martin.str(), "orig-9@regional.mssante.test").value().empty());
    }

    TEST_CASE("push: a receipt delivered while watching is recorded in the round that indexes it")
    {
        world w;
        store::memory_store db;
        const auto link = w.link(db);
        const std::string sent = w.original("orig-push@regional.mssante.test");
        const auto sent_uid = w.op.deliver(w.martin, "Sent", sent, transport::message_flags::seen);
        service::sync_service s(w.io.get_executor(), db);
        auto access = w.op.access(w.martin);
        diagnostics diag;
        asio::cancellation_signal stop;
        std::vector<service::sync_report> rounds;
        boost::system::error_code ended;
        s.async_watch(link, *access, diag,
                      [&](const service::sync_report& r) {
                          rounds.push_back(r);
                          if (r.receipts > 0)
                              stop.emit(asio::cancellation_type::terminal);
                      },
                      std::chrono::minutes(25),
                      asio::bind_cancellation_slot(stop.slot(), [&](boost::system::error_code ec) { ended = ec; }));
        asio::steady_timer later(w.io, 50ms);
        later.async_wait([&](auto) {
            w.op.deliver(w.martin, "INBOX", w.receipt_for(sent, "mdn-push@regional.mssante.test"));
        });
        w.io.run_for(5s);
        REQUIRE(rounds.size() == 2);
        CHECK(rounds[0].receipts == 0);
        CHECK(rounds[1].added == 1);
        CHECK(rounds[1].receipts == 1);
        CHECK(ended == asio::error::operation_aborted);
        const auto receipts = db.receipts_for_sent(sent_key(db, w.martin.str(), sent_uid)).value();
        REQUIRE(receipts.size() == 1);
        CHECK(receipts[0].reader == w.bernard.str());
    }
}
