// SPDX-License-Identifier: Apache-2.0
#include <mss/directory/text_fold.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace mss::directory
{
namespace
{

// What a code point folds to. `word` is appended to the current word; `separator` ends it;
// `drop` leaves no trace (combining marks: "e" + U+0301 is "é" typed in decomposed form).
enum class fold_kind : std::uint8_t
{
    word,
    separator,
    drop,
};

struct folded
{
    fold_kind kind;
    std::string_view text;  // for `word`; empty means "copy the code point as it is"
};

// U+00C0..U+017F: Latin-1 Supplement letters and Latin Extended-A, the letters of French names
// and of most European ones. An empty string is a separator (× and ÷).
// clang-format off
constexpr std::array<std::string_view, 0x180 - 0xC0> latin_table = {
    // U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    // U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    // U+0100 Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    // U+0110 Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    // U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    // U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    // U+0140 ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    // U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    // U+0160 Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    // U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};
// clang-format on

folded fold_code_point(std::uint32_t cp) noexcept
{
    if (cp >= 0xC0 && cp < 0x180)
    {
        const std::string_view t = latin_table[cp - 0xC0];
        return t.empty() ? folded{fold_kind::separator, {}} : folded{fold_kind::word, t};
    }
    if (cp >= 0x300 && cp <= 0x36F)
        return {fold_kind::drop, {}};
    switch (cp)
    {
    case 0xA0:    // no-break space
    case 0xAB:    // «
    case 0xBB:    // »
    case 0xB4:    // acute accent used as an apostrophe
    case 0xB7:    // middle dot
    case 0x2BC:   // modifier letter apostrophe
    case 0x2018:  // ‘
    case 0x2019:  // ’ (the usual typographic apostrophe: D’Aubigné)
    case 0x201C:  // “
    case 0x201D:  // ”
    case 0x2010:  // hyphen
    case 0x2011:  // non-breaking hyphen
    case 0x2012:  // figure dash
    case 0x2013:  // en dash
    case 0x2014:  // em dash
    case 0x2015:  // horizontal bar
    case 0x2026:  // …
    case 0x202F:  // narrow no-break space
    case 0x2009:  // thin space
        return {fold_kind::separator, {}};
    default:
        break;
    }
    if (cp < 0xC0)
        return {fold_kind::separator, {}};  // the rest of Latin-1's symbols and the C1 controls
    return {fold_kind::word, {}};
}

// Decodes one well-formed UTF-8 sequence at `s[i]` (RFC 3629). Returns its length, 0 when the
// bytes are not well-formed (overlong forms, surrogates and values above U+10FFFF included).
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) noexcept
{
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF)
    {
        n = 2;
        cp = b0 & 0x1Fu;
        min = 0x80;
    }
    else if (b0 >= 0xE0 && b0 <= 0xEF)
    {
        n = 3;
        cp = b0 & 0x0Fu;
        min = 0x800;
    }
    else if (b0 >= 0xF0 && b0 <= 0xF4)
    {
        n = 4;
        cp = b0 & 0x07u;
        min = 0x10000;
    }
    else
    {
        return 0;
    }
    if (i + n > s.size())
        return 0;
    for (std::size_t k = 1; k < n; ++k)
    {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

}  // namespace

void append_folded(std::string_view text, std::string& out)
{
    // A separator is written lazily, before the next word character, so that the result never
    // starts or ends with a space and never holds two in a row.
    const std::size_t start = out.size();
    bool pending_space = false;
    const auto put = [&](std::string_view piece)
    {
        if (pending_space && out.size() > start)
            out.push_back(' ');
        pending_space = false;
        out.append(piece);
    };
    std::size_t i = 0;
    while (i < text.size())
    {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80)
        {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            {
                const char ch = static_cast<char>(c);
                put(std::string_view(&ch, 1));
            }
            else if (c >= 'A' && c <= 'Z')
            {
                const char ch = static_cast<char>(c - 'A' + 'a');
                put(std::string_view(&ch, 1));
            }
            else
            {
                pending_space = true;
            }
            ++i;
            continue;
        }
        std::uint32_t cp = 0;
        const std::size_t n = decode_utf8(text, i, cp);
        if (n == 0)
        {
            pending_space = true;
            ++i;
            continue;
        }
        const folded f = fold_code_point(cp);
        switch (f.kind)
        {
        case fold_kind::word:
            put(f.text.empty() ? text.substr(i, n) : f.text);
            break;
        case fold_kind::separator:
            pending_space = true;
            break;
        case fold_kind::drop:
            break;
        }
        i += n;
    }
}

std::string fold_text(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    append_folded(text, out);
    return out;
}

std::vector<std::string> fold_words(std::string_view text)
{
    const std::string folded_text = fold_text(text);
    std::vector<std::string> words;
    std::size_t at = 0;
    while (at < folded_text.size())
    {
        std::size_t end = folded_text.find(' ', at);
        if (end == std::string::npos)
            end = folded_text.size();
        words.emplace_back(folded_text, at, end - at);
        at = end + 1;
    }
    return words;
}

}  // namespace mss::directory
