// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/mbox.hpp>

namespace mss::mime
{
namespace
{

constexpr std::string_view envelope_prefix = "From ";

// Offset of the next envelope line at or after `from` (a "From " line at the start of the input or
// after an empty line), or npos.
std::size_t find_envelope(std::string_view mbox, std::size_t from) noexcept
{
    if (from == 0 && mbox.substr(0, envelope_prefix.size()) == envelope_prefix)
        return 0;
    std::size_t pos = from;
    while (true)
    {
        pos = mbox.find("\nFrom ", pos);
        if (pos == std::string_view::npos)
            return pos;
        const std::size_t line = pos + 1;
        // The line before must be empty: "\n\nFrom " or "\n\r\nFrom ".
        if ((pos >= 1 && mbox[pos - 1] == '\n') ||
            (pos >= 2 && mbox[pos - 1] == '\r' && mbox[pos - 2] == '\n'))
            return line;
        pos = line;
    }
}

}  // namespace

std::optional<mbox_entry> mbox_splitter::next() noexcept
{
    if (!started_)
    {
        started_ = true;
        pos_ = find_envelope(mbox_, 0);
    }
    if (pos_ == std::string_view::npos || pos_ >= mbox_.size())
        return std::nullopt;
    mbox_entry entry;
    entry.offset = pos_;
    const std::size_t nl = mbox_.find('\n', pos_);
    std::size_t envelope_end = nl == std::string_view::npos ? mbox_.size() : nl;
    if (envelope_end > pos_ && mbox_[envelope_end - 1] == '\r')
        --envelope_end;
    entry.envelope = mbox_.substr(pos_, envelope_end - pos_);
    const std::size_t body = nl == std::string_view::npos ? mbox_.size() : nl + 1;
    const std::size_t following = find_envelope(mbox_, body > 0 ? body - 1 : 0);
    std::size_t end = following == std::string_view::npos ? mbox_.size() : following;
    // Drop the separating empty line: the message ends with the line break of its last line.
    // (At the end of the file, only when the writer did leave an empty line.)
    const auto ends_with_empty_line = [&](std::size_t e)
    {
        return (e >= body + 2 && mbox_[e - 1] == '\n' && mbox_[e - 2] == '\n') ||
               (e >= body + 3 && mbox_[e - 1] == '\n' && mbox_[e - 2] == '\r' && mbox_[e - 3] == '\n');
    };
    if (end > body && mbox_[end - 1] == '\n' &&
        (following != std::string_view::npos || ends_with_empty_line(end)))
    {
        --end;
        if (end > body && mbox_[end - 1] == '\r')
            --end;
    }
    entry.raw = mbox_.substr(body, end > body ? end - body : 0);
    pos_ = following;
    return entry;
}

void unquote_mbox(std::string_view raw, mbox_format format, std::string& out)
{
    out.reserve(out.size() + raw.size());
    std::size_t pos = 0;
    while (pos < raw.size())
    {
        const std::size_t nl = raw.find('\n', pos);
        const std::size_t next = nl == std::string_view::npos ? raw.size() : nl + 1;
        const std::string_view line = raw.substr(pos, next - pos);
        std::size_t quotes = 0;
        while (quotes < line.size() && line[quotes] == '>') ++quotes;
        const bool quoted = quotes > 0 && line.substr(quotes, envelope_prefix.size()) == envelope_prefix &&
                            (format == mbox_format::mboxrd || quotes == 1);
        out.append(quoted ? line.substr(1) : line);
        pos = next;
    }
}

}  // namespace mss::mime
