// SPDX-License-Identifier: Apache-2.0
// Small ASCII helpers shared by the IMAP codec sources.
#pragma once

#include <string_view>

namespace mss::imap::detail {

/** ASCII case-insensitive equality (IMAP keywords are case-insensitive, RFC 3501 §9). */
inline bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        char x = a[i];
        char y = b[i];
        if (x >= 'a' && x <= 'z')
            x = static_cast<char>(x - 32);
        if (y >= 'a' && y <= 'z')
            y = static_cast<char>(y - 32);
        if (x != y)
            return false;
    }
    return true;
}

}  // namespace mss::imap::detail
