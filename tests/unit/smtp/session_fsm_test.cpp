// SPDX-License-Identifier: Apache-2.0
// All identities below are synthetic.
#include <mss/error.hpp>
#include <mss/smtp/errc.hpp>
#include <mss/smtp/submission.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "fsm_script.hpp"

using namespace mss::smtp;
using mss::sansio::action;
using smtp_test::describe;
using smtp_test::read_mode;
using smtp_test::transcript;

namespace
{

constexpr std::string_view greeting = "S: 220 mail.hopital.example ESMTP Postfix (Debian/GNU)\n";
constexpr std::string_view ehlo = "C: EHLO poste-12.cabinet.example\n";
// The project's Postfix sandbox, before and after STARTTLS.
constexpr std::string_view ehlo_clear =
    "S: 250-localhost\nS: 250-PIPELINING\nS: 250-SIZE 52428800\nS: 250-ETRN\nS: 250-STARTTLS\n"
    "S: 250-ENHANCEDSTATUSCODES\nS: 250-8BITMIME\nS: 250-DSN\nS: 250-SMTPUTF8\nS: 250 CHUNKING\n";
constexpr std::string_view ehlo_tls =
    "S: 250-localhost\nS: 250-PIPELINING\nS: 250-SIZE 52428800\nS: 250-ETRN\nS: 250-AUTH PLAIN LOGIN\n"
    "S: 250-ENHANCEDSTATUSCODES\nS: 250-8BITMIME\nS: 250-DSN\nS: 250-SMTPUTF8\nS: 250 CHUNKING\n";
// An operator offering XOAUTH2 (Pro Santé Connect tokens).
constexpr std::string_view ehlo_tls_oauth =
    "S: 250-smtp.operateur.example\nS: 250-PIPELINING\nS: 250-AUTH XOAUTH2 PLAIN\nS: 250 "
    "ENHANCEDSTATUSCODES\n";

// Everything up to the EHLO under TLS, for a STARTTLS session.
std::string up_to_tls_ehlo()
{
    return std::string(greeting) + std::string(ehlo) + std::string(ehlo_clear) +
           "C: STARTTLS\nS: 220 2.0.0 Ready to start TLS\nTLS\n" + std::string(ehlo);
}

const std::string plain_b64 = "AGRyLm1hcnRpbkBob3BpdGFsLmV4YW1wbGUAczNjcmV0IQ==";  // \0dr.martin@...\0s3cret!

session_params password_params()
{
    session_params p;
    p.ehlo_domain = "poste-12.cabinet.example";
    p.auth.user = "dr.martin@hopital.example";
    p.auth.secret = "s3cret!";
    return p;
}

session_params token_params(tls_mode tls)
{
    session_params p;
    p.ehlo_domain = "poste-12.cabinet.example";
    p.tls = tls;
    p.auth.user = "dr.martin@hopital.example";
    p.auth.secret = "eyJhbGciOiJSUzI1NiJ9.psc-token.sig";
    p.auth.kind = secret_kind::bearer_token;
    return p;
}

transcript happy_starttls_plain()
{
    return transcript::parse(up_to_tls_ehlo() + std::string(ehlo_tls) + "C: AUTH PLAIN " + plain_b64 +
                             "\nS: 235 2.7.0 Authentication successful\n");
}

// Neither message of the diagnostics may hold the password or its encodings.
void check_no_secret(const mss::diagnostics& diag)
{
    for (const std::string& m : {diag.client_message(), diag.server_message()})
    {
        CHECK(m.find("s3cret") == std::string::npos);
        CHECK(m.find(plain_b64) == std::string::npos);
        CHECK(m.find("czNjcmV0IQ") == std::string::npos);
        CHECK(m.find("psc-token") == std::string::npos);
    }
}

}  // namespace

TEST_SUITE("smtp session fsm")
{
    TEST_CASE("STARTTLS then AUTH PLAIN opens a session on the Postfix sandbox")
    {
        for (auto mode : {read_mode::whole, read_mode::byte_by_byte})
        {
            session_fsm fsm(password_params());
            smtp_test::run(fsm, happy_starttls_plain(), {}, mode);
            CHECK(fsm.ready());
            CHECK(fsm.used_mechanism() == auth_mechanism::plain);
            // The capabilities are those read under TLS.
            CHECK_FALSE(fsm.server_capabilities().starttls);
            CHECK(fsm.server_capabilities().offers_auth("PLAIN"));
            CHECK(fsm.server_capabilities().pipelining);
            CHECK(fsm.diag().client_message().empty());
        }
    }

    TEST_CASE("the AUTH PLAIN write marks its credential bytes as secret")
    {
        session_fsm fsm(password_params());
        const auto t = happy_starttls_plain();
        const action act = smtp_test::drive(fsm, t, 8);
        REQUIRE(act.type() == action::kind::write);
        REQUIRE(fsm.secrets().size() == 1);
        const auto s = fsm.secrets()[0];
        CHECK(act.bytes().substr(s.offset, s.length) == plain_b64);
        // The other writes carry no secret.
        fsm.resume({}, {});
        CHECK(fsm.secrets().empty());
    }

    TEST_CASE("an I/O error at any step of the STARTTLS session ends it with that error")
    {
        smtp_test::check_io_errors([] { return session_fsm(password_params()); }, happy_starttls_plain());
    }

    TEST_CASE("a server that does not offer STARTTLS gets nothing after EHLO")
    {
        // What an attacker stripping STARTTLS would show: AUTH offered in clear.
        const auto t = transcript::parse(std::string(greeting) + std::string(ehlo) + std::string(ehlo_tls));
        session_fsm fsm(password_params());
        smtp_test::run(fsm, t, mss::errc::starttls_not_offered);
        CHECK_FALSE(fsm.ready());
        CHECK_FALSE(fsm.diag().client_message().empty());
    }

    TEST_CASE("bytes after the 220 of STARTTLS in the same read are an injection")
    {
        const auto t =
            transcript::parse(std::string(greeting) + std::string(ehlo) + std::string(ehlo_clear) + R"(
            C: STARTTLS
            S: 220 2.0.0 Ready to start TLS
            S: 250-injected
            S: 250 AUTH PLAIN
        )");
        session_fsm fsm(password_params());
        smtp_test::run(fsm, t, mss::errc::starttls_injection);
        check_no_secret(fsm.diag());
    }

    TEST_CASE("even a partial line after the 220 of STARTTLS is an injection")
    {
        auto t = transcript::parse(std::string(greeting) + std::string(ehlo) + std::string(ehlo_clear) +
                                   "C: STARTTLS\n");
        t.then_read("220 2.0.0 Ready to start TLS\r\nRS");
        session_fsm fsm(password_params());
        smtp_test::run(fsm, t, mss::errc::starttls_injection);
    }

    TEST_CASE("implicit TLS goes from the greeting to EHLO and AUTH without STARTTLS")
    {
        auto p = password_params();
        p.tls = tls_mode::implicit;
        const auto t =
            transcript::parse(std::string(greeting) + std::string(ehlo) + std::string(ehlo_tls) +
                              "C: AUTH PLAIN " + plain_b64 + "\nS: 235 2.7.0 Authentication successful\n");
        session_fsm fsm(p);
        smtp_test::run(fsm, t, {});
        CHECK(fsm.ready());
    }

    TEST_CASE("a refused password ends with auth_failed and keeps the credentials out of the diagnostics")
    {
        const auto t =
            transcript::parse(up_to_tls_ehlo() + std::string(ehlo_tls) + "C: AUTH PLAIN " + plain_b64 +
                              "\nS: 535 5.7.8 Error: authentication failed: authentication failure\n");
        session_fsm fsm(password_params());
        smtp_test::run(fsm, t, errc::auth_failed);
        CHECK_FALSE(fsm.ready());
        REQUIRE(fsm.failed_reply());
        CHECK(fsm.failed_reply()->code() == 535);
        CHECK(fsm.diag().client_message().find("535 5.7.8") != std::string::npos);
        CHECK(fsm.diag().server_message() == "Error: authentication failed: authentication failure");
        check_no_secret(fsm.diag());
        CHECK(mss::smtp::is_permanent(errc::auth_failed));
    }

    TEST_CASE("a temporary AUTH failure is a transient reply error")
    {
        const auto t = transcript::parse(up_to_tls_ehlo() + std::string(ehlo_tls) + "C: AUTH PLAIN " +
                                         plain_b64 + "\nS: 454 4.7.0 Temporary authentication failure\n");
        session_fsm fsm(password_params());
        smtp_test::run(fsm, t, make_reply_error_code(454));
        CHECK(is_transient(make_reply_error_code(454)));
    }

    TEST_CASE("a mechanism the server refuses as unsupported is unavailable")
    {
        const auto t = transcript::parse(up_to_tls_ehlo() + std::string(ehlo_tls) + "C: AUTH PLAIN " +
                                         plain_b64 + "\nS: 504 5.5.4 Unrecognized authentication type\n");
        session_fsm fsm(password_params());
        smtp_test::run(fsm, t, errc::auth_mechanism_unavailable);
    }

    TEST_CASE("XOAUTH2 with a bearer token opens a session")
    {
        auto p = token_params(tls_mode::implicit);
        p.auth.user = "someuser@example.com";
        p.auth.secret = "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg";
        // Google's documented example of the XOAUTH2 initial response.
        const std::string xoauth2 =
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJo"
            "ZG1semRHRXVZMjl0Q2cBAQ==";
        const auto t =
            transcript::parse(std::string(greeting) + std::string(ehlo) + std::string(ehlo_tls_oauth) +
                              "C: AUTH XOAUTH2 " + xoauth2 + "\nS: 235 2.7.0 Accepted\n");
        session_fsm fsm(p);
        smtp_test::run(fsm, t, {});
        CHECK(fsm.used_mechanism() == auth_mechanism::xoauth2);
    }

    TEST_CASE("an XOAUTH2 error challenge is answered with an empty line and ends with auth_failed")
    {
        auto p = token_params(tls_mode::implicit);
        session_fsm probe(p);
        // The AUTH line itself is checked by the command tests; here only its shape matters.
        auto t = transcript::parse(std::string(greeting) + std::string(ehlo) + std::string(ehlo_tls_oauth));
        std::string auth_line;
        {
            session_fsm first(p);
            const action act = smtp_test::drive(first, t, t.steps().size());
            REQUIRE(act.type() == action::kind::write);
            auth_line = std::string(act.bytes());
            CHECK(auth_line.rfind("AUTH XOAUTH2 ", 0) == 0);
        }
        t.expect_write(auth_line);
        t.then_read("334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJvcGVuaWQifQ==\r\n");
        t.expect_write("\r\n");
        t.then_read("535 5.7.8 Username and Password not accepted\r\n");
        smtp_test::run(probe, t, errc::auth_failed);
        CHECK(probe.diag().server_message().find(R"({"status":"401")") != std::string::npos);
        CHECK(probe.diag().server_message().find("not accepted") != std::string::npos);
        check_no_secret(probe.diag());

        smtp_test::check_io_errors([&] { return session_fsm(p); }, t);
    }

    TEST_CASE("a bearer token is never sent when the server lacks XOAUTH2")
    {
        const auto t = transcript::parse(up_to_tls_ehlo() + std::string(ehlo_tls));
        session_fsm fsm(token_params(tls_mode::starttls));
        smtp_test::run(fsm, t, errc::auth_mechanism_unavailable);
        check_no_secret(fsm.diag());
    }

    TEST_CASE("an explicit mechanism the server does not offer is unavailable")
    {
        auto p = password_params();
        p.auth.mechanism = auth_mechanism::external;
        const auto t = transcript::parse(up_to_tls_ehlo() + std::string(ehlo_tls));
        session_fsm fsm(p);
        smtp_test::run(fsm, t, errc::auth_mechanism_unavailable);
    }

    TEST_CASE("AUTH LOGIN sends user and password in two round trips, both marked secret")
    {
        auto p = password_params();
        p.auth.mechanism = auth_mechanism::login;
        const auto t = transcript::parse(up_to_tls_ehlo() + std::string(ehlo_tls) + R"(
            C: AUTH LOGIN
            S: 334 VXNlcm5hbWU6
            C: ZHIubWFydGluQGhvcGl0YWwuZXhhbXBsZQ==
            S: 334 UGFzc3dvcmQ6
            C: czNjcmV0IQ==
            S: 235 2.7.0 Authentication successful
        )");
        session_fsm fsm(p);
        smtp_test::run(fsm, t, {});
        CHECK(fsm.used_mechanism() == auth_mechanism::login);

        session_fsm step(p);
        action act = smtp_test::drive(step, t, 10);
        REQUIRE(act.type() == action::kind::write);
        REQUIRE(step.secrets().size() == 1);
        CHECK(act.bytes().substr(step.secrets()[0].offset, step.secrets()[0].length) ==
              "ZHIubWFydGluQGhvcGl0YWwuZXhhbXBsZQ==");

        smtp_test::check_io_errors([&] { return session_fsm(p); }, t);
    }

    TEST_CASE("automatic uses LOGIN for a password when PLAIN is not offered")
    {
        auto p = password_params();
        p.tls = tls_mode::implicit;
        const auto t = transcript::parse(std::string(greeting) + std::string(ehlo) + R"(
            S: 250-mx.example
            S: 250 AUTH LOGIN
            C: AUTH LOGIN
            S: 334 VXNlcm5hbWU6
            C: ZHIubWFydGluQGhvcGl0YWwuZXhhbXBsZQ==
            S: 334 UGFzc3dvcmQ6
            C: czNjcmV0IQ==
            S: 235 2.7.0 Authentication successful
        )");
        session_fsm fsm(p);
        smtp_test::run(fsm, t, {});
    }

    TEST_CASE("automatic with no secret uses EXTERNAL (client certificate)")
    {
        session_params p;
        p.ehlo_domain = "poste-12.cabinet.example";
        p.tls = tls_mode::implicit;
        const auto t = transcript::parse(std::string(greeting) + std::string(ehlo) + R"(
            S: 250-mx.example
            S: 250 AUTH EXTERNAL PLAIN
            C: AUTH EXTERNAL =
            S: 235 2.7.0 Authentication successful
        )");
        session_fsm fsm(p);
        smtp_test::run(fsm, t, {});
        CHECK(fsm.used_mechanism() == auth_mechanism::external);
    }

    TEST_CASE("mechanism none is ready right after the EHLO under TLS")
    {
        auto p = password_params();
        p.auth.mechanism = auth_mechanism::none;
        const auto t = transcript::parse(up_to_tls_ehlo() + std::string(ehlo_tls));
        session_fsm fsm(p);
        smtp_test::run(fsm, t, {});
        CHECK(fsm.ready());
        CHECK(fsm.used_mechanism() == auth_mechanism::none);
    }

    TEST_CASE("a greeting of 554 ends the session with that reply code")
    {
        const auto t = transcript::parse("S: 554 5.7.1 No SMTP service here\n");
        session_fsm fsm(password_params());
        smtp_test::run(fsm, t, make_reply_error_code(554));
        CHECK(fsm.diag().server_message() == "No SMTP service here");
        CHECK(fsm.diag().client_message().find("554 5.7.1") != std::string::npos);
    }

    TEST_CASE("EHLO and STARTTLS refusals end the session with their reply codes")
    {
        session_fsm refused_ehlo(password_params());
        smtp_test::run(
            refused_ehlo,
            transcript::parse(std::string(greeting) + std::string(ehlo) + "S: 550 5.7.1 Go away\n"),
            make_reply_error_code(550));

        session_fsm refused_tls(password_params());
        smtp_test::run(
            refused_tls,
            transcript::parse(std::string(greeting) + std::string(ehlo) + std::string(ehlo_clear) +
                              "C: STARTTLS\nS: 454 4.7.0 TLS not available due to local problem\n"),
            make_reply_error_code(454));
    }

    TEST_CASE("a reply with an unexpected code ends the session")
    {
        session_fsm fsm(password_params());
        smtp_test::run(fsm, transcript::parse("S: 250 hello\n"), mss::errc::unexpected_response);
        REQUIRE(fsm.failed_reply());
        CHECK(fsm.failed_reply()->code() == 250);
    }

    TEST_CASE("a malformed greeting ends the session with its position")
    {
        session_fsm fsm(password_params());
        auto t = transcript{};
        t.then_read("22O mail.hopital.example\r\n");
        smtp_test::run(fsm, t, mss::errc::malformed_response);
        REQUIRE(fsm.diag().position());
        CHECK(fsm.diag().position()->offset == 2);
    }

    TEST_CASE("a reply nobody asked for is refused before the next command")
    {
        const auto t = transcript::parse(std::string(greeting) + "S: 250 unsolicited\n");
        session_fsm fsm(password_params());
        smtp_test::run(fsm, t, mss::errc::unexpected_response);
    }

    TEST_CASE("an EHLO domain or credentials that cannot be sent fail before any I/O")
    {
        auto bad_domain = password_params();
        bad_domain.ehlo_domain = "poste\r\nMAIL FROM:<x@y.example>";
        session_fsm a(bad_domain);
        CHECK(describe(a.resume({}, {})) == describe(action::done(mss::errc::invalid_argument)));

        auto bad_password = password_params();
        bad_password.auth.secret = "pw\r\nRSET";
        session_fsm b(bad_password);
        CHECK(describe(b.resume({}, {})) == describe(action::done(mss::errc::invalid_argument)));
        check_no_secret(b.diag());

        auto bad_token = token_params(tls_mode::implicit);
        bad_token.auth.secret = "tok en";
        session_fsm c(bad_token);
        CHECK(describe(c.resume({}, {})) == describe(action::done(mss::errc::invalid_argument)));
    }

    TEST_CASE("an I/O error on the very first step ends the session")
    {
        session_fsm fsm(password_params());
        const auto ec = boost::system::errc::make_error_code(boost::system::errc::connection_refused);
        CHECK(describe(fsm.resume(ec, {})) == describe(action::done(ec)));
    }
}
