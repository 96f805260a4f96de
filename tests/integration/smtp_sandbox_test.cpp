// SPDX-License-Identifier: Apache-2.0
// mss::net::smtp_client against the real sandbox operator (Postfix submission -> LMTP -> Dovecot,
// private CA), started by `scripts/sandbox up`. The settings come from the environment that
// `eval "$(scripts/sandbox env)"` sets; a missing variable fails the test, it never skips it.
// Delivery is checked in the recipients' Maildirs under $MSS_SANDBOX_DIR/mail/<domain>/<user>.
#include <mss/error.hpp>
#include <mss/net/smtp_client.hpp>
#include <mss/smtp/errc.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sandbox_env.hpp"

namespace
{

using namespace sandbox_test;

namespace asio = boost::asio;
using boost::system::error_code;
using namespace std::chrono_literals;

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// The sender of every test: a physician at the regional operator.
mss::net::smtp_client_config config(bool implicit = false)
{
    return smtp_config("DR_MARTIN", implicit);
}

mss::transport::outgoing_message message(const std::vector<std::string>& to, const std::string& token)
{
    mss::transport::outgoing_message m{
        address(env("MSS_SANDBOX_DR_MARTIN_ADDRESS")), {}, {}, {}, false, false};
    for (const auto& r : to) m.recipients.push_back({address(r), mss::transport::dsn_notify::server_default});
    m.message_id = token + "@regional.mssante.test";
    m.data = "From: Dr Martin <" + m.envelope_sender.str() + ">\r\nTo: <" + to.front() +
             ">\r\nSubject: integration " + token + "\r\nMessage-ID: <" + m.message_id +
             ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
             "Bonjour,\r\n.a line starting with a dot\r\nCordialement\r\n";
    return m;
}

// Waits (LMTP delivery is asynchronous) until `recipient`'s Maildir holds a message with `token`.
bool delivered(const std::string& recipient, const std::string& token, std::chrono::seconds limit = 20s)
{
    const auto at = recipient.find('@');
    const std::filesystem::path maildir = std::filesystem::path(env("MSS_SANDBOX_DIR")) / "mail" /
                                          recipient.substr(at + 1) / recipient.substr(0, at) / "Maildir";
    const auto deadline = std::chrono::steady_clock::now() + limit;
    do
    {
        for (const char* sub : {"new", "cur"})
        {
            std::error_code ec;
            for (const auto& entry : std::filesystem::directory_iterator(maildir / sub, ec))
            {
                std::ifstream in(entry.path(), std::ios::binary);
                const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
                if (text.find(token) != std::string::npos)
                    return true;
            }
        }
        std::this_thread::sleep_for(100ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
}

template <class Body>
void run(Body body)
{
    asio::io_context io;
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, body(io),
                   [&](std::exception_ptr e)
                   {
                       failure = e;
                       done = true;
                   });
    io.run_for(60s);
    REQUIRE_MESSAGE(done, "the test did not finish within 60 s");
    if (failure)
        std::rethrow_exception(failure);
}

}  // namespace

TEST_SUITE("integration: smtp client and the sandbox operator")
{
    TEST_CASE("dr.martin's message reaches dr.bernard over STARTTLS with AUTH PLAIN")
    {
        const std::string to = env("MSS_SANDBOX_DR_BERNARD_ADDRESS");
        const std::string token = unique_token();
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                mss::net::smtp_client client(io.get_executor(), config());
                const auto m = message({to}, token);
                mss::diagnostics diag;
                auto [ec, result] = co_await client.async_submit(m, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                REQUIRE(result.recipients.size() == 1);
                CHECK(result.recipients[0].code == 250);
                CHECK(result.final_reply.find("queued") != std::string::npos);
                auto [quit_ec] = co_await client.async_quit(tuple_awaitable);
                CHECK_FALSE(quit_ec);
            });
        CHECK_MESSAGE(delivered(to, token), "not found in " << to << "'s Maildir");
    }

    TEST_CASE("one refused recipient among three: 550 5.1.1 reported, the two others get the message")
    {
        const std::string bernard = env("MSS_SANDBOX_DR_BERNARD_ADDRESS");
        const std::string pharmacy = env("MSS_SANDBOX_PHARMACIE_CENTRALE_ADDRESS");
        const std::string unknown = "nobody.here@national.mssante.test";
        const std::string token = unique_token();
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                mss::net::smtp_client client(io.get_executor(), config());
                const auto m = message({bernard, unknown, pharmacy}, token);
                mss::diagnostics diag;
                auto [ec, result] = co_await client.async_submit(m, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                REQUIRE(result.recipients.size() == 3);
                CHECK(result.recipients[0].accepted);
                CHECK_FALSE(result.recipients[1].accepted);
                CHECK(result.recipients[1].code == 550);
                CHECK(result.recipients[1].enhanced_code == "5.1.1");
                CHECK(result.recipients[2].accepted);
                co_await client.async_quit(tuple_awaitable);
            });
        CHECK(delivered(bernard, token));
        CHECK(delivered(pharmacy, token));
    }

    TEST_CASE("every recipient refused is all_recipients_refused, and the connection serves the next message")
    {
        const std::string bernard = env("MSS_SANDBOX_DR_BERNARD_ADDRESS");
        const std::string token = unique_token();
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                mss::net::smtp_client client(io.get_executor(), config());
                mss::diagnostics diag;
                const auto refused = message({"nobody.here@national.mssante.test"}, token + "-refused");
                auto [ec, result] = co_await client.async_submit(refused, diag, tuple_awaitable);
                CHECK(ec == mss::smtp::errc::all_recipients_refused);
                CHECK(diag.client_message().find("550 5.1.1") != std::string::npos);
                CHECK(client.is_connected());
                const auto good = message({bernard}, token);
                std::tie(ec, result) = co_await client.async_submit(good, diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                co_await client.async_quit(tuple_awaitable);
            });
        CHECK(delivered(bernard, token));
    }

    TEST_CASE("a CA file that did not sign the server's certificate: refused before any credential")
    {
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                auto c = config();
                // A real, readable bundle of public roots: the sandbox CA is not among them.
                c.tls_options.ca_file = "/etc/ssl/certs/ca-certificates.crt";
                std::string trace;
                c.trace = [&](mss::net::trace_direction, std::string_view bytes) { trace += bytes; };
                mss::net::smtp_client client(io.get_executor(), c);
                const auto m = message({env("MSS_SANDBOX_DR_BERNARD_ADDRESS")}, unique_token());
                mss::diagnostics diag;
                auto [ec, result] = co_await client.async_submit(m, diag, tuple_awaitable);
                CHECK(ec);
                CHECK(mss::is_fatal(ec));
                CHECK_MESSAGE(diag.client_message().find("certificate verify failed") != std::string::npos,
                              diag.client_message());
                CHECK(trace.find("AUTH") == std::string::npos);
            });
    }

    TEST_CASE("a wrong password is auth_failed")
    {
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                auto c = config();
                c.credentials.secret = "not-the-password";
                mss::net::smtp_client client(io.get_executor(), c);
                const auto m = message({env("MSS_SANDBOX_DR_BERNARD_ADDRESS")}, unique_token());
                mss::diagnostics diag;
                auto [ec, result] = co_await client.async_submit(m, diag, tuple_awaitable);
                CHECK(ec == mss::smtp::errc::auth_failed);
                CHECK_FALSE(client.is_connected());
            });
    }

    TEST_CASE("implicit TLS on the submissions port delivers, and one connection carries three messages")
    {
        const std::string to = env("MSS_SANDBOX_DR_BERNARD_ADDRESS");
        const std::string token = unique_token();
        int ehlo = 0;
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                auto c = config(true);
                c.trace = [&](mss::net::trace_direction direction, std::string_view bytes)
                {
                    if (direction == mss::net::trace_direction::sent && bytes.starts_with("EHLO "))
                        ++ehlo;
                };
                mss::net::smtp_client client(io.get_executor(), c);
                for (int i = 1; i <= 3; ++i)
                {
                    const auto m = message({to}, token + "-" + std::to_string(i));
                    mss::diagnostics diag;
                    auto [ec, result] = co_await client.async_submit(m, diag, tuple_awaitable);
                    CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                }
                co_await client.async_quit(tuple_awaitable);
            });
        CHECK(ehlo == 1);  // implicit TLS: one EHLO, one session for the three messages
        for (int i = 1; i <= 3; ++i) CHECK(delivered(to, token + "-" + std::to_string(i)));
    }
}
