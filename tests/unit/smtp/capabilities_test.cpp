// SPDX-License-Identifier: Apache-2.0
#include <mss/smtp/capabilities.hpp>
#include <mss/smtp/reply_parser.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using mss::smtp::capabilities;
using mss::smtp::reply;

namespace
{

// What the project's Postfix sandbox answers to EHLO after STARTTLS, and before it.
constexpr std::string_view postfix_after_tls =
    "250-localhost\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-ETRN\r\n250-AUTH PLAIN LOGIN\r\n"
    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n";
constexpr std::string_view postfix_before_tls =
    "250-localhost\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-ETRN\r\n250-STARTTLS\r\n"
    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n";

reply parse(std::string_view text)
{
    mss::smtp::reply_parser parser;
    auto r = parser.feed(text);
    REQUIRE(r.parsed);
    REQUIRE(r.consumed == text.size());
    return *r.parsed;
}

}  // namespace

TEST_SUITE("smtp capabilities")
{
    TEST_CASE("Postfix after STARTTLS offers AUTH PLAIN and LOGIN and no STARTTLS")
    {
        const auto caps = capabilities::from_ehlo(parse(postfix_after_tls));
        CHECK(caps.server_name == "localhost");
        CHECK(caps.pipelining);
        CHECK(caps.size_declared);
        CHECK(caps.max_size == 52428800);
        CHECK(caps.eight_bit_mime);
        CHECK(caps.smtputf8);
        CHECK(caps.dsn);
        CHECK(caps.enhanced_status_codes);
        CHECK(caps.chunking);
        CHECK_FALSE(caps.binary_mime);
        CHECK_FALSE(caps.starttls);
        CHECK(caps.auth_mechanisms == std::vector<std::string>{"PLAIN", "LOGIN"});
        CHECK(caps.offers_auth("plain"));
        CHECK(caps.offers_auth("LOGIN"));
        CHECK_FALSE(caps.offers_auth("XOAUTH2"));
        CHECK(caps.other == std::vector<std::string>{"ETRN"});
    }

    TEST_CASE("Postfix before STARTTLS offers STARTTLS and no AUTH")
    {
        const auto caps = capabilities::from_ehlo(parse(postfix_before_tls));
        CHECK(caps.starttls);
        CHECK(caps.auth_mechanisms.empty());
        CHECK_FALSE(caps.offers_auth("PLAIN"));
        CHECK(caps.pipelining);
    }

    TEST_CASE("the SIZE limit is checked, and SIZE without a value means no announced limit")
    {
        const auto caps = capabilities::from_ehlo(parse(postfix_after_tls));
        CHECK(caps.accepts_size(52428800));
        CHECK_FALSE(caps.accepts_size(52428801));

        const auto no_value = capabilities::from_ehlo(reply(250, {"mx.example", "SIZE"}));
        CHECK(no_value.size_declared);
        CHECK(no_value.max_size == 0);
        CHECK(no_value.accepts_size(1ULL << 40));

        const auto garbage = capabilities::from_ehlo(reply(250, {"mx.example", "SIZE lots"}));
        CHECK(garbage.size_declared);
        CHECK(garbage.max_size == 0);

        const auto none = capabilities::from_ehlo(reply(250, {"mx.example"}));
        CHECK_FALSE(none.size_declared);
        CHECK(none.accepts_size(1ULL << 40));
    }

    TEST_CASE("keywords are case-insensitive and mechanisms are upper-cased without duplicates")
    {
        const auto caps =
            capabilities::from_ehlo(reply(250, {"mx.example greets you", "pipelining", "auth plain xoauth2",
                                                "AUTH=PLAIN LOGIN", "Binarymime", "starttls"}));
        CHECK(caps.server_name == "mx.example");
        CHECK(caps.pipelining);
        CHECK(caps.binary_mime);
        CHECK(caps.starttls);
        CHECK(caps.auth_mechanisms == std::vector<std::string>{"PLAIN", "XOAUTH2", "LOGIN"});
    }

    TEST_CASE("the old AUTH= form alone is understood")
    {
        const auto caps = capabilities::from_ehlo(reply(250, {"mx.example", "AUTH=LOGIN"}));
        CHECK(caps.auth_mechanisms == std::vector<std::string>{"LOGIN"});
    }

    TEST_CASE("unknown keywords are kept as received")
    {
        const auto caps =
            capabilities::from_ehlo(reply(250, {"mx.example", "VRFY", "XCLIENT NAME ADDR", "ETRN"}));
        CHECK(caps.other == std::vector<std::string>{"VRFY", "XCLIENT NAME ADDR", "ETRN"});
    }
}
