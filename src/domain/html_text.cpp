// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/html_text.hpp>

#include <array>
#include <cstdint>

namespace mss::domain {
namespace {

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string tag_name(std::string_view tag)
{
    std::string name;
    std::size_t i = tag.size() > 0 && tag[0] == '/' ? 1 : 0;
    for (; i < tag.size() && tag[i] != ' ' && tag[i] != '>' && tag[i] != '/' && tag[i] != '\t' && tag[i] != '\n';
         ++i)
        name += lower(tag[i]);
    return name;
}

void append_utf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80)
        out += static_cast<char>(cp);
    else if (cp < 0x800)
    {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
    else if (cp < 0x10000)
    {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
    else if (cp < 0x110000)
    {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

// Named entities French text uses; numeric ones are decoded generally.
constexpr std::array<std::pair<std::string_view, std::uint32_t>, 24> entities = {{
    {"amp", '&'},     {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},   {"nbsp", 0xa0},
    {"eacute", 0xe9}, {"egrave", 0xe8},  {"ecirc", 0xea},   {"euml", 0xeb},    {"agrave", 0xe0}, {"acirc", 0xe2},
    {"ccedil", 0xe7}, {"icirc", 0xee},   {"iuml", 0xef},    {"ocirc", 0xf4},   {"ugrave", 0xf9}, {"ucirc", 0xfb},
    {"Eacute", 0xc9}, {"Egrave", 0xc8},  {"oelig", 0x153},  {"euro", 0x20ac},  {"laquo", 0xab},  {"raquo", 0xbb},
}};

std::size_t decode_entity(std::string_view html, std::size_t amp, std::string& out)
{
    const auto semi = html.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 10)
    {
        out += '&';
        return amp + 1;
    }
    const auto name = html.substr(amp + 1, semi - amp - 1);
    if (!name.empty() && name[0] == '#')
    {
        std::uint32_t cp = 0;
        const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        for (std::size_t i = hex ? 2 : 1; i < name.size(); ++i)
        {
            const char c = name[i];
            const int digit = c >= '0' && c <= '9' ? c - '0'
                              : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                              : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                            : -1;
            if (digit < 0 || cp > 0x10ffff)
            {
                out += '&';
                return amp + 1;
            }
            cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
        }
        append_utf8(out, cp == 0 ? 0xfffd : cp);
        return semi + 1;
    }
    for (const auto& [n, cp] : entities)
    {
        if (n == name)
        {
            append_utf8(out, cp);
            return semi + 1;
        }
    }
    out += '&';
    return amp + 1;
}

void newline(std::string& out)
{
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    out += '\n';
}

}  // namespace

std::string html_to_text(std::string_view html)
{
    std::string out;
    bool skipping = false;  // inside <script> or <style>
    bool last_space = true;
    for (std::size_t i = 0; i < html.size();)
    {
        const char c = html[i];
        if (c == '<')
        {
            const auto end = html.find('>', i);
            if (end == std::string_view::npos)
                break;
            const std::string_view tag = html.substr(i + 1, end - i - 1);
            const std::string name = tag_name(tag);
            const bool closing = !tag.empty() && tag[0] == '/';
            if (name == "script" || name == "style")
                skipping = !closing;
            else if (!skipping)
            {
                if (name == "br")
                    newline(out);
                else if (name == "p" || name == "div" || name == "tr" || name == "h1" || name == "h2" ||
                         name == "h3" || name == "blockquote" || name == "ul" || name == "ol")
                {
                    if (!out.empty() && out.back() != '\n')
                        newline(out);
                }
                else if (name == "li" && !closing)
                {
                    if (!out.empty() && out.back() != '\n')
                        newline(out);
                    out += "- ";
                }
            }
            last_space = out.empty() || out.back() == '\n' || out.back() == ' ';
            i = end + 1;
            continue;
        }
        if (skipping)
        {
            ++i;
            continue;
        }
        if (c == '&')
        {
            i = decode_entity(html, i, out);
            last_space = false;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        {
            if (!last_space)
                out += ' ';
            last_space = true;
            ++i;
            continue;
        }
        out += c;
        last_space = false;
        ++i;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n'))
        out.pop_back();
    return out;
}

std::string text_to_html(std::string_view text)
{
    std::string out;
    for (char c : text)
    {
        switch (c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\r': break;
        case '\n': out += "<br>\n"; break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace mss::domain
