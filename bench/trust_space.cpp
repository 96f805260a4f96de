// SPDX-License-Identifier: Apache-2.0
// Trust-space benchmark: load time of the ANS whitelist (file already in memory, checksum verified)
// and domain lookups per second. Prints "load_ms=<median>" and "lookups_per_s=<n>" for scripts/bench.
//
//   mss_bench_trust_space WHITELIST.xml CHECKSUM [load_runs] [lookups]
#include <mss/domain/trust_space.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace {

std::string read(const char* path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 3)
    {
        std::fprintf(stderr, "usage: %s WHITELIST.xml CHECKSUM [load_runs] [lookups]\n", argv[0]);
        return 2;
    }
    const std::string xml = read(argv[1]);
    const std::string checksum = read(argv[2]).substr(0, 64);
    const int runs = argc > 3 ? std::atoi(argv[3]) : 30;
    const std::size_t lookups = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 2'000'000;
    using clock = std::chrono::steady_clock;

    std::vector<double> load_ms;
    mss::domain::trust_space space;
    for (int i = 0; i < runs; ++i)
    {
        mss::diagnostics diag;
        const auto start = clock::now();
        auto loaded = mss::domain::trust_space::parse(xml, diag, checksum);
        const auto stop = clock::now();
        if (!loaded)
        {
            std::fprintf(stderr, "load failed: %s\n", diag.client_message().c_str());
            return 1;
        }
        load_ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
        space = std::move(*loaded);
    }
    std::sort(load_ms.begin(), load_ms.end());

    // Half the queries hit (real domains, in mixed case), half miss (look-alikes).
    std::vector<std::string> queries;
    std::mt19937 rng(42);
    std::vector<std::string> names;
    for (std::size_t at = xml.find("<Nom>"); at != std::string::npos; at = xml.find("<Nom>", at + 1))
        names.push_back(xml.substr(at + 5, xml.find("</Nom>", at) - at - 5));
    for (int i = 0; i < 4096; ++i)
    {
        std::string name = names[rng() % names.size()];
        if (i % 2)
            name = "x" + name + ".evil.test";
        else if (i % 4 == 0)
            std::transform(name.begin(), name.end(), name.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
        queries.push_back(std::move(name));
    }
    std::size_t hits = 0;
    const auto start = clock::now();
    for (std::size_t i = 0; i < lookups; ++i)
        hits += space.contains(queries[i & 4095]);
    const double seconds = std::chrono::duration<double>(clock::now() - start).count();

    std::printf("entries=%zu domains=%zu hits=%zu\n", space.total_entry_count(), space.domain_count(), hits);
    std::printf("load_ms=%.2f (median of %d, min %.2f, max %.2f; SHA-256 + XML parse + index)\n",
                load_ms[load_ms.size() / 2], runs, load_ms.front(), load_ms.back());
    std::printf("lookups_per_s=%.0f\n", static_cast<double>(lookups) / seconds);
    return 0;
}
