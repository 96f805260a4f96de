// SPDX-License-Identifier: Apache-2.0
// One contract, two stores: every case runs against memory_store and sqlite_store.
#include <mss/domain/errc.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/store/sqlite_store.hpp>

#include "store_fixtures.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace mss;
using namespace store_contract;
using namespace std::chrono_literals;

namespace {

domain::mailbox_link link(std::string account_id, domain::account_kind kind, std::string_view address,
                          domain::mailbox_type type = domain::mailbox_type::per)
{
    return {{kind, std::move(account_id)},
            {domain::email_address::parse(address).value(), type, "Medimail", "Dr_Jean_MARTIN_Cardiologie"},
            domain::link_state::synchronising,
            t0};
}

}  // namespace

TEST_CASE_TEMPLATE("store: a link is saved, found by account and by mailbox, updated and deleted", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    auto l = link("p1", domain::account_kind::person, "dr.martin@regional.mssante.test");
    REQUIRE_FALSE(db.save_link(l));
    auto mine = db.links_of(l.account).value();
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].box.address == l.box.address);
    CHECK(mine[0].box.type == domain::mailbox_type::per);
    CHECK(mine[0].box.display_label == "Dr_Jean_MARTIN_Cardiologie");
    CHECK(mine[0].linked_at == t0);
    CHECK(mine[0].state == domain::link_state::synchronising);

    l.state = domain::link_state::ready;
    REQUIRE_FALSE(db.save_link(l));
    auto found = db.link_of_mailbox("dr.martin@regional.mssante.test").value();
    REQUIRE(found.has_value());
    CHECK(found->state == domain::link_state::ready);
    CHECK(db.all_links().value().size() == 1);

    REQUIRE_FALSE(db.delete_link(l.account, "dr.martin@regional.mssante.test"));
    CHECK_FALSE(db.link_of_mailbox("dr.martin@regional.mssante.test").value().has_value());
    CHECK(db.delete_link(l.account, "dr.martin@regional.mssante.test") == domain::errc::link_not_found);
}

TEST_CASE_TEMPLATE("store: a mailbox linked to one account cannot be linked to another", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    REQUIRE_FALSE(db.save_link(link("s1", domain::account_kind::structure, "cardiologie.chu@regional.mssante.test",
                                    domain::mailbox_type::org)));
    CHECK(db.save_link(link("s2", domain::account_kind::structure, "cardiologie.chu@regional.mssante.test",
                            domain::mailbox_type::org)) == domain::errc::mailbox_linked_elsewhere);
    // A person with the same id as the structure is another account.
    CHECK(db.save_link(link("s1", domain::account_kind::person, "cardiologie.chu@regional.mssante.test")) ==
          domain::errc::mailbox_linked_elsewhere);
    CHECK(db.link_of_mailbox("cardiologie.chu@regional.mssante.test").value()->account.id == "s1");
}

TEST_CASE_TEMPLATE("store: a pending code keeps only its salt and hash, and is replaced by a new one", F,
                   memory_fixture, sqlite_fixture)
{
    F f;
    auto& db = f.get();
    domain::account_ref account{domain::account_kind::person, "p1"};
    domain::pending_link_code code{account, "dr.martin@regional.mssante.test", std::string("s\0lt", 4),
                                   std::string(32, '\x01'), t0, 0, false};
    REQUIRE_FALSE(db.save_pending_code(code));
    auto read = db.pending_code(account, code.mailbox).value();
    REQUIRE(read.has_value());
    CHECK(read->salt == code.salt);  // binary-safe
    CHECK(read->hash == code.hash);
    CHECK(read->issued_at == t0);

    code.failed_attempts = 3;
    code.salt = "new";
    REQUIRE_FALSE(db.save_pending_code(code));
    read = db.pending_code(account, code.mailbox).value();
    CHECK(read->failed_attempts == 3);
    CHECK(read->salt == "new");

    REQUIRE_FALSE(db.delete_pending_code(account, code.mailbox));
    CHECK_FALSE(db.pending_code(account, code.mailbox).value().has_value());
}

TEST_CASE_TEMPLATE("store: code requests are returned from a given time", F, memory_fixture, sqlite_fixture)
{
    F f;
    auto& db = f.get();
    domain::account_ref account{domain::account_kind::person, "p1"};
    for (auto t : {t0, t0 + 10min, t0 + 70min})
        REQUIRE_FALSE(db.record_code_request(account, "a@b.test", t));
    CHECK(db.code_requests(account, "a@b.test", t0 + 5min).value().size() == 2);
    CHECK(db.code_requests(account, "other@b.test", t0).value().empty());
    CHECK(db.code_requests({domain::account_kind::person, "p2"}, "a@b.test", t0).value().empty());
}

TEST_CASE_TEMPLATE("store: a revoked delegation stays on record and a new grant is separate", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    domain::delegation d{"s1", "p1", domain::delegate_role::delegate, t0, "admin", {}, {}};
    REQUIRE_FALSE(db.save_delegation(d));
    REQUIRE_FALSE(db.save_delegation({"s1", "p2", domain::delegate_role::administrator, t0, "admin", {}, {}}));
    REQUIRE_FALSE(db.save_delegation({"s2", "p1", domain::delegate_role::delegate, t0, "admin", {}, {}}));
    d.revoked_at = t0 + 1h;
    d.revoked_by = "admin";
    REQUIRE_FALSE(db.save_delegation(d));
    auto of_s1 = db.delegations_of_structure("s1").value();
    REQUIRE(of_s1.size() == 2);
    CHECK_FALSE(of_s1[0].active());
    CHECK(of_s1[0].revoked_at == t0 + 1h);
    CHECK(of_s1[1].role == domain::delegate_role::administrator);
    auto of_p1 = db.delegations_of_person("p1").value();
    REQUIRE(of_p1.size() == 2);
    CHECK(of_p1[1].active());  // the grant of s2 is untouched
}

TEST_CASE_TEMPLATE("store: the audit trail of a mailbox is kept in order", F, memory_fixture, sqlite_fixture)
{
    F f;
    auto& db = f.get();
    domain::account_ref s1{domain::account_kind::structure, "s1"};
    REQUIRE_FALSE(db.append_audit({t0, "p1", s1, "org@x.test", "linked", ""}));
    REQUIRE_FALSE(db.append_audit({t0 + 1s, "p2", s1, "org@x.test", "sent", "id@x.test"}));
    REQUIRE_FALSE(db.append_audit({t0 + 2s, "p3", s1, "other@x.test", "read", ""}));
    auto trail = db.audit_of_mailbox("org@x.test").value();
    REQUIRE(trail.size() == 2);
    CHECK(trail[0].action == "linked");
    CHECK(trail[1].person_id == "p2");
    CHECK(trail[1].detail == "id@x.test");
}

TEST_CASE("sqlite store: the state survives closing and reopening the file")
{
    const auto path = temp_db();
    diagnostics diag;
    {
        auto db = store::sqlite_store::open(path.string(), diag).value();
        REQUIRE_FALSE(db->save_link(link("p1", domain::account_kind::person, "dr.martin@regional.mssante.test")));
        REQUIRE_FALSE(db->save_delegation({"s1", "p1", domain::delegate_role::delegate, t0, "admin", {}, {}}));
    }
    {
        auto db = store::sqlite_store::open(path.string(), diag).value();
        CHECK(db->links_of({domain::account_kind::person, "p1"}).value().size() == 1);
        CHECK(db->delegations_of_person("p1").value().size() == 1);
        CHECK(db->integrity_check());
    }
    remove_db(path);
}

namespace {

domain::indexed_message indexed(std::string mailbox, std::string folder, std::uint32_t uid, std::chrono::sys_seconds date,
                                domain::message_direction direction, domain::exchange_kind exchange, bool seen,
                                bool in_inbox)
{
    domain::indexed_message m;
    m.key = {std::move(mailbox), std::move(folder), 7, uid};
    m.message_id = "m" + std::to_string(uid) + "@test";
    m.subject = "Sujet " + std::to_string(uid);
    m.from = "Dr X <x@national.mssante.test>";
    m.date = date;
    m.size = 1000;
    m.seen = seen;
    m.modseq = uid;
    m.classification = {direction, exchange, "x@national.mssante.test"};
    m.in_inbox = in_inbox;
    return m;
}

// INBOX of `box`: uids 1..n, alternately professional/patient every 4th, unread when odd;
// Sent: uids 1..n/2, professional, read.
store::folder_update inbox_update(const std::string& box, std::uint32_t n, std::chrono::sys_seconds base)
{
    using domain::exchange_kind;
    using domain::message_direction;
    store::folder_update u{box, "INBOX", {7, n + 1, n}, false, {}, {}, {}};
    for (std::uint32_t uid = 1; uid <= n; ++uid)
    {
        const auto exchange = uid % 4 == 0 ? exchange_kind::patient : exchange_kind::professional;
        u.added.push_back(indexed(box, "INBOX", uid, base + std::chrono::minutes(uid), message_direction::received,
                                  exchange, uid % 2 == 0, exchange == exchange_kind::professional));
    }
    return u;
}

std::size_t count(const store::unread_counts& c, domain::virtual_folder f) { return c[static_cast<std::size_t>(f)]; }

}  // namespace

TEST_CASE_TEMPLATE("store: folders list newest first across mailboxes, page by page, without gaps", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    REQUIRE_FALSE(db.apply(inbox_update("a@x.test", 40, t0)));
    REQUIRE_FALSE(db.apply(inbox_update("b@x.test", 40, t0 + 30s)));
    store::folder_query q{{"a@x.test", "b@x.test"}, domain::virtual_folder::all, true, {}, 15};
    std::vector<std::pair<std::chrono::sys_seconds, std::int64_t>> seen_order;
    int pages = 0;
    for (;;)
    {
        auto page = db.list(q).value();
        ++pages;
        for (const auto& m : page.messages)
            seen_order.push_back({m.date, m.sequence});
        if (!page.next)
            break;
        q.after = page.next;
    }
    CHECK(pages == 6);
    REQUIRE(seen_order.size() == 80);
    CHECK(std::is_sorted(seen_order.begin(), seen_order.end(), std::greater<>()));
    CHECK(std::adjacent_find(seen_order.begin(), seen_order.end()) == seen_order.end());
}

TEST_CASE_TEMPLATE("store: virtual folders hold what the classification says", F, memory_fixture, sqlite_fixture)
{
    F f;
    auto& db = f.get();
    auto u = inbox_update("a@x.test", 8, t0);  // patients: 4 and 8
    REQUIRE_FALSE(db.apply(u));
    store::folder_update sent{"a@x.test", "Sent", {9, 3, 2}, false, {}, {}, {}};
    sent.added.push_back(indexed("a@x.test", "Sent", 1, t0 + 1h, domain::message_direction::sent,
                                 domain::exchange_kind::professional, true, false));
    sent.added.push_back(indexed("a@x.test", "Sent", 2, t0 + 2h, domain::message_direction::sent,
                                 domain::exchange_kind::patient, true, false));
    REQUIRE_FALSE(db.apply(sent));
    auto size_of = [&](domain::virtual_folder folder, bool patients) {
        return db.list({{"a@x.test"}, folder, patients, {}, 100}).value().messages.size();
    };
    using domain::virtual_folder;
    CHECK(size_of(virtual_folder::all, true) == 10);
    CHECK(size_of(virtual_folder::professionals, true) == 7);
    CHECK(size_of(virtual_folder::professionals_received, true) == 6);
    CHECK(size_of(virtual_folder::professionals_sent, true) == 1);
    CHECK(size_of(virtual_folder::patients, true) == 3);
    CHECK(size_of(virtual_folder::patients_received, true) == 2);
    CHECK(size_of(virtual_folder::patients_sent, true) == 1);
    CHECK(size_of(virtual_folder::unread, true) == 4);  // odd uids
    CHECK(size_of(virtual_folder::inbox, true) == 6);
    // Without patient rights the patient folders stay empty and patient mail shows nowhere.
    CHECK(size_of(virtual_folder::patients, false) == 0);
    CHECK(size_of(virtual_folder::all, false) == 7);

    const auto counts = db.count_unread({"a@x.test"}, true).value();
    CHECK(count(counts, virtual_folder::all) == 4);
    CHECK(count(counts, virtual_folder::unread) == 4);
    CHECK(count(counts, virtual_folder::professionals) == 4);
    CHECK(count(counts, virtual_folder::professionals_received) == 4);
    CHECK(count(counts, virtual_folder::professionals_sent) == 0);
    CHECK(count(counts, virtual_folder::patients) == 0);
    CHECK(count(counts, virtual_folder::inbox) == 4);
}

TEST_CASE_TEMPLATE("store: read marks, expunges and full resyncs update lists and counts", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    REQUIRE_FALSE(db.apply(inbox_update("a@x.test", 8, t0)));
    using domain::virtual_folder;
    CHECK(count(db.count_unread({"a@x.test"}, true).value(), virtual_folder::unread) == 4);

    REQUIRE_FALSE(db.set_seen({"a@x.test", "INBOX", 7, 1}, true));
    CHECK(count(db.count_unread({"a@x.test"}, true).value(), virtual_folder::unread) == 3);
    CHECK(db.find_message({"a@x.test", "INBOX", 7, 1}).value()->seen);
    // A key with another UIDVALIDITY is another message: nothing changes.
    REQUIRE_FALSE(db.set_seen({"a@x.test", "INBOX", 8, 3}, true));
    CHECK(count(db.count_unread({"a@x.test"}, true).value(), virtual_folder::unread) == 3);

    store::folder_update delta{"a@x.test", "INBOX", {7, 10, 20}, false, {}, {{3, true, 15}, {2, false, 16}}, {5}};
    // uids 1..8 are already indexed (all but the expunged 5 are sent again): only 9 is new.
    for (auto& m : inbox_update("a@x.test", 9, t0).added)
        if (m.key.uid != 5)
            delta.added.push_back(std::move(m));
    REQUIRE_FALSE(db.apply(delta));
    CHECK(db.list({{"a@x.test"}, virtual_folder::all, true, {}, 100}).value().messages.size() == 8);
    // unread: 7 (odd, still unread), 9 (new), 2 (marked unread) → 3; 1 and 3 read; 5 expunged
    CHECK(count(db.count_unread({"a@x.test"}, true).value(), virtual_folder::unread) == 3);
    CHECK(db.sync_state("a@x.test", "INBOX").value() == transport::folder_sync_state{7, 10, 20});
    CHECK_FALSE(db.find_message({"a@x.test", "INBOX", 7, 5}).value().has_value());

    store::folder_update resync{"a@x.test", "INBOX", {8, 3, 30}, true, {}, {}, {}};
    resync.added.push_back(indexed("a@x.test", "INBOX", 1, t0, domain::message_direction::received,
                                   domain::exchange_kind::professional, false, true));
    resync.added.back().key.uid_validity = 8;
    REQUIRE_FALSE(db.apply(resync));
    CHECK(db.list({{"a@x.test"}, virtual_folder::all, true, {}, 100}).value().messages.size() == 1);
    CHECK(count(db.count_unread({"a@x.test"}, true).value(), virtual_folder::unread) == 1);
}

TEST_CASE_TEMPLATE("store: inbox settings are kept per account and unlinking forgets the index", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    const domain::account_ref p1{domain::account_kind::person, "p1"};
    CHECK(db.inbox_settings_of(p1).value() == domain::inbox_settings{});
    REQUIRE_FALSE(db.save_inbox_settings(p1, {true, false, true}));
    CHECK(db.inbox_settings_of(p1).value() == domain::inbox_settings{true, false, true});
    CHECK(db.inbox_settings_of({domain::account_kind::structure, "p1"}).value() == domain::inbox_settings{});

    REQUIRE_FALSE(db.save_link(link("p1", domain::account_kind::person, "dr.martin@regional.mssante.test")));
    REQUIRE_FALSE(db.apply(inbox_update("dr.martin@regional.mssante.test", 5, t0)));
    REQUIRE_FALSE(db.delete_link(p1, "dr.martin@regional.mssante.test"));
    CHECK(db.list({{"dr.martin@regional.mssante.test"}, domain::virtual_folder::all, true, {}, 100})
              .value()
              .messages.empty());
    CHECK(db.sync_state("dr.martin@regional.mssante.test", "INBOX").value() == transport::folder_sync_state{});
    CHECK(count(db.count_unread({"dr.martin@regional.mssante.test"}, true).value(), domain::virtual_folder::all) == 0);
}

namespace {

store::outbox_item outbox_message(std::string id)
{
    store::outbox_item item{0,
                            {domain::account_kind::person, "p1"},
                            "p1",
                            {domain::email_address::parse("dr.martin@regional.mssante.test").value(),
                             {{domain::email_address::parse("dr.bernard@national.mssante.test").value(),
                               transport::dsn_notify::success | transport::dsn_notify::failure},
                              {domain::email_address::parse("nobody@national.mssante.test").value()}},
                             id,
                             std::string("From: a\r\n\r\nbinary \0 safe\r\n", 26),
                             true,
                             false}};
    item.created_at = t0;
    return item;
}

}  // namespace

TEST_CASE_TEMPLATE("store: an outbox item keeps its message whole and follows its states", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    const auto id = db.enqueue(outbox_message("id-1@regional.mssante.test")).value();
    auto item = db.outbox_item_by_id(id).value().value();
    CHECK(item.state == domain::outbox_state::queued);
    CHECK(item.message.data == std::string("From: a\r\n\r\nbinary \0 safe\r\n", 26));
    CHECK(item.message.message_id == "id-1@regional.mssante.test");
    REQUIRE(item.message.recipients.size() == 2);
    CHECK(item.message.recipients[0].notify == (transport::dsn_notify::success | transport::dsn_notify::failure));
    CHECK(item.message.eight_bit);
    CHECK(item.created_at == t0);
    CHECK(db.due_outbox(t0).value().size() == 1);

    item.state = domain::outbox_state::retry;
    item.attempts = 1;
    item.next_attempt_at = t0 + 30s;
    item.last_error = "451 4.3.0 temporary";
    REQUIRE_FALSE(db.update_outbox(item));
    CHECK(db.due_outbox(t0 + 29s).value().empty());
    CHECK(db.due_outbox(t0 + 30s).value().size() == 1);

    item.state = domain::outbox_state::sent;
    item.attempts = 2;
    item.copy_pending = true;
    item.results = {{item.message.recipients[0].address, true, 250, "2.1.5", "Ok"},
                    {item.message.recipients[1].address, false, 550, "5.1.1", "User unknown\tin table"}};
    REQUIRE_FALSE(db.update_outbox(item));
    CHECK(db.due_outbox(t0 + 1h).value().empty());
    auto copies = db.pending_copies().value();
    REQUIRE(copies.size() == 1);
    REQUIRE(copies[0].results.size() == 2);
    CHECK(copies[0].results[1].code == 550);
    CHECK(copies[0].results[1].enhanced_code == "5.1.1");
    CHECK_FALSE(copies[0].results[1].accepted);
    item.copy_pending = false;
    REQUIRE_FALSE(db.update_outbox(item));
    CHECK(db.pending_copies().value().empty());
}

TEST_CASE_TEMPLATE("store: items left sending by a crash are due again; failed ones are not", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    auto a = outbox_message("a@x");
    a.id = db.enqueue(a).value();
    auto b = outbox_message("b@x");
    b.id = db.enqueue(b).value();
    a.state = domain::outbox_state::sending;
    b.state = domain::outbox_state::failed;
    REQUIRE_FALSE(db.update_outbox(a));
    REQUIRE_FALSE(db.update_outbox(b));
    const auto due = db.due_outbox(t0).value();
    REQUIRE(due.size() == 1);
    CHECK(due[0].id == a.id);
}

TEST_CASE_TEMPLATE("store: an outbox item is found by its Message-ID and sending mailbox", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    const auto id = db.enqueue(outbox_message("orig-1@regional.mssante.test")).value();
    REQUIRE(db.enqueue(outbox_message("orig-2@regional.mssante.test")).has_value());
    auto found = db.outbox_item_by_message_id("dr.martin@regional.mssante.test", "orig-1@regional.mssante.test").value();
    REQUIRE(found.has_value());
    CHECK(found->id == id);
    REQUIRE(found->message.recipients.size() == 2);
    CHECK(found->message.recipients[0].address.str() == "dr.bernard@national.mssante.test");
    // Another mailbox's message, or an unknown one: none.
    CHECK_FALSE(db.outbox_item_by_message_id("dr.bernard@national.mssante.test", "orig-1@regional.mssante.test")
                    .value()
                    .has_value());
    CHECK_FALSE(db.outbox_item_by_message_id("dr.martin@regional.mssante.test", "orig-3@regional.mssante.test")
                    .value()
                    .has_value());
}

TEST_CASE("outbox: retries back off exponentially up to a cap, then give up")
{
    const domain::retry_policy policy{30s, 5min, 6};
    CHECK(domain::next_attempt(policy, 1, t0) == t0 + 30s);
    CHECK(domain::next_attempt(policy, 2, t0) == t0 + 60s);
    CHECK(domain::next_attempt(policy, 3, t0) == t0 + 120s);
    CHECK(domain::next_attempt(policy, 4, t0) == t0 + 240s);
    CHECK(domain::next_attempt(policy, 5, t0) == t0 + 5min);
    CHECK_FALSE(domain::next_attempt(policy, 6, t0).has_value());
}
