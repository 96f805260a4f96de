// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/charset.hpp>

#include "ascii.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include <iconv.h>

namespace mss::mime {
namespace {

// ---------------------------------------------------------------------------------------------
// UTF-8 scanning

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD

// Length of the run of ASCII bytes at the start of [p, p + n), eight bytes at a time.
std::size_t ascii_prefix(const unsigned char* p, std::size_t n) noexcept
{
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
    {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        if ((word & 0x8080808080808080ULL) != 0)
            break;
    }
    while (i < n && p[i] < 0x80)
        ++i;
    return i;
}

struct sequence
{
    std::size_t length;  // bytes examined: the whole sequence, or the maximal invalid subpart
    bool valid;
};

// Examines the multi-byte sequence that starts at p[0] (>= 0x80). When it is ill-formed, the
// length is that of its maximal subpart: the bytes that could still have begun a valid sequence.
sequence check_sequence(const unsigned char* p, std::size_t n) noexcept
{
    const unsigned char b0 = p[0];
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf)
        length = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef)
    {
        length = 3;
        if (b0 == 0xe0)
            low = 0xa0;  // no overlong form
        else if (b0 == 0xed)
            high = 0x9f;  // no surrogate
    }
    else if (b0 >= 0xf0 && b0 <= 0xf4)
    {
        length = 4;
        if (b0 == 0xf0)
            low = 0x90;
        else if (b0 == 0xf4)
            high = 0x8f;  // nothing above U+10FFFF
    }
    else
        return {1, false};
    for (std::size_t k = 1; k < length; ++k)
    {
        if (k >= n)
            return {k, false};
        const unsigned char b = p[k];
        const bool ok = k == 1 ? (b >= low && b <= high) : (b >= 0x80 && b <= 0xbf);
        if (!ok)
            return {k, false};
    }
    return {length, true};
}

// Offset of the first ill-formed byte, or npos.
std::size_t find_invalid(std::string_view text) noexcept
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (true)
    {
        i += ascii_prefix(p + i, n - i);
        if (i == n)
            return std::string_view::npos;
        const sequence s = check_sequence(p + i, n - i);
        if (!s.valid)
            return i;
        i += s.length;
    }
}

// Appends `bytes`, each ill-formed subsequence replaced by U+FFFD.
void append_utf8_repaired(std::string_view bytes, std::string& out)
{
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::size_t i = 0;
    std::size_t run = 0;  // start of the valid run not yet copied
    while (true)
    {
        i += ascii_prefix(p + i, n - i);
        if (i == n)
            break;
        const sequence s = check_sequence(p + i, n - i);
        if (!s.valid)
        {
            out.append(bytes.data() + run, i - run);
            out.append(replacement_character);
            run = i + s.length;
        }
        i += s.length;
    }
    out.append(bytes.data() + run, n - run);
}

// ---------------------------------------------------------------------------------------------
// Single-byte charsets

// The upper half (0x80-0xFF) of a single-byte charset, as code points.
using upper_half = std::array<char16_t, 128>;

constexpr upper_half latin1_upper = [] {
    upper_half table{};
    for (std::size_t i = 0; i < table.size(); ++i)
        table[i] = static_cast<char16_t>(0x80 + i);
    return table;
}();

constexpr upper_half latin9_upper = [] {
    upper_half table = latin1_upper;
    table[0xa4 - 0x80] = 0x20ac;  // €
    table[0xa6 - 0x80] = 0x0160;  // Š
    table[0xa8 - 0x80] = 0x0161;  // š
    table[0xb4 - 0x80] = 0x017d;  // Ž
    table[0xb8 - 0x80] = 0x017e;  // ž
    table[0xbc - 0x80] = 0x0152;  // Œ
    table[0xbd - 0x80] = 0x0153;  // œ
    table[0xbe - 0x80] = 0x0178;  // Ÿ
    return table;
}();

// 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned; like WHATWG they map to the C1 controls.
constexpr upper_half windows_1252_upper = [] {
    upper_half table = latin1_upper;
    constexpr char16_t c1[32] = {
        0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,  // 80-87
        0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,  // 88-8F
        0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,  // 90-97
        0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,  // 98-9F
    };
    for (std::size_t i = 0; i < 32; ++i)
        table[i] = c1[i];
    return table;
}();

// The same tables with each code point already encoded in UTF-8 (2 or 3 bytes).
struct utf8_char
{
    char bytes[3];
    unsigned char size;
};
using utf8_upper = std::array<utf8_char, 128>;

constexpr utf8_upper to_utf8_table(const upper_half& half)
{
    utf8_upper table{};
    for (std::size_t i = 0; i < half.size(); ++i)
    {
        const unsigned cp = half[i];
        if (cp < 0x800)
            table[i] = {{static_cast<char>(0xc0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3f)), 0}, 2};
        else
            table[i] = {{static_cast<char>(0xe0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3f)),
                         static_cast<char>(0x80 | (cp & 0x3f))},
                        3};
    }
    return table;
}

constexpr utf8_upper latin1_utf8 = to_utf8_table(latin1_upper);
constexpr utf8_upper latin9_utf8 = to_utf8_table(latin9_upper);
constexpr utf8_upper windows_1252_utf8 = to_utf8_table(windows_1252_upper);

void append_single_byte(std::string_view bytes, const utf8_upper& table, std::string& out)
{
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    // At most three bytes of UTF-8 per input byte; an ASCII prefix needs only one.
    const std::size_t start = out.size();
    const std::size_t ascii = ascii_prefix(p, n);
    out.resize(start + ascii + (n - ascii) * 3);
    char* const base = out.data();
    char* dst = base + start;
    std::size_t i = 0;
    while (i < n)
    {
        const std::size_t run = ascii_prefix(p + i, n - i);
        std::memcpy(dst, bytes.data() + i, run);
        dst += run;
        i += run;
        for (; i < n && p[i] >= 0x80; ++i)
        {
            const utf8_char& c = table[p[i] - 0x80];
            std::memcpy(dst, c.bytes, 3);
            dst += c.size;
        }
    }
    out.resize(static_cast<std::size_t>(dst - base));
}

// ---------------------------------------------------------------------------------------------
// Charset names

enum class builtin
{
    none,
    utf8,
    ascii,
    latin1,
    latin9,
    windows_1252,
};

struct alias
{
    std::string_view name;
    builtin charset;
};

// Lower-case names from the IANA registry and the WHATWG Encoding labels that mail uses.
constexpr alias aliases[] = {
    {"utf-8", builtin::utf8},
    {"utf8", builtin::utf8},
    {"unicode-1-1-utf-8", builtin::utf8},
    {"us-ascii", builtin::ascii},
    {"ascii", builtin::ascii},
    {"us", builtin::ascii},
    {"ansi_x3.4-1968", builtin::ascii},
    {"ansi_x3.4-1986", builtin::ascii},
    {"iso646-us", builtin::ascii},
    {"iso-ir-6", builtin::ascii},
    {"cp367", builtin::ascii},
    {"ibm367", builtin::ascii},
    {"csascii", builtin::ascii},
    {"iso-8859-1", builtin::latin1},
    {"iso8859-1", builtin::latin1},
    {"iso_8859-1", builtin::latin1},
    {"iso88591", builtin::latin1},
    {"iso_8859-1:1987", builtin::latin1},
    {"latin1", builtin::latin1},
    {"latin-1", builtin::latin1},
    {"l1", builtin::latin1},
    {"iso-ir-100", builtin::latin1},
    {"cp819", builtin::latin1},
    {"ibm819", builtin::latin1},
    {"csisolatin1", builtin::latin1},
    {"iso-8859-15", builtin::latin9},
    {"iso8859-15", builtin::latin9},
    {"iso_8859-15", builtin::latin9},
    {"iso885915", builtin::latin9},
    {"iso_8859-15:1998", builtin::latin9},
    {"latin9", builtin::latin9},
    {"latin-9", builtin::latin9},
    {"l9", builtin::latin9},
    {"csisolatin9", builtin::latin9},
    {"windows-1252", builtin::windows_1252},
    {"cp1252", builtin::windows_1252},
    {"x-cp1252", builtin::windows_1252},
    {"win-1252", builtin::windows_1252},
    {"cswindows1252", builtin::windows_1252},
};

// Labels that glibc does not know under that name but knows as a superset (WHATWG mapping).
constexpr std::pair<std::string_view, const char*> iconv_renames[] = {
    {"ks_c_5601-1987", "CP949"},
    {"gb2312", "GBK"},
    {"x-gbk", "GBK"},
};

constexpr std::size_t max_charset_name = 64;

// A charset name trimmed of spaces and quotes and lower-cased, NUL-terminated for iconv_open.
struct normalized_name
{
    char text[max_charset_name + 1] = {};
    std::size_t size = 0;

    [[nodiscard]] std::string_view view() const noexcept { return {text, size}; }
};

bool is_name_character(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':'
           || c == '+' || c == '(' || c == ')';
}

// False when the name cannot be a charset name (empty, too long, or characters such as '/'
// that would let a peer pass options to iconv).
bool normalize(std::string_view name, normalized_name& result) noexcept
{
    while (!name.empty() && (detail::is_wsp(name.front()) || name.front() == '"'))
        name.remove_prefix(1);
    while (!name.empty() && (detail::is_wsp(name.back()) || name.back() == '"'))
        name.remove_suffix(1);
    if (name.empty() || name.size() > max_charset_name)
        return false;
    for (const char c : name)
    {
        const char lower = detail::to_lower(c);
        if (!is_name_character(lower))
            return false;
        result.text[result.size++] = lower;
    }
    result.text[result.size] = '\0';
    return true;
}

builtin identify(std::string_view lower_name) noexcept
{
    for (const alias& a : aliases)
    {
        if (a.name == lower_name)
            return a.charset;
    }
    return builtin::none;
}

// ---------------------------------------------------------------------------------------------
// iconv

class iconv_handle
{
public:
    explicit iconv_handle(const char* from) noexcept : cd_(iconv_open("UTF-8", from)) {}
    iconv_handle(const iconv_handle&) = delete;
    iconv_handle& operator=(const iconv_handle&) = delete;
    ~iconv_handle()
    {
        if (valid())
            iconv_close(cd_);
    }

    [[nodiscard]] bool valid() const noexcept { return cd_ != reinterpret_cast<iconv_t>(-1); }
    [[nodiscard]] iconv_t get() const noexcept { return cd_; }

private:
    iconv_t cd_;
};

boost::system::error_code convert_with_iconv(const char* charset, std::string_view bytes, std::string& out,
                                             bool lenient)
{
    const iconv_handle handle(charset);
    if (!handle.valid())
        return errc::unknown_charset;
    const std::size_t start = out.size();
    std::size_t written = 0;
    out.resize(start + bytes.size() * 2 + 16);
    // glibc's prototype takes char** for the input although it never writes through it.
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    bool flushed = false;
    while (!flushed)
    {
        char* dst = out.data() + start + written;
        std::size_t dst_left = out.size() - start - written;
        const bool flushing = in_left == 0;
        const std::size_t r = flushing ? iconv(handle.get(), nullptr, nullptr, &dst, &dst_left)
                                       : iconv(handle.get(), &in, &in_left, &dst, &dst_left);
        written = static_cast<std::size_t>(dst - (out.data() + start));
        if (r != static_cast<std::size_t>(-1))
        {
            flushed = flushing;
            continue;
        }
        const int error = errno;
        if (error == E2BIG || dst_left < replacement_character.size())
        {
            out.resize(out.size() + (out.size() - start) + 16);
            if (error == E2BIG)
                continue;
        }
        if (!lenient || (error != EILSEQ && error != EINVAL))
        {
            out.resize(start);
            return errc::bad_charset_data;
        }
        // Invalid (EILSEQ) or truncated at the end (EINVAL): one U+FFFD, then resynchronise.
        std::memcpy(out.data() + start + written, replacement_character.data(), replacement_character.size());
        written += replacement_character.size();
        if (error == EINVAL)
            in_left = 0;
        else
        {
            ++in;
            --in_left;
        }
    }
    out.resize(start + written);
    return {};
}

}  // namespace

boost::system::error_code to_utf8(std::string_view charset, std::string_view bytes, std::string& out,
                                  const charset_options& options)
{
    normalized_name name;
    if (!normalize(charset, name))
        return errc::unknown_charset;
    switch (identify(name.view()))
    {
    case builtin::utf8:
    case builtin::ascii:
    {
        const std::size_t bad = find_invalid(bytes);
        if (bad == std::string_view::npos)
        {
            // Strict US-ASCII accepts no byte above 0x7F, even as valid UTF-8.
            const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
            if (!options.lenient && identify(name.view()) == builtin::ascii
                && ascii_prefix(p, bytes.size()) != bytes.size())
                return errc::bad_charset_data;
            out.append(bytes);
            return {};
        }
        if (!options.lenient)
            return errc::bad_charset_data;
        append_utf8_repaired(bytes, out);
        return {};
    }
    case builtin::latin1:
        append_single_byte(bytes, options.latin1_as_windows_1252 ? windows_1252_utf8 : latin1_utf8, out);
        return {};
    case builtin::latin9: append_single_byte(bytes, latin9_utf8, out); return {};
    case builtin::windows_1252: append_single_byte(bytes, windows_1252_utf8, out); return {};
    case builtin::none: break;
    }
    const char* iconv_name = name.text;
    for (const auto& [label, target] : iconv_renames)
    {
        if (label == name.view())
            iconv_name = target;
    }
    return convert_with_iconv(iconv_name, bytes, out, options.lenient);
}

bool is_valid_utf8(std::string_view text) noexcept
{
    return find_invalid(text) == std::string_view::npos;
}

}  // namespace mss::mime
