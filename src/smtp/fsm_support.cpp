// SPDX-License-Identifier: Apache-2.0
#include "smtp/fsm_support.hpp"

#include <algorithm>
#include <utility>

namespace mss::smtp::detail
{

std::string describe(const reply& r)
{
    std::string s = std::to_string(r.code());
    if (r.enhanced_code())
    {
        s += ' ';
        s += r.enhanced_code()->str();
    }
    return s;
}

void wipe(std::string& s) noexcept
{
    // The object lives on, so these stores are observable and cannot be optimised away.
    std::fill(s.begin(), s.end(), '\0');
    s.clear();
}

}  // namespace mss::smtp::detail
