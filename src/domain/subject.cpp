// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/subject.hpp>

#include <array>
#include <cstdio>

namespace mss::domain {
namespace {

// ASCII lower case plus the few accented capitals of prefixes ("RÉF").
std::string fold(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        const char c = s[i];
        if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if (c == '\xc3' && i + 1 < s.size() && s[i + 1] == '\x89')  // É → é
        {
            out += "\xc3\xa9";
            ++i;
        }
        else
            out += c;
    }
    return out;
}

// Prefixes of replies and forwards in the languages French health mail meets.
constexpr std::array<std::string_view, 14> prefixes = {"re", "réf", "ref", "aw", "antw", "tr", "fwd", "fw",
                                                       "wg", "rv", "sv", "vs", "enc", "rif"};

bool blank(char c) noexcept { return c == ' ' || c == '\t'; }

// Length of one prefix at the start of `s` ("RE :", "Re[2]:", "AW:"), or 0.
std::size_t prefix_length(std::string_view s)
{
    const std::string folded = fold(s.substr(0, 16));
    for (auto p : prefixes)
    {
        if (folded.compare(0, p.size(), p) != 0)
            continue;
        std::size_t i = p.size();
        if (i < s.size() && (s[i] == '[' || s[i] == '^'))  // counters: Re[2]:, Re^2:
        {
            ++i;
            while (i < s.size() && s[i] >= '0' && s[i] <= '9')
                ++i;
            if (i < s.size() && s[i] == ']')
                ++i;
        }
        while (i < s.size() && blank(s[i]))
            ++i;  // French typography: "RE :"
        if (i < s.size() && s[i] == ':')
            return i + 1;
    }
    return 0;
}

std::string_view trim_left(std::string_view s)
{
    while (!s.empty() && blank(s.front()))
        s.remove_prefix(1);
    return s;
}

// Upper case for UTF-8 text in Latin-1 Supplement and Latin Extended-A's œ; others unchanged.
std::string upper(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 'a' && c <= 'z')
            out += static_cast<char>(c - 'a' + 'A');
        else if (c == 0xc3 && i + 1 < s.size())
        {
            auto next = static_cast<unsigned char>(s[i + 1]);
            // U+00E0..U+00FE except U+00F7 (÷) map to U+00C0..U+00DE.
            if (next >= 0xa0 && next <= 0xbe && next != 0xb7)
                next = static_cast<unsigned char>(next - 0x20);
            out += static_cast<char>(c);
            out += static_cast<char>(next);
            ++i;
        }
        else if (c == 0xc5 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x93)  // œ → Œ
        {
            out += "\xc5\x92";
            ++i;
        }
        else
            out += static_cast<char>(c);
    }
    return out;
}

}  // namespace

std::string strip_subject_prefixes(std::string_view subject)
{
    std::string_view rest = trim_left(subject);
    while (const auto n = prefix_length(rest))
        rest = trim_left(rest.substr(n));
    return std::string(rest);
}

std::string reply_subject(std::string_view original) { return "RE : " + strip_subject_prefixes(original); }

std::string forward_subject(std::string_view original) { return "TR : " + strip_subject_prefixes(original); }

std::string documents_subject(std::string_view category, const patient_info& patient)
{
    char date[16];
    std::snprintf(date, sizeof date, "%02u/%02u/%04d", static_cast<unsigned>(patient.birth_date.day()),
                  static_cast<unsigned>(patient.birth_date.month()), static_cast<int>(patient.birth_date.year()));
    return std::string(category) + " \u2013 " + upper(patient.family_name) + " " + patient.given_name + " " + date;
}

std::string display_subject(std::string_view subject)
{
    constexpr std::string_view xdm = "XDM/1.0/DDM+";
    if (subject.substr(0, xdm.size()) == xdm)
        subject.remove_prefix(xdm.size());
    return std::string(subject);
}

}  // namespace mss::domain
