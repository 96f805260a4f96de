// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/quoted_printable.hpp>

#include "mime_test_support.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>

using mss::mime::errc;
using mss::mime::quoted_printable_decoder;
using mss::mime::quoted_printable_decoder_options;
using mss::mime::quoted_printable_encoder;
using mss::mime::quoted_printable_encoder_options;
using namespace std::string_view_literals;

namespace {

std::string encode(std::string_view input, quoted_printable_encoder_options options = {})
{
    quoted_printable_encoder encoder(options);
    std::string out;
    encoder.encode(input, out);
    encoder.finish(out);
    return out;
}

std::string encode_bytewise(std::string_view input, quoted_printable_encoder_options options = {})
{
    quoted_printable_encoder encoder(options);
    std::string out;
    for (const char c : input)
        encoder.encode(std::string_view(&c, 1), out);
    encoder.finish(out);
    return out;
}

/** Decodes in one piece; must succeed. */
std::string decode(std::string_view input, bool lenient = false)
{
    quoted_printable_decoder decoder(quoted_printable_decoder_options{.lenient = lenient});
    std::string out;
    REQUIRE_FALSE(decoder.decode(input, out));
    REQUIRE_FALSE(decoder.finish(out));
    return out;
}

/** Every encoded line is at most `limit` characters and a soft break's '=' ends it. */
void check_line_lengths(std::string_view encoded, std::size_t limit = 76)
{
    for (const std::string_view line : mss_test::mime::split_crlf(encoded))
    {
        INFO("line: ", std::string(line));
        CHECK(line.size() <= limit);
        // No unencoded whitespace at the end of a line.
        if (!line.empty())
            CHECK((line.back() != ' ' && line.back() != '\t'));
    }
}

// Synthetic text with every construct: soft breaks (CRLF and LF, with padding), hard breaks,
// upper and lower-case escapes.
constexpr std::string_view sample =
    "Bonjour Dr Martin,=0D=0ALe patient fictif est sorti le 12/03.=\r\n Tension =\n12/8.=  \r\n\r\n"
    "Cordialement,\r\nJ=C3=A9r=c3=b4me=3D";
constexpr std::string_view sample_decoded =
    "Bonjour Dr Martin,\r\nLe patient fictif est sorti le 12/03. Tension 12/8.\r\n"
    "Cordialement,\r\nJ\xC3\xA9r\xC3\xB4me=";

}  // namespace

TEST_SUITE("mime quoted-printable")
{
    TEST_CASE("escapes in either case become bytes and soft line breaks vanish")
    {
        CHECK(decode("caf=C3=A9") == "caf\xC3\xA9");
        CHECK(decode("caf=c3=a9") == "caf\xC3\xA9");
        CHECK(decode("abc=\r\ndef") == "abcdef");
        CHECK(decode("abc=\ndef") == "abcdef");
        CHECK(decode("abc= \t\r\ndef") == "abcdef");
        CHECK(decode("line 1\r\nline 2\nline 3") == "line 1\r\nline 2\nline 3");
        CHECK(decode(sample) == sample_decoded);
    }

    TEST_CASE("an '=' at the very end is a soft line break whose CRLF went with the boundary")
    {
        CHECK(decode("fin=") == "fin");
        CHECK(decode("fin= ") == "fin");
        CHECK(decode("fin=\r") == "fin");
    }

    TEST_CASE("strict decoding reports an invalid '=' sequence with its offset")
    {
        quoted_printable_decoder decoder;
        std::string out;
        CHECK(decoder.decode("ab=G1", out) == errc::bad_quoted_printable);
        CHECK(decoder.offset() == 3);
        CHECK(out == "ab");
        CHECK(decoder.decode("x", out) == errc::bad_quoted_printable);  // sticky
        decoder.reset();
        out.clear();
        CHECK_FALSE(decoder.decode("=41", out));
        CHECK(out == "A");

        quoted_printable_decoder padding;
        CHECK(padding.decode("a= b", out) == errc::bad_quoted_printable);
        CHECK(padding.offset() == 3);

        quoted_printable_decoder cr;
        CHECK(cr.decode("a=\rb", out) == errc::bad_quoted_printable);
        CHECK(cr.offset() == 3);

        quoted_printable_decoder truncated;
        out.clear();
        CHECK_FALSE(truncated.decode("a=4", out));
        CHECK(truncated.finish(out) == errc::bad_quoted_printable);
        CHECK(truncated.offset() == 3);
        CHECK(out == "a");
    }

    TEST_CASE("lenient decoding keeps invalid '=' sequences literally")
    {
        CHECK(decode("a=G1b", true) == "a=G1b");
        CHECK(decode("a==41", true) == "a=A");
        CHECK(decode("a=4", true) == "a=4");
        CHECK(decode("a=4=42", true) == "a=4B");
        CHECK(decode("a= x", true) == "a= x");
        CHECK(decode("a=\rx", true) == "a=\rx");
        CHECK(decode("100 = 99+1", true) == "100 = 99+1");
    }

    TEST_CASE("lenient decoding gives up on absurdly long padding after '='")
    {
        const std::string padding(40, ' ');
        const std::string input = "a=" + padding + "b\r\n";
        CHECK(decode(input, true) == input);
        // Strict mode reads the same padding as a soft break, whatever its length.
        CHECK(decode("a=" + padding + "\r\nb") == "ab");
    }

    TEST_CASE("decoding in chunks split at every position equals decoding in one piece")
    {
        const std::string lenient_input = std::string(sample) + " =ZZ =4 = x";
        for (const bool lenient : {false, true})
        {
            const std::string_view input = lenient ? std::string_view(lenient_input) : sample;
            const std::string expected = decode(input, lenient);
            for (std::size_t first = 0; first <= input.size(); ++first)
            {
                for (const std::size_t second : {std::size_t{1}, std::size_t{2}, std::size_t{3}})
                {
                    quoted_printable_decoder decoder(quoted_printable_decoder_options{.lenient = lenient});
                    std::string out;
                    for (const std::string_view piece : mss_test::mime::cut(input, {first, second}))
                        REQUIRE_FALSE(decoder.decode(piece, out));
                    REQUIRE_FALSE(decoder.finish(out));
                    INFO("split at ", first, " then ", second);
                    CHECK(out == expected);
                }
            }
            quoted_printable_decoder decoder(quoted_printable_decoder_options{.lenient = lenient});
            std::string out;
            for (const char c : input)
                REQUIRE_FALSE(decoder.decode(std::string_view(&c, 1), out));
            REQUIRE_FALSE(decoder.finish(out));
            CHECK(out == expected);
        }
    }

    TEST_CASE("the encoder escapes '=', non-ASCII bytes and control characters")
    {
        CHECK(encode("a=b") == "a=3Db");
        CHECK(encode("J\xC3\xA9r\xC3\xB4me") == "J=C3=A9r=C3=B4me");
        CHECK(encode("a\x01" "b\x7F") == "a=01b=7F");
        CHECK(encode("tab\there") == "tab\there");
        CHECK(encode("") == "");
    }

    TEST_CASE("the encoder escapes whitespace at the end of a line or of the data")
    {
        CHECK(encode("a \r\nb") == "a=20\r\nb");
        CHECK(encode("a\t\nb") == "a=09\r\nb");
        CHECK(encode("a  \r\n") == "a =20\r\n");
        CHECK(encode("fin ") == "fin=20");
        CHECK(encode("a b") == "a b");
    }

    TEST_CASE("the encoder writes CRLF for LF and CRLF line ends and escapes a lone CR")
    {
        CHECK(encode("l1\nl2\r\nl3") == "l1\r\nl2\r\nl3");
        CHECK(encode("a\rb") == "a=0Db");
        CHECK(encode("a\r") == "a=0D");
        CHECK(encode("a \r") == "a =0D");
        CHECK(encode("\r\r\n") == "=0D\r\n");
    }

    TEST_CASE("the encoder protects '.' and 'From ' at the start of lines")
    {
        CHECK(encode(".\r\n") == "=2E\r\n");
        CHECK(encode("a\r\n.b") == "a\r\n=2Eb");
        CHECK(encode("a.b") == "a.b");
        CHECK(encode("From Dr Martin") == "=46rom Dr Martin");
        CHECK(encode("x\nFrom me") == "x\r\n=46rom me");
        CHECK(encode("From") == "From");
        CHECK(encode("From\r\n") == "From\r\n");
        CHECK(encode("Fromage") == "Fromage");
        CHECK(encode("Fro") == "Fro");
        CHECK(encode("Frm") == "Frm");
        CHECK(encode("FFrom ") == "FFrom=20");
        CHECK(encode("x From y") == "x From y");
        CHECK(encode("From\tx") == "From\tx");
    }

    TEST_CASE("the encoder protects '.' and 'From ' after a soft line break too")
    {
        // 75 characters fill a line (76 with the soft break's '=').
        const std::string filler(75, 'a');
        const std::string dot = encode(filler + ".x");
        CHECK(dot == filler + "=\r\n=2Ex");
        const std::string from = encode(filler + "From z");
        CHECK(from == filler + "=\r\n=46rom z");
    }

    TEST_CASE("encoded lines never exceed 76 characters and escapes are never split")
    {
        std::string text;
        for (int i = 0; i < 40; ++i)
            text += "R\xC3\xA9sultat n\xC2\xB0" + std::to_string(i) + " = normal; ";
        text += "\r\n" + std::string(200, 'x') + "\r\n" + std::string(100, '\xE9');
        const std::string out = encode(text);
        check_line_lengths(out);
        CHECK(decode(out) == text);

        const std::string narrow = encode(text, quoted_printable_encoder_options{.line_length = 10});
        check_line_lengths(narrow, 10);
        CHECK(decode(narrow) == text);
    }

    TEST_CASE("encoding in chunks split at every position equals encoding in one piece")
    {
        const std::string text = "From here.\r\n.\r\nTrailing \r\nLone\rCR, tab\t\nJ\xC3\xA9r\xC3\xB4me = x "
                                 + std::string(90, 'y') + "\nFrom";
        for (const bool binary : {false, true})
        {
            const quoted_printable_encoder_options options{.binary = binary};
            const std::string expected = encode(text, options);
            for (std::size_t split = 0; split <= text.size(); ++split)
            {
                quoted_printable_encoder encoder(options);
                std::string out;
                for (const std::string_view piece : mss_test::mime::cut(text, {split}))
                    encoder.encode(piece, out);
                encoder.finish(out);
                INFO("split at ", split);
                CHECK(out == expected);
            }
            CHECK(encode_bytewise(text, options) == expected);
        }
    }

    TEST_CASE("random bytes survive binary encoding then decoding")
    {
        std::mt19937 rng(76);
        for (std::size_t size = 0; size < 400; size += 13)
        {
            const std::string data = mss_test::mime::random_bytes(rng, size);
            const std::string out = encode(data, quoted_printable_encoder_options{.binary = true});
            INFO("size ", size);
            check_line_lengths(out);
            CHECK(out.find_first_not_of("\r\n\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~")
                  == std::string::npos);
            CHECK(decode(out) == data);
            CHECK(encode_bytewise(data, quoted_printable_encoder_options{.binary = true}) == out);
        }
    }

    TEST_CASE("random text with CRLF lines survives text encoding then decoding")
    {
        std::mt19937 rng(1956);
        constexpr std::string_view pieces[] = {"From ", ".", " ", "\t", "\r\n", "=", "a", "Z", "\xC3\xA9",
                                               "\xE2\x80\x93", "\r", "\x7F", "word ", "F"};
        std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
        for (int round = 0; round < 200; ++round)
        {
            std::string text;
            const int count = round % 60;
            for (int i = 0; i < count; ++i)
                text += pieces[pick(rng)];
            const std::string out = encode(text);
            INFO("text: ", text);
            check_line_lengths(out);
            CHECK(decode(out) == text);
            CHECK(encode_bytewise(text) == out);
        }
    }

    TEST_CASE("binary mode escapes CR and LF so that the bytes come back exactly")
    {
        CHECK(encode("a\r\nb\n", quoted_printable_encoder_options{.binary = true}) == "a=0D=0Ab=0A");
        CHECK(encode("a \r\n", quoted_printable_encoder_options{.binary = true}) == "a =0D=0A");
    }
}
