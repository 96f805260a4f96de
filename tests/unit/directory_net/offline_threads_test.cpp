// SPDX-License-Identifier: Apache-2.0
// "Searches may run from any number of threads at once, and concurrently with reloads of the
// index" (offline_directory): several threads search one shared directory whose completions run on
// a pool of io_context threads, while the index is swapped back and forth. Every answer must come
// whole from one index or the other. Built into the ThreadSanitizer run (CMakePresets.json).
#include <mss/directory/extraction_index.hpp>
#include <mss/transport/offline_directory.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace dir = mss::directory;

namespace
{

std::string row(int i, const char* family)
{
    return "PER|pp" + std::to_string(i) + "@medecin.test.mssante.fr|8|10000000017|810000000017||||DR|" + family +
           "|Luc|C|Civil|10|Médecin|SM26|Qualifié en médecine générale||CABINET||||12||R|DES LILAS||"
           "75012 PARIS|75012|75|FRANCE\n";
}

// `martins` rows of family MARTIN among others of family DURAND.
std::shared_ptr<const dir::extraction_index> index_with(int martins)
{
    std::string content;
    const auto& columns = dir::extraction_index::known_columns();
    for (std::size_t i = 0; i < columns.size(); ++i) content += (i ? "|" : "") + std::string(columns[i]);
    content += '\n';
    for (int i = 0; i < 60; ++i) content += row(i, i < martins ? "MARTIN" : "DURAND");
    dir::load_report report;
    mss::diagnostics diag;
    auto index = dir::extraction_index::load(content, report, diag);
    REQUIRE_MESSAGE(index.has_value(), diag.client_message());
    REQUIRE(report.malformed == 0);
    return *index;
}

}  // namespace

TEST_CASE("offline directory threads: concurrent searches during reloads each see one whole index")
{
    const auto few = index_with(3);
    const auto many = index_with(40);
    auto live = std::make_shared<dir::live_index>();
    live->replace(few);

    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    std::vector<std::jthread> io_threads;
    for (int t = 0; t < 2; ++t) io_threads.emplace_back([&] { io.run(); });

    mss::transport::offline_directory directory(io.get_executor(), live, dir::directory_kind::national);
    constexpr int searchers = 3;
    constexpr int searches = 150;
    std::atomic<int> completed{0};
    std::atomic<int> wrong{0};
    std::atomic<bool> done{false};
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < searchers; ++t)
            pool.emplace_back([&] {
                mss::diagnostics diag;
                dir::query q;
                q.family_name = "martin";
                q.limit = 100;
                for (int i = 0; i < searches; ++i)
                    directory.async_search(q, diag, [&](boost::system::error_code ec, dir::search_result r) {
                        // 3 from one index, 40 from the other: anything else is a torn index.
                        if (ec || (r.entries.size() != 3 && r.entries.size() != 40))
                            ++wrong;
                        ++completed;
                    });
            });
        // Swap the index while the searches run.
        std::jthread reloader([&] {
            for (int i = 0; !done.load(); ++i) live->replace(i % 2 ? few : many);
        });
        for (auto& t : pool) t.join();
        done = true;
    }
    guard.reset();
    for (auto& t : io_threads) t.join();
    CHECK(wrong.load() == 0);
    CHECK(completed.load() == searchers * searches);
}
