// SPDX-License-Identifier: Apache-2.0
// Directory search benchmark: the offline index of mss against SQLite FTS5, same file, same
// queries, same run.
//
//   mss_bench_directory_query <extraction file> <queries> <seed> <fts5 database file>
//
// 1. mss loads the file (timed), then reports memory: its own estimate, the process's resident
//    set, and the peak resident set so far.
// 2. <queries> query inputs are drawn (seeded) from the file's PER rows: a prefix of 3 to 6
//    characters of the folded family name, and of 3 to 5 characters of the folded city.
// 3. mss runs each query (first 20 results, entries fully built) once to warm up, then timed.
// 4. SQLite FTS5 loads the same rows into one table (family, given, city; the address
//    unindexed) with `unicode61 remove_diacritics 2` and prefix indexes '2 3 4', in one
//    transaction (timed), then runs the same queries as `family : "w"* AND ... city : "c"*`,
//    LIMIT 20, reading every returned column; warm-up pass, then timed.
// Percentiles are over the timed pass. The last line is
//   directory: mss=<p99 ms> fts5=<p99 ms> ratio=<fts5 p99 / mss p99>
#include <mss/directory/extraction_index.hpp>
#include <mss/directory/text_fold.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace dir = mss::directory;
using clock_type = std::chrono::steady_clock;

namespace
{

double ms_since(clock_type::time_point start)
{
    return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

// VmRSS / VmHWM of this process, in MiB.
double status_mib(std::string_view field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
    {
        if (line.starts_with(field))
            return std::strtod(line.c_str() + field.size() + 1, nullptr) / 1024.0;
    }
    return 0;
}

struct percentiles
{
    double p50, p99, max;
};

percentiles summarise(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const auto at = [&](double q)
    { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))]; };
    return {at(0.50), at(0.99), v.back()};
}

std::vector<std::string_view> split(std::string_view line)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true)
    {
        const std::size_t bar = line.find('|', start);
        out.push_back(line.substr(start, bar == std::string_view::npos ? bar : bar - start));
        if (bar == std::string_view::npos)
            return out;
        start = bar + 1;
    }
}

std::string_view city_of(std::string_view l6)
{
    if (l6.size() > 6 && l6[5] == ' ')
        return l6.substr(6);
    return l6;
}

struct columns
{
    std::size_t type = 0, address = 0, family = 0, given = 0, l6 = 0;
};

columns find_columns(std::string_view header)
{
    if (header.starts_with("\xEF\xBB\xBF"))
        header.remove_prefix(3);
    columns c;
    const auto names = split(header);
    for (std::size_t i = 0; i < names.size(); ++i)
    {
        const std::string folded = dir::fold_text(names[i]);
        if (folded == "type de bal")
            c.type = i;
        else if (folded == "adresse bal")
            c.address = i;
        else if (folded == "nom d exercice")
            c.family = i;
        else if (folded == "prenom d exercice")
            c.given = i;
        else if (folded == "l6ligneacheminement structure bal")
            c.l6 = i;
    }
    return c;
}

std::uint64_t splitmix(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// A folded text cut to at most `n` bytes, at a word boundary or inside the last word.
std::string cut(const std::string& folded, std::size_t n)
{
    std::string out = folded.substr(0, std::min(n, folded.size()));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

struct bench_query
{
    std::string family;  // folded prefix
    std::string city;    // folded prefix
    std::string fts;     // the same as an FTS5 MATCH expression
};

std::string fts_expression(const bench_query& q)
{
    std::string out;
    const auto add = [&](std::string_view column, const std::string& text)
    {
        for (const auto& w : dir::fold_words(text))
        {
            if (!out.empty())
                out += " AND ";
            out += std::string(column) + " : \"" + w + "\"*";
        }
    };
    add("family", q.family);
    add("city", q.city);
    return out;
}

void check(int rc, sqlite3* db, const char* what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
        std::fprintf(stderr, "sqlite: %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 5)
    {
        std::fprintf(stderr, "usage: %s <extraction file> <queries> <seed> <fts5 database file>\n", argv[0]);
        return 2;
    }
    const std::filesystem::path file = argv[1];
    const std::size_t query_count = std::strtoull(argv[2], nullptr, 10);
    std::uint64_t seed = std::strtoull(argv[3], nullptr, 10);
    const std::filesystem::path db_path = argv[4];

    // ---- mss: load -----------------------------------------------------------------------------
    const double rss_before = status_mib("VmRSS:");
    auto start = clock_type::now();
    dir::load_report report;
    mss::diagnostics diag;
    auto loaded = dir::extraction_index::load_file(file, report, diag);
    const double load_ms = ms_since(start);
    if (!loaded)
    {
        std::fprintf(stderr, "load failed: %s: %s\n", loaded.error().message().c_str(),
                     diag.client_message().c_str());
        return 1;
    }
    const auto index = *loaded;
    const double rss_loaded = status_mib("VmRSS:");
    const double peak_loaded = status_mib("VmHWM:");
    std::printf("mss_load_ms=%.0f\n", load_ms);
    std::printf("rows_loaded=%zu data_lines=%zu malformed=%zu duplicates=%zu\n", report.loaded,
                report.data_lines, report.malformed, report.duplicates);
    for (std::size_t i = 0; i < std::min<std::size_t>(report.problems.size(), 3); ++i)
        std::printf("  line %zu: %s\n", report.problems[i].line, report.problems[i].message.c_str());
    std::printf("mss_index_mb=%.0f rss_mb=%.0f (process before load: %.0f) peak_rss_mb=%.0f\n",
                static_cast<double>(index->memory_usage()) / 1048576.0, rss_loaded, rss_before, peak_loaded);

    // ---- the queries, drawn from the file's PER rows (reservoir sampling) ------------------------
    std::vector<std::pair<std::string, std::string>> samples;  // folded family, folded city
    {
        std::ifstream in(file, std::ios::binary);
        std::string line;
        std::getline(in, line);
        const columns c = find_columns(line);
        std::size_t seen = 0;
        while (std::getline(in, line))
        {
            const auto f = split(line);
            if (f.size() <= std::max({c.type, c.family, c.l6}) || f[c.type] != "PER" || f[c.family].empty())
                continue;
            ++seen;
            std::size_t slot = samples.size();
            if (samples.size() >= query_count)
            {
                slot = static_cast<std::size_t>(splitmix(seed) % seen);
                if (slot >= query_count)
                    continue;
            }
            auto pair = std::make_pair(dir::fold_text(f[c.family]), dir::fold_text(city_of(f[c.l6])));
            if (slot == samples.size())
                samples.push_back(std::move(pair));
            else
                samples[slot] = std::move(pair);
        }
    }
    std::vector<bench_query> queries;
    for (const auto& [family, city] : samples)
    {
        bench_query q;
        q.family = cut(family, 3 + splitmix(seed) % 4);
        q.city = cut(city, 3 + splitmix(seed) % 3);
        q.fts = fts_expression(q);
        queries.push_back(std::move(q));
    }

    // ---- mss: queries ----------------------------------------------------------------------------
    std::vector<double> mss_times;
    std::size_t mss_hits = 0;
    std::size_t mss_empty = 0;
    for (int pass = 0; pass < 2; ++pass)
    {
        for (const auto& bq : queries)
        {
            dir::query q;
            q.family_name = bq.family;
            q.city = bq.city;
            q.limit = 20;
            const auto t = clock_type::now();
            auto r = index->search(q, diag);
            const double elapsed = ms_since(t);
            if (!r)
            {
                std::fprintf(stderr, "search failed: %s\n", diag.client_message().c_str());
                return 1;
            }
            if (pass == 1)
            {
                mss_times.push_back(elapsed);
                mss_hits += r->entries.size();
                mss_empty += r->entries.empty();
            }
        }
    }
    const percentiles mss = summarise(mss_times);
    {
        // The slowest queries, to explain the tail.
        std::vector<std::size_t> order(mss_times.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return mss_times[a] > mss_times[b]; });
        for (std::size_t i = 0; i < std::min<std::size_t>(3, order.size()); ++i)
            std::printf("  slow mss query: family=\"%s\" city=\"%s\" %.3f ms\n",
                        queries[order[i]].family.c_str(), queries[order[i]].city.c_str(),
                        mss_times[order[i]]);
    }
    const double peak_mss = status_mib("VmHWM:");
    std::printf("mss_p50_ms=%.4f mss_p99_ms=%.4f mss_max_ms=%.4f results=%zu empty_queries=%zu\n", mss.p50,
                mss.p99, mss.max, mss_hits, mss_empty);
    std::printf("peak_rss_mb_after_queries=%.0f\n", peak_mss);

    // ---- SQLite FTS5: load -----------------------------------------------------------------------
    std::filesystem::remove(db_path);
    sqlite3* db = nullptr;
    check(sqlite3_open(db_path.c_str(), &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;",
                       nullptr, nullptr, nullptr),
          db, "pragma");
    start = clock_type::now();
    check(sqlite3_exec(db,
                       "CREATE VIRTUAL TABLE directory USING fts5(family, given, city, address UNINDEXED, "
                       "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');",
                       nullptr, nullptr, nullptr),
          db, "create");
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    sqlite3_stmt* insert = nullptr;
    check(
        sqlite3_prepare_v2(db, "INSERT INTO directory(family, given, city, address) VALUES (?1, ?2, ?3, ?4)",
                           -1, &insert, nullptr),
        db, "prepare insert");
    std::size_t fts_rows = 0;
    {
        std::ifstream in(file, std::ios::binary);
        std::string line;
        std::getline(in, line);
        const columns c = find_columns(line);
        const std::size_t needed = std::max({c.address, c.family, c.given, c.l6});
        while (std::getline(in, line))
        {
            const auto f = split(line);
            if (f.size() <= needed)
                continue;
            const std::string_view values[] = {f[c.family], f[c.given], city_of(f[c.l6]), f[c.address]};
            for (int k = 0; k < 4; ++k)
                sqlite3_bind_text(insert, k + 1, values[k].data(), static_cast<int>(values[k].size()),
                                  SQLITE_STATIC);
            check(sqlite3_step(insert), db, "insert");
            sqlite3_reset(insert);
            ++fts_rows;
        }
    }
    sqlite3_finalize(insert);
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    const double fts_load_ms = ms_since(start);
    std::printf("fts5_load_ms=%.0f fts5_rows=%zu fts5_db_mb=%.0f\n", fts_load_ms, fts_rows,
                static_cast<double>(std::filesystem::file_size(db_path)) / 1048576.0);

    // ---- SQLite FTS5: queries ----------------------------------------------------------------------
    sqlite3_stmt* select = nullptr;
    check(sqlite3_prepare_v2(
              db, "SELECT address, family, given, city FROM directory WHERE directory MATCH ?1 LIMIT 20", -1,
              &select, nullptr),
          db, "prepare select");
    std::vector<double> fts_times;
    std::size_t fts_hits = 0;
    std::size_t fts_empty = 0;
    for (int pass = 0; pass < 2; ++pass)
    {
        for (const auto& bq : queries)
        {
            const auto t = clock_type::now();
            sqlite3_bind_text(select, 1, bq.fts.data(), static_cast<int>(bq.fts.size()), SQLITE_STATIC);
            std::vector<std::string> rows;
            int rc;
            while ((rc = sqlite3_step(select)) == SQLITE_ROW)
            {
                std::string row;
                for (int k = 0; k < 4; ++k)
                {
                    row += reinterpret_cast<const char*>(sqlite3_column_text(select, k));
                    row += '|';
                }
                rows.push_back(std::move(row));
            }
            check(rc, db, "select");
            sqlite3_reset(select);
            const double elapsed = ms_since(t);
            if (pass == 1)
            {
                fts_times.push_back(elapsed);
                fts_hits += rows.size();
                fts_empty += rows.empty();
            }
        }
    }
    sqlite3_finalize(select);
    sqlite3_close(db);
    const percentiles fts = summarise(fts_times);
    std::printf("fts5_p50_ms=%.4f fts5_p99_ms=%.4f fts5_max_ms=%.4f results=%zu empty_queries=%zu\n", fts.p50,
                fts.p99, fts.max, fts_hits, fts_empty);
    std::printf("example query: family=\"%s\" city=\"%s\" fts5: %s\n", queries.front().family.c_str(),
                queries.front().city.c_str(), queries.front().fts.c_str());
    std::printf("directory: mss=%.4f fts5=%.4f ratio=%.1f\n", mss.p99, fts.p99, fts.p99 / mss.p99);
    return 0;
}
