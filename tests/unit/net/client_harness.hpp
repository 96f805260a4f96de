// SPDX-License-Identifier: Apache-2.0
// What the SMTP and IMAP client tests share, whatever the protocol: a throwaway PKI made with the
// `openssl` command, the loop that runs a test coroutine to its end on the test's io_context, and
// the trace recorders that check what a run let show (no password, no token, no content).
#pragma once

#include <mss/diagnostics.hpp>
#include <mss/net/trace.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/detail/base64.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <unistd.h>

namespace net_test
{

namespace asio = boost::asio;
using asio::awaitable;
using namespace std::chrono_literals;

inline constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// ---------------------------------------------------------------------------------------------
// PKI: CAs and the certificates they sign, in a temporary directory removed at the end.

class pki_directory
{
public:
    explicit pki_directory(const std::string& prefix)
        : dir_(std::filesystem::temp_directory_path() / (prefix + std::to_string(::getpid())))
    {
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }

    ~pki_directory()
    {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    pki_directory(const pki_directory&) = delete;
    pki_directory& operator=(const pki_directory&) = delete;

    std::string cert(const std::string& name) const { return (dir_ / (name + ".crt")).string(); }
    std::string key(const std::string& name) const { return (dir_ / (name + ".key")).string(); }

    /** A self-signed CA `name` (P-256, two days). */
    void make_ca(const std::string& name, const std::string& cn)
    {
        run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -keyout " +
            key(name) + " -out " + cert(name) + " -subj '/CN=" + cn +
            "' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
    }

    /** A leaf certificate `name` signed by the CA `ca`, with its subjectAltName and usage. */
    void make_leaf(const std::string& name, const std::string& ca, const std::string& cn,
                   const std::string& san, const std::string& usage)
    {
        run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -keyout " +
            key(name) + " -out " + cert(name) + " -subj '/CN=" + cn + "' -CA " + cert(ca) + " -CAkey " +
            key(ca) + " -addext " + san + " -addext basicConstraints=critical,CA:FALSE -addext " + usage);
    }

private:
    static void run(const std::string& command)
    {
        if (std::system((command + " >/dev/null 2>&1").c_str()) != 0)
            throw std::runtime_error("test PKI: command failed: " + command);
    }

    std::filesystem::path dir_;
};

// ---------------------------------------------------------------------------------------------
// One connection on a fake server: line reads, writes, and the switch to TLS. The SMTP and IMAP
// fake servers add what their protocol reads besides lines.

class server_stream
{
public:
    server_stream(asio::ip::tcp::socket socket, asio::ssl::context& tls, std::vector<std::string>& log)
        : socket_(std::move(socket)), tls_(tls), log_(log)
    {
    }

    /** TLS handshake as the server; false when the client gave up (e.g. it refused the certificate). */
    awaitable<bool> start_tls()
    {
        stream_.emplace(socket_, tls_);
        auto [ec] = co_await stream_->async_handshake(asio::ssl::stream_base::server, tuple_awaitable);
        co_return !ec;
    }

    awaitable<bool> send(std::string text)
    {
        boost::system::error_code ec;
        if (stream_)
            std::tie(ec, std::ignore) =
                co_await asio::async_write(*stream_, asio::buffer(text), tuple_awaitable);
        else
            std::tie(ec, std::ignore) =
                co_await asio::async_write(socket_, asio::buffer(text), tuple_awaitable);
        co_return !ec;
    }

    /** The next line without its CRLF, recorded in the server's log unless `record` is false;
        nothing when the client left. */
    awaitable<std::optional<std::string>> line(bool record = true)
    {
        for (;;)
        {
            const auto end = buffer_.find("\r\n");
            if (end != std::string::npos)
            {
                std::string l = buffer_.substr(0, end);
                buffer_.erase(0, end + 2);
                if (record)
                    log_.push_back(l);
                co_return l;
            }
            const bool more = co_await fill();
            if (!more)
                co_return std::nullopt;
        }
    }

    /** Waits until the client closes the connection, dropping what it sends. */
    awaitable<void> drain()
    {
        // (No co_await inside conditions: g++ 12 miscompiles some of those.)
        for (;;)
        {
            const bool more = co_await fill();
            if (!more)
                co_return;
        }
    }

    /** Bytes received and not read yet (to see that commands came pipelined). */
    const std::string& buffered() const noexcept { return buffer_; }

    bool secured() const noexcept { return stream_.has_value(); }

    SSL* ssl() { return stream_ ? stream_->native_handle() : nullptr; }

    void close()
    {
        boost::system::error_code ignored;
        socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

protected:
    /** Reads what the client sent next into the buffer; false when the client left. */
    awaitable<bool> fill()
    {
        char chunk[16384];
        boost::system::error_code ec;
        std::size_t n = 0;
        if (stream_)
            std::tie(ec, n) = co_await stream_->async_read_some(asio::buffer(chunk), tuple_awaitable);
        else
            std::tie(ec, n) = co_await socket_.async_read_some(asio::buffer(chunk), tuple_awaitable);
        if (ec)
            co_return false;
        buffer_.append(chunk, n);
        co_return true;
    }

    std::string buffer_;

private:
    asio::ip::tcp::socket socket_;
    asio::ssl::context& tls_;
    std::optional<asio::ssl::stream<asio::ip::tcp::socket&>> stream_;
    std::vector<std::string>& log_;
};

// ---------------------------------------------------------------------------------------------
// Running test coroutines.

/** Runs `body` (a coroutine) on `io` until it finishes; fails the test after `limit`. */
template <class Body>
void run(asio::io_context& io, Body body, std::chrono::seconds limit = 30s)
{
    bool done = false;
    std::exception_ptr failure;
    asio::co_spawn(io, body(),
                   [&](std::exception_ptr e)
                   {
                       done = true;
                       failure = e;
                   });
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done && std::chrono::steady_clock::now() < deadline)
    {
        if (io.stopped())
            io.restart();
        io.run_one_for(50ms);
    }
    REQUIRE_MESSAGE(done, "the test did not finish in time");
    if (failure)
        std::rethrow_exception(failure);
}

/** Waits `d` inside a test coroutine. */
inline awaitable<void> sleep_for(std::chrono::milliseconds d)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(tuple_awaitable);
}

/** What one client operation gave: its error, its value, and the diagnostics. */
template <class Value>
struct outcome
{
    boost::system::error_code ec;
    Value value;
    mss::diagnostics diag;
};

/** Runs the client operation `start(diag)` (an awaitable of an error and a value) on `io` until it
    completes, then `settle` more (to let the server read whatever might have followed). What
    `start` passes to the operation must outlive this call. */
template <class Start>
auto complete(asio::io_context& io, Start start, std::chrono::milliseconds settle = 0ms)
{
    using result = typename decltype(start(std::declval<mss::diagnostics&>()))::value_type;
    outcome<std::tuple_element_t<1, result>> out;
    run(io,
        [&]() -> awaitable<void>
        {
            std::tie(out.ec, out.value) = co_await start(out.diag);
            if (settle > 0ms)
                co_await sleep_for(settle);
        });
    return out;
}

/** Writes `chunk` on a fake server's connection again and again, until the client goes away or
    `limit` octets were written. */
template <class Conn>
awaitable<void> flood(Conn& c, const std::string& chunk, std::size_t limit)
{
    for (std::size_t sent = 0; sent < limit; sent += chunk.size())
    {
        const bool ok = co_await c.send(chunk);
        if (!ok)
            co_return;
    }
}

// ---------------------------------------------------------------------------------------------
// What a run showed.

inline bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

inline std::string base64(std::string_view in)
{
    std::string out(boost::beast::detail::base64::encoded_size(in.size()), '\0');
    out.resize(boost::beast::detail::base64::encode(out.data(), in.data(), in.size()));
    return out;
}

/** Resident memory of this process, in bytes (Linux). */
inline std::size_t resident_bytes()
{
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0;
    std::size_t resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

/** A trace hook that adds the size of every received chunk to `received`. */
inline mss::net::trace_hook count_received(std::size_t& received)
{
    return [&received](mss::net::trace_direction direction, std::string_view bytes)
    {
        if (direction == mss::net::trace_direction::received)
            received += bytes.size();
    };
}

/** A trace hook that appends the exchange to `trace`, each chunk after "C: " or "S: ". */
inline mss::net::trace_hook record_trace(std::string& trace)
{
    return [&trace](mss::net::trace_direction direction, std::string_view bytes)
    {
        trace += direction == mss::net::trace_direction::sent ? "C: " : "S: ";
        trace += bytes;
    };
}

/** What the trace and the diagnostics of one run showed. */
struct observed
{
    std::string trace;
    std::string messages;  // every client_message() and server_message() seen

    void add(const mss::diagnostics& diag)
    {
        messages += diag.client_message() + "\n" + diag.server_message() + "\n";
    }

    mss::net::trace_hook hook() { return record_trace(trace); }

    /** `secret` shows nowhere, neither as it is nor base64-encoded. */
    void check_hidden(std::string_view secret) const
    {
        CAPTURE(secret);
        CHECK_FALSE(contains(trace, secret));
        CHECK_FALSE(contains(messages, secret));
        CHECK_FALSE(contains(trace, base64(secret)));
        CHECK_FALSE(contains(messages, base64(secret)));
    }
};

}  // namespace net_test
