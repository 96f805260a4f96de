// SPDX-License-Identifier: Apache-2.0
#include "smtp/fsm_support.hpp"

#include <algorithm>
#include <utility>

namespace mss::smtp::detail
{

read_status next_reply(reply_parser& parser, std::string& input, std::optional<reply>& out,
                       boost::system::error_code& ec, diagnostics& diag)
{
    auto r = parser.feed(input, diag);
    input.erase(0, r.consumed);
    if (r.error)
    {
        ec = r.error;
        return read_status::failed;
    }
    if (!r.parsed)
        return read_status::need_more;
    out = std::move(r.parsed);
    return read_status::reply;
}

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
