// SPDX-License-Identifier: Apache-2.0
// Folder totals (`store::count_messages`): one contract for the memory store, the SQLite store and
// the interface's default (paging through `list`, for stores that do not keep counters), and the
// SQLite migration that counts an existing index.
#include <mss/domain/errc.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/store/sqlite_database.hpp>
#include <mss/store/sqlite_store.hpp>

#include "store_fixtures.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace mss;
using namespace store_contract;
using namespace std::chrono_literals;
using domain::exchange_kind;
using domain::message_direction;
using domain::virtual_folder;

namespace {

// A store of an integrator's own that keeps no counters: every call goes to a memory store, but
// `count_messages` is the interface's default.
class plain_store final : public mss::store::store
{
public:
    boost::system::error_code save_link(const domain::mailbox_link& l) override { return m_.save_link(l); }
    boost::system::result<std::vector<domain::mailbox_link>> links_of(const domain::account_ref& a) override
    {
        return m_.links_of(a);
    }
    boost::system::result<std::optional<domain::mailbox_link>> link_of_mailbox(std::string_view a) override
    {
        return m_.link_of_mailbox(a);
    }
    boost::system::result<std::vector<domain::mailbox_link>> all_links() override { return m_.all_links(); }
    boost::system::error_code delete_link(const domain::account_ref& a, std::string_view b) override
    {
        return m_.delete_link(a, b);
    }
    boost::system::error_code save_pending_code(const domain::pending_link_code& c) override
    {
        return m_.save_pending_code(c);
    }
    boost::system::result<std::optional<domain::pending_link_code>> pending_code(const domain::account_ref& a,
                                                                                std::string_view b) override
    {
        return m_.pending_code(a, b);
    }
    boost::system::error_code delete_pending_code(const domain::account_ref& a, std::string_view b) override
    {
        return m_.delete_pending_code(a, b);
    }
    boost::system::error_code record_code_request(const domain::account_ref& a, std::string_view b,
                                                  std::chrono::sys_seconds at) override
    {
        return m_.record_code_request(a, b, at);
    }
    boost::system::result<std::vector<std::chrono::sys_seconds>> code_requests(const domain::account_ref& a,
                                                                               std::string_view b,
                                                                               std::chrono::sys_seconds s) override
    {
        return m_.code_requests(a, b, s);
    }
    boost::system::error_code save_delegation(const domain::delegation& d) override { return m_.save_delegation(d); }
    boost::system::result<std::vector<domain::delegation>> delegations_of_structure(std::string_view s) override
    {
        return m_.delegations_of_structure(s);
    }
    boost::system::result<std::vector<domain::delegation>> delegations_of_person(std::string_view p) override
    {
        return m_.delegations_of_person(p);
    }
    boost::system::error_code append_audit(const domain::audit_entry& e) override { return m_.append_audit(e); }
    boost::system::result<std::vector<domain::audit_entry>> audit_of_mailbox(std::string_view a) override
    {
        return m_.audit_of_mailbox(a);
    }
    boost::system::result<domain::inbox_settings> inbox_settings_of(const domain::account_ref& a) override
    {
        return m_.inbox_settings_of(a);
    }
    boost::system::error_code save_inbox_settings(const domain::account_ref& a, const domain::inbox_settings& s) override
    {
        return m_.save_inbox_settings(a, s);
    }
    boost::system::result<transport::folder_sync_state> sync_state(std::string_view a, std::string_view f) override
    {
        return m_.sync_state(a, f);
    }
    boost::system::error_code apply(const mss::store::folder_update& u) override { return m_.apply(u); }
    boost::system::error_code set_seen(const domain::message_key& k, bool s) override { return m_.set_seen(k, s); }
    boost::system::result<std::optional<domain::indexed_message>> find_message(const domain::message_key& k) override
    {
        return m_.find_message(k);
    }
    boost::system::result<mss::store::message_page> list(const mss::store::folder_query& q) override { return m_.list(q); }
    boost::system::result<mss::store::unread_counts> count_unread(const std::vector<std::string>& b, bool p) override
    {
        return m_.count_unread(b, p);
    }
    boost::system::result<std::vector<mss::store::receipt_record>> receipts_for(std::string_view a,
                                                                            std::string_view id) override
    {
        return m_.receipts_for(a, id);
    }
    boost::system::result<std::int64_t> enqueue(const mss::store::outbox_item& i) override { return m_.enqueue(i); }
    boost::system::result<std::optional<mss::store::outbox_item>> outbox_item_by_id(std::int64_t id) override
    {
        return m_.outbox_item_by_id(id);
    }
    boost::system::error_code update_outbox(const mss::store::outbox_item& i) override { return m_.update_outbox(i); }
    boost::system::result<std::vector<mss::store::outbox_item>> due_outbox(std::chrono::sys_seconds now) override
    {
        return m_.due_outbox(now);
    }
    boost::system::result<std::vector<mss::store::outbox_item>> pending_copies() override { return m_.pending_copies(); }

private:
    mss::store::memory_store m_;
};

struct default_fixture
{
    plain_store db;
    store::store& get() { return db; }
};

domain::indexed_message message(const std::string& box, const std::string& folder, std::uint32_t uid,
                                message_direction direction, exchange_kind exchange, bool seen, bool in_inbox)
{
    domain::indexed_message m;
    m.key = {box, folder, 7, uid};
    m.message_id = "c" + std::to_string(uid) + "@test";
    m.subject = "Sujet " + std::to_string(uid);
    m.from = "x@national.mssante.test";
    // Dates repeat (every 5 messages): the listing's ties are broken by sequence, and counted once.
    m.date = t0 + std::chrono::minutes(uid / 5);
    m.size = 500;
    m.seen = seen;
    m.modseq = uid;
    m.classification = {direction, exchange, "x@national.mssante.test"};
    m.in_inbox = in_inbox;
    return m;
}

// INBOX of `box`: `n` received messages — every 3rd with a patient, unread when uid % 4 != 0, in
// the inbox unless uid % 5 == 0; Sent: `sent` messages, every 2nd to a patient, read.
void fill(store::store& db, const std::string& box, std::uint32_t n, std::uint32_t sent)
{
    store::folder_update inbox{box, "INBOX", {7, n + 1, n}, false, {}, {}, {}};
    for (std::uint32_t uid = 1; uid <= n; ++uid)
        inbox.added.push_back(message(box, "INBOX", uid, message_direction::received,
                                      uid % 3 == 0 ? exchange_kind::patient : exchange_kind::professional,
                                      uid % 4 == 0, uid % 5 != 0));
    REQUIRE_FALSE(db.apply(inbox));
    store::folder_update out{box, "Sent", {7, sent + 1, sent}, false, {}, {}, {}};
    for (std::uint32_t uid = 1; uid <= sent; ++uid)
        out.added.push_back(message(box, "Sent", uid, message_direction::sent,
                                    uid % 2 == 0 ? exchange_kind::patient : exchange_kind::professional, true, false));
    REQUIRE_FALSE(db.apply(out));
}

std::size_t at(const store::message_counts& c, virtual_folder f) { return c[static_cast<std::size_t>(f)]; }

// What a person would see by paging through `list` to the end.
std::size_t listed(store::store& db, const std::vector<std::string>& boxes, virtual_folder f, bool patients)
{
    std::size_t n = 0;
    store::folder_query q{boxes, f, patients, {}, 7};
    do
    {
        auto page = db.list(q).value();
        n += page.messages.size();
        q.after = page.next;
    } while (q.after);
    return n;
}

void check_against_listing(store::store& db, const std::vector<std::string>& boxes)
{
    for (bool patients : {true, false})
    {
        const auto counts = db.count_messages(boxes, patients).value();
        for (auto f : domain::all_virtual_folders)
        {
            CAPTURE(domain::to_key(f));
            CAPTURE(patients);
            CHECK(at(counts, f) == listed(db, boxes, f, patients));
        }
    }
}

}  // namespace

TEST_CASE_TEMPLATE("store: folder totals are what the listing shows, per folder, with and without patient rights", F,
                   memory_fixture, sqlite_fixture, default_fixture)
{
    F f;
    auto& db = f.get();
    CHECK(db.count_messages({"a@x.test"}, true).value() == store::message_counts{});
    fill(db, "a@x.test", 30, 6);
    fill(db, "b@x.test", 12, 4);

    // INBOX of a: patients 3,6,...,30 (10), professionals 20; unread: uid % 4 != 0 (23, of
    // which patients 3,9,15,21,27,30,6,18 → 8); not in the inbox: 5,10,...,30 (6, of which
    // patients 15 and 30). Sent: professionals 1,3,5; patients 2,4,6.
    const auto a = db.count_messages({"a@x.test"}, true).value();
    CHECK(at(a, virtual_folder::all) == 36);
    CHECK(at(a, virtual_folder::professionals) == 23);
    CHECK(at(a, virtual_folder::professionals_received) == 20);
    CHECK(at(a, virtual_folder::professionals_sent) == 3);
    CHECK(at(a, virtual_folder::patients) == 13);
    CHECK(at(a, virtual_folder::patients_received) == 10);
    CHECK(at(a, virtual_folder::patients_sent) == 3);
    CHECK(at(a, virtual_folder::unread) == 23);
    CHECK(at(a, virtual_folder::inbox) == 24);
    // The unread folder's total is its unread count.
    CHECK(at(a, virtual_folder::unread) == db.count_unread({"a@x.test"}, true).value()[static_cast<std::size_t>(virtual_folder::unread)]);

    // Without patient rights, patient exchanges count nowhere.
    const auto hidden = db.count_messages({"a@x.test"}, false).value();
    CHECK(at(hidden, virtual_folder::all) == 23);
    CHECK(at(hidden, virtual_folder::patients) == 0);
    CHECK(at(hidden, virtual_folder::patients_sent) == 0);
    CHECK(at(hidden, virtual_folder::unread) == 15);
    CHECK(at(hidden, virtual_folder::inbox) == 16);

    // Several mailboxes add up; an unknown one counts nothing.
    const auto both = db.count_messages({"a@x.test", "b@x.test", "nobody@x.test"}, true).value();
    CHECK(at(both, virtual_folder::all) == 36 + 16);
    check_against_listing(db, {"a@x.test"});
    check_against_listing(db, {"a@x.test", "b@x.test"});
    check_against_listing(db, {"b@x.test"});
}

TEST_CASE_TEMPLATE("store: folder totals follow read marks, expunges, resyncs and unlinking", F, memory_fixture,
                   sqlite_fixture, default_fixture)
{
    F f;
    auto& db = f.get();
    const std::string box = "dr.martin@regional.mssante.test";
    const domain::account_ref p1{domain::account_kind::person, "p1"};
    REQUIRE_FALSE(db.save_link({p1, {domain::email_address::parse(box).value(), domain::mailbox_type::per, "op", ""},
                                domain::link_state::ready, t0}));
    fill(db, box, 10, 2);
    CHECK(at(db.count_messages({box}, true).value(), virtual_folder::all) == 12);

    // Read: the message leaves Unread, stays everywhere else.
    REQUIRE_FALSE(db.set_seen({box, "INBOX", 7, 1}, true));
    auto c = db.count_messages({box}, true).value();
    CHECK(at(c, virtual_folder::unread) == 7);
    CHECK(at(c, virtual_folder::all) == 12);
    CHECK(at(c, virtual_folder::professionals_received) == 7);

    // A delta: two expunged (one of them unread), one marked unread again, one new, one already known.
    store::folder_update delta{box, "INBOX", {7, 12, 20}, false, {}, {{4, false, 15}}, {2, 8}};
    delta.added.push_back(message(box, "INBOX", 11, message_direction::received, exchange_kind::professional, false, true));
    delta.added.push_back(message(box, "INBOX", 3, message_direction::received, exchange_kind::patient, false, true));
    REQUIRE_FALSE(db.apply(delta));
    c = db.count_messages({box}, true).value();
    CHECK(at(c, virtual_folder::all) == 11);
    CHECK(at(c, virtual_folder::unread) == 8);  // 7 - 2 (uid 2 unread expunged) + 4 + 11
    check_against_listing(db, {box});

    // A resync of INBOX leaves Sent alone.
    store::folder_update resync{box, "INBOX", {8, 2, 30}, true, {}, {}, {}};
    resync.added.push_back(message(box, "INBOX", 1, message_direction::received, exchange_kind::professional, true, true));
    resync.added.back().key.uid_validity = 8;
    REQUIRE_FALSE(db.apply(resync));
    c = db.count_messages({box}, true).value();
    CHECK(at(c, virtual_folder::all) == 3);
    CHECK(at(c, virtual_folder::professionals_received) == 1);
    CHECK(at(c, virtual_folder::professionals_sent) == 1);
    CHECK(at(c, virtual_folder::patients_sent) == 1);
    CHECK(at(c, virtual_folder::unread) == 0);

    // Unlinking forgets the counts with the index.
    REQUIRE_FALSE(db.delete_link(p1, box));
    CHECK(db.count_messages({box}, true).value() == store::message_counts{});
    fill(db, box, 4, 0);
    CHECK(at(db.count_messages({box}, true).value(), virtual_folder::all) == 4);
}

TEST_CASE("sqlite store: a file of schema version 4 is migrated to folder totals counted from its index")
{
    const auto path = temp_db();
    diagnostics diag;
    store::message_counts before{};
    {
        auto db = store::sqlite_store::open(path.string(), diag).value();
        fill(*db, "a@x.test", 30, 6);
        before = db->count_messages({"a@x.test"}, true).value();
    }
    {
        // Back to what the previous release wrote: no counters, version 4.
        auto raw = store::sqlite_database::open(path.string(), diag).value();
        REQUIRE_FALSE(raw.execute("DROP TRIGGER message_total_insert; DROP TRIGGER message_total_delete; "
                                  "DROP TRIGGER message_total_update; DROP TABLE message_total; "
                                  "PRAGMA user_version = 4;",
                                  diag));
    }
    {
        auto db = store::sqlite_store::open(path.string(), diag).value();
        CHECK(db->count_messages({"a@x.test"}, true).value() == before);
        CHECK(at(before, virtual_folder::all) == 36);
        // The triggers are back: new messages and read marks count.
        REQUIRE_FALSE(db->set_seen({"a@x.test", "INBOX", 7, 1}, true));
        store::folder_update more{"a@x.test", "INBOX", {7, 32, 40}, false, {}, {}, {}};
        more.added.push_back(message("a@x.test", "INBOX", 31, message_direction::received,
                                     exchange_kind::professional, false, true));
        REQUIRE_FALSE(db->apply(more));
        const auto after = db->count_messages({"a@x.test"}, true).value();
        CHECK(at(after, virtual_folder::all) == 37);
        CHECK(at(after, virtual_folder::unread) == at(before, virtual_folder::unread));
        check_against_listing(*db, {"a@x.test"});
        CHECK(db->integrity_check());
    }
    {
        auto raw = store::sqlite_database::open(path.string(), diag).value();
        CHECK(raw.schema_version(diag).value() == 5);
    }
    remove_db(path);
}
