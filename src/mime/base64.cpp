// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/base64.hpp>

#include <algorithm>
#include <array>

namespace mss::mime {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Classes above the 6-bit values in the decoding table.
constexpr unsigned char skip = 64;   // line structure: CR, LF, space, tab
constexpr unsigned char pad = 65;    // '='
constexpr unsigned char bad = 255;   // anything else

constexpr std::array<unsigned char, 256> decode_table = [] {
    std::array<unsigned char, 256> table{};
    table.fill(bad);
    for (std::size_t i = 0; i < alphabet.size(); ++i)
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<unsigned char>(i);
    for (unsigned char c : {'\r', '\n', ' ', '\t'})
        table[c] = skip;
    table['='] = pad;
    return table;
}();

std::size_t rounded_line_length(std::size_t line_length) noexcept
{
    return line_length == 0 ? 0 : std::max<std::size_t>(4, line_length / 4 * 4);
}

char* put_group(char* dst, unsigned char b0, unsigned char b1, unsigned char b2) noexcept
{
    dst[0] = alphabet[b0 >> 2];
    dst[1] = alphabet[((b0 & 0x03) << 4) | (b1 >> 4)];
    dst[2] = alphabet[((b1 & 0x0f) << 2) | (b2 >> 6)];
    dst[3] = alphabet[b2 & 0x3f];
    return dst + 4;
}

}  // namespace

boost::system::error_code base64_decoder::decode(std::string_view chunk, std::string& out)
{
    if (state_ == state::failed)
        return error_;
    // Every group of four characters yields at most three bytes: one resize covers the chunk.
    const std::size_t start = out.size();
    out.resize(start + (chunk.size() + pending_) / 4 * 3 + 3);
    char* const base = out.data();
    char* dst = base + start;
    const auto* in = reinterpret_cast<const unsigned char*>(chunk.data());
    const std::size_t n = chunk.size();
    std::size_t i = 0;
    bool failed = false;
    while (i < n)
    {
        if (state_ == state::data && pending_ == 0)
        {
            // Fast path: whole groups of alphabet characters, the bulk of any body.
            while (i + 4 <= n)
            {
                const unsigned a = decode_table[in[i]];
                const unsigned b = decode_table[in[i + 1]];
                const unsigned c = decode_table[in[i + 2]];
                const unsigned d = decode_table[in[i + 3]];
                if ((a | b | c | d) >= 64)
                    break;
                const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
                dst[0] = static_cast<char>(v >> 16);
                dst[1] = static_cast<char>((v >> 8) & 0xff);
                dst[2] = static_cast<char>(v & 0xff);
                dst += 3;
                i += 4;
            }
            if (i == n)
                break;
        }
        const unsigned v = decode_table[in[i]];
        if (v < 64)
        {
            if (state_ != state::data)
            {
                if (!options_.lenient)
                {
                    failed = true;
                    break;
                }
                state_ = state::data;  // another stream glued after the padding
            }
            bits_ = (bits_ << 6) | v;
            if (++pending_ == 4)
            {
                dst[0] = static_cast<char>(bits_ >> 16);
                dst[1] = static_cast<char>((bits_ >> 8) & 0xff);
                dst[2] = static_cast<char>(bits_ & 0xff);
                dst += 3;
                pending_ = 0;
                bits_ = 0;
            }
        }
        else if (v == pad)
        {
            if (state_ == state::data && pending_ == 2)
            {
                *dst++ = static_cast<char>((bits_ >> 4) & 0xff);
                state_ = state::second_pad;
                pending_ = 0;
                bits_ = 0;
            }
            else if (state_ == state::data && pending_ == 3)
            {
                *dst++ = static_cast<char>((bits_ >> 10) & 0xff);
                *dst++ = static_cast<char>((bits_ >> 2) & 0xff);
                state_ = state::ended;
                pending_ = 0;
                bits_ = 0;
            }
            else if (state_ == state::second_pad)
                state_ = state::ended;
            else if (!options_.lenient)
            {
                failed = true;
                break;
            }
        }
        else if (v == bad && !options_.lenient)
        {
            failed = true;
            break;
        }
        ++i;
    }
    out.resize(static_cast<std::size_t>(dst - base));
    offset_ += i;
    if (failed)
    {
        state_ = state::failed;
        error_ = errc::bad_base64;
        return error_;
    }
    return {};
}

boost::system::error_code base64_decoder::finish(std::string& out)
{
    if (state_ == state::failed)
        return error_;
    bool truncated = false;
    if (state_ == state::data)
    {
        // The bits of a 2- or 3-character group still make whole bytes: keep them.
        if (pending_ == 1)
            truncated = true;
        else if (pending_ == 2)
        {
            out.push_back(static_cast<char>((bits_ >> 4) & 0xff));
            truncated = !options_.lenient;
        }
        else if (pending_ == 3)
        {
            out.push_back(static_cast<char>((bits_ >> 10) & 0xff));
            out.push_back(static_cast<char>((bits_ >> 2) & 0xff));
            truncated = !options_.lenient;
        }
    }
    else if (state_ == state::second_pad)
        truncated = !options_.lenient;
    pending_ = 0;
    bits_ = 0;
    if (truncated)
    {
        state_ = state::failed;
        error_ = errc::truncated_base64;
        return error_;
    }
    state_ = state::ended;
    return {};
}

void base64_decoder::reset() noexcept
{
    state_ = state::data;
    pending_ = 0;
    bits_ = 0;
    offset_ = 0;
    error_ = errc::bad_base64;
}

base64_encoder::base64_encoder(base64_encoder_options options) noexcept
    : line_length_(rounded_line_length(options.line_length))
{
}

std::size_t base64_encoder::encoded_size(std::size_t size, std::size_t line_length) noexcept
{
    const std::size_t chars = (size + 2) / 3 * 4;
    const std::size_t length = rounded_line_length(line_length);
    if (length == 0)
        return chars;
    return chars + 2 * ((chars + length - 1) / length);
}

void base64_encoder::encode(std::string_view chunk, std::string& out)
{
    const auto* in = reinterpret_cast<const unsigned char*>(chunk.data());
    const std::size_t n = chunk.size();
    const std::size_t groups = (held_size_ + n) / 3;
    if (groups == 0)
    {
        for (std::size_t i = 0; i < n; ++i)
            held_[held_size_++] = in[i];
        return;
    }
    std::size_t breaks = 0;
    if (line_length_ != 0)
        breaks = (column_ + groups * 4) / line_length_ + 1;
    const std::size_t start = out.size();
    out.resize(start + groups * 4 + breaks * 2);
    char* const base = out.data();
    char* dst = base + start;

    auto line_break = [&] {
        if (line_length_ != 0 && column_ == line_length_)
        {
            *dst++ = '\r';
            *dst++ = '\n';
            column_ = 0;
        }
    };

    std::size_t i = 0;
    if (held_size_ > 0)
    {
        // Complete the group started by the previous chunk.
        unsigned char group[3] = {held_[0], held_[1], 0};
        for (unsigned k = held_size_; k < 3; ++k)
            group[k] = in[i++];
        line_break();
        dst = put_group(dst, group[0], group[1], group[2]);
        column_ += 4;
        held_size_ = 0;
    }
    for (; i + 3 <= n; i += 3)
    {
        line_break();
        dst = put_group(dst, in[i], in[i + 1], in[i + 2]);
        column_ += 4;
    }
    for (; i < n; ++i)
        held_[held_size_++] = in[i];
    out.resize(static_cast<std::size_t>(dst - base));
}

void base64_encoder::finish(std::string& out)
{
    if (held_size_ > 0)
    {
        if (line_length_ != 0 && column_ == line_length_)
        {
            out += "\r\n";
            column_ = 0;
        }
        char group[4];
        put_group(group, held_[0], held_size_ > 1 ? held_[1] : 0, 0);
        group[3] = '=';
        if (held_size_ == 1)
            group[2] = '=';
        out.append(group, 4);
        column_ += 4;
    }
    if (line_length_ != 0 && column_ > 0)
        out += "\r\n";
    reset();
}

void base64_encoder::reset() noexcept
{
    column_ = 0;
    held_size_ = 0;
}

}  // namespace mss::mime
