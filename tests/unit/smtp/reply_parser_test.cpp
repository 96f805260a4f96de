// SPDX-License-Identifier: Apache-2.0
// All identities below are synthetic.
#include <mss/diagnostics.hpp>
#include <mss/error.hpp>
#include <mss/smtp/reply.hpp>
#include <mss/smtp/reply_parser.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using mss::smtp::enhanced_status_code;
using mss::smtp::reply;
using mss::smtp::reply_parser;
using mss::smtp::reply_parser_options;

namespace
{

// What a Postfix submission server answers over one session (STARTTLS, AUTH, one message to three
// recipients with one unknown, QUIT), as the project's sandbox does.
constexpr std::string_view postfix_session =
    "220 mail.hopital.example ESMTP Postfix (Debian/GNU)\r\n"
    "250-localhost\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-ETRN\r\n250-STARTTLS\r\n"
    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n"
    "220 2.0.0 Ready to start TLS\r\n"
    "250-localhost\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-ETRN\r\n250-AUTH PLAIN LOGIN\r\n"
    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n"
    "235 2.7.0 Authentication successful\r\n"
    "250 2.1.0 Ok\r\n"
    "250 2.1.5 Ok\r\n"
    "550 5.1.1 <inconnu@hopital.example>: Recipient address rejected: User unknown in virtual mailbox "
    "table\r\n"
    "250 2.1.5 Ok\r\n"
    "354 End data with <CR><LF>.<CR><LF>\r\n"
    "250 2.0.0 Ok: queued as 4XyZ12AbCd\r\n"
    "221 2.0.0 Bye\r\n";

std::vector<reply> postfix_replies()
{
    const std::vector<std::string> ehlo_clear = {
        "localhost",           "PIPELINING", "SIZE 52428800", "ETRN",     "STARTTLS",
        "ENHANCEDSTATUSCODES", "8BITMIME",   "DSN",           "SMTPUTF8", "CHUNKING"};
    const std::vector<std::string> ehlo_tls = {
        "localhost",           "PIPELINING", "SIZE 52428800", "ETRN",     "AUTH PLAIN LOGIN",
        "ENHANCEDSTATUSCODES", "8BITMIME",   "DSN",           "SMTPUTF8", "CHUNKING"};
    return {
        reply(220, {"mail.hopital.example ESMTP Postfix (Debian/GNU)"}),
        reply(250, ehlo_clear),
        reply(220, {"2.0.0 Ready to start TLS"}),
        reply(250, ehlo_tls),
        reply(235, {"2.7.0 Authentication successful"}),
        reply(250, {"2.1.0 Ok"}),
        reply(250, {"2.1.5 Ok"}),
        reply(550, {"5.1.1 <inconnu@hopital.example>: Recipient address rejected: User unknown in virtual "
                    "mailbox table"}),
        reply(250, {"2.1.5 Ok"}),
        reply(354, {"End data with <CR><LF>.<CR><LF>"}),
        reply(250, {"2.0.0 Ok: queued as 4XyZ12AbCd"}),
        reply(221, {"2.0.0 Bye"}),
    };
}

reply_parser_options lenient()
{
    reply_parser_options o;
    o.lenient = true;
    return o;
}

reply_parser_options max_line(std::size_t n)
{
    reply_parser_options o;
    o.max_line_length = n;
    return o;
}

reply_parser_options max_lines(std::size_t n)
{
    reply_parser_options o;
    o.max_lines = n;
    return o;
}

struct outcome
{
    std::vector<reply> replies;
    boost::system::error_code error;
    std::optional<mss::input_position> position;
};

// Feeds `input` cut at the given offsets (ascending), each piece until it is used up.
outcome parse_pieces(std::string_view input, const std::vector<std::size_t>& cuts,
                     reply_parser_options options = {})
{
    outcome out;
    reply_parser parser(options);
    mss::diagnostics diag;
    std::size_t start = 0;
    std::vector<std::size_t> ends = cuts;
    ends.push_back(input.size());
    for (std::size_t end : ends)
    {
        std::string_view piece = input.substr(start, end - start);
        start = end;
        while (!piece.empty())
        {
            auto r = parser.feed(piece, diag);
            REQUIRE(r.consumed <= piece.size());
            piece.remove_prefix(r.consumed);
            if (r.parsed)
                out.replies.push_back(std::move(*r.parsed));
            if (r.error)
            {
                out.error = r.error;
                out.position = diag.position();
                CHECK_FALSE(diag.client_message().empty());
                return out;
            }
        }
    }
    CHECK_FALSE(parser.has_buffered());
    return out;
}

outcome parse_whole(std::string_view input, reply_parser_options options = {})
{
    return parse_pieces(input, {}, options);
}

std::vector<std::size_t> every_byte(std::size_t n)
{
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < n; ++i) cuts.push_back(i);
    return cuts;
}

// Parses `input`, which must fail with `code` at `offset`; the same failure must come byte by byte.
void check_refused(std::string_view input, mss::errc code, std::size_t offset,
                   reply_parser_options options = {})
{
    INFO("input: ", std::string(input));
    for (const auto& o :
         {parse_whole(input, options), parse_pieces(input, every_byte(input.size()), options)})
    {
        CHECK(o.error == mss::make_error_code(code));
        REQUIRE(o.position.has_value());
        CHECK(o.position->offset == offset);
    }
}

}  // namespace

TEST_SUITE("smtp reply parser")
{
    TEST_CASE("a Postfix session parses into its twelve replies when fed at once")
    {
        const auto o = parse_whole(postfix_session);
        CHECK_FALSE(o.error);
        CHECK(o.replies == postfix_replies());
    }

    TEST_CASE("feeding byte by byte gives the same replies as feeding at once")
    {
        const auto o = parse_pieces(postfix_session, every_byte(postfix_session.size()));
        CHECK_FALSE(o.error);
        CHECK(o.replies == postfix_replies());
    }

    TEST_CASE("every two-piece split gives the same replies")
    {
        for (std::size_t cut = 0; cut <= postfix_session.size(); ++cut)
        {
            INFO("cut at ", cut);
            const auto o = parse_pieces(postfix_session, {cut});
            REQUIRE_FALSE(o.error);
            REQUIRE(o.replies == postfix_replies());
        }
    }

    TEST_CASE("random splits give the same replies")
    {
        std::mt19937 rng(20240517);
        for (int round = 0; round < 300; ++round)
        {
            std::uniform_int_distribution<std::size_t> pick(0, postfix_session.size());
            std::vector<std::size_t> cuts(std::uniform_int_distribution<std::size_t>(1, 40)(rng));
            for (auto& c : cuts) c = pick(rng);
            std::sort(cuts.begin(), cuts.end());
            INFO("round ", round);
            const auto o = parse_pieces(postfix_session, cuts);
            REQUIRE_FALSE(o.error);
            REQUIRE(o.replies == postfix_replies());
        }
    }

    TEST_CASE("feed stops at the end of the first reply and reports the bytes that follow")
    {
        reply_parser parser;
        constexpr std::string_view input = "220 2.0.0 Ready to start TLS\r\n250 injected\r\n";
        auto r = parser.feed(input);
        REQUIRE(r.parsed);
        CHECK(r.consumed == 30);
        CHECK(input.size() - r.consumed == 14);
        CHECK_FALSE(parser.has_buffered());
        CHECK(parser.offset() == 30);
    }

    TEST_CASE("an unfinished reply is buffered inside the parser")
    {
        reply_parser parser;
        CHECK_FALSE(parser.has_buffered());
        auto r = parser.feed("25");
        CHECK(r.consumed == 2);
        CHECK_FALSE(r.parsed);
        CHECK(parser.has_buffered());
        r = parser.feed("0-first\r\n");
        CHECK(r.consumed == 9);
        CHECK(parser.has_buffered());
        r = parser.feed("250 last\r");
        CHECK(parser.has_buffered());
        r = parser.feed("\n");
        REQUIRE(r.parsed);
        CHECK(*r.parsed == reply(250, {"first", "last"}));
        CHECK_FALSE(parser.has_buffered());
    }

    TEST_CASE("a last line without text is a reply with one empty line")
    {
        const auto o = parse_whole("250\r\n");
        REQUIRE(o.replies.size() == 1);
        CHECK(o.replies[0] == reply(250, {""}));
        CHECK(o.replies[0].lines().size() == 1);
    }

    TEST_CASE("bare LF line endings are refused when strict and accepted when lenient")
    {
        check_refused("250 ok\n", mss::errc::malformed_response, 6);
        check_refused("250\n", mss::errc::malformed_response, 3);
        const auto o = parse_whole("250-a\n250 b\r\n", lenient());
        CHECK_FALSE(o.error);
        REQUIRE(o.replies.size() == 1);
        CHECK(o.replies[0] == reply(250, {"a", "b"}));
        CHECK(parse_whole("250\n", lenient()).replies.size() == 1);
    }

    TEST_CASE("malformed replies are refused with the offset of the offending byte")
    {
        check_refused("25O ok\r\n", mss::errc::malformed_response, 2);
        check_refused("650 ok\r\n", mss::errc::malformed_response, 0);
        check_refused("150 ok\r\n", mss::errc::malformed_response, 0);
        check_refused("2\r\n", mss::errc::malformed_response, 1);
        check_refused("\r\n", mss::errc::malformed_response, 0);
        check_refused("250_ok\r\n", mss::errc::malformed_response, 3);
        check_refused("250 ok\rX", mss::errc::malformed_response, 7);
        check_refused(
            "250 a\x01"
            "b\r\n",
            mss::errc::malformed_response, 5);
        check_refused("270 ok\r\n", mss::errc::malformed_response, 1);
        // The code changes on the second line: reported at that line's start.
        check_refused("250-first\r\n251 second\r\n", mss::errc::malformed_response, 11);
        // An error in a later reply counts from the first byte ever fed.
        check_refused("220 hello\r\n250 ok\r\n25x\r\n", mss::errc::malformed_response, 21);
    }

    TEST_CASE("the position of an error has its line and column")
    {
        const auto o = parse_whole("250-a\r\n250-b\r\n250+c\r\n");
        REQUIRE(o.position);
        CHECK(*o.position == mss::input_position{17, 3, 4});
    }

    TEST_CASE("lenient mode accepts control characters and a second digit above 5")
    {
        const auto o = parse_whole(
            "270 a\x01"
            "b\r\n",
            lenient());
        CHECK_FALSE(o.error);
        REQUIRE(o.replies.size() == 1);
        CHECK(o.replies[0].code() == 270);
        CHECK(o.replies[0].lines()[0] ==
              "a\x01"
              "b");
    }

    TEST_CASE("UTF-8 in the text is accepted")
    {
        const auto o = parse_whole("550 5.1.1 <ren\xc3\xa9@h\xc3\xb4pital.example>: unknown\r\n");
        CHECK_FALSE(o.error);
        CHECK(o.replies.size() == 1);
    }

    TEST_CASE("a failed parser stays failed until reset")
    {
        reply_parser parser;
        auto r = parser.feed("abc\r\n");
        CHECK(r.error == mss::errc::malformed_response);
        r = parser.feed("250 ok\r\n");
        CHECK(r.error == mss::errc::malformed_response);
        CHECK(r.consumed == 0);
        CHECK_FALSE(r.parsed);
        parser.reset();
        r = parser.feed("250 ok\r\n");
        CHECK_FALSE(r.error);
        CHECK(r.parsed);
        CHECK(parser.offset() == 8);
    }

    TEST_CASE("a line longer than the limit is refused as soon as it exceeds it")
    {
        std::string line = "250 " + std::string(3000, 'x');
        check_refused(line, mss::errc::limit_exceeded, 2048);
        check_refused(line, mss::errc::limit_exceeded, 100, max_line(100));
        // Exactly at the limit is fine.
        const auto o = parse_whole("250 " + std::string(96, 'x') + "\r\n", max_line(100));
        CHECK_FALSE(o.error);
    }

    TEST_CASE("a server sending 250- lines forever fails at the line limit with bounded input")
    {
        reply_parser parser;
        mss::diagnostics diag;
        const std::string line = "250-" + std::string(100, 'x') + "\r\n";
        std::size_t lines = 0;
        boost::system::error_code ec;
        while (!ec && lines < 10000)
        {
            auto r = parser.feed(line, diag);
            CHECK_FALSE(r.parsed);
            ec = r.error;
            ++lines;
        }
        CHECK(ec == mss::errc::limit_exceeded);
        CHECK(lines == 512);
        REQUIRE(diag.position());
        CHECK(diag.position()->line == 512);
    }

    TEST_CASE("the line limit counts every line of a reply, and a reply at the limit is fine")
    {
        std::string ok;
        for (int i = 0; i < 3; ++i) ok += "250-x\r\n";
        ok += "250 y\r\n";
        CHECK_FALSE(parse_whole(ok, max_lines(4)).error);
        CHECK(parse_whole(ok, max_lines(3)).error == mss::errc::limit_exceeded);
    }
}

TEST_SUITE("smtp reply")
{
    TEST_CASE("enhanced status codes parse in their three forms and refuse everything else")
    {
        CHECK(enhanced_status_code::parse("5.1.1") == enhanced_status_code{5, 1, 1});
        CHECK(enhanced_status_code::parse("4.7.100") == enhanced_status_code{4, 7, 100});
        CHECK(enhanced_status_code::parse("2.0.0") == enhanced_status_code{2, 0, 0});
        for (std::string_view bad : {"", "5.1", "3.1.1", "5.1.1.", "5.1234.1", "5..1", "5.1.1 ", " 5.1.1",
                                     "x.1.1", "5.1.x", "51.1.1"})
        {
            INFO(std::string(bad));
            CHECK_FALSE(enhanced_status_code::parse(bad));
        }
        CHECK(enhanced_status_code{5, 7, 8}.str() == "5.7.8");
    }

    TEST_CASE("a reply takes the enhanced code of its first line and strips it from the text")
    {
        const reply r(550, {"5.1.1 <inconnu@hopital.example>: Recipient address rejected"});
        REQUIRE(r.enhanced_code());
        CHECK(*r.enhanced_code() == enhanced_status_code{5, 1, 1});
        CHECK(r.text() == "<inconnu@hopital.example>: Recipient address rejected");

        const reply multi(250, {"2.0.0 first", "2.0.0 second"});
        CHECK(multi.text() == "first\nsecond");

        const reply bare(250, {"2.1.0"});
        REQUIRE(bare.enhanced_code());
        CHECK(bare.text().empty());
    }

    TEST_CASE("an enhanced code whose class disagrees with the reply code is plain text")
    {
        const reply r(550, {"2.1.1 odd"});
        CHECK_FALSE(r.enhanced_code());
        CHECK(r.text() == "2.1.1 odd");
        CHECK_FALSE(reply(250, {"PIPELINING"}).enhanced_code());
        CHECK_FALSE(reply(220, {"mail.hopital.example ESMTP"}).enhanced_code());
    }

    TEST_CASE("the reply helpers follow the first digit")
    {
        CHECK(reply(250, {}).is_positive_completion());
        CHECK(reply(354, {}).is_intermediate());
        CHECK(reply(334, {}).is_intermediate());
        CHECK(reply(452, {}).is_transient_failure());
        CHECK(reply(452, {}).is_negative());
        CHECK(reply(550, {}).is_permanent_failure());
        CHECK(reply(550, {}).is_negative());
        CHECK_FALSE(reply(250, {}).is_negative());
        CHECK(reply(250, {}).lines().size() == 1);
    }
}
