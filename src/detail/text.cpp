// SPDX-License-Identifier: Apache-2.0
#include "detail/text.hpp"

namespace mss::detail {

std::size_t find_forbidden_character(std::string_view s) noexcept
{
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f)
            return i;
        if (c == 0xc2 && i + 1 < s.size())
        {
            const auto next = static_cast<unsigned char>(s[i + 1]);
            if (next >= 0x80 && next <= 0x9f)
                return i;
        }
    }
    return std::string_view::npos;
}

std::size_t find_invalid_utf8(std::string_view s) noexcept
{
    std::size_t i = 0;
    while (i < s.size())
    {
        const auto b0 = static_cast<unsigned char>(s[i]);
        if (b0 < 0x80)
        {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf)
            length = 2;
        else if (b0 >= 0xe0 && b0 <= 0xef)
        {
            length = 3;
            if (b0 == 0xe0)
                low = 0xa0;
            else if (b0 == 0xed)
                high = 0x9f;
        }
        else if (b0 >= 0xf0 && b0 <= 0xf4)
        {
            length = 4;
            if (b0 == 0xf0)
                low = 0x90;
            else if (b0 == 0xf4)
                high = 0x8f;
        }
        else
            return i;
        if (i + length > s.size())
            return i;
        for (std::size_t k = 1; k < length; ++k)
        {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (k == 1 ? (b < low || b > high) : (b < 0x80 || b > 0xbf))
                return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

}  // namespace mss::detail
