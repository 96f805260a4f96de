// SPDX-License-Identifier: Apache-2.0
// mss::net::smtp_client against hostile or broken servers (each ends in a clear error within a
// bounded time, with bounded memory, and the connection is never reused), and what the protocol
// trace and the error messages may show: no password, no token, no message content (a link's
// one-time code travels in a message body).
#include "unit/net/smtp/fake_smtp_server.hpp"

#include <mss/error.hpp>
#include <mss/smtp/errc.hpp>

using namespace smtp_net_test;

namespace
{

// A code message as the link service writes it (French text, 8bit), with a code to look for.
mss::transport::outgoing_message code_message(const std::string& code)
{
    auto m = make_message({"dr.bernard@national.mssante.test"});
    m.data = "From: <dr.martin@regional.mssante.test>\r\nTo: <dr.bernard@national.mssante.test>\r\n"
             "Subject: =?utf-8?q?Code_d'association_de_votre_BAL_MSSant=C3=A9?=\r\n"
             "Message-ID: <" +
             m.message_id +
             ">\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
             "Bonjour,\r\n\r\nCode \xC3\xA0 usage unique : " +
             code + "\r\n\r\nCe code est valable une heure.\r\n";
    return m;
}

// The session up to AUTH included, then `after_auth`; the AUTH dialogue is the test's.
using auth_script = std::function<awaitable<bool>(server_conn&, const std::string& auth_line)>;

awaitable<void> tls_session(server_conn& c, fake_smtp_server& server, std::string auth_caps, auth_script auth)
{
    co_await c.send("220 fake.test ESMTP\r\n");
    auto l = co_await c.line();
    if (!l)
        co_return;
    co_await c.send("250-fake.test\r\n250 STARTTLS\r\n");
    l = co_await c.line();
    if (!l || *l != "STARTTLS")
        co_return;
    co_await c.send("220 2.0.0 Ready to start TLS\r\n");
    const bool secured = co_await c.start_tls();
    if (!secured)
        co_return;
    l = co_await c.line();
    if (!l)
        co_return;
    co_await c.send("250-fake.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 AUTH " +
                    auth_caps + "\r\n");
    l = co_await c.line();
    if (!l || !l->starts_with("AUTH "))
        co_return;
    const bool authenticated = co_await auth(c, *l);
    if (!authenticated)
    {
        co_await c.drain();
        co_return;
    }
    co_await transactions(c, server, dialogue{});
}

}  // namespace

TEST_SUITE("net: smtp client, robustness")
{
    TEST_CASE("AUTH LOGIN: neither the user name nor the password shows in the trace")
    {
        asio::io_context io;
        std::vector<std::string> answers;  // the two base64 lines the client sent
        fake_smtp_server server(io,
                                [&answers](server_conn& c, fake_smtp_server& s) -> awaitable<void>
                                {
                                    co_await tls_session(
                                        c, s, "LOGIN",
                                        [&answers](server_conn& conn, const std::string&) -> awaitable<bool>
                                        {
                                            co_await conn.send("334 VXNlcm5hbWU6\r\n");
                                            auto user = co_await conn.line(false);
                                            co_await conn.send("334 UGFzc3dvcmQ6\r\n");
                                            auto password = co_await conn.line(false);
                                            if (!user || !password)
                                                co_return false;
                                            answers = {*user, *password};
                                            co_await conn.send("235 2.7.0 Authentication successful\r\n");
                                            co_return true;
                                        });
                                });
        auto config = client_config(server);
        config.credentials.mechanism = mss::smtp::auth_mechanism::login;
        observed seen;
        config.trace = seen.hook();
        mss::net::smtp_client client(io.get_executor(), config);
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        expect_submitted(io, client, message, &seen);
        REQUIRE(answers.size() == 2);
        CHECK(answers[0] == base64("dr.martin@regional.mssante.test"));
        CHECK(answers[1] == base64(test_password));
        seen.check_hidden(test_password);
        CHECK_FALSE(contains(seen.trace, answers[0]));
        CHECK(contains(seen.trace, "C: <redacted>\r\nS: 334 UGFzc3dvcmQ6\r\nC: <redacted>\r\n"));
    }

    TEST_CASE("a refused password or token shows neither in the trace nor in the error message")
    {
        const std::string token = "ya29.refused-bearer-token-0123456789";
        for (const bool bearer : {false, true})
        {
            CAPTURE(bearer);
            asio::io_context io;
            fake_smtp_server server(
                io,
                [bearer](server_conn& c, fake_smtp_server& s) -> awaitable<void>
                {
                    co_await tls_session(
                        c, s, "PLAIN XOAUTH2",
                        [bearer](server_conn& conn, const std::string&) -> awaitable<bool>
                        {
                            if (bearer)
                            {
                                // RFC 7628 style: a JSON error challenge, an empty answer, then 535.
                                co_await conn.send(
                                    "334 " + base64(R"({"status":"401","schemes":"bearer","scope":"mail"})") +
                                    "\r\n");
                                co_await conn.line(false);
                            }
                            co_await conn.send("535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6\r\n");
                            co_return false;
                        });
                });
            auto config = client_config(server);
            if (bearer)
            {
                config.credentials.secret = token;
                config.credentials.kind = mss::smtp::secret_kind::bearer_token;
            }
            observed seen;
            config.trace = seen.hook();
            mss::net::smtp_client client(io.get_executor(), config);
            const auto message = make_message({"dr.bernard@national.mssante.test"});
            const auto [ec, result, diag] = submit(io, client, message);
            CHECK(ec == mss::smtp::errc::auth_failed);
            CHECK_FALSE(diag.client_message().empty());
            CHECK_FALSE(client.is_connected());
            seen.add(diag);
            seen.check_hidden(bearer ? token : std::string(test_password));
            // The SASL response as sent: base64 of "\0user\0password" or of the XOAUTH2 string.
            const std::string user = "dr.martin@regional.mssante.test";
            seen.check_hidden(bearer ? "user=" + user + "\x01" + "auth=Bearer " + token + "\x01\x01"
                                     : std::string("\0", 1) + user + std::string("\0", 1) + test_password);
            CHECK(contains(seen.trace, "<redacted>"));
        }
    }

    TEST_CASE("a one-time code in the message body never reaches the trace; the server gets it intact")
    {
        asio::io_context io;
        fake_smtp_server server(io, session());
        auto config = client_config(server);
        observed seen;
        config.trace = seen.hook();
        mss::net::smtp_client client(io.get_executor(), config);
        const std::string code = "418907";
        const auto message = code_message(code);
        const auto big = make_message({"dr.bernard@national.mssante.test"}, 200 * 1024, 2);  // several writes
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, result] = co_await client.async_submit(message, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                seen.add(diag);
                std::tie(ec, result) = co_await client.async_submit(big, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                seen.add(diag);
            });
        REQUIRE(server.messages.size() == 2);
        CHECK(contains(server.messages[0], "Code \xC3\xA0 usage unique : " + code));
        seen.check_hidden(code);
        seen.check_hidden("Bonjour");
        seen.check_hidden("Lorem ipsum");
        // The protocol stays readable: envelope, DATA, its 354, the final dot and the 250.
        CHECK(contains(seen.trace, "RCPT TO:<dr.bernard@national.mssante.test>"));
        CHECK(contains(seen.trace, "S: 354 "));
        CHECK(contains(seen.trace, "C: <redacted>\r\n.\r\nS: 250 2.0.0 Ok: queued as 4F1"));
        CHECK(contains(seen.trace, "C: <redacted>\r\n.\r\nS: 250 2.0.0 Ok: queued as 4F2"));
    }

    TEST_CASE("a refused DATA leaves the next command visible in the trace")
    {
        asio::io_context io;
        dialogue d;
        d.refused = {"dr.bernard@national.mssante.test"};
        fake_smtp_server server(io, session(d));
        auto config = client_config(server);
        observed seen;
        config.trace = seen.hook();
        mss::net::smtp_client client(io.get_executor(), config);
        const auto refused = make_message({"dr.bernard@national.mssante.test"});
        const auto accepted = make_message({"dr.durand@national.mssante.test"}, 200, 2);
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, result] = co_await client.async_submit(refused, diag, tuple_awaitable);
                CHECK(ec == mss::smtp::errc::all_recipients_refused);
                std::tie(ec, result) = co_await client.async_submit(accepted, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
            });
        CHECK(contains(seen.trace, "S: 554 5.5.1"));
        CHECK(contains(seen.trace, "C: RSET\r\n"));
        CHECK(contains(seen.trace, "C: MAIL FROM:<dr.martin@regional.mssante.test>"));
        CHECK_FALSE(contains(seen.trace, "Subject: test"));
        CHECK(server.messages.size() == 1);
    }

    TEST_CASE("hostile peer: a server that stops answering mid-session times out, and the next "
              "submission opens a new connection")
    {
        asio::io_context io;
        dialogue first;
        first.stall_on_mail = true;
        fake_smtp_server server(io, first_session(first));
        auto config = client_config(server);
        config.timeouts.reply = 300ms;
        mss::net::smtp_client client(io.get_executor(), config);
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, result] = co_await client.async_submit(message, diag, tuple_awaitable);
                const auto elapsed = std::chrono::steady_clock::now() - started;
                CHECK(ec == mss::errc::read_timeout);
                CHECK(mss::is_fatal(ec));
                CHECK_FALSE(diag.client_message().empty());
                CHECK(elapsed < 3s);
                CHECK_FALSE(client.is_connected());
                std::tie(ec, result) = co_await client.async_submit(message, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
            });
        CHECK(server.accepted == 2);
        CHECK(server.messages.size() == 1);
    }

    TEST_CASE("hostile peer: an EHLO reply that goes on forever stops at the line limit, and the "
              "connection is dropped")
    {
        asio::io_context io;
        int sessions = 0;
        fake_smtp_server server(io,
                                [&sessions](server_conn& c, fake_smtp_server& s) -> awaitable<void>
                                {
                                    if (sessions++ > 0)
                                    {
                                        co_await submission_session(c, s, {});
                                        co_return;
                                    }
                                    co_await c.send("220 fake.test ESMTP\r\n");
                                    co_await c.line();
                                    std::string chunk;
                                    for (int i = 0; i < 100; ++i) chunk += "250-PIPELINING\r\n";
                                    for (;;)
                                    {
                                        const bool sent = co_await c.send(chunk);
                                        if (!sent)
                                            co_return;
                                    }
                                });
        auto config = client_config(server);
        std::size_t received = 0;
        config.trace = count_received(received);
        mss::net::smtp_client client(io.get_executor(), config);
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, result] = co_await client.async_submit(message, diag, tuple_awaitable);
                CHECK(ec == mss::errc::limit_exceeded);
                CHECK(std::chrono::steady_clock::now() - started < 3s);
                CHECK_FALSE(diag.client_message().empty());
                CHECK_FALSE(client.is_connected());
                received = 0;
                std::tie(ec, result) = co_await client.async_submit(message, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
            });
        CHECK(server.accepted == 2);
    }

    TEST_CASE("hostile peer: a reply line without end is refused with bounded reads")
    {
        asio::io_context io;
        fake_smtp_server server(io,
                                [](server_conn& c, fake_smtp_server&) -> awaitable<void>
                                {
                                    co_await c.send("220 ");
                                    co_await flood(c, std::string(16 * 1024, 'x'), 256u * 1024 * 1024);
                                });
        auto config = client_config(server);
        std::size_t received = 0;
        config.trace = count_received(received);
        mss::net::smtp_client client(io.get_executor(), config);
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, result] = co_await client.async_submit(message, diag, tuple_awaitable);
                CHECK((ec == mss::errc::limit_exceeded || ec == mss::errc::malformed_response));
                CHECK(mss::is_fatal(ec));
                CHECK(std::chrono::steady_clock::now() - started < 3s);
                CHECK_FALSE(client.is_connected());
            });
        CHECK(received < 1024 * 1024);  // the line limit, not the 256 MB sent
    }

    TEST_CASE("hostile peer: a connection closed during DATA fails the message, and the next one "
              "goes over a new connection")
    {
        asio::io_context io;
        dialogue first;
        first.close_during_data = true;
        fake_smtp_server server(io, first_session(first));
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto message = make_message({"dr.bernard@national.mssante.test"}, 300 * 1024);
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, result] = co_await client.async_submit(message, diag, tuple_awaitable);
                CHECK(ec);
                CHECK(mss::is_fatal(ec));
                CHECK(std::chrono::steady_clock::now() - started < 3s);
                CHECK_FALSE(client.is_connected());
                std::tie(ec, result) = co_await client.async_submit(message, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
            });
        CHECK(server.accepted == 2);
        CHECK(server.messages.size() == 1);
    }
}
