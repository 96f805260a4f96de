// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/quoted_printable.hpp>

#include "ascii.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace mss::mime {
namespace {

// Bytes the encoder writes as they are: printable ASCII but '='. Space and tab are handled apart
// (they are literal unless they end a line).
constexpr std::array<bool, 256> literal_table = [] {
    std::array<bool, 256> table{};
    for (int c = 33; c <= 126; ++c)
        table[c] = c != '=';
    return table;
}();

constexpr std::string_view from_prefix = "From";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Decoder

boost::system::error_code quoted_printable_decoder::decode(std::string_view chunk, std::string& out)
{
    if (state_ == state::failed)
        return errc::bad_quoted_printable;
    // Output never exceeds the chunk plus what an earlier chunk left held.
    const std::size_t start = out.size();
    out.resize(start + chunk.size() + held_capacity + 1);
    char* const base = out.data();
    char* dst = base + start;
    const std::size_t n = chunk.size();
    std::size_t i = 0;
    bool failed = false;
    while (i < n)
    {
        const char c = chunk[i];
        bool valid = true;
        switch (state_)
        {
        case state::text:
        {
            // Copy the whole run up to the next '=' at once.
            const auto* eq = static_cast<const char*>(std::memchr(chunk.data() + i, '=', n - i));
            const std::size_t end = eq ? static_cast<std::size_t>(eq - chunk.data()) : n;
            std::memcpy(dst, chunk.data() + i, end - i);
            dst += end - i;
            i = end;
            if (i < n)
            {
                state_ = state::equals;
                held_size_ = 0;
                ++i;
            }
            continue;
        }
        case state::equals:
            if (detail::hex_value(c) >= 0)
                state_ = state::hex;
            else if (detail::is_wsp(c))
                state_ = state::padding;
            else if (c == '\r')
                state_ = state::cr;
            else if (c == '\n')
                state_ = state::text;  // soft line break with a bare LF
            else
                valid = false;
            break;
        case state::hex:
            if (detail::hex_value(c) >= 0)
            {
                *dst++ = static_cast<char>(detail::hex_value(held_[0]) * 16 + detail::hex_value(c));
                state_ = state::text;
                ++i;
                continue;
            }
            valid = false;
            break;
        case state::padding:
            if (c == '\r')
                state_ = state::cr;
            else if (c == '\n')
                state_ = state::text;
            else if (!detail::is_wsp(c) || (held_size_ == held_capacity && options_.lenient))
                valid = false;
            break;
        case state::cr:
            if (c == '\n')
                state_ = state::text;  // soft line break
            else
                valid = false;
            break;
        case state::failed: break;
        }
        if (valid)
        {
            // Strict mode never writes held bytes back, so it need not keep more than fit.
            if (state_ != state::text && held_size_ < held_capacity)
                held_[held_size_++] = c;
            ++i;
            continue;
        }
        if (!options_.lenient)
        {
            failed = true;
            break;
        }
        // Not an escape after all: write it back as it came, then look at `c` again as text.
        *dst++ = '=';
        std::memcpy(dst, held_, held_size_);
        dst += held_size_;
        held_size_ = 0;
        state_ = state::text;
    }
    out.resize(static_cast<std::size_t>(dst - base));
    offset_ += i;
    if (failed)
    {
        state_ = state::failed;
        return errc::bad_quoted_printable;
    }
    return {};
}

boost::system::error_code quoted_printable_decoder::finish(std::string& out)
{
    switch (state_)
    {
    case state::failed: return errc::bad_quoted_printable;
    case state::hex:
        if (!options_.lenient)
        {
            state_ = state::failed;
            return errc::bad_quoted_printable;
        }
        out.push_back('=');
        out.append(held_, held_size_);
        break;
    default:
        // '=' (and padding, maybe a CR) at the end: the CRLF went with the boundary line.
        break;
    }
    state_ = state::text;
    held_size_ = 0;
    return {};
}

void quoted_printable_decoder::reset() noexcept
{
    state_ = state::text;
    held_size_ = 0;
    offset_ = 0;
}

// ---------------------------------------------------------------------------------------------
// Encoder

// Writes into a local buffer and appends it to the caller's string in blocks, tracking the
// output column so that soft line breaks go where they must.
class quoted_printable_encoder::writer
{
public:
    writer(std::string& out, std::size_t& column, std::size_t line_length) noexcept
        : out_(out), column_(column), limit_(line_length - 1)
    {
    }

    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    // One input byte writes at most a few dozen characters: make room once per byte.
    void make_room()
    {
        if (size_ + 64 > sizeof(buffer_))
            flush();
    }

    [[nodiscard]] std::size_t column() const noexcept { return column_; }

    // Whether `width` more characters fit before the '=' that a soft break would need.
    [[nodiscard]] bool fits(std::size_t width) const noexcept { return column_ + width <= limit_; }

    void literal(char c)
    {
        if (!fits(1))
            soft_break();
        buffer_[size_++] = c;
        ++column_;
    }

    void encoded(unsigned char c)
    {
        if (!fits(3))
            soft_break();
        detail::put_escaped(buffer_ + size_, '=', c);
        size_ += 3;
        column_ += 3;
    }

    void soft_break() { put_line_end("=\r\n", 3); }

    void hard_break() { put_line_end("\r\n", 2); }

    void flush()
    {
        out_.append(buffer_, size_);
        size_ = 0;
    }

private:
    void put_line_end(const char* text, std::size_t length)
    {
        std::memcpy(buffer_ + size_, text, length);
        size_ += length;
        column_ = 0;
    }

    std::string& out_;
    std::size_t& column_;
    std::size_t limit_;
    std::size_t size_ = 0;
    char buffer_[4096];
};

quoted_printable_encoder::quoted_printable_encoder(quoted_printable_encoder_options options) noexcept
    : line_length_(std::max<std::size_t>(options.line_length, 4)), binary_(options.binary)
{
}

void quoted_printable_encoder::encode(std::string_view chunk, std::string& out)
{
    writer w(out, column_, line_length_);
    for (const char c : chunk)
    {
        w.make_room();
        put(w, static_cast<unsigned char>(c));
    }
    w.flush();
}

void quoted_printable_encoder::finish(std::string& out)
{
    {
        writer w(out, column_, line_length_);
        if (pending_cr_)
        {
            if (pending_space_ != 0)
                w.literal(pending_space_);
            pending_space_ = 0;
            w.encoded('\r');
        }
        flush_from(w);
        if (pending_space_ != 0)
            w.encoded(static_cast<unsigned char>(pending_space_));
        w.flush();
    }
    reset();
}

void quoted_printable_encoder::reset() noexcept
{
    column_ = 0;
    pending_space_ = 0;
    pending_cr_ = false;
    from_matched_ = 0;
}

void quoted_printable_encoder::flush_from(writer& w)
{
    for (unsigned k = 0; k < from_matched_; ++k)
        w.literal(from_prefix[k]);
    from_matched_ = 0;
}

void quoted_printable_encoder::put(writer& w, unsigned char c)
{
    // A space or tab is literal when something printable follows it on its line, encoded when
    // the line (or the data) ends right after it.
    auto space_before_text = [&] {
        if (pending_space_ != 0)
            w.literal(pending_space_);
        pending_space_ = 0;
    };
    auto space_before_break = [&] {
        if (pending_space_ != 0)
            w.encoded(static_cast<unsigned char>(pending_space_));
        pending_space_ = 0;
    };

    if (pending_cr_)
    {
        pending_cr_ = false;
        if (c == '\n')
        {
            space_before_break();
            w.hard_break();
            return;
        }
        space_before_text();
        w.encoded('\r');
    }
    if (!binary_ && (c == '\n' || c == '\r'))
    {
        flush_from(w);
        if (c == '\r')
        {
            pending_cr_ = true;  // CRLF or a lone CR: the next byte tells
            return;
        }
        space_before_break();
        w.hard_break();
        return;
    }
    if (c == ' ' || c == '\t')
    {
        if (from_matched_ == from_prefix.size() && c == ' ')
        {
            // "From " at the start of a line: mbox readers would take it for a separator.
            w.encoded('F');
            for (const char k : from_prefix.substr(1))
                w.literal(k);
            from_matched_ = 0;
        }
        else
            flush_from(w);
        space_before_text();
        pending_space_ = static_cast<char>(c);
        return;
    }
    if (from_matched_ > 0)
    {
        if (from_matched_ < from_prefix.size() && c == static_cast<unsigned char>(from_prefix[from_matched_]))
        {
            ++from_matched_;
            return;
        }
        flush_from(w);
    }
    space_before_text();
    const bool literal = literal_table[c];
    if (!w.fits(literal ? 1 : 3))
        w.soft_break();
    if (w.column() == 0)
    {
        if (c == '.')
        {
            w.encoded(c);  // a lone "." line would end the SMTP DATA
            return;
        }
        if (c == 'F')
        {
            from_matched_ = 1;
            return;
        }
    }
    if (literal)
        w.literal(static_cast<char>(c));
    else
        w.encoded(c);
}

}  // namespace mss::mime
