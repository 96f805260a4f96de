// SPDX-License-Identifier: Apache-2.0
// Directory extraction file: arbitrary bytes as the `|`-separated ANS file. The in-memory load and
// the block-wise file load must agree (same report, same index) whatever the block size, and what
// was loaded must be found again, by address and by paging through every entry with cursors.
#include <mss/directory/extraction_index.hpp>
#include <mss/directory/text_fold.hpp>

#include <cstdint>
#include <cstdio>
#include <set>
#include <string>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace
{

namespace dir = mss::directory;

bool same_report(const dir::load_report& a, const dir::load_report& b)
{
    if (a.data_lines != b.data_lines || a.loaded != b.loaded || a.malformed != b.malformed ||
        a.duplicates != b.duplicates || a.liste_rouge != b.liste_rouge || a.blank_lines != b.blank_lines ||
        a.problems_not_described != b.problems_not_described || a.problems.size() != b.problems.size())
        return false;
    for (std::size_t i = 0; i < a.problems.size(); ++i)
    {
        if (a.problems[i].line != b.problems[i].line || a.problems[i].error != b.problems[i].error)
            return false;
    }
    return true;
}

#if defined(__linux__)
// The file load reads a path: an anonymous memory file keeps the fuzzer off the disk.
void check_file_load(std::string_view input, const dir::load_options& options, const dir::load_report& report,
                     const boost::system::result<std::shared_ptr<const dir::extraction_index>>& loaded)
{
    const int fd = ::memfd_create("mss-fuzz-extraction", 0);
    if (fd < 0)
        return;
    if (::write(fd, input.data(), input.size()) != static_cast<ssize_t>(input.size()))
    {
        ::close(fd);
        return;
    }
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    dir::load_options small = options;
    // A block size from the data, so that lines straddle blocks in every possible way.
    small.read_block = 1 + (input.empty() ? 0 : static_cast<unsigned char>(input.back()) % 97);
    dir::load_report file_report;
    mss::diagnostics diag;
    const auto from_file = dir::extraction_index::load_file(path, file_report, diag, small);
    ::close(fd);
    // The file load also refuses a header line it cannot hold in its buffer; otherwise both
    // loads see the same lines.
    const auto header_end = input.find('\n');
    const bool long_header = (header_end == std::string_view::npos ? input.size() : header_end) > options.max_line;
    if (long_header)
        return;
    if (from_file.has_value() != loaded.has_value())
        __builtin_trap();
    if (!loaded)
    {
        if (from_file.error() != loaded.error())
            __builtin_trap();
        return;
    }
    if (!same_report(report, file_report) || (*from_file)->fingerprint() != (*loaded)->fingerprint() ||
        (*from_file)->size() != (*loaded)->size())
        __builtin_trap();
}
#endif

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    dir::load_options options;
    options.max_line = 1024;  // above the real header (~770 bytes), yet small enough to reach
    options.max_rows = 200;
    options.max_reported_problems = 8;
    dir::load_report report;
    mss::diagnostics diag;
    const auto loaded = dir::extraction_index::load(input, report, diag, options);
#if defined(__linux__)
    check_file_load(input, options, report, loaded);
#endif
    if (!loaded)
        return 0;
    const auto& index = **loaded;
    if (index.size() != report.loaded || report.problems.size() > options.max_reported_problems)
        __builtin_trap();

    // Every entry once, in pages of 7 followed by cursor; each found again by its address.
    dir::query q;
    q.limit = 7;
    std::set<std::string> seen;
    for (std::size_t pages = 0; pages <= index.size() / 7 + 1; ++pages)
    {
        auto page = index.search(q, diag);
        if (!page)
            __builtin_trap();  // an empty query lists everything
        for (const auto& e : page->entries)
        {
            if (!seen.insert(e.address).second)
                __builtin_trap();
            const auto again = index.find(e.address);
            if (!again || !(*again == e))
                __builtin_trap();
        }
        if (page->next_cursor.empty())
            break;
        q.cursor = page->next_cursor;
    }
    if (seen.size() != index.size())
        __builtin_trap();

    // Each person is found again by its whole family name (every word of it a prefix of itself).
    for (const auto& address : seen)
    {
        const auto e = index.find(address);
        if (!e || e->family_name.empty() || dir::fold_text(e->family_name).find_first_not_of(' ') == std::string::npos)
            continue;
        dir::query by_name;
        by_name.family_name = e->family_name;
        by_name.limit = dir::query::max_limit;  // above max_rows: one page holds every match
        const auto found = index.search(by_name, diag);
        if (!found)
        {
            if (found.error() == dir::errc::invalid_query)  // a control character, say
                continue;
            __builtin_trap();
        }
        bool present = false;
        for (const auto& f : found->entries) present = present || f.address == address;
        if (!present)
            __builtin_trap();
    }
    return 0;
}
