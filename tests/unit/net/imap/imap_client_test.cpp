// SPDX-License-Identifier: Apache-2.0
// mss::net::imap_client against scripted servers on loopback (see fake_imap_server.hpp).
#include "fake_imap_server.hpp"

#include <mss/error.hpp>
#include <mss/imap/errc.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

using namespace imap_net_test;
using boost::system::error_code;
using mss::transport::folder_role;
using mss::transport::folder_sync_state;
using mss::transport::message_flags;

TEST_SUITE("net: imap client")
{
    TEST_CASE(
        "STARTTLS, AUTHENTICATE PLAIN with SASL-IR, ENABLE and LIST: folders with their roles, secrets "
        "redacted in the trace")
    {
        asio::io_context io;
        fake_imap_server server(io);
        auto config = client_config(server);
        std::string trace;
        config.trace = record_trace(trace);
        mss::net::imap_client client(io.get_executor(), config);
        const auto [ec, folders, diag] = list_folders(io, client);
        REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
        REQUIRE(folders.size() == 5);  // \Noselect left out
        CHECK(folders[0].name == "INBOX");
        CHECK(folders[0].role == folder_role::inbox);
        CHECK(folders[1].role == folder_role::sent);
        CHECK(folders[2].role == folder_role::drafts);
        CHECK(folders[3].role == folder_role::trash);
        CHECK(folders[4].name == "Entwürfe");
        CHECK(folders[4].role == folder_role::other);
        CHECK(client.is_connected());
        CHECK(client.server_capabilities().qresync());
        REQUIRE(server.lines.size() == 5);
        CHECK(server.lines[0].ends_with(" STARTTLS"));
        CHECK(contains(server.lines[1], " CAPABILITY"));
        CHECK(contains(server.lines[2], " AUTHENTICATE PLAIN "));  // the response on the same line
        CHECK(contains(server.lines[3], " ENABLE QRESYNC CONDSTORE"));
        CHECK(server.lines[4].ends_with(" LIST \"\" \"*\" RETURN (SPECIAL-USE)"));
        CHECK(contains(trace, "AUTHENTICATE PLAIN <redacted>"));
        CHECK_FALSE(contains(trace, server.lines[2].substr(server.lines[2].rfind(' ') + 1)));
        CHECK(server.accepted == 1);
    }

    TEST_CASE("without AUTH=PLAIN, LOGIN is used, and neither the login nor the password reaches the trace")
    {
        asio::io_context io;
        behaviour b;
        b.auth_plain = false;
        fake_imap_server server(io, b);
        auto config = client_config(server);
        config.credentials.password = "pass \"word\\ with specials";
        std::string trace;
        config.trace = [&](mss::net::trace_direction, std::string_view bytes) { trace += bytes; };
        mss::net::imap_client client(io.get_executor(), config);
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                // The default token (asio::deferred) is awaitable as it is.
                co_await client.async_logout();
                CHECK_FALSE(client.is_connected());
            });
        REQUIRE(server.lines.size() >= 3);
        CHECK(server.lines.back().ends_with(" LOGOUT"));
        CHECK(contains(server.lines[2], " LOGIN "));
        CHECK_MESSAGE(contains(trace, " LOGIN \"<redacted>\" \"<redacted>\""), trace);
        CHECK_FALSE(contains(trace, "specials"));
        CHECK_FALSE(contains(trace, "cardiologie.chu@"));
    }

    TEST_CASE("a server that does not offer STARTTLS is refused before any credential is sent")
    {
        asio::io_context io;
        behaviour b;
        b.offer_starttls = false;
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        const auto [ec, folders, diag] = list_folders(io, client, 50ms);
        CHECK(ec == mss::errc::starttls_not_offered);
        CHECK(mss::is_fatal(ec));
        CHECK_FALSE(client.is_connected());
        CHECK(server.lines.empty());
        CHECK_FALSE(server.received("AUTHENTICATE"));
        CHECK_FALSE(server.received("LOGIN"));
    }

    TEST_CASE(
        "bytes sent with the STARTTLS OK are refused as an injection, before the handshake and any "
        "credential")
    {
        asio::io_context io;
        behaviour b;
        b.inject_after_starttls = true;
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        const auto [ec, folders, diag] = list_folders(io, client, 50ms);
        CHECK(ec == mss::errc::starttls_injection);
        CHECK(contains(diag.client_message(), "STARTTLS"));
        REQUIRE(server.lines.size() == 1);
        CHECK(server.lines[0].ends_with(" STARTTLS"));
        CHECK_FALSE(server.received("AUTHENTICATE"));
    }

    TEST_CASE("a 2 GB literal announcement fails with literal_too_large at once, with bounded memory")
    {
        asio::io_context io;
        behaviour b;
        b.on_command = on("UID FETCH", flooding("* 1 FETCH (UID 1 BODY[] {2147483648}\r\n",
                                                std::string(64 * 1024, 'x'), 256u * 1024 * 1024));
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        const std::size_t before = resident_bytes();
        std::size_t after = 0;
        std::chrono::steady_clock::duration elapsed{};
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, folders] =
                    co_await client.async_list_folders(diag, tuple_awaitable);  // connect first
                REQUIRE(!ec);
                const auto started = std::chrono::steady_clock::now();
                auto [fetch_ec, body] =
                    co_await client.async_fetch_message("INBOX", 1, diag, tuple_awaitable);
                elapsed = std::chrono::steady_clock::now() - started;
                after = resident_bytes();
                CHECK(fetch_ec == mss::imap::errc::literal_too_large);
                CHECK(body.empty());
                CHECK_FALSE(client.is_connected());  // fatal: the stream cannot be resynchronised
            });
        CHECK(elapsed < 2s);
        CHECK(after < before + 16 * 1024 * 1024);
    }

    TEST_CASE("an endless line ends with limit_exceeded")
    {
        asio::io_context io;
        behaviour b;
        b.on_command = on("UID FETCH", flooding("* 1 FETCH (UID 1 FLAGS (", std::string(16 * 1024, 'a'),
                                                64u * 1024 * 1024));
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        const auto [ec, changes, diag] = sync_inbox(io, client);
        CHECK(ec == mss::errc::limit_exceeded);
        CHECK(contains(diag.client_message(), "line longer than the limit"));
        CHECK_FALSE(client.is_connected());
    }

    TEST_CASE("a tagged response with a tag never used is an error, and the connection is not reused")
    {
        asio::io_context io;
        behaviour b;
        int selects = 0;
        b.on_command = [&selects](server_conn& c, fake_imap_server&, std::string,
                                  std::string line) -> awaitable<bool>
        {
            if (!line.starts_with("SELECT") || selects++ > 0)
                co_return false;
            co_await c.send("* 3 EXISTS\r\nZZ999 OK [READ-WRITE] Select completed.\r\n");
            co_return true;
        };
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, changes] = co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                CHECK(ec == mss::imap::errc::unknown_tag);
                CHECK(mss::imap::is_fatal(ec));
                CHECK_FALSE(client.is_connected());
                // The next operation opens a new connection, where all is well.
                std::tie(ec, changes) = co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(changes.new_messages.size() == 3);
            });
        CHECK(server.accepted == 2);
    }

    TEST_CASE("a BYE in the middle of a FETCH ends the sync with bye and the server's words")
    {
        asio::io_context io;
        behaviour b;
        b.on_command =
            on("UID FETCH",
               [](server_conn& c, std::string) -> awaitable<bool>
               {
                   const std::string header = test_header(1);
                   co_await c.send(
                       "* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 10 INTERNALDATE \"07-Jan-2025 09:15:02 +0100\" "
                       "BODY[HEADER] {" +
                       std::to_string(header.size()) + "}\r\n" + header +
                       ")\r\n"
                       "* BYE Server shutting down.\r\n");
                   c.close();
                   co_return true;
               });
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        const auto [ec, changes, diag] = sync_inbox(io, client);
        CHECK(ec == mss::imap::errc::bye);
        CHECK(contains(diag.server_message(), "Server shutting down"));
        CHECK(changes.new_messages.empty());  // nothing half-done is reported
        CHECK_FALSE(client.is_connected());
    }

    TEST_CASE("a server that never greets gives greeting_timeout; one that never answers gives read_timeout")
    {
        asio::io_context io;
        behaviour mute;
        mute.greet = false;
        fake_imap_server silent(io, mute);
        behaviour b;
        b.on_command = on("SELECT",
                          [](server_conn& c, std::string) -> awaitable<bool>
                          {
                              co_await c.drain();
                              co_return true;
                          });
        fake_imap_server stalling(io, b);
        auto silent_config = client_config(silent);
        silent_config.timeouts.reply = 300ms;
        auto stalling_config = client_config(stalling);
        stalling_config.timeouts.reply = 300ms;
        mss::net::imap_client first(io.get_executor(), silent_config);
        mss::net::imap_client second(io.get_executor(), stalling_config);
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto started = std::chrono::steady_clock::now();
                auto [ec, folders] = co_await first.async_list_folders(diag, tuple_awaitable);
                CHECK(ec == mss::errc::greeting_timeout);
                CHECK(std::chrono::steady_clock::now() - started < 2s);
                started = std::chrono::steady_clock::now();
                auto [sync_ec, changes] =
                    co_await second.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                CHECK(sync_ec == mss::errc::read_timeout);
                CHECK(std::chrono::steady_clock::now() - started < 2s);
                CHECK_FALSE(second.is_connected());
            });
    }

    TEST_CASE(
        "sync: a full sync with an empty state, then QRESYNC reports vanished and changed flags in the "
        "SELECT")
    {
        asio::io_context io;
        behaviour b;
        int selects = 0;
        b.on_command = [&selects](server_conn& c, fake_imap_server&, std::string tag,
                                  std::string line) -> awaitable<bool>
        {
            if (!line.starts_with("SELECT") || selects++ == 0)
                co_return false;
            CHECK(line == "SELECT INBOX (QRESYNC (1700000000 10))");
            const std::string header = test_header(5);
            co_await c.send(
                "* 3 EXISTS\r\n* OK [UIDVALIDITY 1700000000] UIDs valid\r\n"
                "* OK [UIDNEXT 6] Predicted next UID\r\n* OK [HIGHESTMODSEQ 14] Highest\r\n"
                "* VANISHED (EARLIER) 2,9\r\n"
                "* 1 FETCH (UID 1 FLAGS (\\Seen \\Flagged $Forwarded) MODSEQ (12))\r\n"
                "* 3 FETCH (UID 5 FLAGS () MODSEQ (14))\r\n" +
                tag + " OK [READ-WRITE] Select completed.\r\n");
            co_return true;
        };
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, first] = co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(first.full_resync);
                CHECK(first.state == folder_sync_state{1700000000, 4, 10});
                REQUIRE(first.new_messages.size() == 3);
                CHECK(first.new_messages[0].uid == 1);
                CHECK(first.new_messages[0].flags == message_flags::seen);
                CHECK(first.new_messages[0].modseq == 6);
                CHECK(first.new_messages[0].size == 2345);
                CHECK(first.new_messages[0].header == test_header(1).substr(0, test_header(1).size() - 2));
                // Known: UIDs 1-3 up to modseq 10. Now: 2 expunged, 1 flagged, 4-5 arrived (4 already
                // expunged), 9 vanished (never known: ignored).
                auto [sync_ec, changes] =
                    co_await client.async_sync_folder("INBOX", first.state, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!sync_ec, sync_ec.message() << ": " << diag.client_message());
                CHECK_FALSE(changes.full_resync);
                CHECK(changes.state == folder_sync_state{1700000000, 6, 14});
                CHECK(changes.vanished == std::vector<std::uint32_t>{2});
                REQUIRE(changes.flag_changes.size() == 1);
                CHECK(changes.flag_changes[0].uid == 1);
                CHECK(changes.flag_changes[0].flags == (message_flags::seen | message_flags::flagged));
                CHECK(changes.flag_changes[0].modseq == 12);
            });
        CHECK(server.received("UID FETCH 1:3 (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ BODY.PEEK[HEADER])"));
        CHECK(server.received("UID FETCH 4:5 (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ BODY.PEEK[HEADER])"));
    }

    TEST_CASE("IDLE: a new message ends the wait with true through DONE")
    {
        asio::io_context io;
        fake_imap_server server(io);
        server.idle_event = "* 4 EXISTS\r\n";
        mss::net::imap_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, changed] =
                    co_await client.async_wait_for_changes("INBOX", 10s, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(changed);
                CHECK(std::chrono::steady_clock::now() - started < 2s);
                CHECK(client.is_connected());
            });
        CHECK(server.idles == 1);
        CHECK(server.dones == 1);
    }

    TEST_CASE("IDLE is renewed every idle_refresh within max_wait, which ends with false")
    {
        asio::io_context io;
        fake_imap_server server(io);
        auto config = client_config(server);
        config.idle_refresh = 200ms;
        mss::net::imap_client client(io.get_executor(), config);
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, changed] =
                    co_await client.async_wait_for_changes("INBOX", 700ms, diag, tuple_awaitable);
                const auto elapsed = std::chrono::steady_clock::now() - started;
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK_FALSE(changed);
                CHECK(elapsed >= 700ms);
                CHECK(elapsed < 2s);
            });
        CHECK(server.idles == 4);  // 200 + 200 + 200 + 100 ms
        CHECK(server.dones == 4);
    }

    TEST_CASE("IDLE: a server that does not answer DONE is taken for dead (read_timeout)")
    {
        asio::io_context io;
        behaviour b;
        b.answer_done = false;
        fake_imap_server server(io, b);
        auto config = client_config(server);
        config.timeouts.reply = 300ms;
        config.idle_refresh = 200ms;
        mss::net::imap_client client(io.get_executor(), config);
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, changed] =
                    co_await client.async_wait_for_changes("INBOX", 10s, diag, tuple_awaitable);
                CHECK(ec == mss::errc::read_timeout);
                CHECK_FALSE(changed);
                CHECK(std::chrono::steady_clock::now() - started < 2s);
                CHECK_FALSE(client.is_connected());
            });
        CHECK(server.dones == 1);
    }

    TEST_CASE("without IDLE, NOOP polling sees a change")
    {
        asio::io_context io;
        behaviour b;
        b.idle = false;
        int noops = 0;
        b.on_command =
            on("NOOP",
               [&noops](server_conn& c, std::string tag) -> awaitable<bool>
               {
                   co_await c.send((++noops == 3 ? "* 4 EXISTS\r\n" : "") + tag + " OK NOOP completed.\r\n");
                   co_return true;
               });
        fake_imap_server server(io, b);
        auto config = client_config(server);
        config.poll_interval = 100ms;
        mss::net::imap_client client(io.get_executor(), config);
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, changed] =
                    co_await client.async_wait_for_changes("INBOX", 5s, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(changed);
            });
        CHECK(noops == 3);
        CHECK(server.idles == 0);
    }

    TEST_CASE("a terminal cancellation of a wait closes the connection and completes with operation_aborted")
    {
        asio::io_context io;
        fake_imap_server server(io);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                asio::cancellation_signal signal;
                asio::steady_timer t(io, 200ms);
                t.async_wait([&](error_code) { signal.emit(asio::cancellation_type::terminal); });
                auto [ec, changed] = co_await client.async_wait_for_changes(
                    "INBOX", 10s, diag, asio::bind_cancellation_slot(signal.slot(), tuple_awaitable));
                CHECK(ec == asio::error::operation_aborted);
                CHECK_FALSE(client.is_connected());
                // The next operation reconnects.
                auto [list_ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                CHECK(!list_ec);
            });
        CHECK(server.accepted == 2);
    }

    TEST_CASE(
        "a terminal cancellation of a sync stalled in its FETCH, and the client's destruction during an "
        "operation, both complete with operation_aborted")
    {
        asio::io_context io;
        behaviour b;
        b.on_command = on("UID FETCH",
                          [](server_conn& c, std::string) -> awaitable<bool>
                          {
                              co_await c.drain();
                              co_return true;
                          });
        fake_imap_server server(io, b);
        auto client = std::make_unique<mss::net::imap_client>(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                asio::cancellation_signal signal;
                asio::steady_timer t(io, 200ms);
                t.async_wait([&](error_code) { signal.emit(asio::cancellation_type::terminal); });
                const auto started = std::chrono::steady_clock::now();
                auto [ec, changes] = co_await client->async_sync_folder(
                    "INBOX", {}, diag, asio::bind_cancellation_slot(signal.slot(), tuple_awaitable));
                CHECK(ec == asio::error::operation_aborted);
                CHECK(std::chrono::steady_clock::now() - started < 2s);
                CHECK(changes.new_messages.empty());
                CHECK_FALSE(client->is_connected());

                bool done = false;
                error_code destroyed_ec;
                client->async_sync_folder("INBOX", {}, diag,
                                          [&](error_code e, mss::transport::folder_changes)
                                          {
                                              destroyed_ec = e;
                                              done = true;
                                          });
                co_await sleep_for(200ms);
                CHECK_FALSE(done);
                client.reset();
                for (int i = 0; i < 100 && !done; ++i) co_await sleep_for(10ms);
                CHECK(done);
                CHECK(destroyed_ec == asio::error::operation_aborted);
            });
    }

    TEST_CASE("a second operation while one runs is operation_in_progress and does not disturb the first")
    {
        asio::io_context io;
        fake_imap_server server(io);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                mss::diagnostics other_diag;
                bool second_done = false;
                error_code second_ec;
                client.async_list_folders(other_diag,
                                          [&](error_code ec, std::vector<mss::transport::folder_info>)
                                          {
                                              second_done = true;
                                              second_ec = ec;
                                          });
                auto [ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                // The first call started first: it runs; the awaited one is the second.
                CHECK(ec == mss::errc::operation_in_progress);
                for (int i = 0; i < 100 && !second_done; ++i) co_await sleep_for(10ms);
                CHECK(second_done);
                CHECK(!second_ec);
            });
    }

    TEST_CASE("a kept connection closed by the server with BYE is reopened once, transparently")
    {
        asio::io_context io;
        behaviour b;
        b.on_command = [](server_conn& c, fake_imap_server& s, std::string,
                          std::string line) -> awaitable<bool>
        {
            // The first connection's second command finds the server gone (inactivity).
            if (s.accepted == 1 && line.starts_with("SELECT") && s.received("LIST"))
            {
                co_await c.send("* BYE Disconnected for inactivity.\r\n");
                c.close();
                co_return true;
            }
            co_return false;
        };
        fake_imap_server server(io, b);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                REQUIRE(!ec);
                auto [sync_ec, changes] =
                    co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                CHECK_MESSAGE(!sync_ec, sync_ec.message() << ": " << diag.client_message());
                CHECK(changes.new_messages.size() == 3);
            });
        CHECK(server.accepted == 2);
    }

    TEST_CASE("APPEND with LITERAL+ in one write returns the APPENDUID; STORE adds then removes silently")
    {
        asio::io_context io;
        fake_imap_server server(io);
        mss::net::imap_client client(io.get_executor(), client_config(server));
        const std::string message = "Subject: copie\r\n\r\nBonjour\r\n";
        run(io,
            [&]() -> awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, uid] =
                    co_await client.async_append("Sent", message, message_flags::seen, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(uid == 4);
                auto [store_ec] = co_await client.async_store_flags(
                    "INBOX", 2, message_flags::seen | message_flags::flagged, message_flags::draft, diag,
                    tuple_awaitable);
                CHECK(!store_ec);
            });
        CHECK(server.received("APPEND Sent (\\Seen) {" + std::to_string(message.size()) + "+}"));
        CHECK(server.received("UID STORE 2 +FLAGS.SILENT (\\Seen \\Flagged)"));
        CHECK(server.received("UID STORE 2 -FLAGS.SILENT (\\Draft)"));
    }

    TEST_CASE("a plaintext configuration is refused without connecting")
    {
        asio::io_context io;
        fake_imap_server server(io);
        auto config = client_config(server);
        config.tls = mss::imap::tls_mode::insecure_plaintext;
        mss::net::imap_client client(io.get_executor(), config);
        const auto [ec, folders, diag] = list_folders(io, client);
        CHECK(ec == mss::errc::configuration_error);
        CHECK(server.accepted == 0);
    }
}
