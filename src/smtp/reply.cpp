// SPDX-License-Identifier: Apache-2.0
#include <mss/smtp/reply.hpp>

#include <cstddef>
#include <utility>

namespace mss::smtp
{
namespace
{

bool is_digit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

// Reads 1 to 3 digits at `pos`; advances `pos`. Returns -1 when there is no digit.
int read_number(std::string_view text, std::size_t& pos) noexcept
{
    int value = 0;
    std::size_t digits = 0;
    while (pos < text.size() && is_digit(text[pos]) && digits < 4)
    {
        value = value * 10 + (text[pos] - '0');
        ++pos;
        ++digits;
    }
    return digits == 0 || digits > 3 ? -1 : value;
}

// Length of the `x.y.z` prefix of `line` when it is followed by a space or ends the line; 0 if none.
std::size_t enhanced_prefix_length(std::string_view line) noexcept
{
    std::size_t end = line.find(' ');
    if (end == std::string_view::npos)
        end = line.size();
    return enhanced_status_code::parse(line.substr(0, end)) ? end : 0;
}

}  // namespace

std::optional<enhanced_status_code> enhanced_status_code::parse(std::string_view text) noexcept
{
    if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.')
        return std::nullopt;
    std::size_t pos = 2;
    const int subject = read_number(text, pos);
    if (subject < 0 || pos >= text.size() || text[pos] != '.')
        return std::nullopt;
    ++pos;
    const int detail = read_number(text, pos);
    if (detail < 0 || pos != text.size())
        return std::nullopt;
    return enhanced_status_code{text[0] - '0', subject, detail};
}

std::string enhanced_status_code::str() const
{
    return std::to_string(status_class) + '.' + std::to_string(subject) + '.' + std::to_string(detail);
}

reply::reply(int code, std::vector<std::string> lines) : code_(code), lines_(std::move(lines))
{
    if (lines_.empty())
        lines_.emplace_back();
    const std::string_view first = lines_.front();
    if (const std::size_t length = enhanced_prefix_length(first); length != 0)
    {
        auto parsed = enhanced_status_code::parse(first.substr(0, length));
        // RFC 2034: the class must repeat the reply's first digit; a mismatch means it is text.
        if (parsed && parsed->status_class == code_ / 100)
            enhanced_ = parsed;
    }
}

std::string reply::text() const
{
    const std::string prefix = enhanced_ ? enhanced_->str() : std::string();
    std::string out;
    for (std::size_t i = 0; i < lines_.size(); ++i)
    {
        if (i != 0)
            out += '\n';
        std::string_view line = lines_[i];
        // Strip the code only where it is literally there: servers may vary its spelling (5.1.01).
        if (!prefix.empty() && line.substr(0, prefix.size()) == prefix &&
            (line.size() == prefix.size() || line[prefix.size()] == ' '))
        {
            line.remove_prefix(line.size() == prefix.size() ? prefix.size() : prefix.size() + 1);
        }
        out += line;
    }
    return out;
}

}  // namespace mss::smtp
