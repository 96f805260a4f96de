// SPDX-License-Identifier: Apache-2.0
#include <mss/diagnostics.hpp>
#include <mss/domain/errc.hpp>
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>
#include <mss/smtp/errc.hpp>

#include <doctest/doctest.h>

TEST_SUITE("error model")
{
    TEST_CASE("library and domain codes have their own categories and messages")
    {
        boost::system::error_code lib = mss::errc::starttls_not_offered;
        boost::system::error_code dom = mss::domain::errc::identifier_bad_key;
        CHECK(std::string(lib.category().name()) == "mss");
        CHECK(std::string(dom.category().name()) == "mss.domain");
        CHECK(lib.message().find("STARTTLS") != std::string::npos);
        CHECK(dom.message() == "identifier check key does not match");
        CHECK(lib != dom);
    }

    TEST_CASE("every enumerator has a message of its own")
    {
        for (int v = 1; v <= static_cast<int>(mss::errc::configuration_error); ++v)
            CHECK(mss::make_error_code(static_cast<mss::errc>(v)).message() != "unknown mss error");
        for (int v = 1; v <= static_cast<int>(mss::domain::errc::draft_item_not_found); ++v)
            CHECK(mss::domain::make_error_code(static_cast<mss::domain::errc>(v)).message() !=
                  "unknown mss.domain error");
    }

    TEST_CASE("is_fatal separates broken connections from refused commands")
    {
        CHECK_FALSE(mss::is_fatal({}));
        CHECK(mss::is_fatal(mss::errc::read_timeout));
        CHECK(mss::is_fatal(mss::errc::malformed_response));
        CHECK(mss::is_fatal(mss::errc::starttls_injection));
        CHECK(mss::is_fatal(boost::system::error_code(ECONNRESET, boost::system::system_category())));
        CHECK_FALSE(mss::is_fatal(mss::errc::operation_in_progress));
        CHECK_FALSE(mss::is_fatal(mss::errc::invalid_argument));
        CHECK_FALSE(mss::is_fatal(mss::domain::errc::address_bad_domain));
    }

    TEST_CASE("a server closing the connection is fatal: SMTP 421 and IMAP BYE, not other refusals")
    {
        CHECK(mss::is_fatal(mss::smtp::make_reply_error_code(421)));
        CHECK_FALSE(mss::is_fatal(mss::smtp::make_reply_error_code(450)));
        CHECK_FALSE(mss::is_fatal(mss::smtp::make_reply_error_code(550)));
        CHECK_FALSE(mss::is_fatal(mss::smtp::errc::all_recipients_refused));
        CHECK(mss::is_fatal(mss::imap::errc::bye));
        CHECK_FALSE(mss::is_fatal(mss::imap::errc::command_no));
    }

    TEST_CASE("diagnostics keep the library's and the server's text apart")
    {
        mss::diagnostics diag;
        diag.set_client_message("refused");
        diag.set_server_message("550 5.1.1 <dr.x@example.test>: unknown");
        diag.set_position({12, 2, 3});
        CHECK(diag.client_message() == "refused");
        CHECK(diag.server_message().find("550") == 0);
        CHECK(diag.position() == mss::input_position{12, 2, 3});
        diag.clear();
        CHECK(diag.client_message().empty());
        CHECK(diag.server_message().empty());
        CHECK_FALSE(diag.position().has_value());
    }
}

TEST_CASE("every domain error has a French message as well")
{
    for (int v = 1; v <= static_cast<int>(mss::domain::errc::draft_item_not_found); ++v)
        CHECK(std::string(mss::domain::message_fr(static_cast<mss::domain::errc>(v))) != "erreur inconnue");
    CHECK(std::string(mss::domain::message_fr(mss::domain::errc::link_code_expired)) ==
          "le code à usage unique a expiré (valable une heure)");
}
