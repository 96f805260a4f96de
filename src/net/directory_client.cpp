// SPDX-License-Identifier: Apache-2.0
// The Annuaire Santé FHIR API over HTTPS: mss::directory::fhir builds the URLs and decodes the
// Bundles; this file only moves bytes (Beast HTTP/1.1 over asio::ssl::stream<beast::tcp_stream>).
//
// Theory of operation: a search is one coroutine (co_spawn on the client's executor) that
// connects if needed, then for each page sends GET and reads the response, under one deadline
// for the whole search. Per-step limits use tcp_stream::expires_after (Boost 1.81 has no
// cancel_after), bounded by what remains of the deadline. Cancellation and destruction close the
// socket (never destroy the stream under a pending operation); the coroutine then sees
// the cancellation and completes with operation_aborted. The handler is always completed through
// complete_later, never inside do_search().
#include <mss/net/directory_client.hpp>

#include <mss/directory/errc.hpp>
#include <mss/error.hpp>
#include <mss/net/tls_context.hpp>

#include "net/detail/complete_later.hpp"
#include "net/detail/operation_guard.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mss::net
{

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace dir = mss::directory;
using boost::system::error_code;
using clock_type = std::chrono::steady_clock;
using detail::complete_later;

namespace
{

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

/** The parts of an https:// URL a request needs. */
struct url_parts
{
    std::string host;  // for DNS and the certificate check (IPv6 without brackets)
    std::string port = "443";
    std::string host_header;  // Host: host[:port], IPv6 in brackets
    std::string target;       // path and query, "/" at least
    std::string origin;       // "https://" + lower-case host_header, to compare URLs' servers
};

bool parse_https_url(std::string_view url, url_parts& out)
{
    constexpr std::string_view scheme = "https://";
    if (url.size() <= scheme.size() ||
        !std::equal(scheme.begin(), scheme.end(), url.begin(),
                    [](char a, char b)
                    { return a == ((b >= 'A' && b <= 'Z') ? static_cast<char>(b - 'A' + 'a') : b); }))
        return false;
    if (std::any_of(url.begin(), url.end(),
                    [](char c)
                    {
                        const auto u = static_cast<unsigned char>(c);
                        return u <= 0x20 || u == 0x7F || c == '#';
                    }))
        return false;
    url.remove_prefix(scheme.size());
    const std::size_t end = std::min(url.find('/'), url.find('?'));
    std::string_view authority = url.substr(0, end);
    std::string_view rest = end == std::string_view::npos ? std::string_view() : url.substr(end);
    if (authority.empty() || authority.find('@') != std::string_view::npos)
        return false;  // no credentials in URLs
    std::string_view host = authority;
    std::string_view port;
    if (authority.front() == '[')
    {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos)
            return false;
        host = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty() && (after.front() != ':' || after.size() == 1))
            return false;
        port = after.empty() ? std::string_view() : after.substr(1);
    }
    else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos)
    {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (host.empty())
        return false;
    if (!port.empty())
    {
        unsigned value = 0;
        const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535)
            return false;
    }
    out.host = std::string(host);
    out.port = port.empty() ? "443" : std::string(port);
    out.host_header = std::string(authority);
    if (port == "443")
        out.host_header = std::string(authority.substr(0, authority.size() - 4));
    out.target = rest.empty() ? "/" : (rest.front() == '?' ? "/" + std::string(rest) : std::string(rest));
    out.origin = "https://";
    for (const char c : out.host_header)
        out.origin += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return true;
}

// The cursor of a FHIR search: the URL of the server page where a result page stopped, and how
// many matching entries of that server page were already returned.
constexpr std::string_view cursor_prefix = "fhir1:";

std::string make_cursor(std::size_t skip, std::string_view url)
{
    return std::string(cursor_prefix) + std::to_string(skip) + ":" + std::string(url);
}

bool parse_cursor(std::string_view cursor, std::size_t& skip, std::string& url)
{
    if (!cursor.starts_with(cursor_prefix))
        return false;
    cursor.remove_prefix(cursor_prefix.size());
    const std::size_t colon = cursor.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return false;
    const auto [p, ec] = std::from_chars(cursor.data(), cursor.data() + colon, skip);
    if (ec != std::errc() || p != cursor.data() + colon)
        return false;
    url = std::string(cursor.substr(colon + 1));
    return !url.empty();
}

// The peer went away: end of stream, reset, or TLS closed (with or without close_notify).
bool is_connection_lost(const error_code& ec) noexcept
{
    return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated ||
           ec == http::error::end_of_stream;
}

}  // namespace

struct directory_client::impl : std::enable_shared_from_this<impl>
{
    using stream_type = asio::ssl::stream<beast::tcp_stream>;

    // Handlers are moved in by a constructor: Boost 1.81's any_completion_handler move
    // assignment recurses forever.
    struct search_op
    {
        explicit search_op(asio::any_completion_handler<search_signature> h) : handler(std::move(h)) {}

        const dir::query* q = nullptr;
        diagnostics* diag = nullptr;
        asio::any_completion_handler<search_signature> handler;
    };

    enum class phase
    {
        connect,
        handshake,
        exchange,
    };

    impl(asio::any_io_executor ex, directory_client_config cfg)
        : executor(std::move(ex)), config(std::move(cfg)), resolver(executor)
    {
    }

    // ---- operation bookkeeping ---------------------------------------------------------------

    void search(const dir::query& q, diagnostics& diag,
                asio::any_completion_handler<search_signature> handler)
    {
        diag.clear();
        if (!operation.begin(handler, shared_from_this()))
        {
            diag.set_client_message("a search is already running on this directory client");
            complete_later(executor, std::move(handler), make_error_code(mss::errc::operation_in_progress),
                           dir::search_result{});
            return;
        }
        auto op = std::make_shared<search_op>(std::move(handler));
        op->q = &q;
        op->diag = &diag;
        asio::co_spawn(executor, run_op(shared_from_this(), op),
                       [](const std::exception_ptr&)
                       {
                           // run_op catches everything and completes the handler itself.
                       });
    }

    static asio::awaitable<void> run_op(std::shared_ptr<impl> self, std::shared_ptr<search_op> op)
    {
        dir::search_result result;
        error_code ec;
        try
        {
            ec = co_await self->run(*op->q, *op->diag, result);
        }
        catch (const std::bad_alloc&)
        {
            ec = make_error_code(boost::system::errc::not_enough_memory);
        }
        catch (const boost::system::system_error& e)
        {
            ec = e.code();
        }
        if (self->operation.cancelled())
        {
            ec = asio::error::operation_aborted;
            op->diag->set_client_message("the search was cancelled");
            self->drop_connection();
        }
        if (ec)
            result = {};
        self->operation.end();
        complete_later(self->executor, std::move(op->handler), ec, std::move(result));
    }

    void abort() noexcept
    {
        operation.cancel();
        close_socket();
    }

    // Closes the socket, pending operations complete with an error; the stream object stays.
    void close_socket() noexcept
    {
        resolver.cancel();
        reusable = false;
        if (stream)
        {
            error_code ignored;
            stream->next_layer().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
            stream->next_layer().socket().close(ignored);
        }
    }

    // Forgets the connection: only when no operation is pending on it.
    void drop_connection() noexcept
    {
        close_socket();
        stream.reset();
        connected_origin.clear();
        buffer.clear();
    }

    // ---- the search ----------------------------------------------------------------------------

    asio::awaitable<error_code> run(const dir::query& q, diagnostics& diag, dir::search_result& result)
    {
        const auto deadline = config.timeouts.request.count() > 0
                                  ? clock_type::now() + config.timeouts.request
                                  : clock_type::time_point::max();
        if (auto ec = dir::validate(q, diag))
            co_return ec;
        url_parts base;
        if (!parse_https_url(config.base_url, base))
        {
            diag.set_client_message("the directory's base URL must be an https:// URL");
            co_return make_error_code(dir::errc::invalid_query);
        }
        std::string url;
        std::size_t skip = 0;
        if (!q.cursor.empty())
        {
            url_parts target;
            if (!parse_cursor(q.cursor, skip, url) || !parse_https_url(url, target) ||
                target.origin != base.origin)
            {
                // A cursor naming another server would send it the API key: never.
                diag.set_client_message("the cursor was not made by this directory client");
                co_return make_error_code(dir::errc::invalid_cursor);
            }
        }
        else
        {
            dir::fhir::url_options options;
            options.count = config.page_size;
            options.include_roles = config.include_roles;
            auto first = dir::fhir::search_url(config.base_url, q, options, diag);
            if (!first)
                co_return first.error();
            url = std::move(*first);
        }
        if (!tls)
        {
            auto context = make_tls_context(config.tls_options, diag);
            if (!context)
                co_return context.error();
            tls.emplace(std::move(*context));
        }

        std::size_t offset = q.cursor.empty() ? q.offset : 0;
        for (std::size_t page = 0; page < std::max<std::size_t>(config.max_pages, 1); ++page)
        {
            url_parts target;
            if (!parse_https_url(url, target) || target.origin != base.origin)
            {
                diag.set_client_message("the directory's next-page link points to another server");
                co_return make_error_code(dir::errc::http_unexpected_response);
            }
            http::response<http::string_body> response;
            if (auto ec = co_await fetch(target, deadline, diag, response))
                co_return ec;
            if (auto ec = check_status(response, diag))
                co_return ec;
            auto decoded = dir::fhir::decode_bundle(response.body(), diag, config.limits);
            if (!decoded)
                co_return decoded.error();

            // The criteria the server does not apply (mailbox type, department), then paging.
            std::size_t matching = 0;
            for (auto& e : decoded->entries)
            {
                if (!dir::matches_exact_criteria(e, q))
                    continue;
                ++matching;
                if (matching <= skip)
                    continue;  // returned by the previous page of results
                if (offset > 0)
                {
                    --offset;
                    continue;
                }
                if (result.entries.size() == q.limit)
                {
                    result.next_cursor = make_cursor(matching - 1, url);
                    co_return error_code();
                }
                result.entries.push_back(std::move(e));
            }
            skip = 0;
            if (decoded->next_url.empty())
                co_return error_code();
            url = std::move(decoded->next_url);
            if (result.entries.size() == q.limit)
                break;
        }
        // A full page, or as many server pages as allowed: the rest is for the next call.
        result.next_cursor = make_cursor(0, url);
        co_return error_code();
    }

    error_code check_status(const http::response<http::string_body>& response, diagnostics& diag)
    {
        const unsigned status = response.result_int();
        if (status == 200)
            return {};
        std::string message = "the directory answered HTTP " + std::to_string(status);
        if (!response.reason().empty())
            message += " " + std::string(response.reason());
        // An error body is often an OperationOutcome: keep its text as the server's message.
        diagnostics outcome;
        (void)dir::fhir::decode_bundle(response.body(), outcome, config.limits);
        diag.set_server_message(outcome.server_message());
        diag.set_client_message(std::move(message));
        if (status == 401 || status == 403)
            return make_error_code(dir::errc::http_unauthorized);
        if (status >= 400 && status < 500)
            return make_error_code(dir::errc::http_client_error);
        if (status >= 500 && status < 600)
            return make_error_code(dir::errc::http_server_error);
        return make_error_code(dir::errc::http_unexpected_response);  // redirects are not followed
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    // Sets the stream's time limit for the next step; the deadline's error when it has passed.
    error_code arm(std::chrono::milliseconds step, clock_type::time_point deadline)
    {
        auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::duration::max());
        if (deadline != clock_type::time_point::max())
        {
            const auto remaining =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
            if (remaining.count() <= 0)
                return make_error_code(dir::errc::request_timeout);
            limit = remaining;
        }
        if (step.count() > 0)
            limit = std::min(limit, step);
        if (limit == std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::duration::max()))
            stream->next_layer().expires_never();
        else
            stream->next_layer().expires_after(limit);
        return {};
    }

    error_code map_error(error_code ec, phase p, clock_type::time_point deadline) const
    {
        if (!ec)
            return ec;
        if (operation.cancelled())
            return asio::error::operation_aborted;
        if (ec != beast::error::timeout)
            return ec;
        // Which limit passed: the whole search's, or the step's own.
        if (deadline != clock_type::time_point::max() &&
            clock_type::now() + std::chrono::milliseconds(2) >= deadline)
            return make_error_code(dir::errc::request_timeout);
        switch (p)
        {
        case phase::connect:
            return make_error_code(mss::errc::connect_timeout);
        case phase::handshake:
            return make_error_code(mss::errc::tls_handshake_timeout);
        case phase::exchange:
            break;
        }
        return make_error_code(dir::errc::request_timeout);
    }

    asio::awaitable<error_code> connect(const url_parts& u, clock_type::time_point deadline,
                                        diagnostics& diag)
    {
        drop_connection();
        const std::string where = u.host + ":" + u.port;
        auto [resolve_ec, endpoints] = co_await resolver.async_resolve(u.host, u.port, use_tuple);
        if (operation.cancelled())
            co_return asio::error::operation_aborted;
        if (resolve_ec)
        {
            diag.set_client_message("cannot resolve " + where + ": " + resolve_ec.message());
            co_return resolve_ec;
        }
        stream = std::make_unique<stream_type>(executor, *tls);
        if (auto ec = arm(config.timeouts.connect, deadline))
            co_return ec;
        auto [connect_ec, endpoint] = co_await stream->next_layer().async_connect(endpoints, use_tuple);
        if (auto ec = map_error(connect_ec, phase::connect, deadline))
        {
            diag.set_client_message("cannot connect to " + where + ": " + ec.message());
            co_return ec;
        }
        error_code ignored;
        stream->next_layer().socket().set_option(asio::ip::tcp::no_delay(true), ignored);
        if (auto ec = prepare_tls_connection(stream->native_handle(), u.host))
        {
            diag.set_client_message("cannot set up TLS for " + where);
            co_return ec;
        }
        if (auto ec = arm(config.timeouts.tls_handshake, deadline))
            co_return ec;
        auto [handshake_ec] = co_await stream->async_handshake(asio::ssl::stream_base::client, use_tuple);
        if (auto ec = map_error(handshake_ec, phase::handshake, deadline))
        {
            std::string message = "TLS handshake with " + where + " failed: " + ec.message();
            if (stream)
            {
                const long verify = SSL_get_verify_result(stream->native_handle());
                if (verify != X509_V_OK)
                    message += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
            }
            diag.set_client_message(std::move(message));
            co_return ec;
        }
        connected_origin = u.origin;
        reusable = true;
        co_return error_code();
    }

    asio::awaitable<error_code> fetch(const url_parts& u, clock_type::time_point deadline, diagnostics& diag,
                                      http::response<http::string_body>& response)
    {
        for (int attempt = 0; attempt < 2; ++attempt)
        {
            const bool reused =
                stream && reusable && connected_origin == u.origin && stream->next_layer().socket().is_open();
            if (!reused)
            {
                if (auto ec = co_await connect(u, deadline, diag))
                    co_return ec;
            }
            http::request<http::empty_body> request{http::verb::get, u.target, 11};
            request.set(http::field::host, u.host_header);
            request.set(http::field::accept, "application/fhir+json, application/json;q=0.9");
            request.set(http::field::user_agent, config.user_agent);
            if (!config.api_key.empty())
                request.set("ESANTE-API-KEY", config.api_key);

            if (auto ec = arm({}, deadline))
                co_return ec;
            auto [write_ec, written] = co_await http::async_write(*stream, request, use_tuple);
            if (write_ec && reused && !operation.cancelled() && is_connection_lost(write_ec))
            {
                drop_connection();  // the server closed the kept connection while it was idle: reopen once
                continue;
            }
            if (auto ec = map_error(write_ec, phase::exchange, deadline))
            {
                diag.set_client_message("cannot send the request to " + u.host_header + ": " + ec.message());
                drop_connection();
                co_return ec;
            }
            http::response_parser<http::string_body> parser;
            parser.body_limit(config.limits.max_bytes);
            auto [read_ec, read] = co_await http::async_read(*stream, buffer, parser, use_tuple);
            if (read_ec && reused && !operation.cancelled() && !parser.got_some() &&
                is_connection_lost(read_ec))
            {
                drop_connection();
                continue;
            }
            if (read_ec == http::error::body_limit)
            {
                diag.set_client_message("the directory response is larger than " +
                                        std::to_string(config.limits.max_bytes) + " bytes");
                drop_connection();
                co_return make_error_code(dir::errc::fhir_too_large);
            }
            if (auto ec = map_error(read_ec, phase::exchange, deadline))
            {
                drop_connection();
                // Beast's HTTP errors (a bad status line, a connection closed mid-message): the
                // server's answer is not usable. Other errors (TLS, socket, timeouts) stay as
                // they are.
                if (ec.category() == http::make_error_code(http::error::end_of_stream).category())
                {
                    diag.set_client_message("no usable HTTP response from " + u.host_header + ": " +
                                            ec.message());
                    co_return make_error_code(dir::errc::http_unexpected_response);
                }
                diag.set_client_message("cannot read the response of " + u.host_header + ": " + ec.message());
                co_return ec;
            }
            response = parser.release();
            if (!response.keep_alive())
                drop_connection();
            co_return error_code();
        }
        diag.set_client_message("the directory server closed the connection twice before answering");
        co_return make_error_code(mss::errc::not_connected);
    }

    asio::any_io_executor executor;
    directory_client_config config;
    std::optional<asio::ssl::context> tls;  // built by the first search
    asio::ip::tcp::resolver resolver;
    std::unique_ptr<stream_type> stream;
    std::string connected_origin;
    bool reusable = false;
    beast::flat_buffer buffer;
    detail::operation_guard operation;  // the running one, if any
};

directory_client::directory_client(asio::any_io_executor executor, directory_client_config config)
    : impl_(std::make_shared<impl>(std::move(executor), std::move(config)))
{
}

directory_client::~directory_client()
{
    // A running search holds the state; closing makes it complete with operation_aborted.
    detail::close_client(*impl_);
}

asio::any_io_executor directory_client::get_executor() const
{
    return impl_->executor;
}

void directory_client::close() noexcept
{
    detail::close_client(*impl_);
}

void directory_client::set_api_key(std::string api_key)
{
    impl_->config.api_key = std::move(api_key);
}

void directory_client::do_search(const mss::directory::query& q, diagnostics& diag,
                                 asio::any_completion_handler<search_signature> handler)
{
    impl_->search(q, diag, std::move(handler));
}

}  // namespace mss::net
