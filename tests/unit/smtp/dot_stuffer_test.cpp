// SPDX-License-Identifier: Apache-2.0
#include <mss/smtp/dot_stuffer.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using mss::smtp::dot_stuffer;

namespace
{

std::string encode(const std::vector<std::string_view>& chunks)
{
    dot_stuffer s;
    std::string out;
    for (auto c : chunks) s.write(c, out);
    s.finish(out);
    return out;
}

// Every way to cut `message` in two and in three pieces, plus byte by byte, must give `expected`.
void check_every_split(std::string_view message, std::string_view expected)
{
    INFO("message: ", std::string(message));
    CHECK(encode({message}) == expected);
    for (std::size_t i = 0; i <= message.size(); ++i)
    {
        INFO("cut at ", i);
        REQUIRE(encode({message.substr(0, i), message.substr(i)}) == expected);
        for (std::size_t j = i; j <= message.size(); ++j)
        {
            INFO("second cut at ", j);
            REQUIRE(encode({message.substr(0, i), message.substr(i, j - i), message.substr(j)}) == expected);
        }
    }
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < message.size(); ++i) bytes.push_back(message.substr(i, 1));
    CHECK(encode(bytes) == expected);
}

}  // namespace

TEST_SUITE("smtp dot stuffer")
{
    TEST_CASE("a dot at the start of any line is doubled wherever the chunks are cut")
    {
        check_every_split("Subject: CR\r\n\r\n.cach\xc3\xa9\r\n..deux\r\n.\r\nfin\r\n",
                          "Subject: CR\r\n\r\n..cach\xc3\xa9\r\n...deux\r\n..\r\nfin\r\n.\r\n");
    }

    TEST_CASE("a dot that does not start a line is left alone")
    {
        check_every_split("a.b\r\nc. .\r\n", "a.b\r\nc. .\r\n.\r\n");
    }

    TEST_CASE("a dot on the very first line is doubled")
    {
        check_every_split(".\n", "..\r\n.\r\n");
    }

    TEST_CASE("bare LF and bare CR become CRLF")
    {
        check_every_split("a\nb\n", "a\r\nb\r\n.\r\n");
        check_every_split("a\rb", "a\r\nb\r\n.\r\n");
        check_every_split("a\r\r\nb\n\n.c", "a\r\n\r\nb\r\n\r\n..c\r\n.\r\n");
        check_every_split("x\n.\r.", "x\r\n..\r\n..\r\n.\r\n");
    }

    TEST_CASE("a CRLF is added before the terminator when the message does not end with one")
    {
        check_every_split("no newline", "no newline\r\n.\r\n");
        check_every_split("ends with CR\r", "ends with CR\r\n.\r\n");
        check_every_split("ends with CRLF\r\n", "ends with CRLF\r\n.\r\n");
    }

    TEST_CASE("an empty message is only the terminator")
    {
        CHECK(encode({}) == ".\r\n");
        CHECK(encode({"", ""}) == ".\r\n");
    }

    TEST_CASE("the stuffer starts a new message after finish")
    {
        dot_stuffer s;
        std::string out;
        s.write("one", out);
        s.finish(out);
        s.write(".two", out);
        s.finish(out);
        CHECK(out == "one\r\n.\r\n..two\r\n.\r\n");
    }
}
