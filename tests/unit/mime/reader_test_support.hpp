// SPDX-License-Identifier: Apache-2.0
// Drives mime::reader over an input cut into pieces and prints its events as a stable text log, so
// that a test can compare a whole run (byte by byte against one shot) or look for one line. All
// data is synthetic.
#pragma once

#include <mss/mime/reader.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace mss_test::mime
{

/** Printable form of bytes: CR, LF, NUL and bytes above 0x7e escaped. */
inline std::string printable(std::string_view bytes)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : bytes)
    {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else if (u < 0x20 || u > 0x7e || c == '\\')
        {
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 15];
        }
        else
            out += c;
    }
    return out;
}

inline std::string path_text(const std::vector<unsigned>& path)
{
    std::string out = "[";
    for (std::size_t i = 0; i < path.size(); ++i) out += (i ? "." : "") + std::to_string(path[i]);
    return out + "]";
}

/** Result of a run: the event log and the largest number of unconsumed bytes the caller had to
 *  keep. */
struct reader_run
{
    std::string log;
    std::size_t max_held = 0;
    std::size_t calls = 0;
};

/** Feeds `input` in pieces of `step` bytes (0: all at once) and logs the events. Adjacent data
 *  chunks of one kind are joined, so the log does not depend on the cutting. */
inline reader_run run_reader(std::string_view input, const mss::mime::parser_options& options,
                             std::size_t step = 0)
{
    using mss::mime::event_kind;
    mss::mime::reader r(options);
    reader_run run;
    std::string buffer;
    std::size_t fed = 0;
    const auto feed_more = [&]
    {
        const std::size_t n = step == 0 ? input.size() - fed : std::min(step, input.size() - fed);
        buffer.append(input.substr(fed, n));
        fed += n;
    };
    feed_more();
    char data_kind = 0;
    std::size_t data_offset = 0;
    std::string data;
    std::string decoded;
    const auto flush = [&]
    {
        if (data_kind != 0)
        {
            run.log += std::string(1, data_kind) + "@" + std::to_string(data_offset) + " " + printable(data);
            if (!decoded.empty())
                run.log += " => " + printable(decoded);
            run.log += "\n";
        }
        data_kind = 0;
        data.clear();
        decoded.clear();
    };
    for (;;)
    {
        const bool eof = fed == input.size();
        const auto& e = r.feed(buffer, eof);
        ++run.calls;
        if (run.calls > 50'000'000)
        {
            run.log += "LOOP\n";
            return run;
        }
        char kind = 0;
        switch (e.kind)
        {
        case event_kind::preamble:
            kind = 'P';
            break;
        case event_kind::body:
            kind = 'D';
            break;
        case event_kind::epilogue:
            kind = 'X';
            break;
        default:
            break;
        }
        if (kind != 0)
        {
            if (kind != data_kind)
            {
                flush();
                data_kind = kind;
                data_offset = e.offset;
            }
            data += e.data;
            decoded += e.decoded;
        }
        else if (e.kind != event_kind::need_more)
            flush();
        switch (e.kind)
        {
        case event_kind::header_field:
            run.log +=
                "H@" + std::to_string(e.offset) + " " + std::string(e.name) + ":" + printable(e.value) + "\n";
            break;
        case event_kind::part_begin:
            run.log += "B" + path_text(e.part->path) + " " + e.part->content_type.type + "/" +
                       e.part->content_type.subtype +
                       " kind=" + std::to_string(static_cast<int>(e.part->kind)) +
                       " enc=" + std::to_string(static_cast<int>(e.part->encoding)) +
                       " depth=" + std::to_string(e.part->depth) +
                       " header=" + std::to_string(e.part->header_offset) +
                       " body=" + std::to_string(e.part->body_offset) + "\n";
            break;
        case event_kind::part_end:
            run.log += "E" + path_text(e.part->path) + " end=" + std::to_string(e.part->end_offset) +
                       (e.part->complete ? "" : " incomplete") + "\n";
            break;
        case event_kind::message_end:
            run.log += "M\n";
            return run;
        case event_kind::error:
            run.log += "ERR " + e.error.message() + " @" + std::to_string(e.offset) + "\n";
            return run;
        default:
            break;
        }
        const std::size_t consumed = e.consumed;
        buffer.erase(0, consumed);
        run.max_held = std::max(run.max_held, buffer.size());
        if (e.kind == event_kind::need_more)
        {
            if (eof)
            {
                run.log += "NEED_MORE_AT_EOF\n";
                return run;
            }
            feed_more();
        }
    }
}

}  // namespace mss_test::mime
