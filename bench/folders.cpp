// SPDX-License-Identifier: Apache-2.0
// Folders benchmark: index 100,000 messages across 3 mailboxes (header parsing + classification +
// store), then time listing a page of 50 in every virtual folder and the unread counts, for the
// memory and the SQLite stores. Targets (issue): page and counts < 1 ms, indexing >= 20,000 msg/s.
//
//   mss_bench_folders [messages] [sqlite-file]
#include <mss/service/sync_service.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/store/sqlite_store.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace mss;
using clock_type = std::chrono::steady_clock;

namespace {

const char* const mailboxes[] = {"dr.martin@regional.mssante.test", "cardiologie.chu@regional.mssante.test",
                                 "pharmacie.centrale@national.mssante.test"};
const char* const senders[] = {"Dr Bernard <dr.bernard@national.mssante.test>",
                               "=?UTF-8?Q?Dr_J=C3=A9r=C3=B4me_Dupr=C3=A9?= <jerome.dupre@medecin.oc.mssante.fr>",
                               "Laboratoire <resultats@labo.mssante.fr>",
                               "279035121518989@patient.mssante.fr"};

// A realistic header block: folded recipients, encoded subject, the usual trace fields.
std::string header(std::mt19937& rng, const std::string& mailbox, std::size_t n, bool sent)
{
    const std::string from = sent ? mailbox : senders[rng() % 4];
    const std::string to = sent ? senders[rng() % 4] : mailbox;
    return "Return-Path: <x@y.test>\r\nReceived: from mx.national.mssante.test (mx [127.0.0.1])\r\n"
           "\tby mx.regional.mssante.test with ESMTPS id 4Xy7; Thu, 26 Nov 2026 10:00:00 +0100\r\n"
           "From: " + from + "\r\nTo: " + to + ",\r\n dr.autre@regional.mssante.test\r\n"
           "Subject: =?UTF-8?B?Q29tcHRlIHJlbmR1IGQnaG9zcGl0YWxpc2F0aW9u?= " + std::to_string(n) + "\r\n"
           "Date: Thu, 26 Nov 2026 10:00:00 +0100\r\nMessage-ID: <" + std::to_string(n) + "." + mailbox + ">\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\nX-MSS-NIL: BENCH\r\n\r\n";
}

struct timing
{
    double p50, p99, max;
};

timing measure(std::vector<double> samples)
{
    std::sort(samples.begin(), samples.end());
    return {samples[samples.size() / 2], samples[samples.size() * 99 / 100], samples.back()};
}

double ms_since(clock_type::time_point start)
{
    return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

void run(const char* name, store::store& db, std::size_t total)
{
    // Indexing: summaries → index entries (parse + classify) → store, by folder batches of 500.
    std::mt19937 rng(7);
    const auto start = clock_type::now();
    const auto base = std::chrono::sys_seconds(std::chrono::seconds(1'790'000'000));
    std::size_t done = 0;
    for (std::size_t m = 0; m < 3; ++m)
    {
        const std::string mailbox = mailboxes[m];
        for (const char* folder : {"INBOX", "Sent"})
        {
            const bool sent = std::string_view(folder) == "Sent";
            // Per mailbox: 80 % received, 20 % sent.
            const std::size_t per_mailbox = total / 3;
            const std::size_t count = sent ? per_mailbox / 5 : per_mailbox - per_mailbox / 5;
            std::uint32_t uid = 1;
            for (std::size_t left = count; left > 0;)
            {
                const std::size_t batch = std::min<std::size_t>(left, 500);
                store::folder_update update{mailbox, folder, {1, uid + static_cast<std::uint32_t>(batch), uid}, false, {}, {}, {}};
                for (std::size_t i = 0; i < batch; ++i, ++uid, ++done)
                {
                    transport::message_summary s{uid, rng() % 3 ? transport::message_flags::seen : transport::message_flags::none,
                                                 uid, base + std::chrono::seconds(done * 37 % 100'000'000), 20'000,
                                                 header(rng, mailbox, done, sent)};
                    update.added.push_back(service::index_message(s, mailbox, folder, 1,
                                                                  sent ? domain::message_direction::sent
                                                                       : domain::message_direction::received,
                                                                  {}));
                }
                if (auto ec = db.apply(update))
                {
                    std::fprintf(stderr, "apply failed: %s\n", ec.message().c_str());
                    std::exit(1);
                }
                left -= batch;
            }
        }
    }
    const double index_s = ms_since(start) / 1000;

    // Listing: every folder, first page and a page deep inside (after 20 pages), for a person who
    // reads all three mailboxes; then the unread counts.
    const std::vector<std::string> all(std::begin(mailboxes), std::end(mailboxes));
    std::vector<double> first, deep, counts;
    for (int round = 0; round < 20; ++round)
    {
        for (auto folder : domain::all_virtual_folders)
        {
            store::folder_query q{all, folder, true, {}, 50};
            auto t = clock_type::now();
            auto page = db.list(q).value();
            first.push_back(ms_since(t));
            for (int p = 0; p < 20 && page.next; ++p)
            {
                q.after = page.next;
                t = clock_type::now();
                page = db.list(q).value();
                deep.push_back(ms_since(t));
            }
        }
        const auto t = clock_type::now();
        (void)db.count_unread(all, true).value();
        counts.push_back(ms_since(t));
    }
    const auto f = measure(first), d = measure(deep), c = measure(counts);
    std::printf("%s: indexed %zu messages in %.2f s = %.0f msg/s\n", name, done, index_s, done / index_s);
    std::printf("%s: page of 50, first page p50=%.3f p99=%.3f max=%.3f ms\n", name, f.p50, f.p99, f.max);
    std::printf("%s: page of 50, deep pages p50=%.3f p99=%.3f max=%.3f ms\n", name, d.p50, d.p99, d.max);
    std::printf("%s: unread counts p50=%.3f p99=%.3f max=%.3f ms\n", name, c.p50, c.p99, c.max);
    std::printf("%s_worst_p99_ms=%.3f\n%s_index_rate=%.0f\n", name, std::max({f.p99, d.p99, c.p99}), name, done / index_s);
}

}  // namespace

int main(int argc, char** argv)
{
    const std::size_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100'000;
    const std::string path = argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "mss-bench-folders.db").string();
    {
        store::memory_store memory;
        run("memory", memory, total);
    }
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path + suffix);
    diagnostics diag;
    auto sqlite = store::sqlite_store::open(path, diag);
    if (!sqlite)
    {
        std::fprintf(stderr, "%s\n", diag.client_message().c_str());
        return 1;
    }
    run("sqlite", **sqlite, total);
    return 0;
}
