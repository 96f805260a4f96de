// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/base64.hpp>

#include "mime_test_support.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>

using mss::mime::base64_decoder;
using mss::mime::base64_decoder_options;
using mss::mime::base64_encoder;
using mss::mime::base64_encoder_options;
using mss::mime::errc;
using namespace std::string_view_literals;

namespace {

std::string encode(std::string_view input, std::size_t line_length = 76)
{
    base64_encoder encoder(base64_encoder_options{.line_length = line_length});
    std::string out;
    encoder.encode(input, out);
    encoder.finish(out);
    return out;
}

/** Decodes in one piece; the result must succeed. */
std::string decode(std::string_view input, bool lenient = false)
{
    base64_decoder decoder(base64_decoder_options{.lenient = lenient});
    std::string out;
    REQUIRE_FALSE(decoder.decode(input, out));
    REQUIRE_FALSE(decoder.finish(out));
    return out;
}

/** Decodes one byte at a time. */
boost::system::error_code decode_bytewise(base64_decoder& decoder, std::string_view input, std::string& out)
{
    for (const char c : input)
    {
        if (auto ec = decoder.decode(std::string_view(&c, 1), out))
            return ec;
    }
    return decoder.finish(out);
}

// Synthetic attachment content: text of a fictitious report.
constexpr std::string_view report =
    "Compte rendu de consultation (patient fictif)\r\nTension 12/8, examen clinique normal.\r\n";

}  // namespace

TEST_SUITE("mime base64")
{
    TEST_CASE("the encoder produces the RFC 4648 test vectors")
    {
        CHECK(encode("", 0) == "");
        CHECK(encode("f", 0) == "Zg==");
        CHECK(encode("fo", 0) == "Zm8=");
        CHECK(encode("foo", 0) == "Zm9v");
        CHECK(encode("foob", 0) == "Zm9vYg==");
        CHECK(encode("fooba", 0) == "Zm9vYmE=");
        CHECK(encode("foobar", 0) == "Zm9vYmFy");
        CHECK(encode("foobar") == "Zm9vYmFy\r\n");
        CHECK(encode("") == "");
    }

    TEST_CASE("the decoder reads the RFC 4648 test vectors")
    {
        CHECK(decode("") == "");
        CHECK(decode("Zg==") == "f");
        CHECK(decode("Zm8=") == "fo");
        CHECK(decode("Zm9v") == "foo");
        CHECK(decode("Zm9vYg==") == "foob");
        CHECK(decode("Zm9vYmE=") == "fooba");
        CHECK(decode("Zm9vYmFy") == "foobar");
    }

    TEST_CASE("encoded lines are 76 characters ending with CRLF, the last one shorter")
    {
        std::mt19937 rng(2047);
        const std::string data = mss_test::mime::random_bytes(rng, 1000);
        const std::string out = encode(data);
        CHECK(out.size() == base64_encoder::encoded_size(data.size()));
        const auto lines = mss_test::mime::split_crlf(out);
        REQUIRE(lines.size() >= 3);
        CHECK(lines.back().empty());  // ends with CRLF
        for (std::size_t i = 0; i + 2 < lines.size(); ++i)
            CHECK(lines[i].size() == 76);
        CHECK(lines[lines.size() - 2].size() <= 76);
        CHECK(decode(out) == data);
    }

    TEST_CASE("a line length that is not a multiple of four is rounded down")
    {
        const std::string out = encode("abcdefghijkl", 10);
        CHECK(out == "YWJjZGVm\r\nZ2hpamts\r\n");
        CHECK(out.size() == base64_encoder::encoded_size(12, 10));
        CHECK(encode("abc", 1) == "YWJj\r\n");
    }

    TEST_CASE("exactly full lines get no empty line at the end")
    {
        const std::string data(57, 'x');  // 57 bytes = 76 characters
        const std::string out = encode(data);
        CHECK(out.size() == 78);
        CHECK(out.substr(76) == "\r\n");
        CHECK(out.size() == base64_encoder::encoded_size(57));
    }

    TEST_CASE("encoding in chunks split at every position equals encoding in one piece")
    {
        std::mt19937 rng(1);
        const std::string data = mss_test::mime::random_bytes(rng, 160);
        const std::string expected = encode(data);
        for (std::size_t split = 0; split <= data.size(); ++split)
        {
            base64_encoder encoder;
            std::string out;
            encoder.encode(std::string_view(data).substr(0, split), out);
            encoder.encode(std::string_view(data).substr(split), out);
            encoder.finish(out);
            INFO("split at ", split);
            CHECK(out == expected);
        }
        base64_encoder encoder;
        std::string out;
        for (const char c : data)
            encoder.encode(std::string_view(&c, 1), out);
        encoder.finish(out);
        CHECK(out == expected);
    }

    TEST_CASE("decoding in chunks split at every position equals decoding in one piece")
    {
        const std::string encoded = encode(report);
        for (const bool lenient : {false, true})
        {
            for (std::size_t split = 0; split <= encoded.size(); ++split)
            {
                base64_decoder decoder(base64_decoder_options{.lenient = lenient});
                std::string out;
                REQUIRE_FALSE(decoder.decode(std::string_view(encoded).substr(0, split), out));
                REQUIRE_FALSE(decoder.decode(std::string_view(encoded).substr(split), out));
                REQUIRE_FALSE(decoder.finish(out));
                INFO("split at ", split);
                CHECK(out == report);
            }
            base64_decoder decoder(base64_decoder_options{.lenient = lenient});
            std::string out;
            CHECK_FALSE(decode_bytewise(decoder, encoded, out));
            CHECK(out == report);
            CHECK(decoder.offset() == encoded.size());
        }
    }

    TEST_CASE("random bytes survive encoder then decoder with random chunk sizes")
    {
        std::mt19937 rng(20240312);
        std::uniform_int_distribution<std::size_t> chunk(0, 40);
        for (std::size_t size = 0; size < 300; size += 7)
        {
            const std::string data = mss_test::mime::random_bytes(rng, size);
            base64_encoder encoder;
            std::string encoded;
            for (std::size_t pos = 0; pos < data.size();)
            {
                const std::size_t n = std::min(chunk(rng), data.size() - pos);
                encoder.encode(std::string_view(data).substr(pos, n), encoded);
                pos += n;
            }
            encoder.finish(encoded);
            base64_decoder decoder;
            std::string decoded;
            for (std::size_t pos = 0; pos < encoded.size();)
            {
                const std::size_t n = std::min(chunk(rng), encoded.size() - pos);
                REQUIRE_FALSE(decoder.decode(std::string_view(encoded).substr(pos, n), decoded));
                pos += n;
            }
            REQUIRE_FALSE(decoder.finish(decoded));
            INFO("size ", size);
            CHECK(decoded == data);
        }
    }

    TEST_CASE("line breaks, spaces and tabs are skipped in both modes")
    {
        CHECK(decode("Zm9v\r\nYmFy\r\n") == "foobar");
        CHECK(decode(" Zm 9v\tYm\nFy ") == "foobar");
        CHECK(decode("Zm9vYg=\r\n=") == "foob");
    }

    TEST_CASE("strict decoding reports a foreign character with its offset across chunks")
    {
        base64_decoder decoder;
        std::string out;
        CHECK_FALSE(decoder.decode("Zm9v\r\n", out));
        CHECK(decoder.decode("Ym!Fy", out) == errc::bad_base64);
        CHECK(decoder.offset() == 8);
        CHECK(out == "foo");
        // The error is sticky.
        CHECK(decoder.decode("Zm9v", out) == errc::bad_base64);
        CHECK(decoder.finish(out) == errc::bad_base64);
        decoder.reset();
        out.clear();
        CHECK_FALSE(decoder.decode("Zm9v", out));
        CHECK(out == "foo");

        base64_decoder bytewise;
        std::string out2;
        CHECK(decode_bytewise(bytewise, "Zm9vYmFy\r\nZm9v*A==", out2) == errc::bad_base64);
        CHECK(bytewise.offset() == 14);
    }

    TEST_CASE("lenient decoding skips foreign characters")
    {
        CHECK(decode("Zm9v!Ym-Fy.", true) == "foobar");
        CHECK(decode("Z=m9v", true) == "foo");  // an '=' that closes nothing is noise
    }

    TEST_CASE("data after the final padding is an error when strict and a new group when lenient")
    {
        base64_decoder strict;
        std::string out;
        CHECK(strict.decode("Zg==Zg==", out) == errc::bad_base64);
        CHECK(strict.offset() == 4);
        CHECK(out == "f");
        CHECK(decode("Zg==Zg==", true) == "ff");
        CHECK(decode("Zg=Zm8=", true) == "ffo");

        base64_decoder extra_padding;
        out.clear();
        CHECK(extra_padding.decode("Zm8==", out) == errc::bad_base64);
        CHECK(extra_padding.offset() == 4);
    }

    TEST_CASE("misplaced padding is an error when strict")
    {
        base64_decoder decoder;
        std::string out;
        CHECK(decoder.decode("Z===", out) == errc::bad_base64);
        CHECK(decoder.offset() == 1);
        base64_decoder first;
        CHECK(first.decode("=Zm9v", out) == errc::bad_base64);
        CHECK(first.offset() == 0);
    }

    TEST_CASE("finish reports input truncated inside a group")
    {
        SUBCASE("one dangling character loses a byte in both modes")
        {
            for (const bool lenient : {false, true})
            {
                base64_decoder decoder(base64_decoder_options{.lenient = lenient});
                std::string out;
                CHECK_FALSE(decoder.decode("Zm9vY", out));
                CHECK(decoder.finish(out) == errc::truncated_base64);
                CHECK(out == "foo");
                CHECK(decoder.offset() == 5);
            }
        }
        SUBCASE("missing padding keeps the recoverable bytes and fails only when strict")
        {
            base64_decoder strict;
            std::string out;
            CHECK_FALSE(strict.decode("Zm9vYg", out));
            CHECK(strict.finish(out) == errc::truncated_base64);
            CHECK(out == "foob");
            CHECK(decode("Zm9vYmE", true) == "fooba");
            CHECK(decode("Zm9vYg", true) == "foob");
        }
        SUBCASE("a single '=' where two are due")
        {
            base64_decoder strict;
            std::string out;
            CHECK_FALSE(strict.decode("Zg=", out));
            CHECK(strict.finish(out) == errc::truncated_base64);
            CHECK(out == "f");
            CHECK(decode("Zg=", true) == "f");
        }
    }

    TEST_CASE("decoding appends to what the output already holds")
    {
        std::string out = "prefix:";
        base64_decoder decoder;
        CHECK_FALSE(decoder.decode("Zm9v", out));
        CHECK_FALSE(decoder.finish(out));
        CHECK(out == "prefix:foo");
        base64_encoder encoder;
        encoder.encode("foo", out);
        encoder.finish(out);
        CHECK(out == "prefix:fooZm9v\r\n");
    }

    TEST_CASE("an unbroken encoding has no line breaks at all")
    {
        const std::string data(200, '\xE9');
        const std::string out = encode(data, 0);
        CHECK(out.find('\r') == std::string::npos);
        CHECK(out.size() == base64_encoder::encoded_size(200, 0));
        CHECK(decode(out) == data);
    }
}
