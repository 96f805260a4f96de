// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/sequence_set.hpp>

#include <algorithm>
#include <charconv>

namespace mss::imap {

sequence_set sequence_set::from_numbers(std::span<const std::uint32_t> numbers)
{
    sequence_set set;
    if (std::is_sorted(numbers.begin(), numbers.end()))
    {
        for (std::uint32_t n : numbers)
            set.add(n);
        return set;
    }
    std::vector<std::uint32_t> sorted(numbers.begin(), numbers.end());
    std::sort(sorted.begin(), sorted.end());
    for (std::uint32_t n : sorted)
        set.add(n);
    return set;
}

void sequence_set::add(std::uint32_t n)
{
    if (n == 0)
        return;
    if (!ranges_.empty())
    {
        auto& last = ranges_.back();
        // Sorted input arrives here in order: duplicates and successors merge into the last range.
        if (n >= last.first && n <= last.last)
            return;
        if (last.last != star && n == last.last + 1)
        {
            last.last = n;
            return;
        }
    }
    ranges_.push_back({n, n});
}

void sequence_set::add_range(std::uint32_t first, std::uint32_t last)
{
    if (first > last)
        std::swap(first, last);
    if (first == 0)
        first = 1;
    if (last == 0)
        return;
    ranges_.push_back({first, last});
}

bool sequence_set::contains(std::uint32_t n) const noexcept
{
    return std::any_of(ranges_.begin(), ranges_.end(),
                       [n](const sequence_range& r) { return n >= r.first && n <= r.last; });
}

std::uint64_t sequence_set::count() const noexcept
{
    std::uint64_t total = 0;
    for (const auto& r : ranges_)
        total += std::uint64_t{r.last} - r.first + 1;
    return total;
}

void sequence_set::append_to(std::string& out) const
{
    char digits[16];
    auto number = [&](std::uint32_t n) {
        if (n == star)
        {
            out.push_back('*');
            return;
        }
        const auto res = std::to_chars(digits, digits + sizeof digits, n);
        out.append(digits, res.ptr);
    };
    bool first = true;
    for (const auto& r : ranges_)
    {
        if (!first)
            out.push_back(',');
        first = false;
        number(r.first);
        if (r.last != r.first)
        {
            out.push_back(':');
            number(r.last);
        }
    }
}

std::string sequence_set::to_string() const
{
    std::string out;
    append_to(out);
    return out;
}

boost::system::error_code sequence_set::parse(std::string_view text, sequence_set& out)
{
    out.ranges_.clear();
    const char* p = text.data();
    const char* const end = p + text.size();
    auto number = [&](std::uint32_t& n) {
        if (p < end && *p == '*')
        {
            ++p;
            n = star;
            return true;
        }
        // nz-number: no leading zero, at most 2^32-1.
        if (p == end || *p < '1' || *p > '9')
            return false;
        const auto res = std::from_chars(p, end, n);
        if (res.ec != std::errc{})
            return false;
        p = res.ptr;
        return true;
    };
    for (;;)
    {
        std::uint32_t a = 0;
        if (!number(a))
            break;
        std::uint32_t b = a;
        if (p < end && *p == ':')
        {
            ++p;
            if (!number(b))
                break;
        }
        out.ranges_.push_back({std::min(a, b), std::max(a, b)});
        if (p == end)
            return {};
        if (*p != ',')
            break;
        ++p;
    }
    out.ranges_.clear();
    return mss::errc::malformed_response;
}

boost::system::result<sequence_set> sequence_set::parse(std::string_view text)
{
    sequence_set set;
    if (auto ec = parse(text, set))
        return ec;
    return set;
}

}  // namespace mss::imap
