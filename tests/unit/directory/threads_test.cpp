// SPDX-License-Identifier: Apache-2.0
// "Any number of threads may search it at once" (extraction_index): several threads run the same
// mix of queries, pages and look-ups on one shared index and must get exactly what a lone thread
// got. Built into the ThreadSanitizer run (CMakePresets.json, preset tsan).
#include <mss/directory/extraction_index.hpp>
#include <mss/directory/query.hpp>

#include "extraction_fixture.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace dir = mss::directory;
using namespace directory_test;

namespace
{

// 400 persons over a few family names, given names and cities, and a few structures: queries
// below match from one row to hundreds, so the planner takes its different paths.
std::shared_ptr<const dir::extraction_index> shared_index()
{
    const char* families[] = {"MARTIN", "MARTINEZ", "DURAND", "D'AUBIGNÉ", "LEFÈVRE", "MOREAU", "GARNIER", "ROUX"};
    const char* givens[] = {"Marie", "Luc", "Émilie", "Jean-Pierre", "Chloé"};
    const char* cities[][3] = {{"69003 LYON", "69003", "69"}, {"75012 PARIS", "75012", "75"},
                               {"33000 BORDEAUX", "33000", "33"}};
    std::vector<row> rows = sample_rows();
    for (int i = 0; i < 400; ++i)
    {
        const auto& city = cities[i % 3];
        rows.push_back(person("pp" + std::to_string(i) + "@medecin.test.mssante.fr", families[i % 8], givens[i % 5],
                              std::to_string(2000000000 + i), i % 4 == 0 ? "21" : "10",
                              i % 4 == 0 ? "Pharmacien" : "Médecin", city[0], city[1], city[2]));
    }
    for (int i = 0; i < 20; ++i)
        rows.push_back(organisation("service" + std::to_string(i) + "@chu.test.mssante.fr", "CHU DE LYON",
                                    "Service " + std::to_string(i), std::to_string(1690000000 + i), "69003 LYON",
                                    "69003", "69"));
    dir::load_report report;
    mss::diagnostics diag;
    auto index = dir::extraction_index::load(make_file(standard_columns(), rows), report, diag);
    REQUIRE_MESSAGE(index.has_value(), diag.client_message());
    return *index;
}

std::vector<dir::query> queries()
{
    std::vector<dir::query> out;
    auto add = [&](auto set) {
        dir::query q;
        q.limit = 20;
        set(q);
        out.push_back(q);
    };
    add([](dir::query& q) { q.text = "mar"; });
    add([](dir::query& q) { q.family_name = "martin"; });
    add([](dir::query& q) { q.family_name = "daubigne"; q.city = "lyon"; });
    add([](dir::query& q) { q.given_name = "emilie"; q.department = "75"; });
    add([](dir::query& q) { q.profession_code = "21"; });
    add([](dir::query& q) { q.organisation = "chu"; });
    add([](dir::query& q) { q.text = "lefevre chloe"; });
    add([](dir::query& q) { q.postal_code = "33000"; q.limit = 100; });
    add([](dir::query& q) { q.text = "nobody"; });
    return out;
}

// Every page of `q`, followed by cursor: the addresses in order.
std::vector<std::string> all_pages(const dir::extraction_index& index, dir::query q, bool& ok)
{
    std::vector<std::string> out;
    mss::diagnostics diag;
    for (int guard = 0; guard < 100; ++guard)
    {
        auto r = index.search(q, diag);
        if (!r)
        {
            ok = false;
            return out;
        }
        for (const auto& e : r->entries) out.push_back(e.address);
        if (r->next_cursor.empty())
            return out;
        q.cursor = r->next_cursor;
    }
    ok = false;
    return out;
}

}  // namespace

TEST_CASE("directory threads: concurrent searches, pages and look-ups on one index get a lone thread's answers")
{
    const auto index = shared_index();
    const auto qs = queries();
    std::vector<std::vector<std::string>> expected;
    for (const auto& q : qs)
    {
        bool ok = true;
        expected.push_back(all_pages(*index, q, ok));
        REQUIRE(ok);
    }
    CHECK(expected[1].size() >= 50);  // MARTIN: a multi-page answer
    CHECK(expected[8].empty());

    constexpr int threads = 4;
    constexpr int passes = 6;
    std::atomic<int> wrong{0};
    std::atomic<int> answered{0};
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                for (int pass = 0; pass < passes; ++pass)
                    for (std::size_t k = 0; k < qs.size(); ++k)
                    {
                        // Each thread walks the queries from another start, so that different
                        // queries overlap.
                        const std::size_t i = (k + static_cast<std::size_t>(t) * 2) % qs.size();
                        bool ok = true;
                        if (all_pages(*index, qs[i], ok) != expected[i] || !ok)
                            ++wrong;
                        const auto& addresses = expected[i];
                        if (!addresses.empty())
                        {
                            auto found = index->find(addresses[static_cast<std::size_t>(pass) % addresses.size()]);
                            if (!found || found->address != addresses[static_cast<std::size_t>(pass) % addresses.size()])
                                ++wrong;
                        }
                        ++answered;
                    }
            });
    }
    CHECK(wrong.load() == 0);
    CHECK(answered.load() == threads * passes * static_cast<int>(qs.size()));
}
