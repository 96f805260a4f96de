// SPDX-License-Identifier: Apache-2.0
// All identities below are synthetic.
#include <mss/error.hpp>
#include <mss/smtp/command.hpp>
#include <mss/smtp/errc.hpp>

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

using namespace mss::smtp;
using namespace std::string_literals;

namespace
{

const std::string prefix = "NOOP\r\n";  // what the buffer held before: must survive a refusal

// The dangerous bytes every argument is tried with.
const std::vector<std::string> injections = {"\r\n", "\n", "\r", std::string(1, '\0'),
                                             "\r\nRCPT TO:<x@y.example>"};

// Calls `write` with each injection spliced into a valid argument; each must be refused with
// invalid_argument and leave the buffer untouched.
void check_refuses_injection(
    const std::function<boost::system::error_code(std::string&, const std::string&)>& write)
{
    for (const auto& bad : injections)
    {
        for (const std::string_view where : {"start", "middle", "end"})
        {
            std::string arg = where == "start"    ? bad + "dr.martin@hopital.example"
                              : where == "middle" ? "dr.martin" + bad + "@hopital.example"
                                                  : "dr.martin@hopital.example" + bad;
            std::string out = prefix;
            INFO("where: ", std::string(where));
            CHECK(write(out, arg) == mss::errc::invalid_argument);
            CHECK(out == prefix);
        }
    }
}

mail_parameters mail_with(body_type body, dsn_return ret)
{
    mail_parameters p;
    p.body = body;
    p.ret = ret;
    return p;
}

mail_parameters mail_envid(std::string_view envid)
{
    mail_parameters p;
    p.envid = envid;
    return p;
}

mail_parameters mail_utf8()
{
    mail_parameters p;
    p.smtputf8 = true;
    return p;
}

rcpt_parameters rcpt_with(dsn_notify notify, std::string_view original = {})
{
    rcpt_parameters p;
    p.notify = notify;
    p.original_recipient = original;
    return p;
}

template <class T>
boost::system::error_code code_of(const boost::system::result<T>& r)
{
    return r ? boost::system::error_code() : r.error();
}

}  // namespace

TEST_SUITE("smtp commands")
{
    TEST_CASE("the commands without arguments are written with CRLF")
    {
        std::string out;
        write_starttls(out);
        write_auth_login(out);
        write_data(out);
        write_rset(out);
        write_noop(out);
        write_quit(out);
        CHECK(out == "STARTTLS\r\nAUTH LOGIN\r\nDATA\r\nRSET\r\nNOOP\r\nQUIT\r\n");
    }

    TEST_CASE("EHLO takes a host name or an address literal and nothing else")
    {
        std::string out;
        CHECK_FALSE(write_ehlo(out, "poste-12.cabinet.example"));
        CHECK_FALSE(write_ehlo(out, "[192.0.2.1]"));
        CHECK(out == "EHLO poste-12.cabinet.example\r\nEHLO [192.0.2.1]\r\n");
        for (std::string_view bad : {""s, "two words"s, "caf\xc3\xa9.example"s, std::string(256, 'a')})
        {
            std::string o = prefix;
            CHECK(write_ehlo(o, bad) == mss::errc::invalid_argument);
            CHECK(o == prefix);
        }
        check_refuses_injection([](std::string& o, const std::string& a) { return write_ehlo(o, a); });
    }

    TEST_CASE("AUTH PLAIN sends base64 of NUL user NUL password and marks it secret")
    {
        std::string out = prefix;
        auto secret = write_auth_plain(out, "dr.martin@hopital.example", "s3cret!");
        REQUIRE(secret.has_value());
        CHECK(out == prefix + "AUTH PLAIN AGRyLm1hcnRpbkBob3BpdGFsLmV4YW1wbGUAczNjcmV0IQ==\r\n");
        CHECK(out.substr(secret->offset, secret->length) ==
              "AGRyLm1hcnRpbkBob3BpdGFsLmV4YW1wbGUAczNjcmV0IQ==");
        CHECK(secret->offset == prefix.size() + 11);
    }

    TEST_CASE("AUTH PLAIN refuses empty credentials and CR, LF or NUL in either")
    {
        std::string out = prefix;
        CHECK(code_of(write_auth_plain(out, "", "x")) == mss::errc::invalid_argument);
        CHECK(code_of(write_auth_plain(out, "u", "")) == mss::errc::invalid_argument);
        CHECK(out == prefix);
        check_refuses_injection([](std::string& o, const std::string& a)
                                { return code_of(write_auth_plain(o, a, "pw")); });
        check_refuses_injection([](std::string& o, const std::string& a)
                                { return code_of(write_auth_plain(o, "u", a)); });
    }

    TEST_CASE("AUTH LOGIN responses are base64 lines marked secret")
    {
        std::string out;
        write_auth_login(out);
        auto user = write_sasl_response(out, "dr.martin@hopital.example");
        auto password = write_sasl_response(out, "s3cret!");
        REQUIRE(user.has_value());
        REQUIRE(password.has_value());
        CHECK(out == "AUTH LOGIN\r\nZHIubWFydGluQGhvcGl0YWwuZXhhbXBsZQ==\r\nczNjcmV0IQ==\r\n");
        CHECK(out.substr(user->offset, user->length) == "ZHIubWFydGluQGhvcGl0YWwuZXhhbXBsZQ==");
        CHECK(out.substr(password->offset, password->length) == "czNjcmV0IQ==");
        check_refuses_injection([](std::string& o, const std::string& a)
                                { return code_of(write_sasl_response(o, a)); });
    }

    TEST_CASE("an empty SASL response is an empty line")
    {
        std::string out;
        auto secret = write_sasl_response(out, "");
        REQUIRE(secret.has_value());
        CHECK(out == "\r\n");
        CHECK(secret->length == 0);
    }

    TEST_CASE("AUTH XOAUTH2 encodes user and bearer token as Google documents it")
    {
        std::string out;
        auto secret =
            write_auth_xoauth2(out, "someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg");
        REQUIRE(secret.has_value());
        const std::string b64 =
            "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJo"
            "ZG1semRHRXVZMjl0Q2cBAQ==";
        CHECK(out == "AUTH XOAUTH2 " + b64 + "\r\n");
        CHECK(out.substr(secret->offset, secret->length) == b64);
    }

    TEST_CASE("AUTH XOAUTH2 refuses the separator byte, spaces in the token and injections")
    {
        std::string out = prefix;
        CHECK(code_of(write_auth_xoauth2(out,
                                         "a\x01"
                                         "b@x.example",
                                         "tok")) == mss::errc::invalid_argument);
        CHECK(code_of(write_auth_xoauth2(out, "a@x.example", "to\x01k")) == mss::errc::invalid_argument);
        CHECK(code_of(write_auth_xoauth2(out, "a@x.example", "to k")) == mss::errc::invalid_argument);
        CHECK(code_of(write_auth_xoauth2(out, "a@x.example", "")) == mss::errc::invalid_argument);
        CHECK(out == prefix);
        check_refuses_injection([](std::string& o, const std::string& a)
                                { return code_of(write_auth_xoauth2(o, a, "t")); });
        check_refuses_injection([](std::string& o, const std::string& a)
                                { return code_of(write_auth_xoauth2(o, "u", a)); });
    }

    TEST_CASE("AUTH EXTERNAL sends = or the base64 authorisation identity")
    {
        std::string out;
        CHECK_FALSE(write_auth_external(out));
        CHECK_FALSE(write_auth_external(out, "dr.martin@hopital.example"));
        CHECK(out == "AUTH EXTERNAL =\r\nAUTH EXTERNAL ZHIubWFydGluQGhvcGl0YWwuZXhhbXBsZQ==\r\n");
        check_refuses_injection([](std::string& o, const std::string& a)
                                { return write_auth_external(o, a); });
    }

    TEST_CASE("MAIL FROM writes the canonical address and every parameter")
    {
        std::string out;
        CHECK_FALSE(write_mail_from(out, "Dr.Martin@HOPITAL.example"));
        CHECK(out == "MAIL FROM:<Dr.Martin@hopital.example>\r\n");

        out.clear();
        mail_parameters p;
        p.size = 1234;
        p.body = body_type::eight_bit_mime;
        p.smtputf8 = true;
        p.ret = dsn_return::headers;
        p.envid = "QQ+=x y";
        CHECK_FALSE(write_mail_from(out, "dr.martin@hopital.example", p));
        CHECK(out ==
              "MAIL FROM:<dr.martin@hopital.example> SIZE=1234 BODY=8BITMIME SMTPUTF8 RET=HDRS "
              "ENVID=QQ+2B+3Dx+20y\r\n");

        out.clear();
        CHECK_FALSE(write_mail_from(out, "a@b.example", mail_with(body_type::seven_bit, dsn_return::full)));
        CHECK(out == "MAIL FROM:<a@b.example> BODY=7BIT RET=FULL\r\n");
    }

    TEST_CASE("MAIL FROM with an empty sender is the null reverse-path")
    {
        std::string out;
        CHECK_FALSE(write_mail_from(out, ""));
        CHECK(out == "MAIL FROM:<>\r\n");
    }

    TEST_CASE("MAIL FROM writes IDN domains as A-labels")
    {
        std::string out;
        CHECK_FALSE(write_mail_from(out, "jean@h\xc3\xb4pital.example"));
        CHECK(out == "MAIL FROM:<jean@xn--hpital-ixa.example>\r\n");
    }

    TEST_CASE("MAIL FROM with a UTF-8 local part needs SMTPUTF8")
    {
        std::string out = prefix;
        CHECK(write_mail_from(out, "ren\xc3\xa9@hopital.example") == errc::smtputf8_required);
        CHECK(out == prefix);
        CHECK_FALSE(write_mail_from(out, "ren\xc3\xa9@hopital.example", mail_utf8()));
        CHECK(out == prefix + "MAIL FROM:<ren\xc3\xa9@hopital.example> SMTPUTF8\r\n");
    }

    TEST_CASE("MAIL FROM refuses bad addresses, bad ENVIDs and injections")
    {
        std::string out = prefix;
        CHECK(write_mail_from(out, "not an address") == mss::errc::invalid_argument);
        CHECK(write_mail_from(out, "a@b.example> SIZE=1") == mss::errc::invalid_argument);
        CHECK(write_mail_from(out, "a@b.example", mail_envid(std::string(101, 'x'))) ==
              mss::errc::invalid_argument);
        CHECK(write_mail_from(out, "a@b.example", mail_envid("caf\xc3\xa9")) == mss::errc::invalid_argument);
        CHECK(out == prefix);
        check_refuses_injection([](std::string& o, const std::string& a) { return write_mail_from(o, a); });
        check_refuses_injection([](std::string& o, const std::string& a)
                                { return write_mail_from(o, "a@b.example", mail_envid(a)); });
    }

    TEST_CASE("RCPT TO writes NOTIFY and ORCPT")
    {
        std::string out;
        CHECK_FALSE(write_rcpt_to(out, "dr.durand@clinique.example"));
        CHECK_FALSE(write_rcpt_to(out, "dr.durand@clinique.example",
                                  rcpt_with(dsn_notify::success | dsn_notify::failure | dsn_notify::delay,
                                            "Dr.Durand+cardio@clinique.example")));
        CHECK_FALSE(write_rcpt_to(out, "dr.durand@clinique.example", rcpt_with(dsn_notify::never)));
        CHECK_FALSE(write_rcpt_to(out, "dr.durand@clinique.example", rcpt_with(dsn_notify::delay)));
        CHECK(out ==
              "RCPT TO:<dr.durand@clinique.example>\r\n"
              "RCPT TO:<dr.durand@clinique.example> NOTIFY=SUCCESS,FAILURE,DELAY "
              "ORCPT=rfc822;Dr.Durand+2Bcardio@clinique.example\r\n"
              "RCPT TO:<dr.durand@clinique.example> NOTIFY=NEVER\r\n"
              "RCPT TO:<dr.durand@clinique.example> NOTIFY=DELAY\r\n");
    }

    TEST_CASE("RCPT TO refuses NEVER with other flags, undefined flags, bad addresses and injections")
    {
        std::string out = prefix;
        CHECK(write_rcpt_to(out, "a@b.example", rcpt_with(dsn_notify::never | dsn_notify::success)) ==
              mss::errc::invalid_argument);
        CHECK(write_rcpt_to(out, "a@b.example", rcpt_with(static_cast<dsn_notify>(16))) ==
              mss::errc::invalid_argument);
        CHECK(write_rcpt_to(out, "a@b", {}) == mss::errc::invalid_argument);
        CHECK(write_rcpt_to(out, "a@b.example", rcpt_with(dsn_notify::none, "nope")) ==
              mss::errc::invalid_argument);
        CHECK(write_rcpt_to(out, "a@b.example", rcpt_with(dsn_notify::none, "ren\xc3\xa9@b.example")) ==
              mss::errc::invalid_argument);
        CHECK(out == prefix);
        check_refuses_injection([](std::string& o, const std::string& a) { return write_rcpt_to(o, a); });
        check_refuses_injection([](std::string& o, const std::string& a)
                                { return write_rcpt_to(o, "a@b.example", rcpt_with(dsn_notify::none, a)); });
    }
}
