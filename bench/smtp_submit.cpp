// SPDX-License-Identifier: Apache-2.0
// SMTP submission throughput through the sandbox operator (scripts/sandbox up): N messages of
// about SIZE bytes from dr.martin to dr.bernard, first over one connection (one session, each
// transaction pipelined), then over five connections at once (five clients, N/5 messages each,
// one thread). Connection set-up (TCP, STARTTLS, AUTH) is inside the timing, as for the peer.
//
//   eval "$(scripts/sandbox env)"; mss_bench_smtp_submit [N=500] [SIZE=20480]
//
// Prints `one_connection_msg_per_s=<x>` and `five_connections_msg_per_s=<x>`.
#include <mss/net/smtp_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{

namespace asio = boost::asio;

std::string env(const char* name)
{
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
        throw std::runtime_error(std::string(name) +
                                 " is not set: run `eval \"$(scripts/sandbox env)\"` first");
    return value;
}

mss::domain::email_address address(const std::string& text)
{
    auto a = mss::domain::email_address::parse(text);
    if (!a)
        throw std::runtime_error("not an address: " + text);
    return *a;
}

mss::net::smtp_client_config config()
{
    mss::net::smtp_client_config c;
    c.host = env("MSS_SANDBOX_HOST");
    c.tls_server_name = env("MSS_SANDBOX_TLS_NAME");
    c.port = static_cast<std::uint16_t>(std::stoi(env("MSS_SANDBOX_SMTP_PORT")));
    c.tls_options.ca_file = env("MSS_SANDBOX_CA");
    c.ehlo_domain = "bench.regional.mssante.test";
    c.credentials.user = env("MSS_SANDBOX_DR_MARTIN_ADDRESS");
    c.credentials.secret = env("MSS_SANDBOX_DR_MARTIN_PASSWORD");
    return c;
}

std::vector<mss::transport::outgoing_message> make_messages(int n, std::size_t size)
{
    const auto from = address(env("MSS_SANDBOX_DR_MARTIN_ADDRESS"));
    const auto to = address(env("MSS_SANDBOX_DR_BERNARD_ADDRESS"));
    std::string body;
    const std::string line =
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor ut.\r\n";
    while (body.size() < size) body += line;
    std::vector<mss::transport::outgoing_message> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
    {
        mss::transport::outgoing_message m{
            from, {{to, mss::transport::dsn_notify::server_default}}, {}, {}, false, false};
        m.message_id = "bench-" + std::to_string(i) + "-" +
                       std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) +
                       "@regional.mssante.test";
        m.data = "From: <" + from.str() + ">\r\nTo: <" + to.str() + ">\r\nSubject: bench " +
                 std::to_string(i) + "\r\nMessage-ID: <" + m.message_id + ">\r\n\r\n" + body;
        out.push_back(std::move(m));
    }
    return out;
}

// One client sends messages [first, last) in order, then QUITs.
asio::awaitable<void> sender(mss::net::smtp_client& client,
                             const std::vector<mss::transport::outgoing_message>& all, std::size_t first,
                             std::size_t last, int& failures)
{
    for (std::size_t i = first; i < last; ++i)
    {
        mss::diagnostics diag;
        auto [ec, result] = co_await client.async_submit(all[i], diag, asio::as_tuple(asio::use_awaitable));
        if (ec)
        {
            ++failures;
            std::fprintf(stderr, "message %zu: %s: %s\n", i, ec.message().c_str(),
                         diag.client_message().c_str());
        }
    }
    co_await client.async_quit(asio::as_tuple(asio::use_awaitable));
}

double run(const std::vector<mss::transport::outgoing_message>& messages, int connections)
{
    asio::io_context io;
    std::vector<std::unique_ptr<mss::net::smtp_client>> clients;
    int failures = 0;
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = messages.size();
    for (int c = 0; c < connections; ++c)
    {
        clients.push_back(std::make_unique<mss::net::smtp_client>(io.get_executor(), config()));
        const std::size_t first = n * static_cast<std::size_t>(c) / static_cast<std::size_t>(connections);
        const std::size_t last = n * static_cast<std::size_t>(c + 1) / static_cast<std::size_t>(connections);
        asio::co_spawn(io, sender(*clients.back(), messages, first, last, failures), asio::detached);
    }
    io.run();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (failures != 0)
        throw std::runtime_error(std::to_string(failures) + " submissions failed");
    return static_cast<double>(n) / elapsed.count();
}

}  // namespace

int main(int argc, char** argv)
{
    try
    {
        const int n = argc > 1 ? std::stoi(argv[1]) : 500;
        const std::size_t size = argc > 2 ? static_cast<std::size_t>(std::stoul(argv[2])) : 20 * 1024;
        const auto messages = make_messages(n, size);
        std::printf("smtp-submit: %d messages of %zu bytes, sandbox Postfix on %s:%s\n", n,
                    messages.front().data.size(), env("MSS_SANDBOX_HOST").c_str(),
                    env("MSS_SANDBOX_SMTP_PORT").c_str());
        std::printf("one_connection_msg_per_s=%.1f\n", run(messages, 1));
        std::printf("five_connections_msg_per_s=%.1f\n", run(messages, 5));
        return 0;
    }
    catch (const std::exception& e)
    {
        std::fprintf(stderr, "smtp-submit: %s\n", e.what());
        return 1;
    }
}
