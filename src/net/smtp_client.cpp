// SPDX-License-Identifier: Apache-2.0
// The SMTP client: the submission state machines of mss::smtp run over detail::connection.
#include <mss/net/smtp_client.hpp>

#include <mss/error.hpp>
#include <mss/net/tls_context.hpp>
#include <mss/smtp/command.hpp>
#include <mss/smtp/errc.hpp>

#include "net/detail/complete_later.hpp"
#include "net/detail/connection.hpp"
#include "net/detail/operation_guard.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mss::net
{

namespace asio = boost::asio;
using boost::system::error_code;
using detail::complete_later;

namespace
{

smtp::dsn_notify to_smtp(transport::dsn_notify n) noexcept
{
    const auto has = [n](transport::dsn_notify flag)
    { return (static_cast<unsigned>(n) & static_cast<unsigned>(flag)) != 0; };
    if (has(transport::dsn_notify::never))
        return smtp::dsn_notify::never;
    smtp::dsn_notify out = smtp::dsn_notify::none;
    if (has(transport::dsn_notify::success))
        out = out | smtp::dsn_notify::success;
    if (has(transport::dsn_notify::failure))
        out = out | smtp::dsn_notify::failure;
    if (has(transport::dsn_notify::delay))
        out = out | smtp::dsn_notify::delay;
    return out;
}

transport::submission_result to_result(const smtp::send_result& sent)
{
    transport::submission_result out;
    out.recipients.reserve(sent.recipients.size());
    for (const auto& r : sent.recipients)
    {
        out.recipients.push_back({r.recipient, r.accepted, r.code,
                                  r.enhanced_code ? r.enhanced_code->str() : std::string(), r.text});
    }
    out.final_reply = sent.final_reply;
    return out;
}

// The reply to the final dot may take minutes (content scanning, delivery): `data_end`. The
// body's last write ends with CRLF "." CRLF; an aborted body is "." CRLF alone. No command
// line can end that way.
bool ends_data(std::string_view written) noexcept
{
    return written == ".\r\n" || written.ends_with("\r\n.\r\n");
}

// The peer went away: end of stream, reset, or TLS closed (with or without close_notify).
bool is_connection_lost(const error_code& ec) noexcept
{
    return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated ||
           ec == mss::errc::not_connected;
}

bool is_421(const error_code& ec) noexcept
{
    return ec.category() == smtp::reply_category() && ec.value() == 421;
}

// Runs the send machine and tells the connection's tracer to hide the message data: the body
// is the mail's content (health data, a link's one-time code), never the protocol. After DATA
// the machine writes nothing but the body (in chunks, the last ending with the final dot, which
// stays visible: "<redacted>\r\n.\r\n"), an aborted body's lone dot, or RSET when DATA was
// refused. Deciding on the writes alone, not on the server's 354, keeps a server that answers
// out of turn from turning the hiding off.
class body_redactor
{
public:
    explicit body_redactor(smtp::send_fsm& fsm) noexcept : fsm_(fsm) {}

    sansio::action resume(error_code ec, std::string_view received)
    {
        const sansio::action act = fsm_.resume(ec, received);
        ranges_.clear();
        if (act.type() != sansio::action::kind::write)
            return act;
        const std::string_view bytes = act.bytes();
        if (in_body_ && bytes != "RSET\r\n")
        {
            const bool last = ends_data(bytes);
            const std::size_t keep = !last ? 0 : bytes == ".\r\n" ? 3 : 5;
            if (bytes.size() > keep)
                ranges_.push_back({0, bytes.size() - keep});
            in_body_ = !last;
        }
        else
        {
            // DATA comes last in a pipelined batch, or alone.
            in_body_ = bytes == "DATA\r\n" || bytes.ends_with("\nDATA\r\n");
        }
        return act;
    }

    // Read by detail::fsm_ref when tracing a write.
    [[nodiscard]] const std::vector<smtp::secret_range>& secrets() const noexcept { return ranges_; }

private:
    smtp::send_fsm& fsm_;
    bool in_body_ = false;  // the last command written was DATA, and the body is not over
    std::vector<smtp::secret_range> ranges_;
};

}  // namespace

struct smtp_client::impl : std::enable_shared_from_this<impl>
{
    // Handlers are moved in by constructors: Boost 1.81's any_completion_handler move assignment
    // recurses forever (its converting constructor template takes the lvalue).
    struct submit_op
    {
        explicit submit_op(asio::any_completion_handler<submit_signature> h) : handler(std::move(h)) {}

        const transport::outgoing_message* message = nullptr;
        diagnostics* diag = nullptr;
        asio::any_completion_handler<submit_signature> handler;
        smtp::send_params params;
        std::unique_ptr<smtp::session_fsm> session;
        std::unique_ptr<smtp::reset_fsm> reset;
        std::unique_ptr<smtp::send_fsm> send;
        std::unique_ptr<body_redactor> redactor;  // runs `send`, hiding the message from the trace
        bool fresh = false;    // the session was opened for this message
        bool retried = false;  // the one reconnection after an idle close was used
    };

    struct quit_op
    {
        explicit quit_op(asio::any_completion_handler<void(error_code)> h) : handler(std::move(h)) {}

        asio::any_completion_handler<void(error_code)> handler;
        std::unique_ptr<smtp::quit_fsm> quit;
        error_code result;
    };

    impl(asio::any_io_executor ex, smtp_client_config cfg)
        : executor(std::move(ex)), config(std::move(cfg)), conn(executor, config.timeouts, config.trace)
    {
    }

    // ---- shared by the operations ------------------------------------------------------------

    void abort() noexcept
    {
        operation.cancel();
        ready = false;
        conn.cancel();
    }

    void drop_connection() noexcept
    {
        ready = false;
        needs_reset = false;
        conn.close();
    }

    // ---- submission --------------------------------------------------------------------------

    void submit(const transport::outgoing_message& message, diagnostics& diag,
                asio::any_completion_handler<submit_signature> handler)
    {
        if (!operation.begin(handler, shared_from_this()))
        {
            diag.clear();
            diag.set_client_message("a submission or QUIT is already running on this SMTP client");
            complete_later(executor, std::move(handler), make_error_code(mss::errc::operation_in_progress),
                           transport::submission_result{});
            return;
        }
        diag.clear();
        auto op = std::make_shared<submit_op>(std::move(handler));
        op->message = &message;
        op->diag = &diag;
        op->params.sender = message.envelope_sender;
        for (const auto& r : message.recipients)
            op->params.recipients.emplace_back(r.address, to_smtp(r.notify));
        op->params.message = message.data;
        op->params.eight_bit = message.eight_bit;
        op->params.smtputf8 = message.needs_smtputf8;
        op->params.parser = config.reply_limits;

        if (ready && conn.is_open())
            return reuse_session(std::move(op));
        open_session(std::move(op));
    }

    void reuse_session(std::shared_ptr<submit_op> op)
    {
        op->fresh = false;
        if (!needs_reset)
            return send(std::move(op));
        op->reset = std::make_unique<smtp::reset_fsm>(config.reply_limits);
        conn.async_run(detail::fsm_ref(*op->reset), {},
                       [self = shared_from_this(), op](error_code ec) mutable
                       {
                           if (self->cancelled_error(ec))
                               return self->finish(std::move(op), ec);
                           if (!ec)
                           {
                               self->needs_reset = false;
                               return self->send(std::move(op));
                           }
                           const auto& reply = op->reset->server_reply();
                           if (!op->retried && (is_connection_lost(ec) || (reply && reply->code() == 421)))
                           {
                               op->retried = true;
                               return self->open_session(std::move(op));
                           }
                           *op->diag = op->reset->diag();
                           self->drop_connection();  // a session that cannot even RSET is not worth keeping
                           self->finish(std::move(op), ec);
                       });
    }

    void open_session(std::shared_ptr<submit_op> op)
    {
        drop_connection();
        if (!tls_context)
        {
            auto context = make_tls_context(config.tls_options, *op->diag);
            if (!context)
                return finish(std::move(op), context.error());
            tls_context.emplace(std::move(*context));
        }
        detail::endpoint where{config.host, config.port, config.tls_server_name,
                               config.tls == smtp::tls_mode::implicit};
        conn.async_connect(where, *tls_context, *op->diag,
                           [self = shared_from_this(), op](error_code ec) mutable
                           {
                               if (self->cancelled_error(ec) || ec)
                                   return self->finish(std::move(op), ec);
                               self->start_session(std::move(op));
                           });
    }

    void start_session(std::shared_ptr<submit_op> op)
    {
        smtp::session_params params;
        params.ehlo_domain = config.ehlo_domain;
        if (params.ehlo_domain.empty())
        {
            // RFC 5321 §4.1.4: without a name, the client's address as an address literal.
            const auto address = conn.local_endpoint().address();
            params.ehlo_domain =
                address.is_v6() ? "[IPv6:" + address.to_string() + "]" : "[" + address.to_string() + "]";
        }
        params.tls = config.tls;
        params.auth = config.credentials;
        params.parser = config.reply_limits;
        op->session = std::make_unique<smtp::session_fsm>(std::move(params));
        detail::run_params run;
        run.first_read_timeout = mss::errc::greeting_timeout;
        conn.async_run(detail::fsm_ref(*op->session), run,
                       [self = shared_from_this(), op](error_code ec) mutable
                       {
                           if (self->cancelled_error(ec))
                               return self->finish(std::move(op), ec);
                           if (ec)
                           {
                               *op->diag = op->session->diag();
                               self->explain_io_error(*op->diag, ec);
                               // An unauthenticated session is useless, whatever the error.
                               self->drop_connection();
                               return self->finish(std::move(op), ec);
                           }
                           self->ready = true;
                           self->needs_reset = false;
                           self->capabilities = op->session->server_capabilities();
                           op->session.reset();
                           op->fresh = true;
                           self->send(std::move(op));
                       });
    }

    void send(std::shared_ptr<submit_op> op)
    {
        op->send = std::make_unique<smtp::send_fsm>(capabilities, op->params);
        op->redactor = std::make_unique<body_redactor>(*op->send);
        detail::run_params run;
        run.slow_reply_after = &ends_data;
        conn.async_run(
            detail::fsm_ref(*op->redactor), run,
            [self = shared_from_this(), op](error_code ec) mutable
            {
                // A message accepted just before a cancellation is reported as sent: it was.
                if (!ec || self->operation.cancelled())
                    return self->finish(std::move(op), ec, to_result(op->send->result()));
                if (!op->fresh && !op->retried && idle_closed(ec, *op->send))
                {
                    op->retried = true;
                    return self->open_session(std::move(op));
                }
                *op->diag = op->send->diag();
                self->explain_io_error(*op->diag, ec);
                if (mss::is_fatal(ec) || is_421(ec))
                    self->drop_connection();
                else if (ec != smtp::errc::all_recipients_refused)  // the machine sent RSET itself then
                    self->needs_reset = true;  // whatever state the failed transaction left
                self->finish(std::move(op), ec, to_result(op->send->result()));
            });
    }

    // The server closed a kept connection while it was idle (Postfix: "421 4.4.2 Error: timeout
    // exceeded", then close) and no recipient was answered: no byte of the data went out, so
    // nothing can have been queued and the message may go again on a new connection.
    static bool idle_closed(const error_code& ec, const smtp::send_fsm& send)
    {
        for (const auto& r : send.result().recipients)
        {
            if (r.code != 0)
                return false;
        }
        const auto& reply = send.failed_reply();
        return is_421(ec) || is_connection_lost(ec) || (reply && reply->code() == 421);
    }

    // The machines say where an I/O error happened ("I/O error during the TLS handshake"); add
    // what it was, and why the certificate was refused when it was.
    void explain_io_error(diagnostics& diag, const error_code& ec) const
    {
        const auto& category = ec.category();
        if (category == mss::library_category() || category == smtp::smtp_category() ||
            category == smtp::reply_category())
            return;
        std::string message = diag.client_message() + ": " + ec.message();
        if (!conn.certificate_failure().empty())
            message += " (" + conn.certificate_failure() + ")";
        diag.set_client_message(std::move(message));
    }

    bool cancelled_error(error_code& ec) const noexcept
    {
        if (!operation.cancelled())
            return false;
        ec = asio::error::operation_aborted;
        return true;
    }

    void finish(std::shared_ptr<submit_op> op, error_code ec, transport::submission_result result = {})
    {
        // The socket of a cancelled operation is closed: keep nothing of it.
        if (operation.report_cancellation(ec, *op->diag))
            ready = false;
        operation.end();
        complete_later(executor, std::move(op->handler), ec, std::move(result));
    }

    // ---- QUIT --------------------------------------------------------------------------------

    void quit(asio::any_completion_handler<void(error_code)> handler)
    {
        if (!operation.begin(handler, shared_from_this()))
            return complete_later(executor, std::move(handler),
                                  make_error_code(mss::errc::operation_in_progress));
        auto op = std::make_shared<quit_op>(std::move(handler));
        if (!conn.is_open())
        {
            drop_connection();
            operation.end();
            return complete_later(executor, std::move(op->handler), error_code());
        }
        ready = false;
        op->quit = std::make_unique<smtp::quit_fsm>(config.reply_limits);
        conn.async_run(detail::fsm_ref(*op->quit), {},
                       [self = shared_from_this(), op](error_code ec) mutable
                       {
                           op->result = ec;
                           self->conn.async_shutdown(
                               [self, op](error_code) mutable
                               {
                                   self->drop_connection();
                                   error_code result = op->result;
                                   self->cancelled_error(result);
                                   self->operation.end();
                                   complete_later(self->executor, std::move(op->handler), result);
                               });
                       });
    }

    asio::any_io_executor executor;
    smtp_client_config config;
    std::optional<asio::ssl::context> tls_context;  // built by the first connection
    detail::connection conn;
    smtp::capabilities capabilities;    // of the open session
    detail::operation_guard operation;  // the running one, if any
    bool ready = false;                 // an authenticated session is open
    bool needs_reset = false;
};

smtp_client::smtp_client(asio::any_io_executor executor, smtp_client_config config)
    : impl_(std::make_shared<impl>(std::move(executor), std::move(config)))
{
}

smtp_client::~smtp_client()
{
    // Running operations hold the state; closing makes them complete with operation_aborted.
    impl_->abort();
}

asio::any_io_executor smtp_client::get_executor() const
{
    return impl_->executor;
}

void smtp_client::close() noexcept
{
    detail::close_client(*impl_);
}

bool smtp_client::is_connected() const noexcept
{
    return impl_->ready && impl_->conn.is_open();
}

void smtp_client::set_credentials(smtp::credentials credentials)
{
    impl_->config.credentials = std::move(credentials);
}

void smtp_client::do_submit(const transport::outgoing_message& message, diagnostics& diag,
                            asio::any_completion_handler<submit_signature> handler)
{
    impl_->submit(message, diag, std::move(handler));
}

void smtp_client::do_quit(asio::any_completion_handler<void(error_code)> handler)
{
    impl_->quit(std::move(handler));
}

}  // namespace mss::net
