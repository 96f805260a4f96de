// SPDX-License-Identifier: Apache-2.0
// All identities below are synthetic.
#include <mss/domain/email_address.hpp>
#include <mss/error.hpp>
#include <mss/smtp/dot_stuffer.hpp>
#include <mss/smtp/errc.hpp>
#include <mss/smtp/submission.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "fsm_script.hpp"

using namespace mss::smtp;
using mss::domain::email_address;
using mss::sansio::action;
using smtp_test::describe;
using smtp_test::read_mode;
using smtp_test::transcript;

namespace
{

email_address addr(std::string_view text)
{
    auto r = email_address::parse(text);
    REQUIRE(r.has_value());
    return *r;
}

// What the Postfix sandbox announces under TLS.
capabilities postfix_caps()
{
    capabilities c;
    c.server_name = "localhost";
    c.pipelining = true;
    c.size_declared = true;
    c.max_size = 52428800;
    c.eight_bit_mime = true;
    c.smtputf8 = true;
    c.dsn = true;
    c.enhanced_status_codes = true;
    c.chunking = true;
    c.auth_mechanisms = {"PLAIN", "LOGIN"};
    return c;
}

capabilities no_pipelining_caps()
{
    auto c = postfix_caps();
    c.pipelining = false;
    return c;
}

constexpr std::string_view message =
    "From: Dr Martin <dr.martin@hopital.example>\r\n"
    "To: dr.durand@clinique.example\r\n"
    "Subject: Compte rendu\r\n"
    "\r\n"
    "Bonjour,\r\n"
    ".point en debut de ligne\r\n";

// The message as it goes on the wire after 354, as transcript lines.
constexpr std::string_view message_lines = R"(
    C: From: Dr Martin <dr.martin@hopital.example>
    C: To: dr.durand@clinique.example
    C: Subject: Compte rendu
    C: 
    C: Bonjour,
    C: ..point en debut de ligne
    C: .
)";

const std::string mail_from =
    "C: MAIL FROM:<dr.martin@hopital.example> SIZE=" + std::to_string(message.size()) + "\n";

send_params three_recipients()
{
    send_params p;
    p.sender = addr("dr.martin@hopital.example");
    p.recipients = {{addr("dr.durand@clinique.example")},
                    {addr("inconnu@hopital.example")},
                    {addr("secretariat@clinique.example")}};
    p.message = message;
    return p;
}

const std::string rcpt_lines =
    "C: RCPT TO:<dr.durand@clinique.example>\n"
    "C: RCPT TO:<inconnu@hopital.example>\n"
    "C: RCPT TO:<secretariat@clinique.example>\n";

const std::string unknown_user =
    "550 5.1.1 <inconnu@hopital.example>: Recipient address rejected: User unknown in virtual mailbox table";

transcript pipelined_partial()
{
    return transcript::parse(mail_from + rcpt_lines + "C: DATA\n" +
                             "S: 250 2.1.0 Ok\nS: 250 2.1.5 Ok\nS: " + unknown_user + "\nS: 250 2.1.5 Ok\n" +
                             "S: 354 End data with <CR><LF>.<CR><LF>\n" + std::string(message_lines) +
                             "S: 250 2.0.0 Ok: queued as 4XyZ12AbCd\n");
}

void check_partial_result(const send_result& r)
{
    REQUIRE(r.recipients.size() == 3);
    CHECK(r.accepted_count() == 2);
    CHECK(r.recipients[0].accepted);
    CHECK(r.recipients[0].code == 250);
    CHECK_FALSE(r.recipients[1].accepted);
    CHECK(r.recipients[1].recipient == addr("inconnu@hopital.example"));
    CHECK(r.recipients[1].code == 550);
    REQUIRE(r.recipients[1].enhanced_code);
    CHECK(*r.recipients[1].enhanced_code == enhanced_status_code{5, 1, 1});
    CHECK(r.recipients[1].text.find("User unknown") != std::string::npos);
    CHECK(r.recipients[2].accepted);
    CHECK(r.final_code == 250);
    CHECK(r.final_reply == "Ok: queued as 4XyZ12AbCd");
}

}  // namespace

TEST_SUITE("smtp send fsm")
{
    TEST_CASE(
        "a full session: STARTTLS, AUTH PLAIN, a pipelined message to three recipients with one refused, "
        "QUIT")
    {
        session_params sp;
        sp.ehlo_domain = "poste-12.cabinet.example";
        sp.auth.user = "dr.martin@hopital.example";
        sp.auth.secret = "s3cret!";
        session_fsm session(sp);
        smtp_test::run(session, transcript::parse(R"(
            S: 220 mail.hopital.example ESMTP Postfix (Debian/GNU)
            C: EHLO poste-12.cabinet.example
            S: 250-localhost
            S: 250-PIPELINING
            S: 250-SIZE 52428800
            S: 250-ETRN
            S: 250-STARTTLS
            S: 250-ENHANCEDSTATUSCODES
            S: 250-8BITMIME
            S: 250-DSN
            S: 250-SMTPUTF8
            S: 250 CHUNKING
            C: STARTTLS
            S: 220 2.0.0 Ready to start TLS
            TLS
            C: EHLO poste-12.cabinet.example
            S: 250-localhost
            S: 250-PIPELINING
            S: 250-SIZE 52428800
            S: 250-ETRN
            S: 250-AUTH PLAIN LOGIN
            S: 250-ENHANCEDSTATUSCODES
            S: 250-8BITMIME
            S: 250-DSN
            S: 250-SMTPUTF8
            S: 250 CHUNKING
            C: AUTH PLAIN AGRyLm1hcnRpbkBob3BpdGFsLmV4YW1wbGUAczNjcmV0IQ==
            S: 235 2.7.0 Authentication successful
        )"),
                       {});
        REQUIRE(session.ready());

        send_fsm send(session.server_capabilities(), three_recipients());
        smtp_test::run(send, pipelined_partial(), {});
        check_partial_result(send.result());
        CHECK_FALSE(send.failed_reply());

        quit_fsm quit;
        smtp_test::run(quit, transcript::parse("C: QUIT\nS: 221 2.0.0 Bye\n"), {});
    }

    TEST_CASE("pipelined replies read byte by byte give the same result")
    {
        send_fsm send(postfix_caps(), three_recipients());
        smtp_test::run(send, pipelined_partial(), {}, read_mode::byte_by_byte);
        check_partial_result(send.result());
    }

    TEST_CASE("pipelined replies arriving one read each give the same result")
    {
        const auto t =
            transcript::parse(mail_from + rcpt_lines + "C: DATA\n" +
                              "S: 250 2.1.0 Ok\n--\nS: 250 2.1.5 Ok\n--\nS: " + unknown_user +
                              "\n--\nS: 250 2.1.5 Ok\n--\n" + "S: 354 End data with <CR><LF>.<CR><LF>\n" +
                              std::string(message_lines) + "S: 250 2.0.0 Ok: queued as 4XyZ12AbCd\n");
        send_fsm send(postfix_caps(), three_recipients());
        smtp_test::run(send, t, {});
        check_partial_result(send.result());
    }

    TEST_CASE("an I/O error at any step of the pipelined message ends it with that error")
    {
        smtp_test::check_io_errors([] { return send_fsm(postfix_caps(), three_recipients()); },
                                   pipelined_partial());
    }

    TEST_CASE("without PIPELINING every command waits for its reply")
    {
        const auto t = transcript::parse(
            mail_from + "S: 250 2.1.0 Ok\n" + "C: RCPT TO:<dr.durand@clinique.example>\nS: 250 2.1.5 Ok\n" +
            "C: RCPT TO:<inconnu@hopital.example>\nS: " + unknown_user + "\n" +
            "C: RCPT TO:<secretariat@clinique.example>\nS: 250 2.1.5 Ok\n" +
            "C: DATA\nS: 354 End data with <CR><LF>.<CR><LF>\n" + std::string(message_lines) +
            "S: 250 2.0.0 Ok: queued as 4XyZ12AbCd\n");
        for (auto mode : {read_mode::whole, read_mode::byte_by_byte})
        {
            send_fsm send(no_pipelining_caps(), three_recipients());
            smtp_test::run(send, t, {}, mode);
            check_partial_result(send.result());
        }
        smtp_test::check_io_errors([] { return send_fsm(no_pipelining_caps(), three_recipients()); }, t);
    }

    TEST_CASE("when every recipient is refused no data is sent, RSET follows, and the refusals are kept")
    {
        auto p = three_recipients();
        p.recipients.pop_back();
        const auto t = transcript::parse(mail_from + R"(
            C: RCPT TO:<dr.durand@clinique.example>
            C: RCPT TO:<inconnu@hopital.example>
            C: DATA
            S: 250 2.1.0 Ok
            S: 550 5.1.1 <dr.durand@clinique.example>: Recipient address rejected: User unknown
            S: 550 5.1.1 <inconnu@hopital.example>: Recipient address rejected: User unknown
            S: 554 5.5.1 Error: no valid recipients
            C: RSET
            S: 250 2.0.0 Ok
        )");
        send_fsm send(postfix_caps(), p);
        smtp_test::run(send, t, errc::all_recipients_refused);
        CHECK(send.result().accepted_count() == 0);
        CHECK(send.result().recipients[0].code == 550);
        CHECK(send.result().final_code == 0);
        CHECK(send.diag().client_message().find("550 5.1.1, 550 5.1.1") != std::string::npos);
        CHECK(send.diag().server_message().find("User unknown") != std::string::npos);
        smtp_test::check_io_errors([&] { return send_fsm(postfix_caps(), p); }, t);
    }

    TEST_CASE("without PIPELINING, refused recipients lead to RSET instead of DATA")
    {
        send_params p = three_recipients();
        p.recipients = {{addr("inconnu@hopital.example")}};
        const auto t = transcript::parse(mail_from + "S: 250 2.1.0 Ok\n" +
                                         "C: RCPT TO:<inconnu@hopital.example>\nS: " + unknown_user +
                                         "\nC: RSET\nS: 250 2.0.0 Ok\n");
        send_fsm send(no_pipelining_caps(), p);
        smtp_test::run(send, t, errc::all_recipients_refused);
    }

    TEST_CASE("a 452 on one RCPT is a transient refusal of that recipient only")
    {
        const auto t = transcript::parse(mail_from + rcpt_lines + "C: DATA\n" + R"(
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 452 4.5.3 Error: too many recipients
            S: 250 2.1.5 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
        )" + std::string(message_lines) + "S: 250 2.0.0 Ok: queued as 4XyZ12AbCd\n");
        send_fsm send(postfix_caps(), three_recipients());
        smtp_test::run(send, t, {});
        const auto& r = send.result().recipients[1];
        CHECK_FALSE(r.accepted);
        CHECK(r.code == 452);
        CHECK(*r.enhanced_code == enhanced_status_code{4, 5, 3});
        CHECK(is_transient(make_reply_error_code(r.code)));
    }

    TEST_CASE("recipients all refused with 452 still end with all_recipients_refused and transient codes")
    {
        send_params p = three_recipients();
        p.recipients = {{addr("dr.durand@clinique.example")}};
        const auto t = transcript::parse(mail_from + R"(
            C: RCPT TO:<dr.durand@clinique.example>
            C: DATA
            S: 250 2.1.0 Ok
            S: 452 4.2.2 Mailbox full
            S: 554 5.5.1 Error: no valid recipients
            C: RSET
            S: 250 2.0.0 Ok
        )");
        send_fsm send(postfix_caps(), p);
        smtp_test::run(send, t, errc::all_recipients_refused);
        CHECK(send.result().recipients[0].code == 452);
    }

    TEST_CASE("a message larger than SIZE is refused before anything is sent")
    {
        auto caps = postfix_caps();
        caps.max_size = 100;
        send_fsm send(caps, three_recipients());
        CHECK(describe(send.resume({}, {})) == describe(action::done(errc::message_too_large)));
        CHECK(send.diag().client_message().find("100 bytes") != std::string::npos);

        auto hinted = three_recipients();
        hinted.size_hint = 52428801;
        send_fsm by_hint(postfix_caps(), hinted);
        CHECK(describe(by_hint.resume({}, {})) == describe(action::done(errc::message_too_large)));
    }

    TEST_CASE("a pipelined MAIL FROM refusal reads every reply, sends nothing more and reports MAIL's code")
    {
        const auto t = transcript::parse(mail_from + rcpt_lines + "C: DATA\n" + R"(
            S: 553 5.7.1 <dr.martin@hopital.example>: Sender address rejected: not owned by user
            S: 503 5.5.1 Error: need MAIL command
            S: 503 5.5.1 Error: need MAIL command
            S: 503 5.5.1 Error: need MAIL command
            S: 503 5.5.1 Error: need MAIL command
        )");
        send_fsm send(postfix_caps(), three_recipients());
        smtp_test::run(send, t, make_reply_error_code(553));
        REQUIRE(send.failed_reply());
        CHECK(send.failed_reply()->code() == 553);
        CHECK(send.diag().client_message().find("MAIL FROM refused (553 5.7.1)") != std::string::npos);
    }

    TEST_CASE("without PIPELINING a MAIL FROM refusal ends at once; 552 means too large")
    {
        send_fsm send(no_pipelining_caps(), three_recipients());
        smtp_test::run(send, transcript::parse(mail_from + "S: 552 5.3.4 Message size exceeds fixed limit\n"),
                       errc::message_too_large);
    }

    TEST_CASE("a refused DATA is followed by RSET and reported with its code")
    {
        send_params p = three_recipients();
        p.recipients = {{addr("dr.durand@clinique.example")}};
        const auto t = transcript::parse(mail_from + R"(
            S: 250 2.1.0 Ok
            C: RCPT TO:<dr.durand@clinique.example>
            S: 250 2.1.5 Ok
            C: DATA
            S: 451 4.3.0 Error: queue file write error
            C: RSET
            S: 250 2.0.0 Ok
        )");
        send_fsm send(no_pipelining_caps(), p);
        smtp_test::run(send, t, make_reply_error_code(451));
        CHECK(send.diag().client_message().find("451 4.3.0") != std::string::npos);
    }

    TEST_CASE("a refusal after the data ends with its code")
    {
        for (auto [line, expected] :
             {std::pair{"554 5.7.1 Rejected by policy", make_reply_error_code(554)},
              std::pair{"552 5.3.4 Message too big", mss::smtp::make_error_code(errc::message_too_large)}})
        {
            send_params p = three_recipients();
            p.recipients = {{addr("dr.durand@clinique.example")}};
            const auto t =
                transcript::parse(mail_from + "C: RCPT TO:<dr.durand@clinique.example>\nC: DATA\n" +
                                  "S: 250 2.1.0 Ok\nS: 250 2.1.5 Ok\nS: 354 go ahead\n" +
                                  std::string(message_lines) + "S: " + line + "\n");
            send_fsm send(postfix_caps(), p);
            smtp_test::run(send, t, expected);
            CHECK(send.result().final_code == std::stoi(std::string(line).substr(0, 3)));
        }
    }

    TEST_CASE("a server answering 354 with no valid recipient gets an empty data end and RSET")
    {
        send_params p = three_recipients();
        p.recipients = {{addr("inconnu@hopital.example")}};
        const auto t = transcript::parse(mail_from + R"(
            C: RCPT TO:<inconnu@hopital.example>
            C: DATA
            S: 250 2.1.0 Ok
            S: 550 5.1.1 unknown
            S: 354 go ahead
            C: .
            S: 554 5.5.1 no valid recipients
            C: RSET
            S: 250 2.0.0 Ok
        )");
        send_fsm send(postfix_caps(), p);
        smtp_test::run(send, t, errc::all_recipients_refused);
    }

    TEST_CASE("a UTF-8 address needs SMTPUTF8: sent when offered, refused before sending otherwise")
    {
        send_params p = three_recipients();
        p.recipients = {{addr("ren\xc3\xa9@clinique.example")}};
        const auto t = transcript::parse(
            "C: MAIL FROM:<dr.martin@hopital.example> SIZE=" + std::to_string(message.size()) +
            " BODY=8BITMIME SMTPUTF8\nC: RCPT TO:<ren\xc3\xa9@clinique.example>\nC: DATA\n" +
            "S: 250 2.1.0 Ok\nS: 250 2.1.5 Ok\nS: 354 go ahead\n" + std::string(message_lines) +
            "S: 250 2.0.0 Ok: queued as 1\n");
        send_fsm send(postfix_caps(), p);
        smtp_test::run(send, t, {});

        auto caps = postfix_caps();
        caps.smtputf8 = false;
        send_fsm refused(caps, p);
        CHECK(describe(refused.resume({}, {})) == describe(action::done(errc::smtputf8_required)));
    }

    TEST_CASE("an 8-bit message needs 8BITMIME")
    {
        send_params p = three_recipients();
        p.eight_bit = true;
        auto caps = postfix_caps();
        caps.eight_bit_mime = false;
        send_fsm refused(caps, p);
        CHECK(describe(refused.resume({}, {})) == describe(action::done(errc::eight_bit_not_supported)));

        send_fsm sent(postfix_caps(), p);
        const action first = sent.resume({}, {});
        REQUIRE(first.type() == action::kind::write);
        CHECK(first.bytes().find(" BODY=8BITMIME\r\n") != std::string_view::npos);
    }

    TEST_CASE("DSN parameters are sent when the server offers DSN and left out otherwise")
    {
        send_params p = three_recipients();
        p.recipients = {{addr("dr.durand@clinique.example"), dsn_notify::success | dsn_notify::failure,
                         addr("Dr.Durand@clinique.example")}};
        p.ret = dsn_return::headers;
        p.envid = "msg-0042";
        send_fsm with(postfix_caps(), p);
        const action a = with.resume({}, {});
        CHECK(describe(a) ==
              describe(action::write(
                  "MAIL FROM:<dr.martin@hopital.example> SIZE=" + std::to_string(message.size()) +
                  " RET=HDRS ENVID=msg-0042\r\nRCPT TO:<dr.durand@clinique.example> NOTIFY=SUCCESS,FAILURE "
                  "ORCPT=rfc822;Dr.Durand@clinique.example\r\nDATA\r\n")));

        auto caps = postfix_caps();
        caps.dsn = false;
        send_fsm without(caps, p);
        const action b = without.resume({}, {});
        CHECK(describe(b) == describe(action::write("MAIL FROM:<dr.martin@hopital.example> SIZE=" +
                                                    std::to_string(message.size()) +
                                                    "\r\nRCPT TO:<dr.durand@clinique.example>\r\nDATA\r\n")));
    }

    TEST_CASE("the null reverse-path is sent when there is no sender")
    {
        send_params p = three_recipients();
        p.sender.reset();
        auto caps = postfix_caps();
        caps.size_declared = false;
        send_fsm send(caps, p);
        const action a = send.resume({}, {});
        CHECK(a.bytes().substr(0, 14) == "MAIL FROM:<>\r\n");
    }

    TEST_CASE("arguments the serialisers refuse fail before anything is sent")
    {
        send_params no_rcpt = three_recipients();
        no_rcpt.recipients.clear();
        send_fsm a(postfix_caps(), no_rcpt);
        CHECK(describe(a.resume({}, {})) == describe(action::done(mss::errc::invalid_argument)));

        send_params bad_envid = three_recipients();
        bad_envid.envid = "id\r\nRCPT TO:<x@y.example>";
        send_fsm b(postfix_caps(), bad_envid);
        CHECK(describe(b.resume({}, {})) == describe(action::done(mss::errc::invalid_argument)));

        send_params bad_notify = three_recipients();
        bad_notify.recipients[2].notify = dsn_notify::never | dsn_notify::delay;
        send_fsm c(postfix_caps(), bad_notify);
        CHECK(describe(c.resume({}, {})) == describe(action::done(mss::errc::invalid_argument)));
    }

    TEST_CASE("a reply after the final one is refused as unexpected")
    {
        send_params p = three_recipients();
        p.recipients = {{addr("dr.durand@clinique.example")}};
        const auto t = transcript::parse(mail_from + "C: RCPT TO:<dr.durand@clinique.example>\nC: DATA\n" +
                                         "S: 250 2.1.0 Ok\nS: 250 2.1.5 Ok\nS: 354 go ahead\n" +
                                         std::string(message_lines) +
                                         "S: 250 2.0.0 Ok: queued as 1\nS: 250 2.0.0 extra\n");
        send_fsm send(postfix_caps(), p);
        smtp_test::run(send, t, mss::errc::unexpected_response);
    }

    TEST_CASE("a reply with a code that does not fit is unexpected")
    {
        send_fsm send(no_pipelining_caps(), three_recipients());
        smtp_test::run(send, transcript::parse(mail_from + "S: 354 what\n"), mss::errc::unexpected_response);
    }

    TEST_CASE("a large message is written in chunks that concatenate to the dot-stuffed message")
    {
        std::string big;
        while (big.size() < 3 * send_fsm::data_chunk_size + 123) big += ".line of a long report\n";
        send_params p = three_recipients();
        p.recipients = {{addr("dr.durand@clinique.example")}};
        p.message = big;
        send_fsm send(postfix_caps(), p);
        action a = send.resume({}, {});
        REQUIRE(a.type() == action::kind::write);
        a = send.resume({}, {});
        REQUIRE(a.type() == action::kind::read);
        a = send.resume({}, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n");
        std::string sent;
        int writes = 0;
        while (a.type() == action::kind::write)
        {
            sent += a.bytes();
            ++writes;
            a = send.resume({}, {});
        }
        CHECK(writes == 4);
        REQUIRE(a.type() == action::kind::read);
        std::string expected;
        dot_stuffer stuffer;
        stuffer.write(big, expected);
        stuffer.finish(expected);
        CHECK(sent == expected);
        CHECK(describe(send.resume({}, "250 2.0.0 Ok: queued as 2\r\n")) == describe(action::done()));
    }
}

TEST_SUITE("smtp command fsm")
{
    TEST_CASE("RSET and QUIT succeed on their positive replies")
    {
        reset_fsm rset;
        smtp_test::run(rset, transcript::parse("C: RSET\nS: 250 2.0.0 Ok\n"), {});
        quit_fsm quit;
        smtp_test::run(quit, transcript::parse("C: QUIT\nS: 221 2.0.0 Bye\n"), {});
        REQUIRE(quit.server_reply());
        CHECK(quit.server_reply()->code() == 221);
        command_fsm noop(command_fsm::command::noop);
        smtp_test::run(noop, transcript::parse("C: NOOP\nS: 250 2.0.0 Ok\n"), {});
    }

    TEST_CASE("a negative reply to RSET is reported with its code")
    {
        reset_fsm rset;
        smtp_test::run(rset, transcript::parse("C: RSET\nS: 421 4.4.2 Timeout exceeded\n"),
                       make_reply_error_code(421));
        CHECK(rset.diag().server_message() == "Timeout exceeded");
    }

    TEST_CASE("an I/O error at any step of RSET or QUIT ends it with that error")
    {
        smtp_test::check_io_errors([] { return reset_fsm(); },
                                   transcript::parse("C: RSET\nS: 250 2.0.0 Ok\n"));
        smtp_test::check_io_errors([] { return quit_fsm(); },
                                   transcript::parse("C: QUIT\nS: 221 2.0.0 Bye\n"));
    }
}
