// SPDX-License-Identifier: Apache-2.0
// MIME parse benchmark: reads every file of a corpus directory into memory first, then fully parses
// each message with the zero-copy tree (common headers decoded, every entity walked, every leaf
// decoded to bytes), single thread. Prints, for scripts/bench:
//
//   files=<n> bytes=<corpus size>
//   entities=<n> decoded_bytes=<n> checksum=<n>     (the work done, to compare with the peer)
//   mb_per_s=<best of the runs>  (MB = 10^6 bytes of corpus)
//   peak_rss_mb=<ru_maxrss> rss_ratio=<peak RSS / corpus size>
//
//   mss_bench_mime_parse DIR [runs=3]
#include <mss/mime/message.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace
{

struct totals
{
    std::size_t entities = 0;
    std::size_t decoded = 0;
    std::size_t checksum = 0;
};

std::string read_file(const std::filesystem::path& path)
{
    std::string bytes;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
        return bytes;
    bytes.resize(static_cast<std::size_t>(std::filesystem::file_size(path)));
    const std::size_t n = std::fread(bytes.data(), 1, bytes.size(), f);
    bytes.resize(n);
    std::fclose(f);
    return bytes;
}

void walk(const mss::mime::entity& e, totals& t)
{
    ++t.entities;
    if (e.is_message())
    {
        // An encapsulated message: its headers are decoded as the top-level ones.
        const auto& inner = e.children().at(0);
        t.checksum += inner.subject().size() + inner.from().size() + inner.to().size();
    }
    if (e.kind() == mss::mime::part_kind::leaf)
    {
        const std::string bytes = e.decoded_body();
        t.decoded += bytes.size();
        t.checksum += bytes.empty() ? 0 : static_cast<unsigned char>(bytes.back());
        t.checksum += e.file_name().size();
    }
    for (const auto& child : e.children()) walk(child, t);
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::fprintf(stderr, "usage: %s DIR [runs=3]\n", argv[0]);
        return 2;
    }
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(argv[1]))
    {
        if (entry.is_regular_file() && entry.path().extension() == ".eml")
            paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<std::string> corpus;
    corpus.reserve(paths.size());
    std::size_t bytes = 0;
    for (const auto& p : paths)
    {
        corpus.push_back(read_file(p));
        bytes += corpus.back().size();
    }
    std::printf("files=%zu bytes=%zu\n", corpus.size(), bytes);

    double best = 1e300;
    totals t;
    for (int run = 0; run < runs; ++run)
    {
        t = {};
        const auto start = std::chrono::steady_clock::now();
        for (const auto& message_bytes : corpus)
        {
            mss::diagnostics diag;
            auto parsed = mss::mime::parse_message(message_bytes, {}, diag);
            if (!parsed)
            {
                std::fprintf(stderr, "parse failed: %s\n", diag.client_message().c_str());
                return 1;
            }
            const auto& m = *parsed;
            t.checksum += m.subject().size() + m.from().size() + m.to().size() + m.cc().size() +
                          m.message_id().size() + (m.date() ? 1 : 0);
            walk(m.root(), t);
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, seconds);
    }
    struct rusage usage
    {
    };
    getrusage(RUSAGE_SELF, &usage);
    const double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
    std::printf("entities=%zu decoded_bytes=%zu checksum=%zu\n", t.entities, t.decoded, t.checksum);
    std::printf("mb_per_s=%.1f\n", static_cast<double>(bytes) / 1e6 / best);
    std::printf("peak_rss_mb=%.1f rss_ratio=%.3f\n", peak_mb,
                static_cast<double>(usage.ru_maxrss) * 1024.0 / static_cast<double>(bytes));
    return 0;
}
