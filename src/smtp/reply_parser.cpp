// SPDX-License-Identifier: Apache-2.0
#include <mss/smtp/reply_parser.hpp>

#include <mss/error.hpp>

#include <utility>

namespace mss::smtp
{

reply_parser::result reply_parser::feed(std::string_view input)
{
    diagnostics ignored;
    return feed(input, ignored);
}

reply_parser::result reply_parser::feed(std::string_view input, diagnostics& diag)
{
    result r;
    if (error_)
    {
        r.error = error_;
        return r;
    }
    for (std::size_t i = 0; i < input.size(); ++i)
    {
        const std::size_t at = offset_;
        if (!step(input[i], at, diag))
        {
            r.consumed = i;
            r.error = error_;
            return r;
        }
        ++offset_;
        if (completed_)
        {
            // Stop at the reply's end: what follows belongs to the next reply, and the caller
            // must be able to see that it exists (STARTTLS injection).
            r.consumed = i + 1;
            r.parsed = std::move(completed_);
            completed_.reset();
            return r;
        }
    }
    r.consumed = input.size();
    return r;
}

bool reply_parser::step(char c, std::size_t at, diagnostics& diag)
{
    const auto byte = static_cast<unsigned char>(c);
    if (c != '\r' && c != '\n' && state_ != state::cr)
    {
        if (line_length_ + 1 > options_.max_line_length)
        {
            return fail(mss::errc::limit_exceeded,
                        "reply line longer than " + std::to_string(options_.max_line_length) + " bytes", at,
                        diag);
        }
        ++line_length_;
    }

    switch (state_)
    {
    case state::code:
    {
        if (c < '0' || c > '9')
            return fail(mss::errc::malformed_response, "reply line does not start with a three-digit code",
                        at, diag);
        const std::size_t pos = line_length_ - 1;
        if (pos == 0 && (c < '2' || c > '5'))
            return fail(mss::errc::malformed_response, "reply code does not start with 2, 3, 4 or 5", at,
                        diag);
        if (pos == 1 && c > '5' && !options_.lenient)
            return fail(mss::errc::malformed_response, "reply code's second digit is above 5", at, diag);
        code_ = code_ * 10 + (c - '0');
        if (pos == 2)
        {
            if (reply_code_ != 0 && code_ != reply_code_)
                return fail(mss::errc::malformed_response, "reply line's code differs from the first line's",
                            line_start_, diag);
            state_ = state::separator;
        }
        return true;
    }
    case state::separator:
        if (c == ' ' || c == '-')
        {
            last_line_ = c == ' ';
            state_ = state::text;
            return true;
        }
        if (c == '\r')
        {
            last_line_ = true;
            state_ = state::cr;
            return true;
        }
        if (c == '\n' && options_.lenient)
        {
            last_line_ = true;
            return end_line(at, diag);
        }
        if (c == '\n')
            return fail(mss::errc::malformed_response, "reply line ends with a bare LF", at, diag);
        return fail(mss::errc::malformed_response, "reply code is followed by neither a space nor '-'", at,
                    diag);
    case state::text:
        if (c == '\r')
        {
            state_ = state::cr;
            return true;
        }
        if (c == '\n')
        {
            if (!options_.lenient)
                return fail(mss::errc::malformed_response, "reply line ends with a bare LF", at, diag);
            return end_line(at, diag);
        }
        if (!options_.lenient && ((byte < 0x20 && c != '\t') || byte == 0x7f))
            return fail(mss::errc::malformed_response, "reply text contains a control character", at, diag);
        text_ += c;
        return true;
    case state::cr:
        if (c != '\n')
            return fail(mss::errc::malformed_response, "CR not followed by LF in a reply", at, diag);
        return end_line(at, diag);
    }
    return true;
}

bool reply_parser::end_line(std::size_t at, diagnostics& diag)
{
    if (reply_code_ == 0)
        reply_code_ = code_;
    lines_.push_back(std::move(text_));
    text_.clear();
    if (last_line_)
    {
        completed_.emplace(reply_code_, std::move(lines_));
        lines_.clear();
        reply_code_ = 0;
    }
    else if (lines_.size() >= options_.max_lines)
    {
        // Refuse as soon as one more line would be needed, so memory never exceeds the bound.
        return fail(mss::errc::limit_exceeded,
                    "reply has more than " + std::to_string(options_.max_lines) + " lines", at, diag);
    }
    ++line_number_;
    line_start_ = at + 1;
    line_length_ = 0;
    code_ = 0;
    last_line_ = false;
    state_ = state::code;
    return true;
}

bool reply_parser::fail(boost::system::error_code ec, std::string message, std::size_t at, diagnostics& diag)
{
    error_ = ec;
    diag.set_client_message(std::move(message));
    diag.set_position(input_position{at, line_number_, at - line_start_ + 1});
    return false;
}

bool reply_parser::has_buffered() const noexcept
{
    return state_ != state::code || line_length_ != 0 || !lines_.empty();
}

void reply_parser::reset() noexcept
{
    state_ = state::code;
    offset_ = 0;
    line_number_ = 1;
    line_start_ = 0;
    line_length_ = 0;
    code_ = 0;
    reply_code_ = 0;
    last_line_ = false;
    text_.clear();
    lines_.clear();
    completed_.reset();
    error_ = {};
}

}  // namespace mss::smtp
