// SPDX-License-Identifier: Apache-2.0
// Internal: ASCII classes and hexadecimal digits shared by the MIME codecs.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace mss::mime::detail {

/** Upper-case hexadecimal digits, as RFC 2045 and RFC 2231 require for `=XX` and `%XX`. */
inline constexpr std::string_view upper_hex = "0123456789ABCDEF";

/** Value of each byte as a hexadecimal digit (either case), or -1. */
inline constexpr std::array<signed char, 256> hex_values = [] {
    std::array<signed char, 256> table{};
    for (auto& v : table)
        v = -1;
    for (int c = 0; c < 10; ++c)
        table['0' + c] = static_cast<signed char>(c);
    for (int c = 0; c < 6; ++c)
    {
        table['A' + c] = static_cast<signed char>(10 + c);
        table['a' + c] = static_cast<signed char>(10 + c);
    }
    return table;
}();

/** Hexadecimal value of `c`, or -1. */
constexpr int hex_value(char c) noexcept
{
    return hex_values[static_cast<unsigned char>(c)];
}

/** Value of the two hexadecimal digits `high` `low` (as in `=XX` or `%XX`), or -1. */
constexpr int hex_pair(char high, char low) noexcept
{
    const int h = hex_value(high);
    const int l = hex_value(low);
    return (h < 0 || l < 0) ? -1 : h * 16 + l;
}

/** ASCII lower case; other bytes unchanged (locale-independent, unlike `std::tolower`). */
constexpr char to_lower(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/** Space or horizontal tab (RFC 5234 `WSP`). */
constexpr bool is_wsp(char c) noexcept
{
    return c == ' ' || c == '\t';
}

/** ASCII case-insensitive equality. */
constexpr bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        if (to_lower(a[i]) != to_lower(b[i]))
            return false;
    }
    return true;
}

/** Writes `=XX` (or `%XX` with another `marker`) for one byte; returns the position after it. */
inline char* put_escaped(char* dst, char marker, unsigned char byte) noexcept
{
    dst[0] = marker;
    dst[1] = upper_hex[byte >> 4];
    dst[2] = upper_hex[byte & 0x0f];
    return dst + 3;
}

/** Skips folding white space and comments (RFC 5322 `CFWS`) from `i`; comments nest, and an
 *  unclosed one ends at the end of `value`. A counter rather than recursion: no stack to exhaust. */
constexpr void skip_cfws(std::string_view value, std::size_t& i) noexcept
{
    while (i < value.size())
    {
        const char c = value[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            ++i;
        else if (c == '(')
        {
            int depth = 0;
            while (i < value.size())
            {
                const char d = value[i++];
                if (d == '\\' && i < value.size())
                    ++i;  // a quoted-pair; never past the end
                else if (d == '(')
                    ++depth;
                else if (d == ')' && --depth == 0)
                    break;
            }
        }
        else
            break;
    }
}

}  // namespace mss::mime::detail
