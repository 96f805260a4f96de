// SPDX-License-Identifier: Apache-2.0
#include "output.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <unistd.h>

namespace mss_cli {

std::string printable(std::string_view text, bool keep_newlines)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        const auto u = static_cast<unsigned char>(c);
        if (keep_newlines && c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            continue;  // CRLF of the wire shown as a plain line end
        if (keep_newlines && (c == '\n' || c == '\t'))
            out += c;
        else if (u < 0x20 || u == 0x7f)
            out += fmt::format("\\x{:02x}", static_cast<unsigned>(u));
        else
            out += c;
    }
    return out;
}

std::string pad(std::string_view text, std::size_t width)
{
    std::size_t columns = 0;
    for (char c : text)
        if ((static_cast<unsigned char>(c) & 0xc0) != 0x80)  // not a continuation byte
            ++columns;
    std::string out(text);
    if (columns < width)
        out.append(width - columns, ' ');
    return out;
}

std::string json_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 2);
    for (char c : text)
    {
        switch (c)
        {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
            else
                out += c;
        }
    }
    return out;
}

void json_writer::separate()
{
    if (after_key_)
    {
        after_key_ = false;
        return;
    }
    if (!first_.empty())
    {
        if (!first_.back())
            out_ += ',';
        first_.back() = false;
    }
}

json_writer& json_writer::begin_object()
{
    separate();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

json_writer& json_writer::end_object()
{
    out_ += '}';
    first_.pop_back();
    return *this;
}

json_writer& json_writer::begin_array()
{
    separate();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

json_writer& json_writer::end_array()
{
    out_ += ']';
    first_.pop_back();
    return *this;
}

json_writer& json_writer::key(std::string_view name)
{
    separate();
    out_ += '"';
    out_ += json_escape(name);
    out_ += "\":";
    after_key_ = true;
    return *this;
}

json_writer& json_writer::value(std::string_view text)
{
    separate();
    out_ += '"';
    out_ += json_escape(text);
    out_ += '"';
    return *this;
}

json_writer& json_writer::value(std::int64_t number)
{
    separate();
    out_ += std::to_string(number);
    return *this;
}

json_writer& json_writer::value(std::uint64_t number)
{
    separate();
    out_ += std::to_string(number);
    return *this;
}

json_writer& json_writer::value(bool flag)
{
    separate();
    out_ += flag ? "true" : "false";
    return *this;
}

json_writer& json_writer::null()
{
    separate();
    out_ += "null";
    return *this;
}

output::output(bool json) : json_(json) {}

void output::say(std::string_view line) const
{
    if (!json_)
    {
        fmt::print("{}\n", line);
        // Line by line even into a pipe: `sync --watch` reports changes as they happen.
        std::fflush(stdout);
    }
}

void output::emit(const json_writer& doc) const
{
    fmt::print("{}\n", doc.str());
    std::fflush(stdout);
}

void output::error(std::string_view command, std::string_view message, std::string_view hint) const
{
    std::fflush(stdout);
    if (hint.empty())
        fmt::print(stderr, "mss {}: {}\n", command, message);
    else
        fmt::print(stderr, "mss {}: {}\nhint: {}\n", command, message, hint);
    if (json_)
    {
        json_writer doc;
        doc.begin_object().member("ok", false).member("error", message);
        if (!hint.empty())
            doc.member("hint", hint);
        emit(doc.end_object());
    }
}

progress::progress(std::string label) : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO) == 1) {}

progress::~progress() { finish(); }

void progress::update(std::size_t done, std::size_t total)
{
    if (!enabled_)
        return;
    constexpr std::size_t width = 30;
    if (total == 0)
        fmt::print(stderr, "\r{} {}", label_, done);
    else
    {
        const std::size_t filled = done >= total ? width : done * width / total;
        fmt::print(stderr, "\r{} [{}{}] {}/{}", label_, std::string(filled, '#'), std::string(width - filled, ' '),
                   done, total);
    }
    std::fflush(stderr);
    drawn_ = true;
}

void progress::status(std::string_view text)
{
    if (!enabled_)
        return;
    fmt::print(stderr, "\r{} {}", label_, text);
    std::fflush(stderr);
    drawn_ = true;
}

void progress::finish()
{
    if (enabled_ && drawn_)
    {
        // Erase the bar so that the next line starts clean.
        fmt::print(stderr, "\r\x1b[K");
        std::fflush(stderr);
    }
    drawn_ = false;
}

}  // namespace mss_cli
