// SPDX-License-Identifier: Apache-2.0
// MIME reader and message tree. The first byte chooses the options (strict, body decoding, limits)
// and the cutting; the rest is the message. Checked, beyond the sanitizers:
// - the reader gives the same events whether the input comes whole or cut into pieces;
// - the caller never has to hold more than the limits allow (bounded memory);
// - the tree is built exactly when the reader reaches the end, its views lie inside the input,
//   and every accessor (decoding, charsets, addresses, dates, attachments, copy) survives.
#include <mss/mime/message.hpp>
#include <mss/mime/reader.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace
{

struct run_result
{
    std::string log;
    bool ended = false;
};

void append_number(std::string& out, std::size_t n)
{
    out += std::to_string(n);
    out += ' ';
}

// Events as text; adjacent data chunks of one kind are joined so the cutting does not show.
run_result run(std::string_view input, const mss::mime::parser_options& options, std::size_t step)
{
    using mss::mime::event_kind;
    mss::mime::reader r(options);
    run_result result;
    std::string buffer;
    std::size_t fed = 0;
    const std::size_t bound = std::max(options.max_header_block_size, options.max_line_length) + step + 16;
    const auto feed_more = [&]
    {
        const std::size_t n = step == 0 ? input.size() - fed : std::min(step, input.size() - fed);
        buffer.append(input.substr(fed, n));
        fed += n;
    };
    feed_more();
    int data_kind = -1;
    std::string data;
    std::string decoded;
    const auto flush = [&]
    {
        if (data_kind >= 0)
        {
            result.log += "\nD";
            append_number(result.log, static_cast<std::size_t>(data_kind));
            result.log += data;
            result.log += '|';
            result.log += decoded;
        }
        data_kind = -1;
        data.clear();
        decoded.clear();
    };
    for (std::size_t calls = 0;; ++calls)
    {
        if (calls > 100 * (input.size() + 10))
            __builtin_trap();  // no progress
        const bool eof = fed == input.size();
        const auto& e = r.feed(buffer, eof);
        const int kind = static_cast<int>(e.kind);
        const bool is_data =
            e.kind == event_kind::body || e.kind == event_kind::preamble || e.kind == event_kind::epilogue;
        if (is_data)
        {
            if (kind != data_kind)
            {
                flush();
                data_kind = kind;
            }
            data += e.data;
            decoded += e.decoded;
        }
        else if (e.kind != event_kind::need_more)
        {
            flush();
            result.log += "\nE";
            append_number(result.log, static_cast<std::size_t>(kind));
            append_number(result.log, e.offset);
            result.log += e.name;
            result.log += e.value;
            if (e.part != nullptr)
            {
                append_number(result.log, e.part->depth);
                append_number(result.log, e.part->body_offset);
                append_number(result.log, e.part->end_offset);
                for (const unsigned p : e.part->path) append_number(result.log, p);
                result.log += e.part->content_type.type + "/" + e.part->content_type.subtype;
            }
        }
        if (e.kind == event_kind::message_end)
        {
            result.ended = true;
            if (r.offset() != input.size())
                __builtin_trap();  // every byte accounted for
            return result;
        }
        if (e.kind == event_kind::error)
        {
            result.log += e.error.message();
            return result;
        }
        if (e.consumed > buffer.size())
            __builtin_trap();
        buffer.erase(0, e.consumed);
        if (buffer.size() > bound)
            __builtin_trap();  // the reader made the caller hold more than its limits
        if (e.kind == event_kind::need_more)
        {
            if (eof)
                __builtin_trap();
            feed_more();
        }
    }
}

void walk(const mss::mime::entity& e, std::string_view input, std::size_t& sink)
{
    const auto inside = [&](std::string_view v)
    { return v.empty() || (v.data() >= input.data() && v.data() + v.size() <= input.data() + input.size()); };
    if (!inside(e.raw_body()) || !inside(e.header_bytes()))
        __builtin_trap();
    std::string out;
    (void)e.decode_body(out);
    sink += out.size() + e.decoded_body().size() + e.text().size();
    out.clear();
    (void)e.text(out);
    sink += out.size() + e.file_name().size() + (e.is_attachment() ? 1 : 0);
    sink += e.subject().size() + e.from().size() + e.to().size() + e.cc().size() + e.reply_to().size();
    sink += (e.date() ? 1 : 0) + e.message_id().size() + e.in_reply_to().size() + e.references().size();
    for (const auto& child : e.children()) walk(child, input, sink);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const unsigned flags = data[0];
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    mss::mime::parser_options options;
    options.strict = (flags & 1) != 0;
    options.decode_bodies = (flags & 2) != 0;
    // Small limits, so that inputs of a few kilobytes reach them.
    options.max_depth = 4 + (flags >> 5);
    options.max_line_length = 512;
    options.max_header_block_size = 4096;
    options.max_header_fields = 64;
    options.max_parts = 100;
    const std::size_t step = 1 + ((flags >> 2) & 7) * 5;

    const auto whole = run(input, options, 0);
    const auto cut = run(input, options, step);
    if (whole.log != cut.log || whole.ended != cut.ended)
        __builtin_trap();

    mss::diagnostics diag;
    auto parsed = mss::mime::parse_message(input, options, diag);
    // Lenient: the tree fails exactly when the reader does (lenient decoding never fails). Strict
    // mode may also refuse what only the tree reads (Content-Disposition) or decodes.
    if (!options.strict && parsed.has_value() != whole.ended)
        __builtin_trap();
    if (parsed)
    {
        std::size_t sink = 0;
        walk(parsed->root(), input, sink);
        sink += parsed->attachments().size();
        if (const auto* body = parsed->text_body())
            sink += body->text().size();
        const auto copy = parsed->copy();
        if (copy.root().children().size() != parsed->root().children().size())
            __builtin_trap();
        volatile std::size_t keep = sink;
        (void)keep;
    }
    return 0;
}
