// SPDX-License-Identifier: Apache-2.0
// Names, dates and subjects below are synthetic.
#include <mss/mime/charset.hpp>
#include <mss/mime/encoded_word.hpp>

#include "mime_test_support.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>

using mss::mime::decode_encoded_word;
using mss::mime::decode_header_text;
using mss::mime::encode_header_text;
using mss::mime::errc;
using mss::mime::header_text_options;
using namespace std::string_view_literals;

namespace {

constexpr std::string_view fffd = "\xEF\xBF\xBD";

std::string decoded(std::string_view raw, header_text_options options = {})
{
    std::string out;
    decode_header_text(raw, out, options);
    CHECK(mss::mime::is_valid_utf8(out));
    return out;
}

std::string encoded(std::string_view text, std::size_t first_line_used = 9)
{
    std::string out;
    const auto ec = encode_header_text(text, first_line_used, out);
    INFO(ec.message());
    REQUIRE_FALSE(ec);
    return out;
}

/** Lines of a folded header value, the header name's columns counted on the first, are at
 *  most 78 columns; trailing whitespace of the text itself is not counted. */
void check_folding(std::string_view value, std::size_t first_line_used)
{
    const auto lines = mss_test::mime::split_crlf(value);
    for (std::size_t i = 0; i < lines.size(); ++i)
    {
        std::string_view content = lines[i];
        if (i + 1 == lines.size())
            content = content.substr(0, content.find_last_not_of(" \t") + 1);
        const std::size_t width = content.size() + (i == 0 ? first_line_used : 0);
        INFO("line ", i, ": ", std::string(lines[i]));
        CHECK(width <= 78);
        if (i > 0)
        {
            REQUIRE_FALSE(lines[i].empty());
            CHECK((lines[i][0] == ' ' || lines[i][0] == '\t'));  // a fold starts with whitespace
            CHECK(lines[i].find_first_not_of(" \t") != std::string_view::npos);
        }
    }
}

/** Every encoded-word is at most 75 characters and decodes strictly on its own, which proves it
 *  holds no partial UTF-8 sequence. */
void check_words(std::string_view value)
{
    std::size_t pos = 0;
    while ((pos = value.find("=?", pos)) != std::string_view::npos)
    {
        const std::size_t end = value.find("?=", value.find('?', value.find('?', pos + 2) + 1) + 1);
        REQUIRE(end != std::string_view::npos);
        const std::string_view word = value.substr(pos, end + 2 - pos);
        INFO("word: ", std::string(word));
        CHECK(word.size() <= 75);
        std::string out;
        CHECK_FALSE(decode_encoded_word(word, out));
        pos = end + 2;
    }
}

}  // namespace

TEST_SUITE("mime encoded-word")
{
    TEST_CASE("the RFC 2047 section 8 examples decode as the RFC says")
    {
        CHECK(decoded("=?US-ASCII?Q?Keith_Moore?= <moore@example.org>") == "Keith Moore <moore@example.org>");
        CHECK(decoded("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=") == "Keld J\xC3\xB8rn Simonsen");
        CHECK(decoded("=?ISO-8859-1?Q?Andr=E9?= Pirard") == "Andr\xC3\xA9 Pirard");
        CHECK(decoded("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
                      "    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=")
              == "If you can read this you understand the example.");
        CHECK(decoded("(=?ISO-8859-1?Q?a?=)") == "(a)");
        CHECK(decoded("(=?ISO-8859-1?Q?a?= b)") == "(a b)");
        CHECK(decoded("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)") == "(ab)");
        CHECK(decoded("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)") == "(ab)");
        CHECK(decoded("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)") == "(ab)");
        CHECK(decoded("(=?ISO-8859-1?Q?a_b?=)") == "(a b)");
        CHECK(decoded("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)") == "(a b)");
    }

    TEST_CASE("encoding letters and charsets are case-insensitive")
    {
        CHECK(decoded("=?utf-8?q?caf=c3=a9?=") == "caf\xC3\xA9");
        CHECK(decoded("=?UTF-8?b?SsOpcsO0bWU=?=") == "J\xC3\xA9r\xC3\xB4me");
        CHECK(decoded("=?Windows-1252?Q?=80_=9C?=") == "\xE2\x82\xAC \xC5\x93");
    }

    TEST_CASE("a multi-byte character split across two words is recovered")
    {
        CHECK(decoded("=?UTF-8?Q?J=C3?= =?UTF-8?Q?=A9r=C3=B4me?=") == "J\xC3\xA9r\xC3\xB4me");
        CHECK(decoded("=?UTF-8?B?SsM=?= =?utf-8?B?qXLDtG1l?=") == "J\xC3\xA9r\xC3\xB4me");
        CHECK(decoded("=?UTF-8?B?SsM=?=\r\n =?UTF-8?Q?=A9r=C3=B4me?= suite") == "J\xC3\xA9r\xC3\xB4me suite");
        // Different charsets are converted separately: the lone lead byte is then invalid.
        CHECK(decoded("=?UTF-8?Q?=C3?= =?ISO-8859-1?Q?=E9?=") == std::string(fffd) + "\xC3\xA9");
    }

    TEST_CASE("whitespace is kept between a word and plain text and dropped between words only")
    {
        CHECK(decoded("Objet : =?UTF-8?Q?r=C3=A9sultats?= du  jour") == "Objet : r\xC3\xA9sultats du  jour");
        CHECK(decoded("=?UTF-8?Q?a?=\t=?UTF-8?Q?b?= c =?UTF-8?Q?d?=") == "ab c d");
        CHECK(decoded("  =?UTF-8?Q?a?=  ") == "  a  ");
        CHECK(decoded("x=?UTF-8?Q?a?=y") == "xay");  // glued words are decoded anyway
    }

    TEST_CASE("broken words are kept as raw text")
    {
        CHECK(decoded("=?UTF-8?B?!!!?=") == "=?UTF-8?B?!!!?=");
        CHECK(decoded("=?UTF-8?B?QQ?=") == "A");  // missing padding is tolerated
        CHECK(decoded("=?UTF-8?B?Q?=") == "=?UTF-8?B?Q?=");
        CHECK(decoded("=?UTF-8?Q?bad=ZZ?=") == "=?UTF-8?Q?bad=ZZ?=");
        CHECK(decoded("=?UTF-8?Q?bad=4?=") == "=?UTF-8?Q?bad=4?=");
        CHECK(decoded("=?x-unknown?Q?abc?=") == "=?x-unknown?Q?abc?=");
        CHECK(decoded("=?UTF-8?X?abc?=") == "=?UTF-8?X?abc?=");
        CHECK(decoded("=??Q?abc?=") == "=??Q?abc?=");
        CHECK(decoded("=?UTF-8?Q?with space?=") == "=?UTF-8?Q?with space?=");
        CHECK(decoded("=?UTF-8?Q?unterminated") == "=?UTF-8?Q?unterminated");
        CHECK(decoded("=?UTF-8?Q?") == "=?UTF-8?Q?");
        CHECK(decoded("=?") == "=?");
        CHECK(decoded("a =?UTF-8?Q?b?= =?UTF-8?B?#?= =?UTF-8?Q?c?=") == "a b =?UTF-8?B?#?= c");
        // Adjacent words in an unknown charset come back as they were, space included.
        CHECK(decoded("=?x-foo?Q?a?=  =?x-foo?Q?b?= =?UTF-8?Q?c?=") == "=?x-foo?Q?a?=  =?x-foo?Q?b?=c");
    }

    TEST_CASE("bytes invalid in a word's charset become U+FFFD")
    {
        CHECK(decoded("=?UTF-8?Q?caf=E9?=") == "caf" + std::string(fffd));
    }

    TEST_CASE("the RFC 2231 language suffix is accepted and ignored")
    {
        CHECK(decoded("=?utf-8*fr?Q?Bonjour_=C3=A0_tous?=") == "Bonjour \xC3\xA0 tous");
        CHECK(decoded("=?US-ASCII*EN?Q?Keith_Moore?=") == "Keith Moore");
        CHECK(decoded("=?*fr?Q?x?=") == "=?*fr?Q?x?=");
    }

    TEST_CASE("raw 8-bit text is kept when UTF-8 and converted from the fallback charset otherwise")
    {
        CHECK(decoded("Caf\xC3\xA9 =?UTF-8?Q?cr=C3=A8me?=") == "Caf\xC3\xA9 cr\xC3\xA8me");
        CHECK(decoded("Caf\xE9 =?UTF-8?Q?cr=C3=A8me?=") == "Caf\xC3\xA9 cr\xC3\xA8me");
        CHECK(decoded("\x80 5") == "\xE2\x82\xAC 5");
        CHECK(decoded("caf\xE9", header_text_options{.fallback_charset = "iso-8859-15"}) == "caf\xC3\xA9");
        CHECK(decoded("caf\xE9", header_text_options{.fallback_charset = "no-such-charset"})
              == "caf" + std::string(fffd));
    }

    TEST_CASE("folding is removed and decoded line breaks become spaces")
    {
        CHECK(decoded("Compte rendu\r\n du 12/03") == "Compte rendu du 12/03");
        CHECK(decoded("=?UTF-8?Q?a=0D=0Ab?=") == "a  b");
        CHECK(decoded("=?UTF-8?B?YQBi?=") == "a b");  // NUL
        CHECK(decoded(std::string_view("a\0b", 3)) == "a b");
    }

    TEST_CASE("many candidate words that never end are scanned in linear time")
    {
        std::string raw;
        for (int i = 0; i < 50000; ++i)
            raw += "=?a?Q?";
        CHECK(decoded(raw) == raw);
        std::string glued;
        for (int i = 0; i < 20000; ++i)
            glued += "=?UTF-8?Q?a?=";
        CHECK(decoded(glued) == std::string(20000, 'a'));
    }

    TEST_CASE("a single encoded-word decodes strictly")
    {
        std::string out;
        CHECK_FALSE(decode_encoded_word("=?UTF-8?Q?caf=C3=A9?=", out));
        CHECK(out == "caf\xC3\xA9");
        out.clear();
        CHECK_FALSE(decode_encoded_word("=?iso-8859-1*fr?B?Y2Fm6Q==?=", out));
        CHECK(out == "caf\xC3\xA9");
        out = "kept";
        CHECK(decode_encoded_word("=?UTF-8?Q?caf=E9?=", out) == errc::bad_charset_data);
        CHECK(decode_encoded_word("=?x-unknown?Q?a?=", out) == errc::unknown_charset);
        CHECK(decode_encoded_word("=?UTF-8?X?a?=", out) == errc::bad_encoded_word);
        CHECK(decode_encoded_word("=?UTF-8?B?!?=", out) == errc::bad_encoded_word);
        CHECK(decode_encoded_word("=?UTF-8?Q?a?= ", out) == errc::bad_encoded_word);
        CHECK(decode_encoded_word(" =?UTF-8?Q?a?=", out) == errc::bad_encoded_word);
        CHECK(decode_encoded_word("", out) == errc::bad_encoded_word);
        CHECK(out == "kept");
    }

    TEST_CASE("pure ASCII text is written as it is")
    {
        CHECK(encoded("Rendez-vous du 12/03 a 14h") == "Rendez-vous du 12/03 a 14h");
        CHECK(encoded("") == "");
        CHECK(encoded("  spaces\tand tabs  ") == "  spaces\tand tabs  ");
    }

    TEST_CASE("long ASCII text is folded at its own whitespace and unfolds to the same text")
    {
        std::string text;
        for (int i = 0; i < 30; ++i)
            text += "mot" + std::to_string(i) + " ";
        text += "fin";
        const std::string out = encoded(text);
        check_folding(out, 9);
        CHECK(out.find("=?") == std::string::npos);
        CHECK(decoded(out) == text);
    }

    TEST_CASE("a long French subject is encoded word by word and folded under 78 columns")
    {
        const std::string subject =
            "Compte rendu d'hospitalisation \xE2\x80\x93 DUPONT J\xC3\xA9r\xC3\xB4me 12/03/1956";
        const std::string out = encoded(subject);
        INFO(out);
        check_folding(out, 9);
        check_words(out);
        CHECK(out.find("Compte rendu d'hospitalisation ") == 0);  // plain words stay readable
        CHECK(out.find(" DUPONT") != std::string::npos);
        CHECK(out.find(" 12/03/1956") != std::string::npos);
        CHECK(out.find("=?UTF-8?B?SsOpcsO0bWU=?=") != std::string::npos);
        CHECK(decoded(out) == subject);
    }

    TEST_CASE("long non-ASCII text becomes several words that never split a character")
    {
        std::string text;
        for (int i = 0; i < 12; ++i)
            text += "R\xC3\xA9sultats d\xE2\x80\x99" "analyses \xC3\xA0 v\xC3\xA9rifier \xF0\x9F\x98\x80 ";
        text += "\xC3\xA9t\xC3\xA9";
        for (const std::size_t used : {std::size_t{0}, std::size_t{9}, std::size_t{40}, std::size_t{70}})
        {
            const std::string out = encoded(text, used);
            INFO("first line used ", used, ": ", out);
            check_folding(out, used);
            check_words(out);
            std::string back = decoded(out);
            if (used >= 60)
                back.erase(0, back.find_first_not_of(' '));  // the fold before the first word
            CHECK(back == text);
        }
    }

    TEST_CASE("Q is chosen when it is shorter than B, B otherwise")
    {
        CHECK(encoded("H\xC3\xB4pital-Nord") == "=?UTF-8?Q?H=C3=B4pital-Nord?=");
        CHECK(encoded("h\xC3\xB4pital") == "=?UTF-8?B?aMO0cGl0YWw=?=");  // a tie: B
        CHECK(encoded("\xCE\xB1\xCE\xB2\xCE\xB3\xCE\xB4") == "=?UTF-8?B?zrHOss6zzrQ=?=");
        // Adjacent words needing encoding share one encoded-word, their space inside it.
        CHECK(encoded("a b \xC3\xA9 \xC3\xA9 d") == "a b =?UTF-8?B?w6kgw6k=?= d");
        CHECK(encoded("H\xC3\xB4pital-Nord Saint-\xC3\x89loi")
              == "=?UTF-8?Q?H=C3=B4pital-Nord_Saint-=C3=89loi?=");
    }

    TEST_CASE("ASCII that would look like an encoded-word and control characters are encoded")
    {
        const std::string out = encoded("voir =?UTF-8?Q?x?= ici");
        CHECK(out.find("=?UTF-8?Q?x?=") == std::string::npos);
        CHECK(out.find("voir =?UTF-8?") == 0);
        CHECK(decoded(out) == "voir =?UTF-8?Q?x?= ici");
        CHECK(encoded("bell\x07") == "=?UTF-8?Q?bell=07?=");
    }

    TEST_CASE("CR, LF and NUL are refused and invalid UTF-8 is rejected")
    {
        std::string out = "kept";
        CHECK(encode_header_text("Objet\r\nBcc: x@example.org", 9, out) == errc::forbidden_character);
        CHECK(encode_header_text("a\nb", 9, out) == errc::forbidden_character);
        CHECK(encode_header_text(std::string_view("a\0b", 3), 9, out) == errc::forbidden_character);
        CHECK(encode_header_text("caf\xE9", 9, out) == errc::bad_charset_data);
        CHECK(out == "kept");
    }

    TEST_CASE("random text survives encoding then decoding")
    {
        std::mt19937 rng(78);
        constexpr std::string_view pieces[] = {
            "a", "Z", "9", " ", "  ", "\t", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
            "=", "?", "_", "=?", "?=", "mot ", "DUPONT ", "\xC5\x93", "\x01",
        };
        std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
        for (int round = 0; round < 300; ++round)
        {
            std::string text;
            const int count = round % 90;
            for (int i = 0; i < count; ++i)
                text += pieces[pick(rng)];
            const std::size_t used = static_cast<std::size_t>(round % 40);
            const std::string out = encoded(text, used);
            INFO("text: ", text, "\nencoded: ", out);
            check_words(out);
            CHECK(decoded(out) == text);
            // Folding can only fail on a single ASCII word longer than a line; none here is.
            check_folding(out, used);
        }
    }
}
