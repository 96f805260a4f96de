// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/errc.hpp>

#include <doctest/doctest.h>

#include <string>

using mss::mime::errc;

TEST_SUITE("mime errc")
{
    TEST_CASE("mime error codes convert implicitly and belong to the mss.mime category")
    {
        const boost::system::error_code ec = errc::bad_base64;
        CHECK(ec.category() == mss::mime::mime_category());
        CHECK(std::string(ec.category().name()) == "mss.mime");
        CHECK(ec == mss::mime::make_error_code(errc::bad_base64));
        CHECK(ec != mss::mime::make_error_code(errc::bad_quoted_printable));
    }

    TEST_CASE("every mime error has its own message")
    {
        for (int v = static_cast<int>(errc::bad_base64); v <= static_cast<int>(errc::limit_exceeded); ++v)
        {
            const std::string message = mss::mime::make_error_code(static_cast<errc>(v)).message();
            INFO("value ", v);
            CHECK_FALSE(message.empty());
            CHECK(message.find("unknown mss.mime") == std::string::npos);
        }
        CHECK(mss::mime::mime_category().message(0) == "unknown mss.mime error");
    }
}
