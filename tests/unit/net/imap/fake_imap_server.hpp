// SPDX-License-Identifier: Apache-2.0
// Test support for the Asio IMAP client, no real server needed: a throwaway PKI (see
// client_harness.hpp), and a small scripted IMAP server on 127.0.0.1 (STARTTLS or implicit TLS)
// written with Asio coroutines, running on the test's own io_context.
// It answers like Dovecot 2.3 by default; `behaviour` switches on the misbehaviours under test,
// and `on_command` lets a test answer any command itself.
#pragma once

#include "../client_harness.hpp"

#include <mss/net/imap_client.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace imap_net_test
{

using namespace net_test;
using asio::ip::tcp;

// ---------------------------------------------------------------------------------------------
// PKI: a CA and a server certificate for localhost / 127.0.0.1. Made once per process.

class test_pki : public net_test::pki_directory
{
public:
    test_pki() : pki_directory("mss-net-imap-test-")
    {
        make_ca("ca", "mss imap test CA");
        make_leaf("server", "ca", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                  "extendedKeyUsage=serverAuth");
    }
};

inline const test_pki& pki()
{
    static const test_pki instance;
    return instance;
}

// ---------------------------------------------------------------------------------------------
// One server-side connection (client_harness.hpp), with the literal reads.

class server_conn : public server_stream
{
public:
    using server_stream::server_stream;

    /** `n` raw octets (a literal's content); nothing when the client left. */
    awaitable<std::optional<std::string>> octets(std::size_t n)
    {
        while (buffer_.size() < n)
        {
            const bool more = co_await fill();
            if (!more)
                co_return std::nullopt;
        }
        std::string out = buffer_.substr(0, n);
        buffer_.erase(0, n);
        co_return out;
    }
};

// ---------------------------------------------------------------------------------------------
// A Dovecot-like session with switches for the misbehaviours under test.

class fake_imap_server;

/** Answers one command itself; returns false to let the default answer it. `tag` and `command`
 *  (upper-cased verb and arguments as sent) come from the command line. */
using command_hook =
    std::function<awaitable<bool>(server_conn&, fake_imap_server&, std::string tag, std::string line)>;

struct behaviour
{
    bool implicit_tls = false;  // TLS right after accept, no STARTTLS
    bool greet = true;          // false: never says anything
    bool offer_starttls = true;
    bool inject_after_starttls = false;  // bytes in the same write as the STARTTLS OK
    bool idle = true;                    // IDLE in the capabilities
    bool answer_done = true;             // false: DONE gets no answer (a dead server)
    bool auth_plain = true;              // false: no AUTH=PLAIN (the client falls back to LOGIN)
    std::string extra_caps;              // more pre-login capabilities (" AUTH=XOAUTH2")
    command_hook on_command;             // per-test answers
};

inline const std::string caps_before_tls =
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN";

inline std::string caps_after_login(const behaviour& b)
{
    std::string caps =
        "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT UNSELECT CHILDREN NAMESPACE UIDPLUS "
        "LIST-EXTENDED CONDSTORE QRESYNC ESEARCH BINARY MOVE LITERAL+ SPECIAL-USE";
    if (b.idle)
        caps += " IDLE";
    return caps;
}

inline std::string test_header(std::uint32_t uid)
{
    return "From: <dr.martin@regional.mssante.test>\r\nTo: <cardiologie.chu@regional.mssante.test>\r\n"
           "Subject: message " +
           std::to_string(uid) + "\r\nMessage-ID: <m" + std::to_string(uid) +
           "@regional.mssante.test>\r\n\r\n";
}

class fake_imap_server
{
public:
    fake_imap_server(asio::io_context& io, behaviour b = {})
        : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          tls_context_(asio::ssl::context::tls_server),
          behaviour_(std::move(b))
    {
        tls_context_.use_certificate_chain_file(pki().cert("server"));
        tls_context_.use_private_key_file(pki().key("server"), asio::ssl::context::pem);
        asio::co_spawn(io, accept_loop(), asio::detached);
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

    int accepted = 0;                // connections accepted
    std::vector<std::string> lines;  // every line received, all connections
    int idles = 0;                   // IDLE commands received
    int dones = 0;                   // DONE lines received
    int noops = 0;
    /** Written to the client during IDLE, after `+ idling` (empty: nothing). */
    std::string idle_event;
    std::chrono::milliseconds idle_event_delay{100};

    bool received(std::string_view part) const
    {
        for (const auto& l : lines)
        {
            if (l.find(part) != std::string::npos)
                return true;
        }
        return false;
    }

    behaviour& settings() { return behaviour_; }

private:
    awaitable<void> accept_loop()
    {
        for (;;)
        {
            auto [ec, socket] = co_await acceptor_.async_accept(tuple_awaitable);
            if (ec)
                co_return;
            ++accepted;
            asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
        }
    }

    awaitable<void> serve(tcp::socket socket)
    {
        server_conn conn(std::move(socket), tls_context_, lines);
        try
        {
            co_await session(conn);
        }
        catch (const std::exception&)
        {
            // A client that left in the middle is part of several tests.
        }
    }

    awaitable<void> session(server_conn& c)
    {
        const behaviour& b = behaviour_;
        if (b.implicit_tls)
        {
            const bool secured = co_await c.start_tls();
            if (!secured)
                co_return;
        }
        if (!b.greet)
        {
            co_await c.drain();
            co_return;
        }
        std::string caps = caps_before_tls;
        if (!b.implicit_tls && b.offer_starttls)
            caps += " STARTTLS";
        if (!b.auth_plain)
            caps.erase(caps.find(" AUTH=PLAIN"), 11);
        caps += b.extra_caps;
        co_await c.send("* OK [CAPABILITY " + caps + "] Dovecot ready.\r\n");
        for (;;)
        {
            auto l = co_await c.line();
            if (!l)
                co_return;
            const auto space = l->find(' ');
            if (space == std::string::npos)
            {
                co_await c.send("* BAD Error in IMAP command received by server.\r\n");
                continue;
            }
            const std::string tag = l->substr(0, space);
            std::string rest = l->substr(space + 1);
            for (std::size_t i = 0; i < rest.size() && rest[i] != ' '; ++i)
                rest[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(rest[i])));
            // A literal at the end of the line: its octets, then the rest of the command.
            while (rest.ends_with("}"))
            {
                const auto open = rest.rfind('{');
                const bool plus = rest[rest.size() - 2] == '+';
                const std::size_t n = std::stoul(rest.substr(open + 1));
                if (!plus)
                    co_await c.send("+ OK\r\n");
                auto data = co_await c.octets(n);
                auto tail = co_await c.line();
                if (!data || !tail)
                    co_return;
                rest += "\r\n" + *data + *tail;
            }
            if (b.on_command)
            {
                const bool handled = co_await b.on_command(c, *this, tag, rest);
                if (handled)
                    continue;
            }
            const bool go_on = co_await answer(c, tag, rest);
            if (!go_on)
                co_return;
        }
    }

    awaitable<bool> answer(server_conn& c, const std::string& tag, const std::string& command)
    {
        const behaviour& b = behaviour_;
        const auto is = [&](std::string_view verb)
        { return command == verb || command.starts_with(std::string(verb) + " "); };
        if (is("CAPABILITY"))
        {
            std::string caps = caps_before_tls;
            if (!c.secured() && !b.implicit_tls && b.offer_starttls)
                caps += " STARTTLS";
            if (!b.auth_plain)
                caps.erase(caps.find(" AUTH=PLAIN"), 11);
            caps += b.extra_caps;
            co_await c.send("* CAPABILITY " + caps + "\r\n" + tag + " OK Pre-login capabilities listed.\r\n");
        }
        else if (is("STARTTLS"))
        {
            std::string reply = tag + " OK Begin TLS negotiation now.\r\n";
            if (b.inject_after_starttls)
                reply += "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n";
            co_await c.send(reply);
            const bool secured = co_await c.start_tls();
            co_return secured;
        }
        else if (is("AUTHENTICATE") || is("LOGIN"))
        {
            co_await c.send(tag + " OK [CAPABILITY " + caps_after_login(b) + "] Logged in\r\n");
        }
        else if (is("ENABLE"))
        {
            co_await c.send("* ENABLED QRESYNC CONDSTORE\r\n" + tag + " OK Enabled.\r\n");
        }
        else if (is("LIST"))
        {
            co_await c.send(
                "* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n"
                "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts\r\n"
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
                "* LIST (\\Noselect \\HasChildren) \"/\" Archives\r\n"
                "* LIST (\\HasNoChildren) \"/\" \"Entw&APw-rfe\"\r\n" +
                tag + " OK List completed.\r\n");
        }
        else if (is("SELECT") || is("EXAMINE"))
        {
            co_await c.send(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags.\r\n"
                "* 3 EXISTS\r\n* 0 RECENT\r\n"
                "* OK [UIDVALIDITY 1700000000] UIDs valid\r\n"
                "* OK [UIDNEXT 4] Predicted next UID\r\n"
                "* OK [HIGHESTMODSEQ 10] Highest\r\n" +
                tag + " OK [READ-WRITE] Select completed.\r\n");
        }
        else if (is("UID FETCH"))
        {
            std::string out;
            for (std::uint32_t uid = 1; uid <= 3; ++uid)
            {
                const std::string header = test_header(uid);
                out += "* " + std::to_string(uid) + " FETCH (UID " + std::to_string(uid) +
                       " FLAGS (\\Seen) MODSEQ (" + std::to_string(uid + 5) +
                       ") INTERNALDATE \"07-Jan-2025 09:15:02 +0100\" RFC822.SIZE 2345 BODY[HEADER] {" +
                       std::to_string(header.size()) + "}\r\n" + header + ")\r\n";
            }
            co_await c.send(out + tag + " OK Fetch completed.\r\n");
        }
        else if (is("IDLE"))
        {
            ++idles;
            co_await c.send("+ idling\r\n");
            if (!idle_event.empty())
            {
                asio::steady_timer t(co_await asio::this_coro::executor, idle_event_delay);
                co_await t.async_wait(tuple_awaitable);
                co_await c.send(idle_event);
            }
            auto done = co_await c.line();
            if (!done)
                co_return false;
            ++dones;
            if (!b.answer_done)
            {
                co_await c.drain();
                co_return false;
            }
            co_await c.send(tag + " OK Idle completed.\r\n");
        }
        else if (is("NOOP"))
        {
            ++noops;
            co_await c.send(tag + " OK NOOP completed.\r\n");
        }
        else if (is("LOGOUT"))
        {
            co_await c.send("* BYE Logging out\r\n" + tag + " OK Logout completed.\r\n");
            c.close();
            co_return false;
        }
        else if (is("UID STORE") || is("UID EXPUNGE"))
        {
            co_await c.send(tag + " OK Done.\r\n");
        }
        else if (is("APPEND"))
        {
            co_await c.send(tag + " OK [APPENDUID 1700000000 4] Append completed.\r\n");
        }
        else
        {
            co_await c.send(tag + " BAD Error in IMAP command.\r\n");
        }
        co_return true;
    }

    tcp::acceptor acceptor_;
    asio::ssl::context tls_context_;
    behaviour behaviour_;
};

// ---------------------------------------------------------------------------------------------
// Client side.

inline const char* const test_password = "S3cret-Pa55word";

inline mss::net::imap_client_config client_config(const fake_imap_server& server)
{
    mss::net::imap_client_config config;
    config.host = "127.0.0.1";
    config.port = server.port();
    config.tls_options.ca_file = pki().cert("ca");
    config.credentials.user = "cardiologie.chu@regional.mssante.test";
    config.credentials.password = test_password;
    // Short limits: a test that goes wrong fails in seconds, not minutes.
    config.timeouts.connect = 5s;
    config.timeouts.tls_handshake = 5s;
    config.timeouts.reply = 5s;
    return config;
}

/** A test's answer to one command, given its tag; false lets the default answer it. */
using command_script = std::function<awaitable<bool>(server_conn&, std::string tag)>;

/** A hook answering `verb` commands with `script` (and everything else by default). */
inline command_hook on(std::string verb, command_script script)
{
    return [verb, script](server_conn& c, fake_imap_server&, std::string tag,
                          std::string line) -> awaitable<bool>
    {
        if (!line.starts_with(verb))
            co_return false;
        const bool answered = co_await script(c, std::move(tag));
        co_return answered;
    };
}

/** A hook answering the first `verb` command with `script`; the later ones get the default answer. */
inline command_hook on_first(std::string verb, command_script script)
{
    auto calls = std::make_shared<int>(0);
    return on(std::move(verb),
              [calls, script](server_conn& c, std::string tag) -> awaitable<bool>
              {
                  if ((*calls)++ > 0)
                      co_return false;
                  const bool answered = co_await script(c, std::move(tag));
                  co_return answered;
              });
}

/** A script that writes `opening`, then `chunk` again and again (up to `limit` octets or until
    the client leaves), and lets the default answer whatever follows. */
inline command_script flooding(std::string opening, std::string chunk, std::size_t limit)
{
    return [opening, chunk, limit](server_conn& c, std::string) -> awaitable<bool>
    {
        co_await c.send(opening);
        co_await flood(c, chunk, limit);
        co_return false;
    };
}

/** Lists the folders with `client`, running `io` until it is done, then `settle` more. */
inline auto list_folders(asio::io_context& io, mss::net::imap_client& client,
                         std::chrono::milliseconds settle = 0ms)
{
    return complete(
        io, [&](mss::diagnostics& diag) { return client.async_list_folders(diag, tuple_awaitable); }, settle);
}

/** Synchronises INBOX from nothing known with `client`, running `io` until it is done. */
inline auto sync_inbox(asio::io_context& io, mss::net::imap_client& client)
{
    const std::string folder = "INBOX";
    const mss::transport::folder_sync_state known{};
    return complete(io, [&](mss::diagnostics& diag)
                    { return client.async_sync_folder(folder, known, diag, tuple_awaitable); });
}

}  // namespace imap_net_test
