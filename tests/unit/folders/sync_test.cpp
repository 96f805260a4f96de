// SPDX-License-Identifier: Apache-2.0
// Synchronisation into virtual folders over the in-memory operator.
#include "operator_world.hpp"

#include <mss/domain/errc.hpp>
#include <mss/service/folder_service.hpp>
#include <mss/service/sync_service.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/store/sqlite_store.hpp>
#include <mss/transport/in_memory_operator.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

using namespace mss;
using namespace folders_test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using domain::virtual_folder;

namespace {

std::string mail(std::string_view from, std::string_view to, std::string_view subject, std::string_view id)
{
    return "From: " + std::string(from) + "\r\nTo: " + std::string(to) + "\r\nSubject: " + std::string(subject) +
           "\r\nMessage-ID: <" + std::string(id) + ">\r\n\r\nCorps du message\r\n";
}

struct world : operator_world
{
    domain::email_address cardio = addr("cardiologie.chu@regional.mssante.test");
    domain::email_address durand = addr("infirmier.durand@regional.mssante.test");
    domain::person nurse{"p-durand", "Paul Durand", {}, {}, "Infirmier"};

    world() { open({martin, cardio, durand}); }

    void link(store::store& db, const domain::account_ref& account, const domain::email_address& box,
              domain::mailbox_type type)
    {
        REQUIRE_FALSE(db.save_link({account, {box, type, "Medimail", ""}, domain::link_state::synchronising, {}}));
    }

    service::sync_report sync(service::sync_service& s, store::store& db, const domain::email_address& box,
                              service::sync_progress progress = {})
    {
        return sync_link(s, db.link_of_mailbox(box.str()).value().value(), box, std::move(progress));
    }
};


}  // namespace

TEST_SUITE("folders: synchronisation")
{
    TEST_CASE("the first sync indexes INBOX and Sent into the right virtual folders, with progress")
    {
        world w;
        store::memory_store db;
        w.link(db, w.dr_martin.ref(), w.martin, domain::mailbox_type::per);
        for (int i = 0; i < 7; ++i)
            w.op.deliver(w.martin, "INBOX",
                         mail("Dr Bernard <dr.bernard@national.mssante.test>", w.martin.str(), "CR", "in" + std::to_string(i) + "@x"));
        w.op.deliver(w.martin, "INBOX", mail("279035121518989@patient.mssante.fr", w.martin.str(), "Question", "pat@x"));
        w.op.deliver(w.martin, "Sent", mail(w.martin.str(), "dr.bernard@national.mssante.test", "Avis", "out@x"),
                     transport::message_flags::seen);
        w.op.deliver(w.martin, "Sent", mail(w.martin.str(), "279035121518989@patient.mssante.fr", "RE: Question", "outp@x"),
                     transport::message_flags::seen);

        service::sync_service s(w.io.get_executor(), db);
        s.set_batch_size(3);
        std::vector<std::pair<std::size_t, std::size_t>> progress;
        const auto report = w.sync(s, db, w.martin, [&](std::size_t done, std::size_t total) { progress.push_back({done, total}); });
        CHECK(report.added == 10);
        // INBOX: 8 in batches of 3 → 3, 6, 8; Sent: 2.
        CHECK(progress == std::vector<std::pair<std::size_t, std::size_t>>{{3, 8}, {6, 8}, {8, 8}, {2, 2}});

        auto links = w.links(db);
        service::folder_service folders(w.io.get_executor(), db, links);
        auto size = [&](virtual_folder f) { return folders.list(w.dr_martin, f).value().messages.size(); };
        CHECK(size(virtual_folder::all) == 10);
        CHECK(size(virtual_folder::professionals_received) == 7);
        CHECK(size(virtual_folder::professionals_sent) == 1);
        CHECK(size(virtual_folder::patients_received) == 1);
        CHECK(size(virtual_folder::patients_sent) == 1);
        CHECK(size(virtual_folder::inbox) == 8);
        const auto listing = folders.list(w.dr_martin, virtual_folder::patients_received).value();
        CHECK(listing.messages[0].counterpart_label == "Patient (INS 279035121518989)");
        CHECK(unread_in(listing.unread, virtual_folder::unread) == 8);
        CHECK(unread_in(listing.unread, virtual_folder::patients) == 1);
    }

    TEST_CASE("an incremental sync reports exactly the changes made elsewhere")
    {
        world w;
        store::memory_store db;
        w.link(db, w.dr_martin.ref(), w.martin, domain::mailbox_type::per);
        std::vector<std::uint32_t> uids;
        for (int i = 0; i < 5; ++i)
            uids.push_back(w.op.deliver(w.martin, "INBOX", mail("a@national.mssante.test", w.martin.str(), "s", "m" + std::to_string(i) + "@x")));
        service::sync_service s(w.io.get_executor(), db);
        CHECK(w.sync(s, db, w.martin).added == 5);

        const auto nothing = w.sync(s, db, w.martin);
        CHECK(nothing.added == 0);
        CHECK(nothing.flag_changes == 0);
        CHECK(nothing.removed == 0);

        // Another client reads one message and expunges another; a new message arrives.
        auto other = w.op.access(w.martin);
        diagnostics diag;
        other->async_store_flags("INBOX", uids[0], transport::message_flags::seen, transport::message_flags::none, diag,
                                 [](auto) {});
        w.io.restart();
        w.io.run();
        w.op.expunge(w.martin, "INBOX", uids[1]);
        w.op.deliver(w.martin, "INBOX", mail("a@national.mssante.test", w.martin.str(), "s", "new@x"));
        const auto delta = w.sync(s, db, w.martin);
        CHECK(delta.added == 1);
        CHECK(delta.flag_changes == 1);
        CHECK(delta.removed == 1);

        auto links = w.links(db);
        service::folder_service folders(w.io.get_executor(), db, links);
        const auto all = folders.list(w.dr_martin, virtual_folder::all).value();
        CHECK(all.messages.size() == 5);
        CHECK(unread_in(all.unread, virtual_folder::unread) == 4);
    }

    TEST_CASE("a UIDVALIDITY change gives a clean full resync without duplicates")
    {
        world w;
        store::memory_store db;
        w.link(db, w.dr_martin.ref(), w.martin, domain::mailbox_type::per);
        for (int i = 0; i < 4; ++i)
            w.op.deliver(w.martin, "INBOX", mail("a@national.mssante.test", w.martin.str(), "s", "m" + std::to_string(i) + "@x"));
        service::sync_service s(w.io.get_executor(), db);
        w.sync(s, db, w.martin);
        w.op.renumber_folder(w.martin, "INBOX");
        const auto report = w.sync(s, db, w.martin);
        CHECK(report.full_resyncs == 1);
        CHECK(report.added == 4);
        CHECK(db.list({{w.martin.str()}, virtual_folder::all, true, {}, 100}).value().messages.size() == 4);
    }

    TEST_CASE("inbox settings apply to new messages only")
    {
        world w;
        store::memory_store db;
        w.link(db, w.dr_martin.ref(), w.martin, domain::mailbox_type::per);
        w.op.deliver(w.martin, "INBOX", mail("a@national.mssante.test", w.martin.str(), "before", "before@x"));
        service::sync_service s(w.io.get_executor(), db);
        w.sync(s, db, w.martin);
        auto links = w.links(db);
        service::folder_service folders(w.io.get_executor(), db, links);
        REQUIRE(folders.list(w.dr_martin, virtual_folder::inbox).value().messages.size() == 1);

        // The user no longer wants professional mail in the inbox.
        REQUIRE_FALSE(db.save_inbox_settings(w.dr_martin.ref(), {true, false, true}));
        w.op.deliver(w.martin, "INBOX", mail("a@national.mssante.test", w.martin.str(), "after", "after@x"));
        w.op.deliver(w.martin, "INBOX", mail("279035121518989@patient.mssante.fr", w.martin.str(), "patient", "p@x"));
        w.sync(s, db, w.martin);
        const auto inbox = folders.list(w.dr_martin, virtual_folder::inbox).value().messages;
        REQUIRE(inbox.size() == 2);  // the earlier one stays, the new professional one does not land
        CHECK(inbox[0].message.subject == "patient");
        CHECK(inbox[1].message.subject == "before");
        CHECK(folders.list(w.dr_martin, virtual_folder::professionals_received).value().messages.size() == 2);
    }

    TEST_CASE("marking read updates the index and the server flag")
    {
        world w;
        store::memory_store db;
        w.link(db, w.dr_martin.ref(), w.martin, domain::mailbox_type::per);
        w.op.deliver(w.martin, "INBOX", mail("a@national.mssante.test", w.martin.str(), "s", "m@x"));
        service::sync_service s(w.io.get_executor(), db);
        w.sync(s, db, w.martin);
        auto links = w.links(db);
        service::folder_service folders(w.io.get_executor(), db, links);
        const auto key = folders.list(w.dr_martin, virtual_folder::unread).value().messages.at(0).message.key;
        auto access = w.op.access(w.martin);
        diagnostics diag;
        boost::system::error_code result = make_error_code(boost::system::errc::io_error);
        folders.async_mark_read(w.dr_martin, key, true, *access, diag, [&](auto ec) { result = ec; });
        w.io.restart();
        w.io.run();
        REQUIRE_FALSE(result);
        CHECK(folders.list(w.dr_martin, virtual_folder::unread).value().messages.empty());
        // The server has the flag: a fresh index built from the server agrees.
        store::memory_store fresh;
        w.link(fresh, w.dr_martin.ref(), w.martin, domain::mailbox_type::per);
        service::sync_service s2(w.io.get_executor(), fresh);
        w.sync(s2, fresh, w.martin);
        CHECK(unread_in(fresh.count_unread({w.martin.str()}, true).value(), virtual_folder::unread) == 0);

        // Someone without access may not touch it.
        folders.async_mark_read(w.nurse, key, false, *access, diag, [&](auto ec) { result = ec; });
        w.io.restart();
        w.io.run();
        CHECK(result == domain::errc::access_not_allowed);
    }

    TEST_CASE("delegates see the structure's mailbox in their folders until revoked; patient folders need RPPS")
    {
        world w;
        store::memory_store db;
        w.link(db, {domain::account_kind::structure, "s-chu"}, w.cardio, domain::mailbox_type::org);
        w.op.deliver(w.cardio, "INBOX", mail("279035121518989@patient.mssante.fr", w.cardio.str(), "patient", "p@x"));
        w.op.deliver(w.cardio, "INBOX", mail("a@national.mssante.test", w.cardio.str(), "pro", "q@x"));
        service::sync_service s(w.io.get_executor(), db);
        w.sync(s, db, w.cardio);
        auto links = w.links(db);
        REQUIRE_FALSE(links.grant_delegation({"s-chu", w.dr_martin.id, domain::delegate_role::delegate, {}, "admin", {}, {}}));
        REQUIRE_FALSE(links.grant_delegation({"s-chu", w.nurse.id, domain::delegate_role::delegate, {}, "admin", {}, {}}));
        service::folder_service folders(w.io.get_executor(), db, links);

        CHECK(folders.list(w.dr_martin, virtual_folder::all).value().messages.size() == 2);
        CHECK(folders.list(w.dr_martin, virtual_folder::patients).value().messages.size() == 1);
        // The nurse has no RPPS: the patient folder exists and stays empty.
        CHECK(folders.list(w.nurse, virtual_folder::all).value().messages.size() == 1);
        CHECK(folders.list(w.nurse, virtual_folder::patients).value().messages.empty());
        CHECK(unread_in(folders.unread(w.nurse).value(), virtual_folder::patients) == 0);

        REQUIRE_FALSE(links.revoke_delegation("s-chu", w.nurse.id, "admin"));
        CHECK(folders.list(w.nurse, virtual_folder::all).value().messages.empty());
    }

    TEST_CASE("push: a delivered message is indexed within 2 s, and cancellation stops watching")
    {
        world w;
        store::memory_store db;
        w.link(db, w.dr_martin.ref(), w.martin, domain::mailbox_type::per);
        service::sync_service s(w.io.get_executor(), db);
        auto link = db.link_of_mailbox(w.martin.str()).value().value();
        auto access = w.op.access(w.martin);
        diagnostics diag;
        asio::cancellation_signal stop;
        std::vector<std::size_t> rounds;
        std::chrono::steady_clock::time_point delivered, indexed;
        boost::system::error_code ended;
        s.async_watch(link, *access, diag,
                      [&](const service::sync_report& r) {
                          rounds.push_back(r.added);
                          if (r.added > 0)
                          {
                              indexed = std::chrono::steady_clock::now();
                              stop.emit(asio::cancellation_type::terminal);
                          }
                      },
                      std::chrono::minutes(25),
                      asio::bind_cancellation_slot(stop.slot(), [&](boost::system::error_code ec) { ended = ec; }));
        asio::steady_timer later(w.io, 50ms);
        later.async_wait([&](auto) {
            delivered = std::chrono::steady_clock::now();
            w.op.deliver(w.martin, "INBOX", mail("a@national.mssante.test", w.martin.str(), "push", "push@x"));
        });
        w.io.run();
        REQUIRE(rounds.size() == 2);  // the catch-up round, then the pushed message
        CHECK(rounds[1] == 1);
        CHECK(indexed - delivered < 2s);
        CHECK(ended == asio::error::operation_aborted);
    }

    TEST_CASE("with SQLite the index and sync state survive a restart; the next sync fetches nothing again")
    {
        const auto path = std::filesystem::temp_directory_path() / ("mss-sync-" + std::to_string(::getpid()) + ".db");
        world w;
        for (int i = 0; i < 3; ++i)
            w.op.deliver(w.martin, "INBOX", mail("a@national.mssante.test", w.martin.str(), "s", "m" + std::to_string(i) + "@x"));
        {
            diagnostics diag;
            auto db = store::sqlite_store::open(path.string(), diag).value();
            w.link(*db, w.dr_martin.ref(), w.martin, domain::mailbox_type::per);
            service::sync_service s(w.io.get_executor(), *db);
            CHECK(w.sync(s, *db, w.martin).added == 3);
        }
        {
            diagnostics diag;
            auto db = store::sqlite_store::open(path.string(), diag).value();
            service::sync_service s(w.io.get_executor(), *db);
            CHECK(w.sync(s, *db, w.martin).added == 0);
            CHECK(db->list({{w.martin.str()}, virtual_folder::all, true, {}, 50}).value().messages.size() == 3);
        }
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix);
    }
}
