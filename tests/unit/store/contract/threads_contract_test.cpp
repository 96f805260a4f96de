// SPDX-License-Identifier: Apache-2.0
// The store's thread-safety promise ("implementations are safe to call from several threads at
// once"), exercised the way a platform uses it: worker threads synchronising folders, marking
// messages read, listing and counting, queueing and updating outbox items, all at once, on one
// shared store object or on one SQLite store object per thread over the same file. Nothing may be
// lost, no busy database may surface as an error (the busy time-out absorbs it), and the final
// counts are exact. Built into the ThreadSanitizer run (CMakePresets.json, preset tsan).
#include <mss/store/memory_store.hpp>
#include <mss/store/sqlite_store.hpp>

#include "store_fixtures.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace mss;
using namespace store_contract;
using namespace std::chrono_literals;
using domain::virtual_folder;

namespace {

constexpr int threads = 4;
constexpr std::uint32_t rounds = 16;
const std::string shared_box = "secretariat.cardio@regional.mssante.test";

// Worker threads must not throw doctest exceptions: they note failures here, the test thread
// checks them after the join.
class failures
{
public:
    void add(std::string what)
    {
        std::lock_guard lock(mutex_);
        list_.push_back(std::move(what));
    }
    void check(const char* op, const boost::system::error_code& ec)
    {
        if (ec)
            add(std::string(op) + ": " + ec.message());
    }
    std::vector<std::string> take()
    {
        std::lock_guard lock(mutex_);
        return std::move(list_);
    }

private:
    std::mutex mutex_;
    std::vector<std::string> list_;
};

std::string folder_of(int t) { return "Dossier" + std::to_string(t); }

domain::indexed_message received(const std::string& folder, std::uint32_t uid, bool seen)
{
    domain::indexed_message m;
    m.key = {shared_box, folder, 7, uid};
    m.message_id = folder + "-" + std::to_string(uid) + "@national.mssante.test";
    m.subject = "Compte rendu " + std::to_string(uid);
    m.from = "Dr X <x@national.mssante.test>";
    m.date = t0 + std::chrono::minutes(uid);
    m.size = 1000;
    m.seen = seen;
    m.modseq = uid;
    m.classification = {domain::message_direction::received, domain::exchange_kind::professional,
                        "x@national.mssante.test"};
    m.in_inbox = true;
    return m;
}

store::outbox_item outgoing(int t, std::uint32_t i)
{
    store::outbox_item item{0,
                            {domain::account_kind::person, "p" + std::to_string(t)},
                            "p" + std::to_string(t),
                            {domain::email_address::parse(shared_box).value(),
                             {{domain::email_address::parse("dr.bernard@national.mssante.test").value()}},
                             "t" + std::to_string(t) + "-" + std::to_string(i) + "@regional.mssante.test",
                             "From: a\r\n\r\nbody\r\n",
                             false,
                             false}};
    item.created_at = t0;
    return item;
}

std::size_t at(const store::unread_counts& c, virtual_folder f) { return c[static_cast<std::size_t>(f)]; }

// Round i of thread t: sync two new messages into its folder (odd uid unread, even uid read);
// every odd round marks the previous round's unread message read; list and count the shared
// mailbox; queue one outbox item and send every third; append to the audit trail; record a code
// request (threads 0 and 2, 1 and 3 share an account).
void worker(store::store& db, int t, failures& failed, std::vector<std::int64_t>& ids)
{
    const auto folder = folder_of(t);
    const domain::account_ref shared_account{domain::account_kind::person, "p" + std::to_string(t % 2)};
    std::size_t last_total = 0;
    for (std::uint32_t i = 0; i < rounds; ++i)
    {
        store::folder_update u{shared_box, folder, {7, 2 * i + 3, 2 * i + 2}, false, {}, {}, {}};
        u.added.push_back(received(folder, 2 * i + 1, false));
        u.added.push_back(received(folder, 2 * i + 2, true));
        failed.check("apply", db.apply(u));
        if (i % 2 == 1)
            failed.check("set_seen", db.set_seen({shared_box, folder, 7, 2 * i - 1}, true));

        // Every call is atomic, so one reader sees the total only grow.
        if (auto totals = db.count_messages({shared_box}, true); !totals)
            failed.check("count_messages", totals.error());
        else if (at(*totals, virtual_folder::all) < last_total ||
                 at(*totals, virtual_folder::all) > threads * 2 * rounds)
            failed.add("count_messages: total went from " + std::to_string(last_total) + " to " +
                       std::to_string(at(*totals, virtual_folder::all)));
        else
            last_total = at(*totals, virtual_folder::all);
        if (auto unread = db.count_unread({shared_box}, true); !unread)
            failed.check("count_unread", unread.error());
        if (auto page = db.list({{shared_box}, virtual_folder::all, true, {}, 10}); !page)
            failed.check("list", page.error());
        else if (!std::is_sorted(page->messages.begin(), page->messages.end(),
                                 [](const auto& a, const auto& b) { return a.date > b.date; }))
            failed.add("list: page not newest first");

        auto item = outgoing(t, i);
        if (auto id = db.enqueue(item); !id)
            failed.check("enqueue", id.error());
        else
        {
            item.id = *id;
            ids.push_back(*id);
            if (i % 3 == 0)
            {
                item.state = domain::outbox_state::sent;
                item.attempts = 1;
                item.copy_pending = true;
                failed.check("update_outbox", db.update_outbox(item));
            }
        }
        if (auto due = db.due_outbox(t0 + 1h); !due)
            failed.check("due_outbox", due.error());

        failed.check("append_audit", db.append_audit({t0 + std::chrono::seconds(i), "p" + std::to_string(t),
                                                       shared_account, shared_box, "read", ""}));
        failed.check("record_code_request", db.record_code_request(shared_account, shared_box, t0 + std::chrono::seconds(i)));
    }
}

// Runs the workers on `store_for(t)` and checks the end state through `db`.
template <class StoreFor>
void run_and_check(store::store& db, StoreFor store_for)
{
    failures failed;
    std::vector<std::vector<std::int64_t>> ids(threads);
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] { worker(store_for(t), t, failed, ids[static_cast<std::size_t>(t)]); });
    }
    const auto problems = failed.take();
    for (const auto& p : problems) MESSAGE(p);
    CHECK_MESSAGE(problems.empty(), (problems.empty() ? std::string() : problems.front()));

    constexpr std::size_t messages = threads * 2 * rounds;
    constexpr std::size_t unread = threads * (rounds - rounds / 2);
    CHECK(at(db.count_messages({shared_box}, true).value(), virtual_folder::all) == messages);
    CHECK(at(db.count_unread({shared_box}, true).value(), virtual_folder::unread) == unread);

    // Page through everything: each message once.
    std::set<std::int64_t> sequences;
    store::folder_query q{{shared_box}, virtual_folder::all, true, {}, 25};
    for (;;)
    {
        auto page = db.list(q).value();
        for (const auto& m : page.messages) sequences.insert(m.sequence);
        if (!page.next)
            break;
        q.after = page.next;
    }
    CHECK(sequences.size() == messages);
    CHECK(db.list({{shared_box}, virtual_folder::unread, true, {}, 1000}).value().messages.size() == unread);
    for (int t = 0; t < threads; ++t)
        CHECK(db.sync_state(shared_box, folder_of(t)).value() == transport::folder_sync_state{7, 2 * rounds + 1, 2 * rounds});

    std::set<std::int64_t> all_ids;
    for (const auto& v : ids) all_ids.insert(v.begin(), v.end());
    CHECK(all_ids.size() == threads * rounds);
    constexpr std::size_t sent = threads * ((rounds + 2) / 3);
    CHECK(db.pending_copies().value().size() == sent);
    CHECK(db.due_outbox(t0 + 1h).value().size() == threads * rounds - sent);
    CHECK(db.audit_of_mailbox(shared_box).value().size() == threads * rounds);
    for (const char* p : {"p0", "p1"})
        CHECK(db.code_requests({domain::account_kind::person, p}, shared_box, t0).value().size() == 2 * rounds);
}

}  // namespace

TEST_CASE("store threads: workers sharing one memory_store lose nothing")
{
    store::memory_store db;
    run_and_check(db, [&](int) -> store::store& { return db; });
}

TEST_CASE("store threads: workers sharing one sqlite_store lose nothing")
{
    sqlite_fixture f;
    run_and_check(*f.db, [&](int) -> store::store& { return *f.db; });
    CHECK(f.db->integrity_check());
}

TEST_CASE("store threads: one sqlite_store per worker on the same file: no lost update, no busy error")
{
    sqlite_fixture f;
    // Opened at once, as a platform's workers start: the schema is created once, whoever wins.
    std::vector<std::unique_ptr<store::sqlite_store>> per_thread(threads);
    failures failed;
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                mss::diagnostics diag;
                auto opened = store::sqlite_store::open(f.path.string(), diag);
                if (!opened)
                    failed.add("open: " + opened.error().message() + " " + diag.client_message());
                else
                    per_thread[static_cast<std::size_t>(t)] = std::move(*opened);
            });
    }
    const auto problems = failed.take();
    REQUIRE_MESSAGE(problems.empty(), (problems.empty() ? std::string() : problems.front()));

    run_and_check(*f.db, [&](int t) -> store::store& { return *per_thread[static_cast<std::size_t>(t)]; });
    per_thread.clear();
    CHECK(f.db->integrity_check());
}

TEST_CASE("store threads: stores opened at once on a new file all succeed and share one schema")
{
    const auto path = temp_db();
    failures failed;
    std::vector<std::unique_ptr<store::sqlite_store>> stores(threads);
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                mss::diagnostics diag;
                auto opened = store::sqlite_store::open(path.string(), diag);
                if (!opened)
                    failed.add("open: " + opened.error().message() + " " + diag.client_message());
                else
                    stores[static_cast<std::size_t>(t)] = std::move(*opened);
            });
    }
    const auto problems = failed.take();
    CHECK_MESSAGE(problems.empty(), (problems.empty() ? std::string() : problems.front()));
    if (problems.empty())
    {
        // What one writes, every other reads.
        REQUIRE_FALSE(stores[0]->append_audit(
            {t0, "p0", {domain::account_kind::person, "p0"}, shared_box, "linked", ""}));
        for (auto& s : stores) CHECK(s->audit_of_mailbox(shared_box).value().size() == 1);
        CHECK(stores[threads - 1]->integrity_check());
    }
    stores.clear();
    remove_db(path);
}
