// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/modified_utf7.hpp>

#include <array>
#include <cstdint>

namespace mss::imap {
namespace {

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

constexpr std::array<std::int8_t, 256> make_base64_values()
{
    std::array<std::int8_t, 256> values{};
    for (auto& v : values)
        v = -1;
    for (std::size_t i = 0; i < base64_alphabet.size(); ++i)
        values[static_cast<unsigned char>(base64_alphabet[i])] = static_cast<std::int8_t>(i);
    return values;
}

constexpr auto base64_values = make_base64_values();

bool is_direct(unsigned char c) noexcept
{
    return c >= 0x20 && c <= 0x7e && c != '&';
}

// Decodes one UTF-8 code point at s[i]; returns false on any ill-formed sequence.
bool next_code_point(std::string_view s, std::size_t& i, std::uint32_t& cp) noexcept
{
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t min = 0;
    if (b0 < 0x80)
    {
        cp = b0;
        ++i;
        return true;
    }
    if ((b0 & 0xe0) == 0xc0)
    {
        len = 2;
        cp = b0 & 0x1fu;
        min = 0x80;
    }
    else if ((b0 & 0xf0) == 0xe0)
    {
        len = 3;
        cp = b0 & 0x0fu;
        min = 0x800;
    }
    else if ((b0 & 0xf8) == 0xf0)
    {
        len = 4;
        cp = b0 & 0x07u;
        min = 0x10000;
    }
    else
    {
        return false;
    }
    if (s.size() - i < len)
        return false;
    for (std::size_t k = 1; k < len; ++k)
    {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xc0) != 0x80)
            return false;
        cp = (cp << 6) | (b & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return false;
    i += len;
    return true;
}

void append_utf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80)
    {
        out.push_back(static_cast<char>(cp));
    }
    else if (cp < 0x800)
    {
        out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
    else if (cp < 0x10000)
    {
        out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
    else
    {
        out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
}

// Accumulates 16-bit units and writes them as modified base64.
class base64_writer
{
public:
    explicit base64_writer(std::string& out) : out_(out) {}

    void unit(std::uint32_t u)
    {
        bits_ = (bits_ << 16) | (u & 0xffff);
        nbits_ += 16;
        while (nbits_ >= 6)
        {
            nbits_ -= 6;
            out_.push_back(base64_alphabet[(bits_ >> nbits_) & 0x3f]);
        }
    }

    void flush()
    {
        if (nbits_ > 0)
            out_.push_back(base64_alphabet[(bits_ << (6 - nbits_)) & 0x3f]);
        bits_ = 0;
        nbits_ = 0;
    }

private:
    std::string& out_;
    std::uint32_t bits_ = 0;
    unsigned nbits_ = 0;
};

}  // namespace

boost::system::error_code encode_modified_utf7(std::string_view utf8, std::string& out)
{
    const std::size_t initial = out.size();
    std::size_t i = 0;
    while (i < utf8.size())
    {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (is_direct(c))
        {
            out.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        if (c == '&')
        {
            out.append("&-");
            ++i;
            continue;
        }
        // A run of characters that need base64, up to the next directly representable one.
        out.push_back('&');
        base64_writer writer(out);
        while (i < utf8.size() && !is_direct(static_cast<unsigned char>(utf8[i])) && utf8[i] != '&')
        {
            std::uint32_t cp = 0;
            if (!next_code_point(utf8, i, cp))
            {
                out.resize(initial);
                return mss::errc::invalid_argument;
            }
            if (cp >= 0x10000)
            {
                cp -= 0x10000;
                writer.unit(0xd800 + (cp >> 10));
                writer.unit(0xdc00 + (cp & 0x3ff));
            }
            else
            {
                writer.unit(cp);
            }
        }
        writer.flush();
        out.push_back('-');
    }
    return {};
}

boost::system::result<std::string> encode_modified_utf7(std::string_view utf8)
{
    std::string out;
    if (auto ec = encode_modified_utf7(utf8, out))
        return ec;
    return out;
}

boost::system::error_code decode_modified_utf7(std::string_view encoded, std::string& out)
{
    const std::size_t initial = out.size();
    auto fail = [&]() {
        out.resize(initial);
        return boost::system::error_code(mss::errc::malformed_response);
    };
    std::size_t i = 0;
    while (i < encoded.size())
    {
        const auto c = static_cast<unsigned char>(encoded[i]);
        if (c != '&')
        {
            if (c < 0x20 || c > 0x7e)
                return fail();
            out.push_back(static_cast<char>(c));
            ++i;
            continue;
        }
        ++i;
        if (i < encoded.size() && encoded[i] == '-')
        {
            out.push_back('&');
            ++i;
            continue;
        }
        std::uint32_t bits = 0;
        unsigned nbits = 0;
        std::uint32_t high_surrogate = 0;
        bool any = false;
        for (;;)
        {
            if (i >= encoded.size())
                return fail();
            const auto b = static_cast<unsigned char>(encoded[i++]);
            if (b == '-')
                break;
            const int v = base64_values[b];
            if (v < 0)
                return fail();
            bits = (bits << 6) | static_cast<std::uint32_t>(v);
            nbits += 6;
            if (nbits < 16)
                continue;
            nbits -= 16;
            const std::uint32_t u = (bits >> nbits) & 0xffff;
            bits &= (1u << nbits) - 1;
            any = true;
            if (high_surrogate != 0)
            {
                if (u < 0xdc00 || u > 0xdfff)
                    return fail();
                append_utf8(out, 0x10000 + ((high_surrogate - 0xd800) << 10) + (u - 0xdc00));
                high_surrogate = 0;
            }
            else if (u >= 0xd800 && u <= 0xdbff)
            {
                high_surrogate = u;
            }
            else if ((u >= 0xdc00 && u <= 0xdfff) || (u >= 0x20 && u <= 0x7e))
            {
                // A lone low surrogate, or printable ASCII that should have been written directly.
                return fail();
            }
            else
            {
                append_utf8(out, u);
            }
        }
        // "&-" handled above; an empty run, leftover bits that are not zero padding, or a dangling
        // high surrogate are not valid.
        if (!any || nbits >= 6 || bits != 0 || high_surrogate != 0)
            return fail();
    }
    return {};
}

boost::system::result<std::string> decode_modified_utf7(std::string_view encoded)
{
    std::string out;
    if (auto ec = decode_modified_utf7(encoded, out))
        return ec;
    return out;
}

}  // namespace mss::imap
