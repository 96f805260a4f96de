// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/smtp/errc.hpp>

#include <doctest/doctest.h>

#include <string>

using mss::smtp::errc;

TEST_SUITE("smtp errc")
{
    TEST_CASE("the SMTP categories have their names and every value has a message")
    {
        CHECK(std::string(mss::smtp::smtp_category().name()) == "mss.smtp");
        CHECK(std::string(mss::smtp::reply_category().name()) == "mss.smtp.reply");
        for (int v = 1; v <= static_cast<int>(errc::eight_bit_not_supported); ++v)
        {
            const auto ec = mss::smtp::make_error_code(static_cast<errc>(v));
            CHECK(ec.message().find("unknown") == std::string::npos);
        }
        CHECK(mss::smtp::make_reply_error_code(550).value() == 550);
        CHECK(mss::smtp::make_reply_error_code(550).message().find("mailbox unavailable") !=
              std::string::npos);
        CHECK(mss::smtp::make_reply_error_code(479).message().find("transient") != std::string::npos);
    }

    TEST_CASE("4yz replies are transient and 5yz replies permanent")
    {
        CHECK(mss::smtp::is_transient(mss::smtp::make_reply_error_code(452)));
        CHECK(mss::smtp::is_transient(mss::smtp::make_reply_error_code(421)));
        CHECK_FALSE(mss::smtp::is_permanent(mss::smtp::make_reply_error_code(452)));
        CHECK(mss::smtp::is_permanent(mss::smtp::make_reply_error_code(550)));
        CHECK_FALSE(mss::smtp::is_transient(mss::smtp::make_reply_error_code(550)));
    }

    TEST_CASE("named SMTP errors are permanent, except the refusal of every recipient which depends on each")
    {
        CHECK(mss::smtp::is_permanent(errc::auth_failed));
        CHECK(mss::smtp::is_permanent(errc::message_too_large));
        CHECK_FALSE(mss::smtp::is_transient(errc::auth_failed));
        CHECK_FALSE(mss::smtp::is_permanent(errc::all_recipients_refused));
        CHECK_FALSE(mss::smtp::is_transient(errc::all_recipients_refused));
    }

    TEST_CASE("success and errors of other layers are neither transient nor permanent")
    {
        CHECK_FALSE(mss::smtp::is_transient({}));
        CHECK_FALSE(mss::smtp::is_permanent({}));
        CHECK_FALSE(mss::smtp::is_transient(mss::errc::read_timeout));
        CHECK_FALSE(mss::smtp::is_permanent(mss::errc::malformed_response));
    }
}
