// SPDX-License-Identifier: Apache-2.0
#include <mss/smtp/capabilities.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>

namespace mss::smtp
{
namespace
{

char to_upper(char c) noexcept
{
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string upper(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), to_upper);
    return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return to_upper(x) == to_upper(y); });
}

bool is_space(char c) noexcept
{
    return c == ' ' || c == '\t';
}

// Splits `s` on spaces and tabs, dropping empty pieces.
std::vector<std::string_view> words(std::string_view s)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size())
    {
        while (i < s.size() && is_space(s[i])) ++i;
        std::size_t j = i;
        while (j < s.size() && !is_space(s[j])) ++j;
        if (j > i)
            out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

// A decimal number without sign or overflow; nullopt otherwise.
std::optional<std::uint64_t> parse_size(std::string_view s) noexcept
{
    if (s.empty() || s.size() > 20)
        return std::nullopt;
    std::uint64_t value = 0;
    for (char c : s)
    {
        if (c < '0' || c > '9')
            return std::nullopt;
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

void add_mechanisms(std::vector<std::string>& mechanisms, const std::vector<std::string_view>& names)
{
    for (std::string_view name : names)
    {
        std::string m = upper(name);
        if (std::find(mechanisms.begin(), mechanisms.end(), m) == mechanisms.end())
            mechanisms.push_back(std::move(m));
    }
}

}  // namespace

capabilities capabilities::from_ehlo(const reply& ehlo_reply)
{
    capabilities caps;
    const auto& lines = ehlo_reply.lines();
    if (const auto first = words(lines.front()); !first.empty())
        caps.server_name = std::string(first.front());

    for (std::size_t i = 1; i < lines.size(); ++i)
    {
        const std::string_view line = lines[i];
        auto w = words(line);
        if (w.empty())
            continue;
        std::string_view keyword = w.front();
        std::vector<std::string_view> params(w.begin() + 1, w.end());

        // Pre-RFC 4954 servers (and some current ones, for old clients) write `AUTH=PLAIN LOGIN`.
        if (keyword.size() > 5 && iequals(keyword.substr(0, 5), "AUTH="))
        {
            params.insert(params.begin(), keyword.substr(5));
            add_mechanisms(caps.auth_mechanisms, params);
            continue;
        }

        if (iequals(keyword, "PIPELINING"))
            caps.pipelining = true;
        else if (iequals(keyword, "SIZE"))
        {
            caps.size_declared = true;
            if (!params.empty())
                caps.max_size = parse_size(params.front()).value_or(0);
        }
        else if (iequals(keyword, "8BITMIME"))
            caps.eight_bit_mime = true;
        else if (iequals(keyword, "SMTPUTF8"))
            caps.smtputf8 = true;
        else if (iequals(keyword, "DSN"))
            caps.dsn = true;
        else if (iequals(keyword, "ENHANCEDSTATUSCODES"))
            caps.enhanced_status_codes = true;
        else if (iequals(keyword, "STARTTLS"))
            caps.starttls = true;
        else if (iequals(keyword, "CHUNKING"))
            caps.chunking = true;
        else if (iequals(keyword, "BINARYMIME"))
            caps.binary_mime = true;
        else if (iequals(keyword, "AUTH"))
            add_mechanisms(caps.auth_mechanisms, params);
        else
            caps.other.emplace_back(line);
    }
    return caps;
}

bool capabilities::offers_auth(std::string_view mechanism) const noexcept
{
    return std::any_of(auth_mechanisms.begin(), auth_mechanisms.end(),
                       [mechanism](const std::string& m) { return iequals(m, mechanism); });
}

}  // namespace mss::smtp
