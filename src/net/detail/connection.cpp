// SPDX-License-Identifier: Apache-2.0
#include "net/detail/connection.hpp"

#include <mss/net/tls_context.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace mss::net::detail
{

namespace asio = boost::asio;
using boost::system::error_code;

struct connection::run_state
{
    run_state(fsm_ref f, const run_params& p, handler_type h) : fsm(f), params(p), handler(std::move(h)) {}

    fsm_ref fsm;
    run_params params;
    handler_type handler;
    bool did_io = false;  // else the completion must be posted, not invoked inside the initiation
    bool wrote = false;   // a read before any write is the greeting
    bool slow = false;    // reads answer a write flagged by params.slow_reply_after
};

struct connection::connect_state
{
    endpoint where;
    diagnostics* diag;
    handler_type handler;
};

connection::connection(asio::any_io_executor executor, timeouts limits, trace_hook trace)
    : executor_(std::move(executor)), timeouts_(limits), trace_(std::move(trace)), resolver_(executor_)
{
}

connection::~connection()
{
    close();
}

bool connection::is_open() const noexcept
{
    return stream_ && stream_->next_layer().socket().is_open();
}

asio::ip::tcp::endpoint connection::local_endpoint() const noexcept
{
    if (!stream_)
        return {};
    error_code ec;
    auto local = stream_->next_layer().socket().local_endpoint(ec);
    return ec ? asio::ip::tcp::endpoint{} : local;
}

void connection::close() noexcept
{
    resolver_.cancel();
    if (stream_)
    {
        // Closing the socket (not the TLS layer) makes every pending step complete at once.
        error_code ignored;
        stream_->next_layer().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        stream_->next_layer().socket().close(ignored);
        stream_->next_layer().expires_never();
    }
    tls_active_ = false;
}

void connection::cancel() noexcept
{
    cancelled_ = true;
    close();
}

void connection::cancel_read() noexcept
{
    if (!stream_)
        return;
    // Cancels the socket's operation only: the TLS layer keeps what it already decrypted, and
    // the next step re-arms the time limit.
    error_code ignored;
    stream_->next_layer().socket().cancel(ignored);
}

void connection::async_connect(const endpoint& where, asio::ssl::context& context, diagnostics& diag,
                               handler_type handler)
{
    close();
    cancelled_ = false;
    certificate_failure_.clear();
    tls_name_ = where.tls_name.empty() ? where.host : where.tls_name;
    // A TLS stream cannot be reused after a handshake: each connection gets a new one. No step of
    // the previous stream is pending (one operation at a time).
    stream_ = std::make_unique<stream_type>(executor_, context);
    auto op = std::make_shared<connect_state>(connect_state{where, &diag, std::move(handler)});
    resolver_.async_resolve(where.host, std::to_string(where.port), asio::ip::resolver_base::numeric_service,
                            [this, op](error_code ec, const asio::ip::tcp::resolver::results_type& results)
                            { on_resolved(op, ec, results); });
}

void connection::on_resolved(std::shared_ptr<connect_state> op, error_code resolve_ec,
                             const asio::ip::tcp::resolver::results_type& results)
{
    const std::string where = op->where.host + ':' + std::to_string(op->where.port);
    if (cancelled_)
        resolve_ec = asio::error::operation_aborted;
    if (resolve_ec)
        return finish_connect(std::move(op), resolve_ec,
                              "cannot resolve " + where + ": " + resolve_ec.message());
    arm(timeouts_.connect);
    stream_->next_layer().async_connect(
        results,
        [this, op, where](error_code ec, const asio::ip::tcp::endpoint&) mutable
        {
            ec = map_error(ec, mss::errc::connect_timeout);
            if (ec)
                return finish_connect(std::move(op), ec, "cannot connect to " + where + ": " + ec.message());
            // Commands are small and each waits for its reply (or is pipelined in one write):
            // Nagle's algorithm would only add delay.
            error_code ignored;
            stream_->next_layer().socket().set_option(asio::ip::tcp::no_delay(true), ignored);
            if (!op->where.implicit_tls)
                return finish_connect(std::move(op), {}, {});
            handshake(
                [this, op, where](error_code tls_ec) mutable
                {
                    std::string message;
                    if (tls_ec)
                    {
                        message = "TLS handshake with " + where + " failed: " + tls_ec.message();
                        if (!certificate_failure_.empty())
                            message += " (" + certificate_failure_ + ")";
                    }
                    finish_connect(std::move(op), tls_ec, std::move(message));
                });
        });
}

void connection::finish_connect(std::shared_ptr<connect_state> op, error_code ec, std::string message)
{
    if (ec)
    {
        op->diag->set_client_message(std::move(message));
        close();
    }
    // Resolution is asynchronous: this always runs from a completion, never inside the initiation.
    auto handler = std::move(op->handler);
    std::move(handler)(ec);
}

template <class Then>
void connection::handshake(Then then)
{
    if (auto ec = prepare_tls_connection(stream_->native_handle(), tls_name_))
        return then(ec);
    arm(timeouts_.tls_handshake);
    stream_->async_handshake(asio::ssl::stream_base::client,
                             [this, then = std::move(then)](error_code ec) mutable
                             {
                                 ec = map_error(ec, mss::errc::tls_handshake_timeout);
                                 if (!ec)
                                 {
                                     tls_active_ = true;
                                 }
                                 else if (stream_)
                                 {
                                     const long verify = SSL_get_verify_result(stream_->native_handle());
                                     if (verify != X509_V_OK)
                                         certificate_failure_ = X509_verify_cert_error_string(verify);
                                 }
                                 then(ec);
                             });
}

void connection::async_run(fsm_ref fsm, const run_params& params, handler_type handler)
{
    advance(std::make_shared<run_state>(fsm, params, std::move(handler)), {}, 0);
}

void connection::advance(std::shared_ptr<run_state> op, error_code io_ec, std::size_t received)
{
    const sansio::action act = op->fsm.resume(io_ec, std::string_view(buffer_.data(), received));
    if (act.type() == sansio::action::kind::done)
        return finish_run(std::move(op), act.error());
    if (!is_open())
    {
        // Closed by cancel(), a time-out or an earlier error: the machine ends with that news.
        const error_code closed = cancelled_ ? error_code(asio::error::operation_aborted)
                                             : make_error_code(mss::errc::not_connected);
        return advance(std::move(op), closed, 0);
    }
    switch (act.type())
    {
    case sansio::action::kind::write:
    {
        if (trace_)
        {
            std::string text;
            op->fsm.redact(act.bytes(), text);
            trace(trace_direction::sent, text);
        }
        op->slow = op->params.slow_reply_after && op->params.slow_reply_after(act.bytes());
        arm(timeouts_.reply);
        auto on_written = [this, op](error_code ec, std::size_t) mutable
        {
            op->did_io = true;
            op->wrote = true;
            advance(std::move(op), map_error(ec, mss::errc::write_timeout), 0);
        };
        // The bytes belong to the machine and stay valid until its next resume().
        if (tls_active_)
            asio::async_write(*stream_, asio::buffer(act.bytes()), std::move(on_written));
        else
            asio::async_write(stream_->next_layer(), asio::buffer(act.bytes()), std::move(on_written));
        return;
    }
    case sansio::action::kind::read:
    {
        arm(op->slow ? timeouts_.data_end : op->params.read_limit.value_or(timeouts_.reply));
        const mss::errc code = op->wrote ? mss::errc::read_timeout : op->params.first_read_timeout;
        auto on_read = [this, op, code](error_code ec, std::size_t n) mutable
        {
            op->did_io = true;
            ec = map_error(ec, code);
            if (ec)
                n = 0;
            if (n != 0)
                trace(trace_direction::received, std::string_view(buffer_.data(), n));
            advance(std::move(op), ec, n);
        };
        if (tls_active_)
            stream_->async_read_some(asio::buffer(buffer_), std::move(on_read));
        else
            stream_->next_layer().async_read_some(asio::buffer(buffer_), std::move(on_read));
        return;
    }
    case sansio::action::kind::start_tls:
        handshake(
            [this, op](error_code ec) mutable
            {
                op->did_io = true;
                advance(std::move(op), ec, 0);
            });
        return;
    case sansio::action::kind::done:
        break;
    }
}

void connection::finish_run(std::shared_ptr<run_state> op, error_code ec)
{
    if (!op->did_io)
        return complete_soon(std::move(op->handler), ec);
    auto handler = std::move(op->handler);
    std::move(handler)(ec);
}

void connection::async_shutdown(handler_type handler)
{
    if (!is_open() || !tls_active_)
    {
        close();
        return complete_soon(std::move(handler), {});
    }
    arm(timeouts_.shutdown);
    // The close_notify exchange is a courtesy: eof, stream_truncated (the peer closed without
    // close_notify, as many servers do after QUIT) and time-outs all end the same way.
    stream_->async_shutdown(
        [this, h = std::move(handler)](error_code) mutable
        {
            close();
            std::move(h)(error_code());
        });
}

void connection::arm(std::chrono::milliseconds limit)
{
    if (limit.count() > 0)
        stream_->next_layer().expires_after(limit);
    else
        stream_->next_layer().expires_never();
}

error_code connection::map_error(error_code ec, mss::errc timeout_code) const
{
    if (!ec)
        return ec;
    if (cancelled_)
        return asio::error::operation_aborted;
    if (ec == boost::beast::error::timeout)
        return timeout_code;
    return ec;
}

void connection::trace(trace_direction direction, std::string_view bytes) const noexcept
{
    if (!trace_)
        return;
    try
    {
        trace_(direction, bytes);
    }
    catch (...)
    {
        // A tracing failure must not break the protocol exchange (see mss/net/trace.hpp).
    }
}

void connection::complete_soon(handler_type handler, error_code ec)
{
    asio::post(executor_, [h = std::move(handler), ec]() mutable { std::move(h)(ec); });
}

}  // namespace mss::net::detail
