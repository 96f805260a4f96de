// SPDX-License-Identifier: Apache-2.0
// Test support for the Asio SMTP client, no real server needed: a throwaway PKI (see
// client_harness.hpp), and a small scripted SMTP server on 127.0.0.1 (clear text, STARTTLS or
// implicit TLS) written with Asio coroutines, running on the test's own io_context.
#pragma once

#include "../client_harness.hpp"

#include <mss/domain/email_address.hpp>
#include <mss/net/smtp_client.hpp>
#include <mss/transport/outgoing_message.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace smtp_net_test
{

using namespace net_test;
using asio::ip::tcp;

// ---------------------------------------------------------------------------------------------
// PKI: a CA, a second CA nobody trusts, and certificates signed by them. Made once per process.

class test_pki : public net_test::pki_directory
{
public:
    test_pki() : pki_directory("mss-net-smtp-test-")
    {
        make_ca("ca", "mss test CA");
        make_ca("other-ca", "mss untrusted CA");
        make_leaf("server", "ca", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                  "extendedKeyUsage=serverAuth");
        make_leaf("wrong-name", "ca", "mail.other.test", "subjectAltName=DNS:mail.other.test",
                  "extendedKeyUsage=serverAuth");
        make_leaf("other-server", "other-ca", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                  "extendedKeyUsage=serverAuth");
        make_leaf("client", "ca", "liaison@regional.mssante.test",
                  "subjectAltName=email:liaison@regional.mssante.test", "extendedKeyUsage=clientAuth");
    }
};

inline const test_pki& pki()
{
    static const test_pki instance;
    return instance;
}

// ---------------------------------------------------------------------------------------------
// One server-side connection (client_harness.hpp), with the message data read after DATA.

class server_conn : public server_stream
{
public:
    using server_stream::server_stream;

    /** The message data up to the lone dot, dot-unstuffed; nothing when the client left. */
    awaitable<std::optional<std::string>> data()
    {
        std::string message;
        for (;;)
        {
            auto l = co_await line(false);
            if (!l)
                co_return std::nullopt;
            if (*l == ".")
                co_return message;
            message += (l->starts_with("..") ? l->substr(1) : *l) + "\r\n";
        }
    }
};

// ---------------------------------------------------------------------------------------------
// The server: accepts connections on 127.0.0.1 and runs a script on each.

struct server_tls
{
    std::string cert = pki().cert("server");
    std::string key = pki().key("server");
    bool implicit = false;       // TLS handshake right after accept
    bool verify_client = false;  // ask for a client certificate signed by the test CA
};

class fake_smtp_server
{
public:
    using script = std::function<awaitable<void>(server_conn&, fake_smtp_server&)>;

    fake_smtp_server(asio::io_context& io, script s, server_tls tls = {})
        : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          tls_context_(asio::ssl::context::tls_server),
          script_(std::move(s)),
          implicit_(tls.implicit)
    {
        tls_context_.use_certificate_chain_file(tls.cert);
        tls_context_.use_private_key_file(tls.key, asio::ssl::context::pem);
        if (tls.verify_client)
        {
            tls_context_.load_verify_file(pki().cert("ca"));
            tls_context_.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
        }
        asio::co_spawn(io, accept_loop(), asio::detached);
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

    int accepted = 0;                   // connections accepted
    std::vector<std::string> lines;     // every command line received, all connections
    std::vector<std::string> messages;  // message data received (accepted or not)
    int pipelined_batches = 0;          // MAIL lines read with RCPT and DATA already buffered
    bool client_certificate_seen = false;

    bool received_command(std::string_view verb) const
    {
        for (const auto& l : lines)
        {
            if (l.size() >= verb.size() &&
                std::equal(verb.begin(), verb.end(), l.begin(),
                           [](char a, char b) {
                               return std::toupper(static_cast<unsigned char>(a)) ==
                                      std::toupper(static_cast<unsigned char>(b));
                           }))
                return true;
        }
        return false;
    }

    int count(std::string_view verb) const
    {
        int n = 0;
        for (const auto& l : lines) n += l.starts_with(verb) ? 1 : 0;
        return n;
    }

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
            if (implicit_)
            {
                const bool secured = co_await conn.start_tls();
                if (!secured)
                    co_return;
            }
            co_await script_(conn, *this);
        }
        catch (const std::exception&)
        {
            // A client that left in the middle is part of several tests.
        }
    }

    tcp::acceptor acceptor_;
    asio::ssl::context tls_context_;
    script script_;
    bool implicit_;
};

// ---------------------------------------------------------------------------------------------
// A Postfix-like submission dialogue, with switches for the misbehaviours under test.

struct dialogue
{
    bool implicit_tls = false;  // no STARTTLS step (the server is implicit TLS)
    bool offer_starttls = true;
    bool inject_after_starttls = false;  // a reply in the same write as "220 Ready to start TLS"
    bool pipelining = true;
    std::set<std::string> refused;   // recipients answered 550 5.1.1
    bool stall_on_mail = false;      // never answer MAIL FROM
    bool close_during_data = false;  // close the connection after the first data line
    int close_after_messages = 0;    // > 0: after that many messages, 421 and close (idle time-out)
    bool close_silently = false;     // with close_after_messages: close without the 421
};

inline std::string between_angles(const std::string& line)
{
    const auto open = line.find('<');
    const auto close = line.find('>', open);
    return open == std::string::npos || close == std::string::npos ? std::string()
                                                                   : line.substr(open + 1, close - open - 1);
}

inline awaitable<void> transactions(server_conn& c, fake_smtp_server& server, const dialogue& d)
{
    int accepted_recipients = 0;
    int messages = 0;
    for (;;)
    {
        auto l = co_await c.line();
        if (!l)
            co_return;
        if (l->starts_with("MAIL FROM:"))
        {
            if (c.buffered().find("RCPT TO:") != std::string::npos &&
                c.buffered().find("DATA\r\n") != std::string::npos)
                ++server.pipelined_batches;
            if (d.stall_on_mail)
            {
                co_await c.drain();
                co_return;
            }
            accepted_recipients = 0;
            co_await c.send("250 2.1.0 Ok\r\n");
        }
        else if (l->starts_with("RCPT TO:"))
        {
            const std::string address = between_angles(*l);
            if (d.refused.count(address) != 0)
            {
                co_await c.send("550 5.1.1 <" + address + ">: Recipient address rejected: User unknown\r\n");
            }
            else
            {
                ++accepted_recipients;
                co_await c.send("250 2.1.5 Ok\r\n");
            }
        }
        else if (*l == "DATA")
        {
            if (accepted_recipients == 0)
            {
                co_await c.send("554 5.5.1 Error: no valid recipients\r\n");
                continue;
            }
            co_await c.send("354 End data with <CR><LF>.<CR><LF>\r\n");
            if (d.close_during_data)
            {
                co_await c.line(false);
                c.close();
                co_return;
            }
            auto message = co_await c.data();
            if (!message)
                co_return;
            server.messages.push_back(*message);
            co_await c.send("250 2.0.0 Ok: queued as 4F" + std::to_string(server.messages.size()) + "\r\n");
            if (d.close_after_messages > 0 && ++messages == d.close_after_messages)
            {
                if (!d.close_silently)
                    co_await c.send("421 4.4.2 fake.test Error: timeout exceeded\r\n");
                c.close();
                co_return;
            }
        }
        else if (*l == "RSET" || *l == "NOOP")
        {
            co_await c.send("250 2.0.0 Ok\r\n");
        }
        else if (*l == "QUIT")
        {
            co_await c.send("221 2.0.0 Bye\r\n");
            c.close();
            co_return;
        }
        else
        {
            co_await c.send("502 5.5.2 Error: command not recognized\r\n");
        }
    }
}

inline awaitable<void> submission_session(server_conn& c, fake_smtp_server& server, dialogue d)
{
    co_await c.send("220 fake.test ESMTP\r\n");
    auto l = co_await c.line();
    if (!l || !l->starts_with("EHLO "))
        co_return;
    if (!d.implicit_tls)
    {
        std::string ehlo = "250-fake.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n";
        ehlo += d.offer_starttls ? "250 STARTTLS\r\n" : "250 AUTH PLAIN\r\n";
        co_await c.send(std::move(ehlo));
        l = co_await c.line();
        if (!l || *l != "STARTTLS")
        {
            co_await c.drain();
            co_return;
        }
        std::string ready = "220 2.0.0 Ready to start TLS\r\n";
        if (d.inject_after_starttls)
            ready += "250 injected\r\n";
        co_await c.send(std::move(ready));
        const bool secured = co_await c.start_tls();
        if (!secured)
            co_return;
        l = co_await c.line();
        if (!l || !l->starts_with("EHLO "))
            co_return;
    }
    server.client_certificate_seen = c.ssl() && SSL_get0_peer_certificate(c.ssl()) != nullptr;
    std::string capabilities = "250-fake.test\r\n";
    if (d.pipelining)
        capabilities += "250-PIPELINING\r\n";
    capabilities +=
        "250-SIZE 10240000\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n"
        "250 AUTH PLAIN LOGIN XOAUTH2 EXTERNAL\r\n";
    co_await c.send(std::move(capabilities));
    l = co_await c.line();
    if (!l || !l->starts_with("AUTH "))
        co_return;
    co_await c.send("235 2.7.0 Authentication successful\r\n");
    co_await transactions(c, server, d);
}

inline fake_smtp_server::script session(dialogue d = {})
{
    return [d](server_conn& c, fake_smtp_server& server) { return submission_session(c, server, d); };
}

/** A script whose first connection follows `first`, and every later one the default dialogue. */
inline fake_smtp_server::script first_session(dialogue first)
{
    auto sessions = std::make_shared<int>(0);
    return [first, sessions](server_conn& c, fake_smtp_server& server)
    { return submission_session(c, server, (*sessions)++ == 0 ? first : dialogue{}); };
}

// ---------------------------------------------------------------------------------------------
// Client side.

inline const char* const test_password = "S3cret-Pa55word";

inline mss::net::smtp_client_config client_config(const fake_smtp_server& server)
{
    mss::net::smtp_client_config config;
    config.host = "127.0.0.1";
    config.port = server.port();
    config.tls_options.ca_file = pki().cert("ca");
    config.ehlo_domain = "client.test";
    config.credentials.user = "dr.martin@regional.mssante.test";
    config.credentials.secret = test_password;
    // Short limits: a test that goes wrong fails in seconds, not minutes.
    config.timeouts.connect = 5s;
    config.timeouts.tls_handshake = 5s;
    config.timeouts.reply = 5s;
    config.timeouts.data_end = 5s;
    return config;
}

inline mss::domain::email_address address(std::string_view text)
{
    auto a = mss::domain::email_address::parse(text);
    REQUIRE(a.has_value());
    return *a;
}

inline mss::transport::outgoing_message make_message(std::vector<std::string> to, std::size_t body_size = 200,
                                                     int n = 1)
{
    mss::transport::outgoing_message m{address("dr.martin@regional.mssante.test"), {}, {}, {}, false, false};
    for (const auto& r : to) m.recipients.push_back({address(r), mss::transport::dsn_notify::server_default});
    m.message_id = "test-" + std::to_string(n) + "@regional.mssante.test";
    m.data = "From: <dr.martin@regional.mssante.test>\r\nTo: <" + to.front() + ">\r\nSubject: test " +
             std::to_string(n) + "\r\nMessage-ID: <" + m.message_id + ">\r\n\r\n";
    m.data += ".a line that starts with a dot\r\n";
    while (m.data.size() < body_size)
        m.data += "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n";
    return m;
}

/** Submits `message` on `client`, running `io` until it is done, then `settle` more. */
inline outcome<mss::transport::submission_result> submit(asio::io_context& io, mss::net::smtp_client& client,
                                                         const mss::transport::outgoing_message& message,
                                                         std::chrono::milliseconds settle = 0ms)
{
    return complete(
        io, [&](mss::diagnostics& diag) { return client.async_submit(message, diag, tuple_awaitable); },
        settle);
}

/** Submits `message` as submit() does and checks that it went through; the diagnostics go to
    `seen` when there is one. */
inline void expect_submitted(asio::io_context& io, mss::net::smtp_client& client,
                             const mss::transport::outgoing_message& message, observed* seen = nullptr)
{
    const auto [ec, result, diag] = submit(io, client, message);
    CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
    if (seen != nullptr)
        seen->add(diag);
}

}  // namespace smtp_net_test
