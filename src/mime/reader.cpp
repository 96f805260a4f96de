// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/mime/reader.hpp>

#include "mime/ascii.hpp"

#include <cstring>
#include <string>

namespace mss::mime
{
namespace
{

// RFC 2046 allows 70 characters; longer ones are refused so a candidate line stays short.
constexpr std::size_t max_boundary_size = 200;

std::size_t find_byte(std::string_view in, std::size_t from, char c) noexcept
{
    if (from >= in.size())
        return std::string_view::npos;
    const void* p = std::memchr(in.data() + from, c, in.size() - from);
    return p == nullptr ? std::string_view::npos
                        : static_cast<std::size_t>(static_cast<const char*>(p) - in.data());
}

bool only_blanks(std::string_view s) noexcept
{
    for (const char c : s)
    {
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return true;
}

// Length of the field name of a header line, or 0 when the line is not a field; `colon` receives
// the position of the colon. Whitespace before the colon is tolerated (obs-field).
std::size_t field_name_length(std::string_view line, std::size_t& colon) noexcept
{
    colon = line.find(':');
    if (colon == std::string_view::npos)
        return 0;
    std::size_t end = colon;
    while (end > 0 && detail::is_wsp(line[end - 1])) --end;
    for (std::size_t i = 0; i < end; ++i)
    {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c <= ' ' || c >= 0x7f)
            return 0;
    }
    return end;
}

parameterized_value default_content_type(bool digest)
{
    parameterized_value v;
    if (digest)
    {
        v.type = "message";
        v.subtype = "rfc822";
    }
    else
    {
        v.type = "text";
        v.subtype = "plain";
        v.parameters.push_back({"charset", "us-ascii"});
    }
    return v;
}

}  // namespace

transfer_encoding parse_transfer_encoding(std::string_view value) noexcept
{
    // Drop comments and surrounding white space: "base64 (by hand)" is base64.
    std::size_t first = 0;
    while (first < value.size() &&
           (detail::is_wsp(value[first]) || value[first] == '\r' || value[first] == '\n'))
        ++first;
    std::size_t last = first;
    while (last < value.size() && value[last] != '(' && value[last] != ';' && !detail::is_wsp(value[last]) &&
           value[last] != '\r' && value[last] != '\n')
        ++last;
    const std::string_view token = value.substr(first, last - first);
    if (token.empty() || detail::iequals(token, "7bit"))
        return transfer_encoding::seven_bit;
    if (detail::iequals(token, "base64"))
        return transfer_encoding::base64;
    if (detail::iequals(token, "quoted-printable"))
        return transfer_encoding::quoted_printable;
    if (detail::iequals(token, "8bit"))
        return transfer_encoding::eight_bit;
    if (detail::iequals(token, "binary"))
        return transfer_encoding::binary;
    return transfer_encoding::unknown;
}

std::string_view part_info::boundary() const noexcept
{
    if (kind != part_kind::multipart)
        return {};
    const auto b = content_type.find("boundary");
    return b ? *b : std::string_view{};
}

reader::reader(parser_options options)
    : options_(options),
      base64_(base64_decoder_options{!options.strict}),
      quoted_(quoted_printable_decoder_options{!options.strict})
{
}

void reader::reset()
{
    *this = reader(options_);
}

const event& reader::feed(std::string_view input, bool end_of_input)
{
    if (state_ == state::failed)
    {
        event_.consumed = 0;
        return event_;  // sticky
    }
    event_ = event{};
    std::size_t pos = 0;
    for (;;)
    {
        bool ready = false;
        switch (state_)
        {
        case state::child:
            ready = push_child(pos, pos);
            break;
        case state::headers:
            ready = step_headers(input, end_of_input, pos);
            break;
        case state::body:
        case state::preamble:
        case state::epilogue:
            ready = step_content(input, end_of_input, pos);
            break;
        case state::closing:
            ready = step_closing(pos);
            break;
        case state::done:
            event_.kind = event_kind::message_end;
            event_.offset = base_;
            event_.consumed = 0;
            return event_;
        case state::failed:
            return event_;
        }
        if (ready)
            return event_;
    }
}

bool reader::emit(event_kind kind, std::size_t pos)
{
    event_.kind = kind;
    event_.consumed = pos;
    base_ += pos;
    scan_ = 0;
    return true;
}

bool reader::need_more(std::size_t pos, std::size_t scanned)
{
    // `scanned` is absolute: it survives the shift of `base_`.
    event_.kind = event_kind::need_more;
    event_.consumed = pos;
    event_.offset = base_ + pos;
    base_ += pos;
    scan_ = scanned;
    return true;
}

bool reader::fail(boost::system::error_code ec, std::size_t offset, const char* message, std::size_t pos)
{
    state_ = state::failed;
    event_ = event{};
    event_.kind = event_kind::error;
    event_.error = ec;
    event_.offset = offset;
    event_.consumed = 0;
    (void)pos;
    diag_.clear();
    diag_.set_client_message(std::string(message) + " at byte " + std::to_string(offset));
    diag_.set_position({offset, 0, 0});
    return true;
}

std::size_t reader::boundary_levels() const noexcept
{
    // The frame on top is being read: its own boundary counts only in its preamble.
    if (stack_.empty())
        return 0;
    return stack_.size() - 1 + (state_ == state::preamble ? 1 : 0);
}

bool reader::push_child(std::size_t header_pos, std::size_t& pos)
{
    const std::size_t depth = stack_.size();
    const std::size_t offset = base_ + header_pos;
    if (depth > options_.max_depth)
        return fail(mss::errc::limit_exceeded, offset, "entity nested deeper than max_depth", pos);
    if (++parts_ > options_.max_parts)
        return fail(mss::errc::limit_exceeded, offset, "more entities than max_parts", pos);
    frame child;
    child.info.depth = depth;
    child.info.header_offset = offset;
    if (!stack_.empty())
    {
        frame& parent = stack_.back();
        child.info.path.reserve(parent.info.path.size() + 1);
        child.info.path = parent.info.path;
        child.info.path.push_back(++parent.children);
        child.digest = parent.digest;  // the default type of the children, not inherited further
    }
    stack_.push_back(std::move(child));
    header_start_ = header_pos;
    header_bytes_ = 0;
    header_fields_ = 0;
    have_content_type_ = false;
    have_encoding_ = false;
    state_ = state::headers;
    scan_ = 0;
    pos = header_pos;
    return false;
}

bool reader::step_headers(std::string_view in, bool eof, std::size_t& pos)
{
    const std::size_t start = pos;
    const std::size_t size = in.size();
    const bool resumed = scan_ > base_ + start;

    // Phase 1: the first line of the item, complete.
    std::size_t first_nl =
        find_byte(in, resumed && scan_line_ == base_ + start ? scan_ - base_ : start, '\n');
    if (first_nl == std::string_view::npos && !eof)
    {
        // One byte of slack: a CR that will end the line does not count in its length.
        if (size - start > options_.max_line_length + 1)
            return fail(mss::errc::limit_exceeded, base_ + start, "header line longer than max_line_length",
                        pos);
        if (header_bytes_ + (size - start) > options_.max_header_block_size)
            return fail(mss::errc::limit_exceeded, base_ + start,
                        "header block larger than max_header_block_size", pos);
        scan_line_ = base_ + start;
        return need_more(pos, base_ + size);
    }
    const std::size_t first_next = first_nl == std::string_view::npos ? size : first_nl + 1;
    std::size_t first_end = first_nl == std::string_view::npos ? size : first_nl;
    if (first_end > start && in[first_end - 1] == '\r')
        --first_end;
    if (first_end - start > options_.max_line_length)
        return fail(mss::errc::limit_exceeded, base_ + start, "header line longer than max_line_length", pos);
    const std::string_view first = in.substr(start, first_end - start);

    if (first.empty())
    {
        // The empty line that ends the block (or the end of the input).
        header_bytes_ += first_next - start;
        if (header_bytes_ > options_.max_header_block_size)
            return fail(mss::errc::limit_exceeded, base_ + start,
                        "header block larger than max_header_block_size", pos);
        return end_headers(first_next, pos);
    }
    const std::size_t levels = boundary_levels();
    if (levels > 0 && first.size() >= 2 && first[0] == '-' && first[1] == '-')
    {
        // A part that ends inside its header: the delimiter belongs to the body scan.
        if (match_delimiter(in, start, true, levels).result == match_result::outcome::match)
            return end_headers(start, pos);
    }
    std::size_t colon = 0;
    const std::size_t name_length = field_name_length(first, colon);
    if (name_length == 0)
    {
        if (stack_.size() == 1 && top_first_line_ && header_fields_ == 0 && first.substr(0, 5) == "From ")
        {
            // An mbox envelope line before the top-level header.
            top_first_line_ = false;
            header_bytes_ += first_next - start;
            pos = first_next;
            scan_ = 0;
            return false;
        }
        if (options_.strict)
            return fail(reader_errc::bad_header_line, base_ + start,
                        "header line is neither a field nor a continuation", pos);
        return end_headers(start, pos);  // lenient: the body starts here
    }
    top_first_line_ = false;

    // Phase 2: continuation lines.
    std::size_t line = first_next;
    std::size_t from = first_next;
    if (resumed && scan_line_ > base_ + start)
    {
        line = scan_line_ - base_;
        from = scan_ - base_;
    }
    for (;;)
    {
        if (line >= size)
        {
            if (eof)
                break;
            if (header_bytes_ + (size - start) > options_.max_header_block_size)
                return fail(mss::errc::limit_exceeded, base_ + start,
                            "header block larger than max_header_block_size", pos);
            scan_line_ = base_ + line;
            return need_more(pos, base_ + size);
        }
        if (!detail::is_wsp(in[line]))
            break;
        // Limits are checked the same way whether the field came whole or in pieces, and report
        // the field's offset, so that any cutting of the input gives the same error.
        const std::size_t nl = find_byte(in, from > line ? from : line, '\n');
        if (nl == std::string_view::npos && !eof)
        {
            if (size - line > options_.max_line_length + 1)
                return fail(mss::errc::limit_exceeded, base_ + start,
                            "header line longer than max_line_length", pos);
            if (header_bytes_ + (size - start) > options_.max_header_block_size)
                return fail(mss::errc::limit_exceeded, base_ + start,
                            "header block larger than max_header_block_size", pos);
            scan_line_ = base_ + line;
            return need_more(pos, base_ + size);
        }
        const std::size_t next = nl == std::string_view::npos ? size : nl + 1;
        std::size_t end = nl == std::string_view::npos ? size : nl;
        if (end > line && in[end - 1] == '\r')
            --end;
        if (end - line > options_.max_line_length)
            return fail(mss::errc::limit_exceeded, base_ + start, "header line longer than max_line_length",
                        pos);
        if (header_bytes_ + (next - start) > options_.max_header_block_size)
            return fail(mss::errc::limit_exceeded, base_ + start,
                        "header block larger than max_header_block_size", pos);
        line = next;
        from = next;
    }

    const std::size_t field_end = line;
    header_bytes_ += field_end - start;
    if (header_bytes_ > options_.max_header_block_size)
        return fail(mss::errc::limit_exceeded, base_ + start,
                    "header block larger than max_header_block_size", pos);
    if (++header_fields_ > options_.max_header_fields)
        return fail(mss::errc::limit_exceeded, base_ + start, "more header fields than max_header_fields",
                    pos);
    if (options_.strict && std::memchr(in.data() + start, '\0', field_end - start) != nullptr)
        return fail(reader_errc::bad_header_line, base_ + start, "NUL byte in a header field", pos);
    std::size_t value_end = field_end;
    if (value_end > start && in[value_end - 1] == '\n')
        --value_end;
    if (value_end > start && in[value_end - 1] == '\r')
        --value_end;
    const std::string_view name = first.substr(0, name_length);
    const std::string_view value = in.substr(start + colon + 1, value_end - (start + colon + 1));
    if (!have_content_type_ && detail::iequals(name, "content-type"))
    {
        have_content_type_ = true;
        content_type_raw_.assign(value);
    }
    else if (!have_encoding_ && detail::iequals(name, "content-transfer-encoding"))
    {
        have_encoding_ = true;
        encoding_raw_.assign(value);
    }
    event_.name = name;
    event_.value = value;
    event_.offset = base_ + start;
    pos = field_end;
    return emit(event_kind::header_field, pos);
}

bool reader::end_headers(std::size_t body_pos, std::size_t& pos)
{
    frame& f = stack_.back();
    part_info& info = f.info;
    const std::size_t offset = base_ + body_pos;
    parameter_options params;
    params.lenient = !options_.strict;
    if (have_content_type_)
    {
        auto parsed = parse_content_type(content_type_raw_, params);
        if (parsed)
            info.content_type = std::move(*parsed);
        else if (options_.strict)
            return fail(parsed.error(), info.header_offset, "malformed Content-Type in the header", pos);
        else
            info.content_type = default_content_type(f.digest);
    }
    else
        info.content_type = default_content_type(f.digest);
    info.encoding = have_encoding_ ? parse_transfer_encoding(encoding_raw_) : transfer_encoding::seven_bit;
    if (info.encoding == transfer_encoding::unknown && options_.strict)
        return fail(reader_errc::unknown_transfer_encoding, info.header_offset,
                    "unknown Content-Transfer-Encoding", pos);

    const std::string& type = info.content_type.type;
    const std::string& subtype = info.content_type.subtype;
    const bool encoded =
        info.encoding == transfer_encoding::base64 || info.encoding == transfer_encoding::quoted_printable;
    info.kind = part_kind::leaf;
    if (type == "multipart")
    {
        const auto boundary = info.content_type.find("boundary");
        if (boundary && !boundary->empty() && boundary->size() <= max_boundary_size)
        {
            info.kind = part_kind::multipart;
            f.boundary.assign(*boundary);
            f.digest = subtype == "digest";
        }
        else if (options_.strict)
            return fail(reader_errc::missing_boundary, info.header_offset,
                        "multipart without a usable boundary", pos);
        // A multipart's encoding must be an identity; lenient reading ignores any other.
    }
    else if (type == "message" && (subtype == "rfc822" || subtype == "global") && !encoded)
        info.kind = part_kind::message;
    if (info.kind != part_kind::multipart)
        f.digest = false;
    info.body_offset = offset;

    line_start_ = true;
    switch (info.kind)
    {
    case part_kind::leaf:
        state_ = state::body;
        if (options_.decode_bodies)
        {
            base64_.reset();
            quoted_.reset();
            decoder_flushed_ = false;
        }
        break;
    case part_kind::multipart:
        state_ = state::preamble;
        break;
    case part_kind::message:
        state_ = state::child;
        break;
    }
    event_.part = &info;
    event_.offset = info.header_offset;
    pos = body_pos;
    return emit(event_kind::part_begin, pos);
}

reader::match_result reader::match_delimiter(std::string_view in, std::size_t line, bool eof,
                                             std::size_t levels) const
{
    const std::size_t nl = find_byte(in, line, '\n');
    const bool complete = nl != std::string_view::npos || eof;
    const std::size_t end = nl == std::string_view::npos ? in.size() : nl;
    const std::size_t next = nl == std::string_view::npos ? in.size() : nl + 1;
    const std::string_view text = in.substr(line + 2, end - line - 2);  // after "--"
    match_result best;
    for (std::size_t k = levels; k-- > 0;)  // innermost first
    {
        const frame& f = stack_[k];
        if (f.info.kind != part_kind::multipart)
            continue;
        const std::string_view b = f.boundary;
        if (text.size() < b.size())
        {
            if (!complete && b.substr(0, text.size()) == text)
                best.result = match_result::outcome::partial;
            continue;
        }
        if (text.substr(0, b.size()) != b)
            continue;
        std::string_view rest = text.substr(b.size());
        bool close = false;
        if (rest.size() >= 2 && rest[0] == '-' && rest[1] == '-')
        {
            close = true;
            rest.remove_prefix(2);
        }
        else if (!complete && rest == "-")
        {
            best.result = match_result::outcome::partial;
            continue;
        }
        if (!only_blanks(rest))
            continue;
        if (!complete)
        {
            best.result = match_result::outcome::partial;
            continue;
        }
        return {match_result::outcome::match, k, close, next};
    }
    return best;
}

bool reader::step_content(std::string_view in, bool eof, std::size_t& pos)
{
    const std::size_t start = pos;
    const std::size_t size = in.size();
    const std::size_t levels = boundary_levels();
    bool bounded = false;
    for (std::size_t k = 0; k < levels && !bounded; ++k)
        bounded = stack_[k].info.kind == part_kind::multipart;

    std::size_t content_end = size;
    bool found = false;
    bool partial = false;
    std::size_t too_long = std::string_view::npos;
    match_result m;
    if (bounded)
    {
        std::size_t search = scan_ > base_ + start ? scan_ - base_ : start;
        for (;;)
        {
            const std::size_t j = find_byte(in, search, '-');
            if (j == std::string_view::npos)
                break;
            const bool at_line = j == start ? line_start_ : in[j - 1] == '\n';
            if (!at_line)
            {
                search = j + 1;
                continue;
            }
            if (j + 1 == size)
            {
                if (eof)
                    break;
                partial = true;
            }
            else if (in[j + 1] != '-')
            {
                search = j + 2;
                continue;
            }
            else
            {
                m = match_delimiter(in, j, eof, levels);
                if (m.result == match_result::outcome::none)
                {
                    search = j + 2;
                    continue;
                }
                partial = m.result == match_result::outcome::partial;
                found = !partial;
            }
            // A delimiter line over the limit is refused, complete or not, so that the outcome
            // does not depend on how the input was cut; the content before it is reported first.
            if (partial && size - j > options_.max_line_length + 1)
                too_long = j;
            if (found)
            {
                std::size_t end = m.next;
                if (end > j && in[end - 1] == '\n')
                    --end;
                if (end > j && in[end - 1] == '\r')
                    --end;
                if (end - j > options_.max_line_length)
                    too_long = j;
            }
            // The line break before the delimiter belongs to it.
            content_end = j;
            if (j > start)
            {
                --content_end;
                if (content_end > start && in[content_end - 1] == '\r')
                    --content_end;
            }
            break;
        }
        if (!found && !partial && !eof && size > start)
        {
            // A trailing line break may precede a delimiter still to come.
            if (in[size - 1] == '\n')
            {
                content_end = size - 1;
                if (content_end > start && in[content_end - 1] == '\r')
                    --content_end;
            }
            else if (in[size - 1] == '\r')
                content_end = size - 1;
        }
    }

    if (content_end > start)
    {
        const std::string_view data = in.substr(start, content_end - start);
        event_.data = data;
        event_.offset = base_ + start;
        line_start_ = in[content_end - 1] == '\n';
        pos = content_end;
        if (state_ == state::body)
        {
            event_.part = &stack_.back().info;
            if (options_.decode_bodies && decode_chunk(data, base_ + start, pos))
                return true;  // an error, or the bytes before it
            return emit(event_kind::body, pos);
        }
        return emit(state_ == state::preamble ? event_kind::preamble : event_kind::epilogue, pos);
    }
    if (too_long != std::string_view::npos)
        return fail(mss::errc::limit_exceeded, base_ + too_long, "boundary line longer than max_line_length",
                    pos);
    if (found)
    {
        close_end_ = base_ + start;
        close_to_ = m.frame;
        pending_ = m.close ? delimiter::close : delimiter::open;
        pos = m.next;
        line_start_ = true;
        state_ = state::closing;
        scan_ = 0;
        return false;
    }
    if (eof)
    {
        close_end_ = base_ + size;
        pending_ = delimiter::none;
        pos = size;
        state_ = state::closing;
        scan_ = 0;
        return false;
    }
    // Nothing decided: resume the search at the candidate (or the end) next time.
    return need_more(pos, base_ + (content_end < size ? content_end : size));
}

bool reader::decode_chunk(std::string_view data, std::size_t offset, std::size_t& pos)
{
    // Returns true only when it failed (the error event is then ready).
    const part_info& info = stack_.back().info;
    decoded_.clear();
    boost::system::error_code ec;
    std::size_t at = 0;
    if (info.encoding == transfer_encoding::base64)
    {
        const std::size_t before = base64_.offset();
        ec = base64_.decode(data, decoded_);
        at = base64_.offset() - before;
    }
    else if (info.encoding == transfer_encoding::quoted_printable)
    {
        const std::size_t before = quoted_.offset();
        ec = quoted_.decode(data, decoded_);
        at = quoted_.offset() - before;
    }
    else
        return false;
    if (ec && options_.strict)
    {
        if (at == 0)
            return fail(ec, offset + at, "malformed encoded body", pos);
        // Report the bytes before the fault first, as a cutting just before it would have done;
        // the decoder's error is sticky and fails the next call.
        const std::size_t start = pos - data.size();
        event_.data = data.substr(0, at);
        event_.decoded = decoded_;
        pos = start + at;
        line_start_ = data[at - 1] == '\n';
        emit(event_kind::body, pos);
        return true;
    }
    event_.decoded = decoded_;
    return false;
}

bool reader::step_closing(std::size_t& pos)
{
    if (!stack_.empty() && (pending_ == delimiter::none || stack_.size() - 1 > close_to_))
    {
        frame& top = stack_.back();
        if (top.info.kind == part_kind::leaf && options_.decode_bodies && !decoder_flushed_)
        {
            decoder_flushed_ = true;
            decoded_.clear();
            boost::system::error_code ec;
            if (top.info.encoding == transfer_encoding::base64)
                ec = base64_.finish(decoded_);
            else if (top.info.encoding == transfer_encoding::quoted_printable)
                ec = quoted_.finish(decoded_);
            if (ec && options_.strict)
                return fail(ec, close_end_, "encoded body ends in the middle of a group", pos);
            if (!decoded_.empty())
            {
                event_.decoded = decoded_;
                event_.part = &top.info;
                event_.offset = close_end_;
                return emit(event_kind::body, pos);
            }
        }
        if (top.info.kind == part_kind::multipart && !top.closed)
        {
            if (options_.strict)
                return fail(reader_errc::missing_close_delimiter, close_end_,
                            "multipart ends before its close delimiter", pos);
            top.info.complete = false;
        }
        top.info.end_offset = close_end_;
        ended_ = std::move(top.info);
        stack_.pop_back();
        event_.part = &ended_;
        event_.offset = close_end_;
        return emit(event_kind::part_end, pos);
    }
    if (stack_.empty())
    {
        state_ = state::done;
        event_.offset = base_ + pos;
        return emit(event_kind::message_end, pos);
    }
    // The delimiter's owner is on top: open its next child, or start its epilogue.
    if (pending_ == delimiter::open)
        return push_child(pos, pos);
    stack_.back().closed = true;
    state_ = state::epilogue;
    line_start_ = true;
    return false;
}

}  // namespace mss::mime
