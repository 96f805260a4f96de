// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/command_fsm.hpp>
#include <mss/imap/errc.hpp>
#include <mss/imap/idle_fsm.hpp>
#include <mss/imap/login_fsm.hpp>

#include "dovecot_transcripts.hpp"
#include "imap_test_support.hpp"

#include <doctest/doctest.h>

#include <boost/system/errc.hpp>

#include <memory>

using namespace imap_test;
namespace imap = mss::imap;

namespace {

const std::string tls_caps = crlf("* CAPABILITY " + dovecot::capabilities_after_tls + "\n");

std::string xoauth2_line(std::string_view tag)
{
    imap::command c;
    REQUIRE_FALSE(imap::serialize_authenticate_xoauth2(c, tag, "jean.martin@medecin.mssante.fr", "psc-token", true));
    return c.bytes;
}

std::string plain_line(std::string_view tag, bool sasl_ir)
{
    imap::command c;
    REQUIRE_FALSE(imap::serialize_authenticate_plain(c, tag, "jean.martin@medecin.mssante.fr", "secret", sasl_ir));
    return c.bytes;
}

struct login_rig
{
    imap::session_state state;
    mss::diagnostics diag;
    imap::login_fsm fsm;
    explicit login_rig(const imap::login_params& p) : fsm(state, p, diag) {}
};

imap::login_params token_login()
{
    imap::login_params p;
    p.user = "jean.martin@medecin.mssante.fr";
    p.oauth_token = "psc-token";
    return p;
}

imap::login_params password_login(imap::tls_mode mode = imap::tls_mode::starttls)
{
    imap::login_params p;
    p.tls = mode;
    p.user = "jean.martin@medecin.mssante.fr";
    p.password = "secret";
    return p;
}

// Runs `script` against fresh login FSMs; returns the last rig for further checks.
std::shared_ptr<login_rig> check_login(const fsm_script& script, const imap::login_params& p)
{
    std::shared_ptr<login_rig> last;
    script.check([&]() -> resume_fn {
        auto rig = std::make_shared<login_rig>(p);
        last = rig;
        return [rig](boost::system::error_code ec, std::string_view bytes) { return rig->fsm.resume(ec, bytes); };
    });
    // The first play is the complete one: replay it for the caller's checks.
    auto rig = std::make_shared<login_rig>(p);
    script.play([rig](boost::system::error_code ec, std::string_view bytes) { return rig->fsm.resume(ec, bytes); });
    return rig;
}

}  // namespace

TEST_SUITE("imap login fsm")
{
    TEST_CASE("STARTTLS, capabilities again over TLS, then XOAUTH2 with SASL-IR")
    {
        fsm_script s;
        s.then_read(dovecot::greeting)
            .expect_write("A1 STARTTLS\r\n")
            .then_read(crlf("A1 OK Begin TLS negotiation now.\n"))
            .expect_start_tls()
            .expect_write("A2 CAPABILITY\r\n")
            .then_read(tls_caps + crlf("A2 OK Pre-login capabilities listed, post-login capabilities have more.\n"))
            .expect_write(xoauth2_line("A3"))
            .then_read(crlf("A3 OK [CAPABILITY " + dovecot::capabilities_after_login + "] Logged in\n"))
            .expect_done();
        const auto rig = check_login(s, token_login());
        CHECK(rig->state.authenticated);
        CHECK(rig->state.capabilities.qresync());
        CHECK(rig->state.capabilities.special_use());
        CHECK_FALSE(rig->state.capabilities.starttls());
    }

    TEST_CASE("a greeting without capabilities is followed by CAPABILITY; PLAIN asks for capabilities after login")
    {
        fsm_script s;
        s.then_read(crlf("* OK Dovecot ready.\n"))
            .expect_write("A1 CAPABILITY\r\n")
            .then_read(crlf("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\nA1 OK done\n"))
            .expect_write("A2 STARTTLS\r\n")
            .then_read(crlf("A2 OK Begin TLS negotiation now.\n"))
            .expect_start_tls()
            .expect_write("A3 CAPABILITY\r\n")
            .then_read(crlf("* CAPABILITY IMAP4rev1 AUTH=PLAIN\nA3 OK done\n"))
            .expect_write(plain_line("A4", false).substr(0, 23))
            .then_read(crlf("+ \n"))
            .expect_write(plain_line("A4", false).substr(23))
            .then_read(crlf("A4 OK Logged in\n"))
            .expect_write("A5 CAPABILITY\r\n")
            .then_read(crlf("* CAPABILITY IMAP4rev1 IDLE MOVE\n"))
            .then_read(crlf("A5 OK Capability completed.\n"))
            .expect_done();
        const auto rig = check_login(s, password_login());
        CHECK(rig->state.capabilities.idle());
        CHECK(rig->state.capabilities.move());
    }

    TEST_CASE("a server without STARTTLS is refused before any credential is sent")
    {
        fsm_script s;
        s.then_read(crlf("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\n"))
            .expect_done(mss::errc::starttls_not_offered);
        check_login(s, password_login());

        fsm_script preauth;
        preauth.then_read(crlf("* PREAUTH [CAPABILITY IMAP4rev1] Logged in as jean\n"))
            .expect_done(mss::errc::starttls_not_offered);
        check_login(preauth, password_login());
    }

    TEST_CASE("bytes arriving with the STARTTLS reply are an injection")
    {
        fsm_script s;
        s.then_read(dovecot::greeting)
            .expect_write("A1 STARTTLS\r\n")
            .then_read(crlf("A1 OK Begin TLS negotiation now.\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\n"))
            .expect_done(mss::errc::starttls_injection);
        check_login(s, password_login());
    }

    TEST_CASE("LOGINDISABLED without a usable SASL mechanism ends with capability_missing")
    {
        fsm_script s;
        s.then_read(dovecot::greeting)
            .expect_write("A1 STARTTLS\r\n")
            .then_read(crlf("A1 OK Begin TLS negotiation now.\n"))
            .expect_start_tls()
            .expect_write("A2 CAPABILITY\r\n")
            .then_read(crlf("* CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=GSSAPI\nA2 OK done\n"))
            .expect_done(imap::errc::capability_missing);
        check_login(s, password_login());
    }

    TEST_CASE("LOGIN is the fallback when PLAIN is not offered and LOGIN is allowed")
    {
        fsm_script s;
        s.then_read(crlf("* OK [CAPABILITY IMAP4rev1 LITERAL+] ready\n"))
            .expect_write("A1 LOGIN \"jean.martin@medecin.mssante.fr\" \"secret\"\r\n")
            .then_read(crlf("A1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\n"))
            .expect_done();
        check_login(s, password_login(imap::tls_mode::implicit));
    }

    TEST_CASE("AUTHENTICATIONFAILED ends with auth_failed and the server's code in diagnostics")
    {
        fsm_script s;
        s.then_read(crlf("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\n"))
            .expect_write(plain_line("A1", true))
            .then_read(crlf("A1 NO [AUTHENTICATIONFAILED] Authentication failed.\n"))
            .expect_done(imap::errc::auth_failed);
        const auto rig = check_login(s, password_login(imap::tls_mode::implicit));
        CHECK(rig->diag.client_message().find("AUTHENTICATIONFAILED") != std::string::npos);
        CHECK(rig->diag.server_message() == "NO [AUTHENTICATIONFAILED] Authentication failed.");
        CHECK_FALSE(rig->state.authenticated);
    }

    TEST_CASE("an XOAUTH2 error challenge is answered with an empty line before the NO")
    {
        fsm_script s;
        s.then_read(crlf("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready\n"))
            .expect_write(xoauth2_line("A1"))
            .then_read(crlf("+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIn0=\n"))
            .expect_write("\r\n")
            .then_read(crlf("A1 NO [AUTHENTICATIONFAILED] Authentication failed.\n"))
            .expect_done(imap::errc::auth_failed);
        auto params = token_login();
        params.tls = imap::tls_mode::implicit;
        check_login(s, params);
    }

    TEST_CASE("a BYE greeting and an unknown tag end the login")
    {
        fsm_script bye;
        bye.then_read(crlf("* BYE Too many connections\n")).expect_done(imap::errc::bye);
        check_login(bye, password_login());

        fsm_script tag;
        tag.then_read(dovecot::greeting)
            .expect_write("A1 STARTTLS\r\n")
            .then_read(crlf("Z9 OK Begin TLS negotiation now.\n"))
            .expect_done(imap::errc::unknown_tag);
        check_login(tag, password_login());
    }
}

namespace {

struct command_rig
{
    imap::session_state state;
    mss::diagnostics diag;
    std::vector<std::string> seen;
    std::unique_ptr<imap::command_fsm> fsm;
};

template <class Build>
std::shared_ptr<command_rig> check_command(const fsm_script& script, Build build, bool literal_plus = false,
                                           std::optional<std::uint32_t> uidvalidity = {})
{
    auto make = [&]() {
        auto rig = std::make_shared<command_rig>();
        std::vector<std::string_view> caps{"IMAP4rev1", "IDLE"};
        if (literal_plus)
            caps.push_back("LITERAL+");
        rig->state.capabilities.assign(caps);
        imap::command cmd;
        build(cmd, rig->state);
        rig->fsm = std::make_unique<imap::command_fsm>(
            rig->state, std::move(cmd), [r = rig.get()](const imap::response& resp) { r->seen.push_back(describe(resp)); },
            rig->diag);
        if (uidvalidity)
            rig->fsm->expect_uidvalidity(*uidvalidity);
        return rig;
    };
    script.check([&]() -> resume_fn {
        auto rig = make();
        return [rig](boost::system::error_code ec, std::string_view bytes) { return rig->fsm->resume(ec, bytes); };
    });
    auto rig = make();
    script.play([rig](boost::system::error_code ec, std::string_view bytes) { return rig->fsm->resume(ec, bytes); });
    return rig;
}

}  // namespace

TEST_SUITE("imap command fsm")
{
    TEST_CASE("a SELECT with QRESYNC delivers every untagged response then the tagged OK")
    {
        fsm_script s;
        s.expect_write("A4 SELECT INBOX (QRESYNC (1700000000 40))\r\n")
            .then_read(dovecot::select_qresync.substr(0, 100))
            .then_read(dovecot::select_qresync.substr(100) + crlf("* 1 EXISTS\n"))
            .expect_done();
        // The extra response after the tagged one stays in the parser for the next operation.
        const auto rig = check_command(s, [](imap::command& c, imap::session_state& st) {
            imap::select_params p;
            p.mailbox = "INBOX";
            p.qresync = imap::qresync_params{1700000000, 40, {}};
            (void)st;
            REQUIRE_FALSE(imap::serialize_select(c, "A4", p));
        });
        CHECK(rig->seen.size() == 11);
        CHECK(rig->state.parser.buffered() == 12);
    }

    TEST_CASE("a changed UIDVALIDITY completes the SELECT but reports uidvalidity_changed")
    {
        fsm_script s;
        s.expect_write("A4 SELECT INBOX\r\n").then_read(dovecot::select_qresync).expect_done(imap::errc::uidvalidity_changed);
        check_command(
            s, [](imap::command& c, imap::session_state&) { REQUIRE_FALSE(imap::serialize_select(c, "A4", [] { imap::select_params p; p.mailbox = "INBOX"; return p; }())); },
            false, 1600000000u);
    }

    TEST_CASE("a NO carries its response code and text to diagnostics")
    {
        fsm_script s;
        s.expect_write("A1 UID MOVE 4 Archives\r\n")
            .then_read(crlf("A1 NO [TRYCREATE] Mailbox doesn't exist: Archives\n"))
            .expect_done(imap::errc::command_no);
        const auto rig = check_command(s, [](imap::command& c, imap::session_state&) {
            REQUIRE_FALSE(imap::serialize_uid_move(c, "A1", imap::sequence_set::parse("4").value(), "Archives"));
        });
        CHECK(rig->diag.client_message().find("TRYCREATE") != std::string::npos);
        CHECK(rig->diag.server_message() == "NO [TRYCREATE] Mailbox doesn't exist: Archives");
        CHECK_FALSE(imap::is_fatal(imap::errc::command_no));
    }

    TEST_CASE("a BAD, an unknown tag and a BYE in the middle of a FETCH end the command")
    {
        const auto build = [](imap::command& c, imap::session_state&) { REQUIRE_FALSE(imap::serialize_noop(c, "A1")); };
        fsm_script bad;
        bad.expect_write("A1 NOOP\r\n").then_read(crlf("A1 BAD Error in IMAP command\n")).expect_done(imap::errc::command_bad);
        check_command(bad, build);

        fsm_script unknown;
        unknown.expect_write("A1 NOOP\r\n").then_read(crlf("A7 OK NOOP completed.\n")).expect_done(imap::errc::unknown_tag);
        check_command(unknown, build);

        fsm_script bye;
        bye.expect_write("A1 NOOP\r\n")
            .then_read(dovecot::fetch_envelope)
            .then_read(crlf("* BYE Server shutting down.\n"))
            .expect_done(imap::errc::bye);
        const auto rig = check_command(bye, build);
        CHECK(rig->seen.size() == 1);
        CHECK(rig->diag.server_message() == "* BYE Server shutting down.");
    }

    TEST_CASE("LOGOUT expects the BYE")
    {
        fsm_script s;
        s.expect_write("A1 LOGOUT\r\n")
            .then_read(crlf("* BYE Logging out\nA1 OK Logout completed.\n"))
            .expect_done();
        check_command(s, [](imap::command& c, imap::session_state&) { REQUIRE_FALSE(imap::serialize_logout(c, "A1")); });
    }

    TEST_CASE("APPEND without LITERAL+ waits for the continuation, with LITERAL+ sends at once")
    {
        const std::string message = crlf("From: a@b\nSubject: x\n\nBonjour\n");
        const auto build = [&](imap::command& c, imap::session_state& st) {
            imap::append_params p;
            p.mailbox = "Sent";
            p.message = message;
            REQUIRE_FALSE(imap::serialize_append(c, "A1", p, st.options()));
        };
        fsm_script sync;
        sync.expect_write("A1 APPEND Sent {34}\r\n")
            .then_read(crlf("+ OK\n"))
            .expect_write(message + "\r\n")
            .then_read(crlf("A1 OK [APPENDUID 1700000000 14] Append completed.\n"))
            .expect_done();
        const auto rig = check_command(sync, build);
        REQUIRE(rig->seen.size() == 1);
        CHECK(rig->seen[0].find("APPENDUID") != std::string::npos);

        fsm_script plus;
        plus.expect_write("A1 APPEND Sent {34+}\r\n" + message + "\r\n")
            .then_read(crlf("A1 OK [APPENDUID 1700000000 14] Append completed.\n"))
            .expect_done();
        check_command(plus, build, true);

        fsm_script refused;
        refused.expect_write("A1 APPEND Sent {34}\r\n")
            .then_read(crlf("A1 NO [OVERQUOTA] Quota exceeded\n"))
            .expect_done(imap::errc::command_no);
        check_command(refused, build);
    }

    TEST_CASE("an unexpected continuation is a protocol error")
    {
        fsm_script s;
        s.expect_write("A1 NOOP\r\n").then_read(crlf("+ what?\n")).expect_done(mss::errc::unexpected_response);
        check_command(s, [](imap::command& c, imap::session_state&) { REQUIRE_FALSE(imap::serialize_noop(c, "A1")); });
    }

    TEST_CASE("ENABLED UTF8=ACCEPT switches the session to UTF-8 names")
    {
        fsm_script s;
        s.expect_write("A1 ENABLE UTF8=ACCEPT\r\n")
            .then_read(crlf("* ENABLED UTF8=ACCEPT\nA1 OK Enabled.\n"))
            .expect_done();
        const auto rig = check_command(s, [](imap::command& c, imap::session_state&) {
            const std::string_view caps[] = {"UTF8=ACCEPT"};
            REQUIRE_FALSE(imap::serialize_enable(c, "A1", caps));
        });
        CHECK(rig->state.utf8_enabled);
        CHECK(rig->state.options().utf8);
    }

    TEST_CASE("a malformed response ends the command with its parse error")
    {
        fsm_script s;
        s.expect_write("A1 NOOP\r\n").then_read(crlf("* 1 FETCH (UID x)\n")).expect_done(mss::errc::malformed_response);
        check_command(s, [](imap::command& c, imap::session_state&) { REQUIRE_FALSE(imap::serialize_noop(c, "A1")); });
    }
}

namespace {

struct idle_rig
{
    imap::session_state state;
    mss::diagnostics diag;
    std::vector<std::string> events;
    std::unique_ptr<imap::idle_fsm> fsm;
};

std::shared_ptr<idle_rig> make_idle(bool with_idle = true)
{
    auto rig = std::make_shared<idle_rig>();
    std::vector<std::string_view> caps{"IMAP4rev1"};
    if (with_idle)
        caps.push_back("IDLE");
    rig->state.capabilities.assign(caps);
    rig->fsm = std::make_unique<imap::idle_fsm>(
        rig->state, [r = rig.get()](const imap::response& resp) { r->events.push_back(describe(resp)); }, rig->diag);
    return rig;
}

}  // namespace

TEST_SUITE("imap idle fsm")
{
    TEST_CASE("IDLE delivers EXISTS, FETCH and VANISHED as they come, then DONE ends it")
    {
        std::shared_ptr<idle_rig> current;
        const auto cancelled = boost::system::errc::make_error_code(boost::system::errc::operation_canceled);
        fsm_script s;
        s.expect_write("A1 IDLE\r\n")
            .then_read(dovecot::idle_events.substr(0, 20))
            .then_read(dovecot::idle_events.substr(20))
            .then_read_interrupted([&] { current->fsm->stop(); }, cancelled)
            .expect_write("DONE\r\n")
            .then_read(crlf("A1 OK Idle completed (0.001 + 12.345 secs).\n"))
            .expect_done();
        s.check([&]() -> resume_fn {
            current = make_idle();
            auto rig = current;
            return [rig](boost::system::error_code ec, std::string_view bytes) { return rig->fsm->resume(ec, bytes); };
        });
        current = make_idle();
        auto rig = current;
        s.play([rig](boost::system::error_code ec, std::string_view bytes) { return rig->fsm->resume(ec, bytes); });
        REQUIRE(rig->events.size() == 3);
        CHECK(rig->events[0].find("n=13") != std::string::npos);
        CHECK(rig->events[1].find("uid=9") != std::string::npos);
        CHECK(rig->events[2].find("vanished=0,9") != std::string::npos);
        CHECK_FALSE(rig->fsm->idling());
    }

    TEST_CASE("a stop requested before the continuation sends DONE as soon as it arrives")
    {
        auto rig = make_idle();
        CHECK(rig->fsm->resume({}, {}) == mss::sansio::action::write("A1 IDLE\r\n"));
        CHECK(rig->fsm->resume({}, {}) == mss::sansio::action::read());
        rig->fsm->stop();
        CHECK(rig->fsm->resume({}, crlf("+ idling\n")) == mss::sansio::action::write("DONE\r\n"));
        CHECK(rig->fsm->resume({}, {}) == mss::sansio::action::read());
        CHECK(rig->fsm->resume({}, crlf("A1 OK Idle completed.\n")) == mss::sansio::action::done());
    }

    TEST_CASE("IDLE needs the capability, and BYE while idling ends it")
    {
        auto none = make_idle(false);
        CHECK(none->fsm->resume({}, {}) == mss::sansio::action::done(imap::errc::capability_missing));

        fsm_script s;
        s.expect_write("A1 IDLE\r\n")
            .then_read(crlf("+ idling\n* 3 EXPUNGE\n"))
            .then_read(crlf("* BYE Disconnected for inactivity.\n"))
            .expect_done(imap::errc::bye);
        s.check([]() -> resume_fn {
            auto rig = make_idle();
            return [rig](boost::system::error_code ec, std::string_view bytes) { return rig->fsm->resume(ec, bytes); };
        });

        fsm_script refused;
        refused.expect_write("A1 IDLE\r\n").then_read(crlf("A1 BAD No mailbox selected\n")).expect_done(imap::errc::command_bad);
        refused.check([]() -> resume_fn {
            auto rig = make_idle();
            return [rig](boost::system::error_code ec, std::string_view bytes) { return rig->fsm->resume(ec, bytes); };
        });
    }
}
