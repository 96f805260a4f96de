// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/charset.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using mss::mime::charset_options;
using mss::mime::errc;
using mss::mime::is_valid_utf8;
using mss::mime::to_utf8;
using namespace std::string_view_literals;

namespace {

constexpr std::string_view fffd = "\xEF\xBF\xBD";

/** Converts; must succeed. */
std::string convert(std::string_view charset, std::string_view bytes, charset_options options = {})
{
    std::string out;
    const auto ec = to_utf8(charset, bytes, out, options);
    INFO("charset ", std::string(charset), ": ", ec.message());
    REQUIRE_FALSE(ec);
    CHECK(is_valid_utf8(out));
    return out;
}

std::string repaired(std::string_view bytes)
{
    return convert("utf-8", bytes, charset_options{.lenient = true});
}

/** Converts; must fail with `code`, leaving the output untouched. */
void refused(std::string_view charset, std::string_view bytes, errc code, charset_options options = {})
{
    std::string out = "kept";
    INFO("charset ", std::string(charset));
    CHECK(to_utf8(charset, bytes, out, options) == code);
    CHECK(out == "kept");
}

}  // namespace

TEST_SUITE("mime charset")
{
    TEST_CASE("valid UTF-8 and US-ASCII are copied as they are")
    {
        const std::string_view text = "J\xC3\xA9r\xC3\xB4me \xE2\x80\x93 \xF0\x9F\x98\x80";
        CHECK(convert("utf-8", text) == text);
        CHECK(convert("us-ascii", "Compte rendu") == "Compte rendu");
        CHECK(convert("utf-8", "") == "");
        std::string out = "prefix ";
        CHECK_FALSE(to_utf8("UTF-8", "suite", out));
        CHECK(out == "prefix suite");
    }

    TEST_CASE("charset names are case-insensitive and accept the usual aliases")
    {
        for (const std::string_view name : {"UTF-8"sv, "utf8"sv, "Utf-8"sv, " \"utf-8\" "sv})
            CHECK(convert(name, "\xC3\xA9") == "\xC3\xA9");
        for (const std::string_view name :
             {"ISO-8859-1"sv, "iso_8859-1"sv, "ISO8859-1"sv, "latin1"sv, "Latin-1"sv, "l1"sv, "CP819"sv})
            CHECK(convert(name, "\xE9") == "\xC3\xA9");
        for (const std::string_view name : {"ISO-8859-15"sv, "iso8859-15"sv, "latin-9"sv, "LATIN9"sv})
            CHECK(convert(name, "\xA4") == "\xE2\x82\xAC");
        for (const std::string_view name : {"windows-1252"sv, "CP1252"sv, "x-cp1252"sv})
            CHECK(convert(name, "\x80") == "\xE2\x82\xAC");
        for (const std::string_view name : {"US-ASCII"sv, "ascii"sv, "ANSI_X3.4-1968"sv})
            CHECK(convert(name, "abc") == "abc");
    }

    TEST_CASE("Latin-1 text is read as Windows-1252 unless told otherwise")
    {
        CHECK(convert("iso-8859-1", "caf\xE9 cr\xE8me") == "caf\xC3\xA9 cr\xC3\xA8me");
        CHECK(convert("iso-8859-1", "\x80 \x9C") == "\xE2\x82\xAC \xC5\x93");
        CHECK(convert("iso-8859-1", "\x80", charset_options{.latin1_as_windows_1252 = false}) == "\xC2\x80");
        CHECK(convert("iso-8859-1", "\xFF\xA0") == "\xC3\xBF\xC2\xA0");
    }

    TEST_CASE("Windows-1252 maps the euro sign, oe ligature and typographic characters")
    {
        CHECK(convert("windows-1252", "\x80") == "\xE2\x82\xAC");          // €
        CHECK(convert("windows-1252", "\x9C\x8C") == "\xC5\x93\xC5\x92");  // œ Œ
        CHECK(convert("windows-1252", "d\x92" "analyse") == "d\xE2\x80\x99" "analyse");  // ’
        CHECK(convert("windows-1252", "\x96\x97") == "\xE2\x80\x93\xE2\x80\x94");      // – —
        CHECK(convert("windows-1252", "\x85") == "\xE2\x80\xA6");                      // …
        CHECK(convert("windows-1252", "\x81\x8D") == "\xC2\x81\xC2\x8D");  // unassigned: C1 controls
        CHECK(convert("windows-1252", "\xE9") == "\xC3\xA9");
    }

    TEST_CASE("ISO-8859-15 differs from Latin-1 in eight places")
    {
        CHECK(convert("iso-8859-15", "\xA4\xA6\xA8\xB4\xB8\xBC\xBD\xBE")
              == "\xE2\x82\xAC\xC5\xA0\xC5\xA1\xC5\xBD\xC5\xBE\xC5\x92\xC5\x93\xC5\xB8");
        CHECK(convert("iso-8859-15", "\xE9") == "\xC3\xA9");
    }

    TEST_CASE("long single-byte text with mixed ASCII runs converts every byte")
    {
        std::string input;
        std::string expected;
        for (int i = 0; i < 100; ++i)
        {
            input += "abcdefghij\xE9";
            expected += "abcdefghij\xC3\xA9";
        }
        CHECK(convert("latin1", input) == expected);
    }

    TEST_CASE("invalid UTF-8 fails when strict and becomes U+FFFD per maximal subpart when lenient")
    {
        refused("utf-8", "a\xC3(b", errc::bad_charset_data);
        refused("utf-8", "\xFF", errc::bad_charset_data);
        CHECK(repaired("a\xC3(b") == "a" + std::string(fffd) + "(b");
        CHECK(repaired("\xF0\x9F\x98") == fffd);                       // truncated 4-byte sequence
        CHECK(repaired("\xF0\x9F\x98x") == std::string(fffd) + "x");
        CHECK(repaired("\xC0\xAF") == std::string(fffd) + std::string(fffd));  // overlong
        CHECK(repaired("\xED\xA0\x80").size() == 3 * fffd.size());  // surrogate: three subparts
        CHECK(repaired("\xF4\x90\x80\x80").size() == 4 * fffd.size());  // above U+10FFFF
        CHECK(repaired("ok\x80ok") == "ok" + std::string(fffd) + "ok");
        CHECK(repaired("caf\xE9") == "caf" + std::string(fffd));
    }

    TEST_CASE("US-ASCII refuses 8-bit bytes when strict and reads them as UTF-8 when lenient")
    {
        refused("us-ascii", "caf\xC3\xA9", errc::bad_charset_data);
        CHECK(convert("us-ascii", "caf\xC3\xA9", charset_options{.lenient = true}) == "caf\xC3\xA9");
        CHECK(convert("us-ascii", "caf\xE9", charset_options{.lenient = true}) == "caf" + std::string(fffd));
    }

    TEST_CASE("other charsets go through iconv")
    {
        CHECK(convert("ISO-8859-2", "\xB3\xF3" "d\xBC") == "\xC5\x82\xC3\xB3" "d\xC5\xBA");  // łódź
        CHECK(convert("koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4")
              == "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
        CHECK(convert("UTF-16BE", std::string_view("\x00J\x00\xE9", 4)) == "J\xC3\xA9");
        CHECK(convert("ks_c_5601-1987", "abc") == "abc");
        // Output larger than the first buffer guess: four bytes of UTF-8 per UTF-16 pair.
        std::string many;
        std::string expected;
        for (int i = 0; i < 500; ++i)
        {
            many += std::string_view("\xD8\x3D\xDE\x00", 4);
            expected += "\xF0\x9F\x98\x80";
        }
        CHECK(convert("utf-16be", many) == expected);
    }

    TEST_CASE("invalid data for an iconv charset fails when strict and is repaired when lenient")
    {
        refused("UTF-16BE", std::string_view("\x00J\x00", 3), errc::bad_charset_data);
        CHECK(convert("UTF-16BE", std::string_view("\x00J\x00", 3), charset_options{.lenient = true})
              == "J" + std::string(fffd));
        refused("EUC-JP", "a\xFF" "b", errc::bad_charset_data);
        CHECK(convert("EUC-JP", "a\xFF" "b", charset_options{.lenient = true})
              == "a" + std::string(fffd) + "b");
    }

    TEST_CASE("unknown or suspicious charset names are refused")
    {
        refused("x-unknown-charset", "abc", errc::unknown_charset);
        refused("", "abc", errc::unknown_charset);
        refused("\"\"", "abc", errc::unknown_charset);
        refused("utf-8//IGNORE", "abc", errc::unknown_charset);
        refused("ISO-8859-2//TRANSLIT", "abc", errc::unknown_charset);
        refused("utf 8", "abc", errc::unknown_charset);
        refused(std::string(65, 'a'), "abc", errc::unknown_charset);
        refused("unknown-8bit", "abc", errc::unknown_charset, charset_options{.lenient = true});
    }

    TEST_CASE("UTF-8 validation follows RFC 3629")
    {
        CHECK(is_valid_utf8(""));
        CHECK(is_valid_utf8("plain ASCII text of some length, longer than eight bytes"));
        CHECK(is_valid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"));
        CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
        CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // overlong
        CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
        CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
        CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
        CHECK_FALSE(is_valid_utf8("\x80"));
        CHECK_FALSE(is_valid_utf8("\xC3"));
        // A bad byte at every alignment after an ASCII run is found.
        for (std::size_t prefix = 0; prefix < 20; ++prefix)
        {
            const std::string text = std::string(prefix, 'a') + "\xE9" + std::string(10, 'b');
            INFO("prefix ", prefix);
            CHECK_FALSE(is_valid_utf8(text));
            CHECK(is_valid_utf8(std::string(prefix, 'a') + "\xC3\xA9" + std::string(10, 'b')));
        }
    }
}
