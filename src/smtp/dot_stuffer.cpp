// SPDX-License-Identifier: Apache-2.0
#include <mss/smtp/dot_stuffer.hpp>

#include <cstddef>

namespace mss::smtp
{

void dot_stuffer::write(std::string_view chunk, std::string& out)
{
    out.reserve(out.size() + chunk.size() + chunk.size() / 64 + 2);
    std::size_t i = 0;
    while (i < chunk.size())
    {
        const char c = chunk[i];
        if (pending_cr_)
        {
            // CR LF, or a bare CR: either way one line ending.
            out += "\r\n";
            pending_cr_ = false;
            at_line_start_ = true;
            if (c == '\n')
            {
                ++i;
                continue;
            }
        }
        if (c == '\r')
        {
            pending_cr_ = true;
            ++i;
            continue;
        }
        if (c == '\n')
        {
            out += "\r\n";
            at_line_start_ = true;
            ++i;
            continue;
        }
        if (at_line_start_ && c == '.')
            out += '.';
        // Copy the rest of the line in one go.
        std::size_t end = chunk.find_first_of("\r\n", i);
        if (end == std::string_view::npos)
            end = chunk.size();
        out.append(chunk.substr(i, end - i));
        at_line_start_ = false;
        i = end;
    }
}

void dot_stuffer::finish(std::string& out)
{
    if (pending_cr_)
    {
        out += "\r\n";
        at_line_start_ = true;
    }
    if (!at_line_start_)
        out += "\r\n";
    out += ".\r\n";
    reset();
}

}  // namespace mss::smtp
