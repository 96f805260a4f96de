// SPDX-License-Identifier: Apache-2.0
// mss::net::imap_client against hostile or broken servers (a clear error within a bounded time,
// bounded memory, and the broken connection is never reused), and what the protocol trace and
// the error messages may show: no password, no token, no message content (a link's one-time
// code travels in a message body).
#include "unit/net/imap/fake_imap_server.hpp"

#include <mss/error.hpp>
#include <mss/imap/errc.hpp>

using namespace imap_net_test;

namespace
{

// A code message as the link service writes it, padded so that it spans several TLS records.
std::string code_message(const std::string& code)
{
    std::string m = test_header(1);
    m.insert(m.size() - 2, "Content-Type: text/plain; charset=utf-8\r\n");
    m += "Bonjour,\r\n\r\nCode \xC3\xA0 usage unique : " + code + "\r\n\r\n";
    while (m.size() < 100 * 1024)
        m += "Ce code est valable une heure. Saisissez-le pour terminer l'association.\r\n";
    m += "Fin du code " + code + ".\r\n";
    return m;
}

}  // namespace

TEST_SUITE("net: imap client, robustness")
{
    TEST_CASE("AUTHENTICATE XOAUTH2: the token shows neither in the trace nor, when refused, in the error")
    {
        const std::string token = "ya29.imap-bearer-token-0123456789";
        for (const bool refuse : {false, true})
        {
            CAPTURE(refuse);
            asio::io_context io;
            behaviour b;
            b.extra_caps = " AUTH=XOAUTH2";
            if (refuse)
                b.on_command = on("AUTHENTICATE",
                                  [](server_conn& c, std::string tag) -> awaitable<bool>
                                  {
                                      co_await c.send(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
                                      co_return true;
                                  });
            fake_imap_server server(io, b);
            auto config = client_config(server);
            config.credentials.oauth_token = token;
            observed seen;
            config.trace = seen.hook();
            mss::net::imap_client client(io.get_executor(), config);
            const auto [ec, folders, diag] = list_folders(io, client);
            CHECK(static_cast<bool>(ec) == refuse);
            if (refuse)
                CHECK_FALSE(diag.client_message().empty());
            seen.add(diag);
            REQUIRE(server.lines.size() >= 3);
            CHECK(contains(server.lines[2], "AUTHENTICATE XOAUTH2 "));
            seen.check_hidden(token);
            seen.check_hidden(server.lines[2].substr(server.lines[2].rfind(' ') + 1));
            seen.check_hidden(test_password);
            CHECK(contains(seen.trace, "AUTHENTICATE XOAUTH2 <redacted>"));
        }
    }

    TEST_CASE("a refused password shows neither in the trace nor in the error message")
    {
        for (const bool plain : {true, false})
        {
            CAPTURE(plain);
            asio::io_context io;
            behaviour b;
            b.auth_plain = plain;  // without AUTH=PLAIN: LOGIN
            b.on_command = [](server_conn& c, fake_imap_server&, std::string tag, std::string line) -> awaitable<bool>
            {
                if (!line.starts_with("AUTHENTICATE") && !line.starts_with("LOGIN"))
                    co_return false;
                co_await c.send(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
                co_return true;
            };
            fake_imap_server server(io, b);
            auto config = client_config(server);
            observed seen;
            config.trace = seen.hook();
            mss::net::imap_client client(io.get_executor(), config);
            const auto [ec, folders, diag] = list_folders(io, client);
            CHECK(ec);
            CHECK_FALSE(client.is_connected());
            seen.add(diag);
            seen.check_hidden(test_password);
            CHECK(contains(seen.trace, "<redacted>"));
            CHECK(contains(seen.messages, "Authentication failed"));  // the server's words are kept
        }
    }

    TEST_CASE("a fetched message with a one-time code: the body is returned whole, the trace never shows it")
    {
        asio::io_context io;
        const std::string code = "730215";
        const std::string message = code_message(code);
        behaviour b;
        b.on_command = on("UID FETCH",
                          [&message](server_conn& c, std::string tag) -> awaitable<bool>
                          {
                              co_await c.send("* 1 FETCH (UID 1 BODY[] {" + std::to_string(message.size()) +
                                              "}\r\n" + message + ")\r\n" + tag + " OK Fetch completed.\r\n");
                              co_return true;
                          });
        fake_imap_server server(io, b);
        auto config = client_config(server);
        observed seen;
        config.trace = seen.hook();
        mss::net::imap_client client(io.get_executor(), config);
        std::string body;
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, fetched] = co_await client.async_fetch_message("INBOX", 1, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                body = fetched;
                seen.add(diag);
                // The trace goes on after the literal: the next command and its answer show.
                auto [list_ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                CHECK(!list_ec);
            });
        CHECK(body == message);
        seen.check_hidden(code);
        seen.check_hidden("Bonjour");
        CHECK(contains(seen.trace, "BODY[] {" + std::to_string(message.size()) + "}\r\n<redacted>"));
        CHECK(contains(seen.trace, "OK Fetch completed."));
        CHECK(contains(seen.trace, "* LIST (\\HasNoChildren \\Sent) \"/\" Sent"));
    }

    TEST_CASE("an appended message with a one-time code reaches the server, not the trace")
    {
        const std::string code = "552781";
        const std::string message = code_message(code);
        for (const bool literal_plus : {true, false})
        {
            CAPTURE(literal_plus);
            asio::io_context io;
            behaviour b;
            std::string appended;
            b.on_command = [&appended](server_conn& c, fake_imap_server&, std::string tag,
                                       std::string line) -> awaitable<bool>
            {
                if (!line.starts_with("APPEND"))
                    co_return false;
                appended = line;
                co_await c.send(tag + " OK [APPENDUID 1700000000 9] Append completed.\r\n");
                co_return true;
            };
            fake_imap_server server(io, b);
            auto config = client_config(server);
            observed seen;
            config.trace = seen.hook();
            mss::net::imap_client client(io.get_executor(), config);
            if (!literal_plus)
            {
                // The login answer announces the capabilities after login: take LITERAL+ out.
                server.settings().on_command = [&appended](server_conn& c, fake_imap_server&, std::string tag,
                                                           std::string line) -> awaitable<bool>
                {
                    if (line.starts_with("AUTHENTICATE"))
                    {
                        co_await c.send(tag + " OK [CAPABILITY IMAP4rev1 SASL-IR ENABLE UIDPLUS CONDSTORE QRESYNC "
                                              "SPECIAL-USE] Logged in\r\n");
                        co_return true;
                    }
                    if (!line.starts_with("APPEND"))
                        co_return false;
                    appended = line;
                    co_await c.send(tag + " OK [APPENDUID 1700000000 9] Append completed.\r\n");
                    co_return true;
                };
            }
            run(io,
                [&]() -> awaitable<void>
                {
                    mss::diagnostics diag;
                    auto [ec, uid] = co_await client.async_append("Sent", message, mss::transport::message_flags::seen,
                                                                  diag, tuple_awaitable);
                    CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                    CHECK(uid == 9);
                    seen.add(diag);
                });
            CHECK(contains(appended, "Code \xC3\xA0 usage unique : " + code));
            seen.check_hidden(code);
            seen.check_hidden("Bonjour");
            CHECK(contains(seen.trace, literal_plus ? "+}\r\n<redacted>" : "}\r\nS: + OK\r\nC: <redacted>"));
            CHECK(contains(seen.trace, "OK [APPENDUID 1700000000 9]"));
        }
    }

    TEST_CASE("hostile peer: after a 2 GB literal announcement, the next operation opens a new connection "
              "and the trace shows it again")
    {
        asio::io_context io;
        behaviour b;
        b.on_command = on_first("UID FETCH", flooding("* 1 FETCH (UID 1 BODY[] {2147483648}\r\n",
                                                      std::string(64 * 1024, 'x'), 64u * 1024 * 1024));
        fake_imap_server server(io, b);
        auto config = client_config(server);
        observed seen;
        config.trace = seen.hook();
        mss::net::imap_client client(io.get_executor(), config);
        const std::size_t before = resident_bytes();
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, body] = co_await client.async_fetch_message("INBOX", 1, diag, tuple_awaitable);
                CHECK(ec == mss::imap::errc::literal_too_large);
                CHECK(std::chrono::steady_clock::now() - started < 3s);
                CHECK_FALSE(diag.client_message().empty());
                CHECK_FALSE(client.is_connected());
                seen.trace.clear();
                auto [list_ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                CHECK_MESSAGE(!list_ec, list_ec.message() << ": " << diag.client_message());
            });
        CHECK(resident_bytes() < before + 32 * 1024 * 1024);
        CHECK(server.accepted == 2);
        // The literal cut by the first connection's end does not swallow the second's trace.
        CHECK(contains(seen.trace, "S: * OK [CAPABILITY"));
        CHECK(contains(seen.trace, "OK List completed."));
    }

    TEST_CASE("hostile peer: an endless line ends within bounded time and memory; the next operation "
              "reconnects")
    {
        asio::io_context io;
        behaviour b;
        b.on_command = on_first("UID FETCH", flooding("* 1 FETCH (UID 1 FLAGS (", std::string(16 * 1024, 'a'),
                                                      256u * 1024 * 1024));
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        const std::size_t before = resident_bytes();
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, changes] = co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                CHECK(ec == mss::errc::limit_exceeded);
                CHECK(std::chrono::steady_clock::now() - started < 5s);
                CHECK_FALSE(client.is_connected());
                std::tie(ec, changes) = co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(changes.new_messages.size() == 3);
            });
        CHECK(resident_bytes() < before + 32 * 1024 * 1024);
        CHECK(server.accepted == 2);
    }

    TEST_CASE("hostile peer: after a BYE in the middle of a FETCH, the next operation opens a new connection")
    {
        asio::io_context io;
        behaviour b;
        b.on_command = on_first("UID FETCH",
                                [](server_conn& c, std::string) -> awaitable<bool>
                                {
                                    const std::string header = test_header(1);
                                    co_await c.send("* 1 FETCH (UID 1 FLAGS () BODY[HEADER] {" +
                                                    std::to_string(header.size()) + "}\r\n" + header +
                                                    ")\r\n* BYE Server shutting down.\r\n");
                                    // The socket stays open: the client must not wait for more.
                                    co_await c.drain();
                                    co_return false;
                                });
        fake_imap_server server(io, b);
        auto config = client_config(server);
        config.timeouts.reply = 5s;
        mss::net::imap_client client(io.get_executor(), config);
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, changes] = co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                CHECK(ec == mss::imap::errc::bye);
                CHECK(std::chrono::steady_clock::now() - started < 2s);
                CHECK(contains(diag.server_message(), "Server shutting down"));
                CHECK_FALSE(client.is_connected());
                std::tie(ec, changes) = co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(changes.new_messages.size() == 3);
            });
        CHECK(server.accepted == 2);
    }

    TEST_CASE("hostile peer: STARTTLS injection is refused on every connection, never with a credential")
    {
        asio::io_context io;
        behaviour b;
        b.inject_after_starttls = true;
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                for (int i = 0; i < 2; ++i)
                {
                    mss::diagnostics diag;
                    auto [ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                    CHECK(ec == mss::errc::starttls_injection);
                    CHECK(mss::is_fatal(ec));
                    CHECK_FALSE(client.is_connected());
                }
                co_await sleep_for(50ms);
            });
        CHECK(server.accepted == 2);
        CHECK_FALSE(server.received("AUTHENTICATE"));
        CHECK_FALSE(server.received("LOGIN"));
    }
}
