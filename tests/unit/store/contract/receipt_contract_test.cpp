// SPDX-License-Identifier: Apache-2.0
// Read receipts in the store: one contract, both stores (memory and SQLite), and the SQLite
// migration that adds them to an existing file.
#include <mss/store/memory_store.hpp>
#include <mss/store/sqlite_database.hpp>
#include <mss/store/sqlite_store.hpp>

#include "store_fixtures.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace mss;
using namespace store_contract;
using namespace std::chrono_literals;

namespace {

const std::string martin = "dr.martin@regional.mssante.test";
const std::string bernard = "dr.bernard@national.mssante.test";
const std::string durand = "infirmier.durand@regional.mssante.test";
domain::indexed_message message(const std::string& mailbox, const std::string& folder, std::uint32_t uid,
                                std::string message_id, domain::message_direction direction)
{
    domain::indexed_message m;
    m.key = {mailbox, folder, 7, uid};
    m.message_id = std::move(message_id);
    m.subject = "Compte rendu";
    m.from = mailbox;
    m.date = t0 + std::chrono::minutes(uid);
    m.size = 900;
    m.seen = direction == domain::message_direction::sent;
    m.classification = {direction, domain::exchange_kind::professional, bernard};
    m.in_inbox = direction == domain::message_direction::received;
    return m;
}

// Martin's Sent: "orig-1" (uid 1) and "orig-2" (uid 2).
store::folder_update sent_folder()
{
    store::folder_update u{martin, "Sent", {9, 3, 2}, false, {}, {}, {}};
    u.added.push_back(message(martin, "Sent", 1, "orig-1@regional.mssante.test", domain::message_direction::sent));
    u.added.push_back(message(martin, "Sent", 2, "orig-2@regional.mssante.test", domain::message_direction::sent));
    for (auto& m : u.added)
        m.key.uid_validity = 9;
    return u;
}

store::receipt_record receipt(std::string original, std::string reader, std::string disposition,
                              std::chrono::sys_seconds date, std::uint32_t notification_uid)
{
    return {martin, std::move(original), std::move(reader), std::move(disposition), date,
            {martin, "INBOX", 7, notification_uid}};
}

// Martin's INBOX: the receipt messages themselves (uids 10...), with the receipts they carry.
store::folder_update inbox_with(std::vector<store::receipt_record> receipts, std::uint32_t uid_next)
{
    store::folder_update u{martin, "INBOX", {7, uid_next, uid_next}, false, {}, {}, {}};
    for (const auto& r : receipts)
        u.added.push_back(message(martin, "INBOX", r.notification.uid, "mdn-" + std::to_string(r.notification.uid) + "@x",
                                  domain::message_direction::received));
    u.receipts = std::move(receipts);
    return u;
}

}  // namespace

TEST_CASE_TEMPLATE("store: read receipts are recorded with the index and found by the sent message", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    REQUIRE_FALSE(db.apply(sent_folder()));
    // Durand reads first, Bernard later; Bernard's arrives in the index first.
    REQUIRE_FALSE(db.apply(inbox_with({receipt("orig-1@regional.mssante.test", bernard, "displayed", t0 + 2h, 10),
                                       receipt("orig-1@regional.mssante.test", durand, "displayed", t0 + 1h, 11)},
                                      12)));
    const auto found = db.receipts_for(martin, "orig-1@regional.mssante.test").value();
    REQUIRE(found.size() == 2);
    CHECK(found[0] == receipt("orig-1@regional.mssante.test", durand, "displayed", t0 + 1h, 11));
    CHECK(found[1] == receipt("orig-1@regional.mssante.test", bernard, "displayed", t0 + 2h, 10));
    CHECK(db.receipts_for(martin, "orig-2@regional.mssante.test").value().empty());
    // Another mailbox sent nothing under that Message-ID: it sees nothing.
    CHECK(db.receipts_for(bernard, "orig-1@regional.mssante.test").value().empty());

    // Through the sent message of the index.
    CHECK(db.receipts_for_sent({martin, "Sent", 9, 1}).value() == found);
    CHECK(db.receipts_for_sent({martin, "Sent", 9, 2}).value().empty());
    // The same UID under another UIDVALIDITY is another message: not found, no receipts.
    CHECK(db.receipts_for_sent({martin, "Sent", 8, 1}).value().empty());
    // The receipt messages are ordinary messages of the index (unread, in the inbox)...
    CHECK(db.find_message({martin, "INBOX", 7, 10}).value().has_value());
    CHECK(db.count_unread({martin}, true).value()[static_cast<std::size_t>(domain::virtual_folder::inbox)] == 2);
}

TEST_CASE_TEMPLATE("store: a receipt is never shown against a received message, even with the same Message-ID", F,
                   memory_fixture, sqlite_fixture)
{
    F f;
    auto& db = f.get();
    // A forged receipt names a message Martin received (not one he sent).
    store::folder_update inbox{martin, "INBOX", {7, 3, 3}, false, {}, {}, {}};
    inbox.added.push_back(message(martin, "INBOX", 1, "theirs@national.mssante.test", domain::message_direction::received));
    inbox.added.push_back(message(martin, "INBOX", 2, "mdn-2@x", domain::message_direction::received));
    inbox.receipts.push_back(receipt("theirs@national.mssante.test", bernard, "displayed", t0, 2));
    REQUIRE_FALSE(db.apply(inbox));
    CHECK(db.receipts_for_sent({martin, "INBOX", 7, 1}).value().empty());
    CHECK(db.receipts_for_sent({martin, "INBOX", 7, 99}).value().empty());
}

TEST_CASE_TEMPLATE("store: a receipt seen again keeps its first date; expunging the receipt message keeps the receipt",
                   F, memory_fixture, sqlite_fixture)
{
    F f;
    auto& db = f.get();
    REQUIRE_FALSE(db.apply(sent_folder()));
    REQUIRE_FALSE(db.apply(inbox_with({receipt("orig-2@regional.mssante.test", bernard, "displayed", t0 + 1h, 10)}, 11)));
    // A second copy (another client delivered it twice) and a later "deleted" from the same reader.
    REQUIRE_FALSE(db.apply(inbox_with({receipt("orig-2@regional.mssante.test", bernard, "displayed", t0 + 5h, 11),
                                       receipt("orig-2@regional.mssante.test", bernard, "deleted", t0 + 6h, 12)},
                                      13)));
    auto found = db.receipts_for(martin, "orig-2@regional.mssante.test").value();
    REQUIRE(found.size() == 2);
    CHECK(found[0].disposition == "displayed");
    CHECK(found[0].date == t0 + 1h);
    CHECK(found[0].notification.uid == 10);
    CHECK(found[1].disposition == "deleted");

    // The user deletes the receipt messages; then the folder is renumbered and indexed again.
    REQUIRE_FALSE(db.apply({martin, "INBOX", {7, 13, 20}, false, {}, {}, {10, 11, 12}}));
    CHECK(db.receipts_for(martin, "orig-2@regional.mssante.test").value() == found);
    REQUIRE_FALSE(db.apply({martin, "INBOX", {8, 1, 21}, true, {}, {}, {}}));
    CHECK(db.receipts_for(martin, "orig-2@regional.mssante.test").value() == found);
}

TEST_CASE_TEMPLATE("store: receipts of an outbox item, and unlinking forgets the mailbox's receipts", F, memory_fixture,
                   sqlite_fixture)
{
    F f;
    auto& db = f.get();
    store::outbox_item item{0,
                            {domain::account_kind::person, "p1"},
                            "p1",
                            {domain::email_address::parse(martin).value(),
                             {{domain::email_address::parse(bernard).value()}},
                             "orig-1@regional.mssante.test",
                             "From: <" + martin + ">\r\n\r\nx\r\n",
                             false,
                             false}};
    item.created_at = t0;
    const auto id = db.enqueue(item).value();
    CHECK(db.receipts_for_outbox(id).value().empty());
    REQUIRE_FALSE(db.apply(inbox_with({receipt("orig-1@regional.mssante.test", bernard, "displayed", t0 + 1h, 10)}, 11)));
    const auto found = db.receipts_for_outbox(id).value();
    REQUIRE(found.size() == 1);
    CHECK(found[0].reader == bernard);
    CHECK(db.receipts_for_outbox(id + 100).value().empty());

    REQUIRE_FALSE(db.save_link({{domain::account_kind::person, "p1"},
                                {domain::email_address::parse(martin).value(), domain::mailbox_type::per, "Medimail", ""},
                                domain::link_state::ready,
                                t0}));
    REQUIRE_FALSE(db.delete_link({domain::account_kind::person, "p1"}, martin));
    CHECK(db.receipts_for(martin, "orig-1@regional.mssante.test").value().empty());
}

TEST_CASE("sqlite store: a file of schema version 3 is migrated to receipts with its index kept")
{
    const auto path = temp_db();
    diagnostics diag;
    {
        auto db = store::sqlite_store::open(path.string(), diag).value();
        REQUIRE_FALSE(db->apply(sent_folder()));
    }
    {
        // Back to what the previous release wrote: no receipt table, version 3.
        auto raw = store::sqlite_database::open(path.string(), diag).value();
        REQUIRE_FALSE(raw.execute("DROP TABLE read_receipt; DROP TRIGGER message_total_insert; "
                                  "DROP TRIGGER message_total_delete; DROP TRIGGER message_total_update; "
                                  "DROP TABLE message_total; PRAGMA user_version = 3;",
                                  diag));
        CHECK(raw.schema_version(diag).value() == 3);
    }
    {
        auto db = store::sqlite_store::open(path.string(), diag).value();
        CHECK(db->find_message({martin, "Sent", 9, 1}).value().has_value());
        REQUIRE_FALSE(db->apply(inbox_with({receipt("orig-1@regional.mssante.test", bernard, "displayed", t0, 10)}, 11)));
        CHECK(db->receipts_for_sent({martin, "Sent", 9, 1}).value().size() == 1);
        CHECK(db->integrity_check());
    }
    {
        auto raw = store::sqlite_database::open(path.string(), diag).value();
        CHECK(raw.schema_version(diag).value() == 5);  // and on to the folder totals
    }
    remove_db(path);
}
