// SPDX-License-Identifier: Apache-2.0
// mss::net::smtp_client against scripted servers on loopback (see fake_smtp_server.hpp).
#include "fake_smtp_server.hpp"

#include <mss/error.hpp>
#include <mss/smtp/errc.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

using namespace smtp_net_test;
using boost::system::error_code;
using mss::transport::submission_result;

TEST_SUITE("net: smtp client")
{
    TEST_CASE("STARTTLS, AUTH PLAIN and a pipelined message reach every recipient")
    {
        asio::io_context io;
        fake_smtp_server server(io, session());
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto message = make_message(
            {"dr.bernard@national.mssante.test", "pharmacie.centrale@national.mssante.test"}, 5000);
        const auto [ec, result, diag] = submit(io, client, message);
        CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
        REQUIRE(result.recipients.size() == 2);
        CHECK(result.all_accepted());
        CHECK(result.recipients[0].code == 250);
        CHECK(result.recipients[0].enhanced_code == "2.1.5");
        CHECK(contains(result.final_reply, "queued as 4F1"));
        REQUIRE(server.lines.size() == 8);
        CHECK(server.lines[0] == "EHLO client.test");
        CHECK(server.lines[1] == "STARTTLS");
        CHECK(server.lines[2] == "EHLO client.test");
        CHECK(server.lines[3].starts_with("AUTH PLAIN "));
        CHECK(server.lines[4] ==
              "MAIL FROM:<dr.martin@regional.mssante.test> SIZE=" + std::to_string(message.data.size()));
        CHECK(server.lines[5] == "RCPT TO:<dr.bernard@national.mssante.test>");
        CHECK(server.lines[7] == "DATA");
        CHECK(server.pipelined_batches == 1);
        REQUIRE(server.messages.size() == 1);
        CHECK(server.messages[0] == message.data);  // dot-stuffed on the wire, intact at the end
        CHECK(client.is_connected());
    }

    TEST_CASE("a server without PIPELINING gets one command at a time")
    {
        asio::io_context io;
        dialogue d;
        d.pipelining = false;
        fake_smtp_server server(io, session(d));
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        expect_submitted(io, client, message);
        CHECK(server.pipelined_batches == 0);
        CHECK(server.messages.size() == 1);
    }

    TEST_CASE("a server that does not offer STARTTLS gets neither credentials nor mail")
    {
        asio::io_context io;
        dialogue d;
        d.offer_starttls = false;
        fake_smtp_server server(io, session(d));
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        const auto [ec, result, diag] = submit(io, client, message, 50ms);
        CHECK(ec == mss::errc::starttls_not_offered);
        CHECK_FALSE(client.is_connected());
        CHECK(server.lines == std::vector<std::string>{"EHLO client.test"});
        CHECK_FALSE(server.received_command("AUTH"));
        CHECK_FALSE(server.received_command("MAIL"));
    }

    TEST_CASE("bytes after the STARTTLS reply are refused as an injection, before the handshake")
    {
        asio::io_context io;
        dialogue d;
        d.inject_after_starttls = true;
        fake_smtp_server server(io, session(d));
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        const auto [ec, result, diag] = submit(io, client, message, 50ms);
        CHECK(ec == mss::errc::starttls_injection);
        CHECK(mss::is_fatal(ec));
        CHECK(server.lines == std::vector<std::string>{"EHLO client.test", "STARTTLS"});
        CHECK_FALSE(server.received_command("AUTH"));
    }

    TEST_CASE("a certificate from a CA that is not configured is refused, and no credential is sent")
    {
        asio::io_context io;
        server_tls tls;
        tls.cert = pki().cert("other-server");
        tls.key = pki().key("other-server");
        fake_smtp_server server(io, session(), tls);
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        const auto [ec, result, diag] = submit(io, client, message, 50ms);
        CHECK(ec);
        CHECK(mss::is_fatal(ec));
        CHECK_MESSAGE(contains(diag.client_message(), "unable to get local issuer certificate"),
                      diag.client_message());
        CHECK_FALSE(server.received_command("AUTH"));
        CHECK_FALSE(server.received_command("MAIL"));
    }

    TEST_CASE("a certificate for another host name is refused, and no credential is sent")
    {
        asio::io_context io;
        server_tls tls;
        tls.cert = pki().cert("wrong-name");
        tls.key = pki().key("wrong-name");
        fake_smtp_server server(io, session(), tls);
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        const auto [ec, result, diag] = submit(io, client, message, 50ms);
        CHECK(ec);
        CHECK_MESSAGE(contains(diag.client_message(), "IP address mismatch"), diag.client_message());
        CHECK_MESSAGE(contains(diag.client_message(), "certificate verify failed"), diag.client_message());
        CHECK_FALSE(server.received_command("AUTH"));
    }

    TEST_CASE("the server certificate may be checked against a configured name instead of the address")
    {
        asio::io_context io;
        server_tls tls;
        tls.cert = pki().cert("wrong-name");
        tls.key = pki().key("wrong-name");
        fake_smtp_server server(io, session(), tls);
        auto config = client_config(server);
        config.tls_server_name = "mail.other.test";
        mss::net::smtp_client client(io.get_executor(), config);
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        expect_submitted(io, client, message);
    }

    TEST_CASE("a server that never greets times out with greeting_timeout within the configured limit")
    {
        asio::io_context io;
        fake_smtp_server server(io, [](server_conn& c, fake_smtp_server&) { return c.drain(); });
        auto config = client_config(server);
        config.timeouts.reply = 300ms;
        mss::net::smtp_client client(io.get_executor(), config);
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto start = std::chrono::steady_clock::now();
                auto [ec, result] = co_await client.async_submit(message, diag, tuple_awaitable);
                const auto elapsed = std::chrono::steady_clock::now() - start;
                CHECK(ec == mss::errc::greeting_timeout);
                CHECK(elapsed >= 250ms);
                CHECK(elapsed < 2s);
                CHECK_FALSE(client.is_connected());
            });
    }

    TEST_CASE("a reply that goes on forever stops at the line limit, with bounded reads")
    {
        asio::io_context io;
        fake_smtp_server server(io,
                                [](server_conn& c, fake_smtp_server&) -> awaitable<void>
                                {
                                    std::string chunk;
                                    for (int i = 0; i < 200; ++i)
                                        chunk +=
                                            "220-fake.test greets you once more, and again, and again\r\n";
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
        const auto [ec, result, diag] = submit(io, client, message);
        CHECK(ec == mss::errc::limit_exceeded);
        CHECK(mss::is_fatal(ec));
        // 512 lines of 58 bytes are read; the 513th breaks the limit within one more read buffer.
        constexpr std::size_t line = 58;
        CHECK(received > 512 * line);
        CHECK(received < 513 * line + 16 * 1024);
    }

    TEST_CASE("a connection lost during the data is an error, and the message is not reported as sent")
    {
        asio::io_context io;
        dialogue d;
        d.close_during_data = true;
        fake_smtp_server server(io, session(d));
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto message = make_message({"dr.bernard@national.mssante.test"}, 300 * 1024);
        const auto [ec, result, diag] = submit(io, client, message);
        CHECK_MESSAGE(ec, "the submission must fail");
        CHECK(mss::is_fatal(ec));
        CHECK(result.final_reply.empty());
        CHECK_FALSE(client.is_connected());
        CHECK(server.messages.empty());
        CHECK(server.accepted == 1);  // no silent resubmission of data that may have been queued
    }

    TEST_CASE("a second submission while one runs completes with operation_in_progress")
    {
        asio::io_context io;
        fake_smtp_server server(io, session());
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto first = make_message({"dr.bernard@national.mssante.test"}, 200, 1);
        const auto second = make_message({"dr.bernard@national.mssante.test"}, 200, 2);
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag1;
                mss::diagnostics diag2;
                bool first_done = false;
                error_code first_ec;
                client.async_submit(first, diag1,
                                    [&](error_code ec, submission_result)
                                    {
                                        first_done = true;
                                        first_ec = ec;
                                    });
                auto [ec, result] = co_await client.async_submit(second, diag2, tuple_awaitable);
                CHECK(ec == mss::errc::operation_in_progress);
                CHECK_FALSE(mss::is_fatal(ec));
                CHECK_FALSE(first_done);
                while (!first_done) co_await sleep_for(5ms);
                CHECK_MESSAGE(!first_ec, first_ec.message() << ": " << diag1.client_message());
            });
        CHECK(server.messages.size() == 1);
    }

    TEST_CASE("handlers never run inside the initiating call")
    {
        asio::io_context io;
        fake_smtp_server server(io, session());
        auto config = client_config(server);
        config.tls_options.ca_file.clear();  // fails at once, before any I/O
        mss::net::smtp_client client(io.get_executor(), config);
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        mss::diagnostics diag;
        bool done = false;
        error_code got;
        client.async_submit(message, diag,
                            [&](error_code ec, submission_result)
                            {
                                done = true;
                                got = ec;
                            });
        CHECK_FALSE(done);
        bool quit_done = false;
        client.async_quit([&](error_code) { quit_done = true; });  // busy: operation_in_progress
        CHECK_FALSE(quit_done);
        io.run_for(200ms);
        CHECK(done);
        CHECK(quit_done);
        CHECK(got == mss::errc::configuration_error);
        CHECK(contains(diag.client_message(), "trust anchor"));
        CHECK(server.accepted == 0);
    }

    TEST_CASE("terminal cancellation through the handler's slot aborts promptly and closes the connection")
    {
        asio::io_context io;
        dialogue d;
        d.stall_on_mail = true;
        fake_smtp_server server(io, session(d));
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                asio::cancellation_signal signal;
                bool done = false;
                error_code got;
                std::chrono::steady_clock::time_point completed;
                client.async_submit(message, diag,
                                    asio::bind_cancellation_slot(signal.slot(),
                                                                 [&](error_code ec, submission_result)
                                                                 {
                                                                     done = true;
                                                                     got = ec;
                                                                     completed =
                                                                         std::chrono::steady_clock::now();
                                                                 }));
                co_await sleep_for(300ms);  // the server has the transaction and keeps silent
                REQUIRE_FALSE(done);
                REQUIRE(server.received_command("MAIL"));
                const auto cancelled = std::chrono::steady_clock::now();
                signal.emit(asio::cancellation_type::terminal);
                while (!done) co_await sleep_for(1ms);
                CHECK(got == asio::error::operation_aborted);
                CHECK(completed - cancelled < 500ms);  // the reply limit is 5 s
                CHECK_FALSE(client.is_connected());
            });
    }

    TEST_CASE("the trace shows the exchange with the password and the XOAUTH2 token redacted")
    {
        const std::string token = "ya29.a0AfB-very-secret-access-token";
        for (const bool bearer : {false, true})
        {
            CAPTURE(bearer);
            asio::io_context io;
            fake_smtp_server server(io, session());
            auto config = client_config(server);
            if (bearer)
            {
                config.credentials.secret = token;
                config.credentials.kind = mss::smtp::secret_kind::bearer_token;
            }
            std::string trace;
            config.trace = record_trace(trace);
            mss::net::smtp_client client(io.get_executor(), config);
            const auto message = make_message({"dr.bernard@national.mssante.test"});
            expect_submitted(io, client, message);
            REQUIRE(server.lines.size() > 3);
            const std::string& auth = server.lines[3];
            const std::string mechanism = bearer ? "AUTH XOAUTH2 " : "AUTH PLAIN ";
            REQUIRE(auth.starts_with(mechanism));
            const std::string sent_secret = auth.substr(mechanism.size());
            CHECK(sent_secret.size() > 20);
            CHECK_FALSE(contains(trace, sent_secret));
            CHECK_FALSE(contains(trace, test_password));
            CHECK_FALSE(contains(trace, token));
            CHECK(contains(trace, "C: " + mechanism + "<redacted>\r\n"));
            CHECK(contains(trace, "S: 235 2.7.0"));
            CHECK(contains(trace, "C: MAIL FROM:<dr.martin@regional.mssante.test>"));
            // The message itself is content, not protocol: hidden, its final dot shown.
            CHECK_FALSE(contains(trace, "Subject: test 1"));
            CHECK(contains(trace, "C: <redacted>\r\n.\r\n"));
        }
    }

    TEST_CASE("one connection carries three messages")
    {
        asio::io_context io;
        fake_smtp_server server(io, session());
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                for (int i = 1; i <= 3; ++i)
                {
                    const auto message = make_message({"dr.bernard@national.mssante.test"}, 1000, i);
                    mss::diagnostics diag;
                    auto [ec, result] = co_await client.async_submit(message, diag, tuple_awaitable);
                    CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                }
                auto [ec] = co_await client.async_quit(tuple_awaitable);
                CHECK_FALSE(ec);
                CHECK_FALSE(client.is_connected());
            });
        CHECK(server.accepted == 1);
        CHECK(server.count("AUTH ") == 1);
        CHECK(server.count("MAIL FROM:") == 3);
        CHECK(server.count("RSET") == 0);  // nothing failed: no RSET needed between messages
        CHECK(server.count("QUIT") == 1);
        CHECK(server.messages.size() == 3);
    }

    TEST_CASE("a kept connection that the server closed while idle is reopened once, transparently")
    {
        for (const bool silently : {false, true})
        {
            CAPTURE(silently);
            asio::io_context io;
            dialogue d;
            d.close_after_messages = 1;  // "421 4.4.2 timeout exceeded", or a bare close
            d.close_silently = silently;
            fake_smtp_server server(io, session(d));
            mss::net::smtp_client client(io.get_executor(), client_config(server));
            run(io,
                [&]() -> awaitable<void>
                {
                    for (int i = 1; i <= 2; ++i)
                    {
                        const auto message = make_message({"dr.bernard@national.mssante.test"}, 1000, i);
                        mss::diagnostics diag;
                        auto [ec, result] = co_await client.async_submit(message, diag, tuple_awaitable);
                        CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                        co_await sleep_for(50ms);  // the server's close arrives meanwhile
                    }
                });
            CHECK(server.accepted == 2);
            CHECK(server.messages.size() == 2);
        }
    }

    TEST_CASE("every recipient refused: all_recipients_refused with each 550 5.1.1, and the session goes on")
    {
        asio::io_context io;
        dialogue d;
        d.refused = {"nobody@national.mssante.test", "ghost@national.mssante.test"};
        fake_smtp_server server(io, session(d));
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                const auto refused =
                    make_message({"nobody@national.mssante.test", "ghost@national.mssante.test"});
                mss::diagnostics diag;
                auto [ec, result] = co_await client.async_submit(refused, diag, tuple_awaitable);
                CHECK(ec == mss::smtp::errc::all_recipients_refused);
                CHECK_FALSE(mss::is_fatal(ec));
                CHECK(contains(diag.client_message(), "550 5.1.1"));
                CHECK(contains(diag.server_message(), "User unknown"));
                REQUIRE(result.recipients.size() == 2);
                for (const auto& r : result.recipients)
                {
                    CHECK_FALSE(r.accepted);
                    CHECK(r.code == 550);
                    CHECK(r.enhanced_code == "5.1.1");
                }
                CHECK(client.is_connected());

                const auto good = make_message({"dr.bernard@national.mssante.test"}, 200, 2);
                std::tie(ec, result) = co_await client.async_submit(good, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
            });
        CHECK(server.accepted == 1);
        CHECK(server.messages.size() == 1);
    }

    TEST_CASE("a refused recipient among others is reported, the others get the message")
    {
        asio::io_context io;
        dialogue d;
        d.refused = {"nobody@national.mssante.test"};
        fake_smtp_server server(io, session(d));
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                const auto message =
                    make_message({"dr.bernard@national.mssante.test", "nobody@national.mssante.test",
                                  "pharmacie.centrale@national.mssante.test"});
                mss::diagnostics diag;
                auto [ec, result] = co_await client.async_submit(message, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                REQUIRE(result.recipients.size() == 3);
                CHECK(result.recipients[0].accepted);
                CHECK_FALSE(result.recipients[1].accepted);
                CHECK(result.recipients[1].code == 550);
                CHECK(result.recipients[1].enhanced_code == "5.1.1");
                CHECK(result.recipients[2].accepted);
                CHECK_FALSE(result.all_accepted());
            });
        CHECK(server.messages.size() == 1);
    }

    TEST_CASE("implicit TLS: the handshake comes first and there is no STARTTLS")
    {
        asio::io_context io;
        server_tls tls;
        tls.implicit = true;
        dialogue d;
        d.implicit_tls = true;
        fake_smtp_server server(io, session(d), tls);
        auto config = client_config(server);
        config.tls = mss::smtp::tls_mode::implicit;
        mss::net::smtp_client client(io.get_executor(), config);
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        expect_submitted(io, client, message);
        CHECK_FALSE(server.received_command("STARTTLS"));
        CHECK(server.count("EHLO") == 1);
        CHECK(server.messages.size() == 1);
    }

    TEST_CASE("a client certificate without a secret authenticates with AUTH EXTERNAL")
    {
        asio::io_context io;
        server_tls tls;
        tls.implicit = true;
        tls.verify_client = true;
        dialogue d;
        d.implicit_tls = true;
        fake_smtp_server server(io, session(d), tls);
        auto config = client_config(server);
        config.tls = mss::smtp::tls_mode::implicit;
        config.tls_options.client_certificate_file = pki().cert("client");
        config.tls_options.client_key_file = pki().key("client");
        config.credentials = {};
        mss::net::smtp_client client(io.get_executor(), config);
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        expect_submitted(io, client, message);
        CHECK(server.client_certificate_seen);
        CHECK(server.count("AUTH EXTERNAL") == 1);
    }

    TEST_CASE("quitting without a connection does nothing and succeeds")
    {
        asio::io_context io;
        fake_smtp_server server(io, session());
        mss::net::smtp_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                auto [ec] = co_await client.async_quit(tuple_awaitable);
                CHECK_FALSE(ec);
            });
        CHECK(server.accepted == 0);
    }

    TEST_CASE("destroying the client during a submission completes it with operation_aborted")
    {
        asio::io_context io;
        dialogue d;
        d.stall_on_mail = true;
        fake_smtp_server server(io, session(d));
        auto client = std::make_unique<mss::net::smtp_client>(io.get_executor(), client_config(server));
        const auto message = make_message({"dr.bernard@national.mssante.test"});
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                bool done = false;
                error_code got;
                client->async_submit(message, diag,
                                     [&](error_code ec, submission_result)
                                     {
                                         done = true;
                                         got = ec;
                                     });
                co_await sleep_for(200ms);
                REQUIRE_FALSE(done);
                client.reset();
                while (!done) co_await sleep_for(1ms);
                CHECK(got == asio::error::operation_aborted);
            });
    }
}
