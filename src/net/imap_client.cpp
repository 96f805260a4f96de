// SPDX-License-Identifier: Apache-2.0
// The IMAP client: the sans-I/O machines of mss::imap (login, command, IDLE) run over
// detail::connection, one C++20 coroutine per operation sequencing them (connect, log in, select,
// fetch, ...). Coroutines keep each operation's steps in one readable function; they never
// escape this file, and every public completion still goes through complete_later.
#include <mss/net/imap_client.hpp>

#include <mss/error.hpp>
#include <mss/imap/command_fsm.hpp>
#include <mss/imap/errc.hpp>
#include <mss/imap/idle_fsm.hpp>
#include <mss/imap/login_fsm.hpp>
#include <mss/imap/response.hpp>
#include <mss/imap/session_state.hpp>
#include <mss/net/tls_context.hpp>

#include "net/detail/complete_later.hpp"
#include "net/detail/connection.hpp"
#include "net/detail/operation_guard.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

namespace mss::net
{

namespace asio = boost::asio;
using boost::system::error_code;
using detail::complete_later;
using transport::message_flags;

namespace
{

template <class T>
using result = std::pair<error_code, T>;

// The completion token of every internal step: errors come back as values, never as exceptions.
auto tuple_token()
{
    return asio::as_tuple(asio::use_awaitable);
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [](char x, char y)
                      {
                          const auto up = [](char c)
                          { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; };
                          return up(x) == up(y);
                      });
}

constexpr std::pair<message_flags, std::string_view> system_flags[] = {
    {message_flags::seen, "\\Seen"},       {message_flags::answered, "\\Answered"},
    {message_flags::flagged, "\\Flagged"}, {message_flags::deleted, "\\Deleted"},
    {message_flags::draft, "\\Draft"},
};

// Keywords ($Forwarded, ...) and \Recent have no place in message_flags: they are ignored.
message_flags to_flags(const std::vector<std::string_view>& names) noexcept
{
    message_flags out = message_flags::none;
    for (auto name : names)
    {
        for (const auto& [flag, text] : system_flags)
        {
            if (iequals(name, text))
                out = out | flag;
        }
    }
    return out;
}

std::vector<std::string_view> flag_names(message_flags flags)
{
    std::vector<std::string_view> out;
    for (const auto& [flag, text] : system_flags)
    {
        if (transport::has(flags, flag))
            out.push_back(text);
    }
    return out;
}

// The peer went away: end of stream, reset, TLS closed, or a BYE (Dovecot says "Disconnected for
// inactivity" before closing a kept connection).
bool is_connection_lost(const error_code& ec) noexcept
{
    return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated ||
           ec == mss::errc::not_connected || ec == imap::errc::bye;
}

// The byte strings that carry credentials in whatever AUTHENTICATE or LOGIN command the login
// machine may write: the commands' own secret ranges, taken from the serialisers themselves, so
// that the trace redacts exactly what they mark (the login machine does not expose its commands).
std::vector<std::string> secret_texts(const imap_credentials& c)
{
    std::vector<std::string> out;
    const auto collect = [&out](const imap::command& cmd)
    {
        for (const auto& r : cmd.secrets)
        {
            if (r.length > 0 && r.offset + r.length <= cmd.bytes.size())
                out.push_back(cmd.bytes.substr(r.offset, r.length));
        }
    };
    imap::command cmd;
    if (!c.oauth_token.empty() &&
        !imap::serialize_authenticate_xoauth2(cmd, "A1", c.user, c.oauth_token, true))
        collect(cmd);
    cmd.clear();
    if (!imap::serialize_authenticate_plain(cmd, "A1", c.user, c.password, true))
        collect(cmd);
    imap::command_options variants[3];
    variants[1].literal_plus = true;
    variants[2].utf8 = true;
    for (const auto& opts : variants)
    {
        cmd.clear();
        if (!imap::serialize_login(cmd, "A1", c.user, c.password, opts))
            collect(cmd);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Runs the login machine and tells the connection's tracer which bytes of each write are secret.
class login_driver
{
public:
    login_driver(imap::session_state& st, const imap::login_params& params, diagnostics& diag,
                 std::vector<std::string> secrets)
        : fsm_(st, params, diag), secret_texts_(std::move(secrets))
    {
    }

    sansio::action resume(error_code ec, std::string_view received)
    {
        const sansio::action act = fsm_.resume(ec, received);
        ranges_.clear();
        if (act.type() == sansio::action::kind::write)
        {
            const std::string_view bytes = act.bytes();
            for (const auto& s : secret_texts_)
            {
                for (auto at = bytes.find(s); at != std::string_view::npos; at = bytes.find(s, at + s.size()))
                    ranges_.push_back({at, s.size()});
            }
        }
        return act;
    }

    // Read by detail::fsm_ref when tracing a write.
    [[nodiscard]] const std::vector<imap::secret_range>& secrets() const noexcept { return ranges_; }

private:
    imap::login_fsm fsm_;
    std::vector<std::string> secret_texts_;
    std::vector<imap::secret_range> ranges_;
};

// Finds the literals of an IMAP byte stream, one direction of it: `{N}` or `{N+}` (LITERAL+,
// `~{N}` for BINARY) ending a line, then N bytes, across the reads or writes they come in.
// The trace hides them: a literal is message content (a mail's body, which may be health data or
// a link's one-time code), a mailbox name or a search string, never the protocol.
class literal_scanner
{
public:
    /** Appends to `hidden` the ranges of `bytes` that are literal content. */
    void scan(std::string_view bytes, std::vector<imap::secret_range>& hidden)
    {
        std::size_t at = 0;
        while (at < bytes.size())
        {
            if (remaining_ > 0)
            {
                const std::size_t n =
                    static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size() - at));
                hidden.push_back({at, n});
                remaining_ -= n;
                at += n;
                continue;
            }
            const std::size_t nl = bytes.find('\n', at);
            const std::size_t end = nl == std::string_view::npos ? bytes.size() : nl + 1;
            tail_.append(bytes.substr(at, end - at));
            if (tail_.size() > max_tail)
                tail_.erase(0, tail_.size() - max_tail);
            if (nl != std::string_view::npos)
            {
                remaining_ = announced(tail_);
                tail_.clear();
            }
            at = end;
        }
    }

    /** Forgets the stream (a new connection). */
    void reset() noexcept
    {
        remaining_ = 0;
        tail_.clear();
    }

private:
    // "{" 20 digits "+}" CRLF and a little more.
    static constexpr std::size_t max_tail = 32;

    // The size announced at the end of `line` (which ends with LF), or 0.
    static std::uint64_t announced(std::string_view line) noexcept
    {
        if (!line.ends_with("}\r\n"))
            return 0;
        line.remove_suffix(3);
        if (line.ends_with('+'))
            line.remove_suffix(1);
        std::size_t digits = 0;
        while (digits < line.size() && digits < 20 && line[line.size() - 1 - digits] >= '0' &&
               line[line.size() - 1 - digits] <= '9')
            ++digits;
        if (digits == 0 || digits == line.size() || line[line.size() - 1 - digits] != '{')
            return 0;
        std::uint64_t n = 0;
        const char* first = line.data() + line.size() - digits;
        if (std::from_chars(first, line.data() + line.size(), n).ec != std::errc())
            return UINT64_MAX;  // beyond 2^64: hide everything that follows
        return n;
    }

    std::uint64_t remaining_ = 0;  // literal bytes still to come
    std::string tail_;             // the end of the current line
};

// The client's trace hook, with the literals of what the server sends hidden (see
// literal_scanner); the commands' literals are hidden by `command_driver`, credentials by the
// login machine's driver. Empty when the integrator set no trace.
net::trace_hook hide_received_literals(net::trace_hook trace, std::shared_ptr<literal_scanner> scanner)
{
    if (!trace)
        return trace;
    return [trace = std::move(trace), scanner = std::move(scanner)](net::trace_direction direction,
                                                                     std::string_view bytes)
    {
        if (direction != net::trace_direction::received)
            return trace(direction, bytes);
        std::vector<imap::secret_range> hidden;
        scanner->scan(bytes, hidden);
        if (hidden.empty())
            return trace(direction, bytes);
        std::string text;
        detail::append_redacted(bytes, hidden, text);
        trace(direction, text);
    };
}

// Runs a command machine and tells the connection's tracer which bytes of each write are
// literal content (an APPENDed message, say); the literal of a synchronising command comes in
// a write of its own, after the server's "+".
class command_driver
{
public:
    explicit command_driver(imap::command_fsm& fsm) noexcept : fsm_(fsm) {}

    sansio::action resume(error_code ec, std::string_view received)
    {
        const sansio::action act = fsm_.resume(ec, received);
        ranges_.clear();
        if (act.type() == sansio::action::kind::write)
            scanner_.scan(act.bytes(), ranges_);
        return act;
    }

    // Read by detail::fsm_ref when tracing a write.
    [[nodiscard]] const std::vector<imap::secret_range>& secrets() const noexcept { return ranges_; }

private:
    imap::command_fsm& fsm_;
    literal_scanner scanner_;
    std::vector<imap::secret_range> ranges_;
};

// Collects a whole message streamed out of the parser (bodies at or above its streaming
// threshold), into a string reserved once to the announced size.
class body_sink final : public imap::literal_sink
{
public:
    void on_literal_begin(const imap::literal_info& info) override
    {
        // Only the whole message is ours: `BODY[]` (another large literal, e.g. an unsolicited
        // response's, is dropped).
        active_ = info.item.size() >= 6 && iequals(info.item.substr(0, 6), "BODY[]");
        if (active_)
        {
            body.clear();
            body.reserve(static_cast<std::size_t>(info.size));
        }
    }

    void on_literal_data(std::string_view chunk) override
    {
        if (active_)
            body.append(chunk);
    }

    void on_literal_end() override { active_ = false; }

    std::string body;

private:
    bool active_ = false;
};

// Removes the sink from the parser whatever way the operation ends.
class sink_guard
{
public:
    sink_guard(imap::response_parser& parser, imap::literal_sink& sink) : parser_(parser)
    {
        parser_.set_literal_sink(&sink);
    }
    ~sink_guard() { parser_.set_literal_sink(nullptr); }
    sink_guard(const sink_guard&) = delete;
    sink_guard& operator=(const sink_guard&) = delete;

private:
    imap::response_parser& parser_;
};

// What a SELECT reported.
struct select_result
{
    std::uint32_t exists = 0;
    std::uint32_t uidvalidity = 0;
    std::uint32_t uidnext = 0;
    std::uint64_t highestmodseq = 0;
    std::vector<imap::sequence_range> vanished;   // VANISHED (EARLIER), QRESYNC
    std::vector<transport::flag_change> changed;  // FETCH of messages changed since the modseq
};

bool is_change_notice(const imap::response& r) noexcept
{
    if (r.kind != imap::response_kind::data)
        return false;
    switch (r.data)
    {
    case imap::data_kind::exists:
    case imap::data_kind::expunge:
    case imap::data_kind::fetch:
    case imap::data_kind::vanished:
        return true;
    default:
        return false;
    }
}

// The header block as transport::message_summary has it (and the in-memory operator gives it):
// the header fields with their CRLFs, without the empty line that ends the block.
std::string header_of(std::string_view section)
{
    if (section.ends_with("\r\n\r\n"))
        section.remove_suffix(2);
    return std::string(section);
}

}  // namespace

struct imap_client::impl : std::enable_shared_from_this<impl>
{
    impl(asio::any_io_executor ex, imap_client_config cfg)
        : executor(std::move(ex)),
          config(std::move(cfg)),
          conn(executor, config.timeouts, hide_received_literals(config.trace, received_literals)),
          timer(executor)
    {
    }

    // ---- operations: start, end, cancel ------------------------------------------------------

    void abort() noexcept
    {
        operation.cancel();
        ready = false;
        conn.cancel();
        timer.cancel();
    }

    // The session object stays: a machine of the running operation may still refer to it. It is
    // replaced by the next open_session().
    void drop_connection() noexcept
    {
        ready = false;
        selected.clear();
        conn.close();
    }

    // Runs `body` (an awaitable yielding result<T>) as the operation completing `handler`.
    template <class T, class Signature, class Body>
    void launch(asio::any_completion_handler<Signature> handler, diagnostics& diag, Body body)
    {
        if (!operation.begin(handler, shared_from_this()))
        {
            diag.clear();
            diag.set_client_message("an operation is already running on this IMAP client");
            return deliver(std::move(handler), make_error_code(mss::errc::operation_in_progress), T{});
        }
        diag.clear();
        asio::co_spawn(executor, std::move(body),
                       [self = shared_from_this(), h = std::move(handler), d = &diag](std::exception_ptr e,
                                                                                      result<T> r) mutable
                       {
                           if (e)
                           {
                               r.first = error_of(e);
                               d->set_client_message("IMAP operation failed with an exception");
                               self->drop_connection();  // the session's state is unknown
                           }
                           self->finish(std::move(h), *d, r.first, std::move(r.second));
                       });
    }

    static error_code error_of(const std::exception_ptr& e) noexcept
    {
        try
        {
            std::rethrow_exception(e);
        }
        catch (const std::bad_alloc&)
        {
            return make_error_code(boost::system::errc::not_enough_memory);
        }
        catch (const boost::system::system_error& x)
        {
            return x.code();
        }
        catch (...)
        {
            return make_error_code(boost::system::errc::state_not_recoverable);
        }
    }

    template <class Signature, class T>
    void finish(asio::any_completion_handler<Signature> handler, diagnostics& diag, error_code ec, T value)
    {
        // The socket of a cancelled operation is closed: keep nothing of it.
        if (operation.report_cancellation(ec, diag))
            drop_connection();
        operation.end();
        deliver(std::move(handler), ec, std::move(value));
    }

    template <class Signature, class T>
    void deliver(asio::any_completion_handler<Signature> handler, error_code ec, T value)
    {
        if constexpr (std::is_same_v<T, std::monostate>)
            complete_later(executor, std::move(handler), ec);
        else
            complete_later(executor, std::move(handler), ec, std::move(value));
    }

    // ---- the connection as awaitables ---------------------------------------------------------

    asio::awaitable<error_code> run(detail::fsm_ref fsm, detail::run_params params = {})
    {
        auto token = tuple_token();
        auto [ec] = co_await asio::async_initiate<decltype(token), void(error_code)>(
            [this](auto handler, detail::fsm_ref f, detail::run_params p)
            { conn.async_run(f, p, std::move(handler)); },
            token, fsm, params);
        co_return ec;
    }

    asio::awaitable<error_code> connect(const detail::endpoint& where, diagnostics& diag)
    {
        received_literals->reset();  // a literal cut by the end of the last connection ends there
        auto token = tuple_token();
        auto [ec] = co_await asio::async_initiate<decltype(token), void(error_code)>(
            [this](auto handler, const detail::endpoint* w, diagnostics* d)
            { conn.async_connect(*w, *tls_context, *d, std::move(handler)); },
            token, &where, &diag);
        co_return ec;
    }

    asio::awaitable<void> shutdown()
    {
        auto token = tuple_token();
        co_await asio::async_initiate<decltype(token), void(error_code)>(
            [this](auto handler) { conn.async_shutdown(std::move(handler)); }, token);
    }

    // Runs one command to its tagged response, handing every response to `on_response`.
    asio::awaitable<error_code> command(imap::command cmd, imap::command_fsm::response_handler on_response,
                                        diagnostics& diag, std::uint32_t expect_uidvalidity = 0)
    {
        imap::command_fsm fsm(*session, std::move(cmd), std::move(on_response), diag);
        if (expect_uidvalidity != 0)
            fsm.expect_uidvalidity(expect_uidvalidity);
        command_driver driver(fsm);
        const error_code ec = co_await run(detail::fsm_ref(driver));
        if (ec)
            explain(diag, ec, "IMAP command");
        co_return ec;
    }

    // The machines say what failed at the protocol level; add what an I/O error was, and why a
    // certificate was refused.
    void explain(diagnostics& diag, const error_code& ec, std::string_view during) const
    {
        const auto& category = ec.category();
        if (category == mss::library_category() || category == imap::imap_category())
        {
            if (diag.client_message().empty())
                diag.set_client_message(std::string(during) + ": " + ec.message());
            return;
        }
        std::string message = diag.client_message().empty() ? std::string(during) : diag.client_message();
        message += ": " + ec.message();
        if (!conn.certificate_failure().empty())
            message += " (" + conn.certificate_failure() + ")";
        diag.set_client_message(std::move(message));
    }

    // ---- session ------------------------------------------------------------------------------

    asio::awaitable<error_code> open_session(diagnostics& diag)
    {
        drop_connection();
        qresync = false;
        condstore = false;
        if (config.tls == imap::tls_mode::insecure_plaintext)
        {
            diag.set_client_message("IMAP without TLS is not allowed: use STARTTLS or implicit TLS");
            co_return make_error_code(mss::errc::configuration_error);
        }
        if (!tls_context)
        {
            auto context = make_tls_context(config.tls_options, diag);
            if (!context)
                co_return context.error();
            tls_context.emplace(std::move(*context));
        }
        session = std::make_unique<imap::session_state>(config.parser_limits);
        conn.set_timeouts(config.timeouts);
        const detail::endpoint where{config.host, config.port, config.tls_server_name,
                                     config.tls == imap::tls_mode::implicit};
        error_code ec = co_await connect(where, diag);
        if (ec)
            co_return ec;

        imap::login_params params;
        params.tls = config.tls;
        params.user = config.credentials.user;
        params.password = config.credentials.password;
        params.oauth_token = config.credentials.oauth_token;
        params.allow_login_command = config.allow_login_command;
        login_driver login(*session, params, diag, secret_texts(config.credentials));
        detail::run_params run_params;
        run_params.first_read_timeout = mss::errc::greeting_timeout;
        ec = co_await run(detail::fsm_ref(login), run_params);
        if (ec)
        {
            explain(diag, ec, "IMAP login");
            drop_connection();  // an unauthenticated session is useless, whatever the error
            co_return ec;
        }

        // RFC 7162: QRESYNC must be enabled before SELECT uses it; it implies CONDSTORE. UTF-8
        // names (RFC 6855) when the server accepts them.
        const auto& caps = session->capabilities;
        condstore = caps.condstore();  // SELECT (CONDSTORE) turns it on without ENABLE
        std::vector<std::string_view> wanted;
        if (caps.enable())
        {
            if (caps.qresync())
                wanted.push_back("QRESYNC");
            if (caps.condstore())
                wanted.push_back("CONDSTORE");
            if (caps.utf8_accept())
                wanted.push_back("UTF8=ACCEPT");
        }
        if (!wanted.empty())
        {
            imap::command cmd;
            if (auto serialize_ec = imap::serialize_enable(cmd, session->tags.next(), wanted))
                co_return serialize_ec;
            ec = co_await command(
                std::move(cmd),
                [this](const imap::response& r)
                {
                    if (r.kind != imap::response_kind::data || r.data != imap::data_kind::enabled)
                        return;
                    for (auto atom : r.atoms)
                    {
                        if (iequals(atom, "QRESYNC"))
                            qresync = condstore = true;
                        else if (iequals(atom, "CONDSTORE"))
                            condstore = true;
                    }
                },
                diag);
            if (ec && imap::is_fatal(ec))
            {
                drop_connection();
                co_return ec;
            }
            // A refused ENABLE leaves a usable session, without the extensions.
        }
        ready = true;
        diag.clear();
        co_return error_code();
    }

    // Opens a session when none is open, runs `step`, and after a kept connection turned out to
    // be closed by the server, reconnects and runs it once more when `may_retry`.
    template <class T, class Step>
    asio::awaitable<result<T>> with_session(diagnostics& diag, bool may_retry, Step step)
    {
        for (int attempt = 0;; ++attempt)
        {
            const bool reused = ready && conn.is_open();
            if (!reused)
            {
                const error_code ec = co_await open_session(diag);
                if (ec)
                    co_return result<T>{ec, T{}};
            }
            keep_session = false;
            result<T> r = co_await step();
            const error_code ec = r.first;
            if (ec && !operation.cancelled() && reused && may_retry && attempt == 0 && is_connection_lost(ec))
            {
                drop_connection();
                diag.clear();
                continue;
            }
            if (ec && !keep_session && imap::is_fatal(ec))
                drop_connection();
            co_return r;
        }
    }

    // ---- SELECT -------------------------------------------------------------------------------

    asio::awaitable<error_code> select(const imap::select_params& params, select_result& out,
                                       diagnostics& diag, std::uint32_t expect_uidvalidity = 0)
    {
        selected.clear();  // a failed SELECT leaves no mailbox selected (RFC 3501 §6.3.1)
        imap::command cmd;
        if (auto ec = imap::serialize_select(cmd, session->tags.next(), params, session->options()))
        {
            diag.set_client_message("IMAP SELECT cannot be written for this folder name");
            co_return ec;
        }
        error_code ec = co_await command(
            std::move(cmd),
            [&out](const imap::response& r)
            {
                using imap::response_code_kind;
                if (r.kind == imap::response_kind::untagged_status)
                {
                    const auto& code = r.status.code;
                    if (code.kind == response_code_kind::uidvalidity)
                        out.uidvalidity = static_cast<std::uint32_t>(code.number);
                    else if (code.kind == response_code_kind::uidnext)
                        out.uidnext = static_cast<std::uint32_t>(code.number);
                    else if (code.kind == response_code_kind::highestmodseq)
                        out.highestmodseq = code.number;
                    else if (code.kind == response_code_kind::closed)
                        out = select_result{};  // what came before belonged to the previous mailbox
                    return;
                }
                if (r.kind != imap::response_kind::data)
                    return;
                if (r.data == imap::data_kind::exists)
                    out.exists = r.number;
                else if (r.data == imap::data_kind::vanished && r.vanished.earlier)
                    out.vanished.insert(out.vanished.end(), r.vanished.uids.ranges().begin(),
                                        r.vanished.uids.ranges().end());
                else if (r.data == imap::data_kind::fetch && r.fetch.has(imap::fetch_item::uid) &&
                         r.fetch.has(imap::fetch_item::flags))
                    out.changed.push_back({r.fetch.uid, to_flags(r.fetch.flags), r.fetch.modseq});
            },
            diag, expect_uidvalidity);
        if (ec == imap::errc::uidvalidity_changed)
        {
            ec = {};  // the caller sees it in `out` and resynchronises
            diag.clear();
        }
        if (!ec)
            selected = std::string(params.mailbox);
        co_return ec;
    }

    asio::awaitable<error_code> ensure_selected(const std::string& folder, diagnostics& diag)
    {
        if (selected == folder)
            co_return error_code();
        select_result ignored;
        co_return co_await select(plain_select(folder), ignored, diag);
    }

    imap::select_params plain_select(const std::string& folder) const
    {
        imap::select_params p;
        p.mailbox = folder;
        p.condstore = condstore && !qresync;  // with QRESYNC enabled, CONDSTORE is on already
        return p;
    }

    // ---- synchronisation ------------------------------------------------------------------------

    asio::awaitable<result<transport::folder_changes>> sync_step(const std::string& folder,
                                                                 const transport::folder_sync_state& known,
                                                                 diagnostics& diag)
    {
        transport::folder_changes out;
        const bool incremental = known.uid_validity != 0;
        const bool use_qresync = incremental && qresync && known.highest_modseq != 0;
        imap::select_params params = plain_select(folder);
        if (use_qresync)
            params.qresync = imap::qresync_params{known.uid_validity, known.highest_modseq, {}};
        select_result sel;
        error_code ec = co_await select(params, sel, diag, incremental ? known.uid_validity : 0);
        if (ec)
            co_return result<transport::folder_changes>{ec, {}};

        out.state = {sel.uidvalidity, sel.uidnext, sel.highestmodseq};
        out.full_resync = !incremental || sel.uidvalidity != known.uid_validity;
        std::uint32_t first_new = 1;
        if (!out.full_resync)
        {
            first_new = std::max<std::uint32_t>(known.uid_next, 1);
            if (use_qresync)
            {
                // QRESYNC answered in the SELECT itself: expunges and flag changes since the
                // modseq. Messages not known yet (UID >= known UIDNEXT) come with the new ones.
                for (const auto& range : sel.vanished)
                {
                    const std::uint32_t last = std::min(range.last, first_new - 1);
                    for (std::uint64_t uid = range.first; uid <= last; ++uid)
                        out.vanished.push_back(static_cast<std::uint32_t>(uid));
                }
                for (const auto& c : sel.changed)
                {
                    if (c.uid < first_new && (c.modseq == 0 || c.modseq > known.highest_modseq))
                        out.flag_changes.push_back(c);
                }
            }
            else if (first_new > 1 && sel.exists > 0)
            {
                ec = co_await fetch_flag_changes(known, out, diag);
            }
        }
        const bool more = sel.uidnext == 0 || sel.uidnext > first_new;
        if (!ec && sel.exists > 0 && more)
            ec = co_await fetch_new(first_new, sel.uidnext, out, diag);
        if (ec)
            co_return result<transport::folder_changes>{ec, {}};

        if (out.state.uid_next == 0)  // a server that does not say UIDNEXT
        {
            out.state.uid_next = first_new;
            for (const auto& m : out.new_messages)
                out.state.uid_next = std::max(out.state.uid_next, m.uid + 1);
        }
        const auto by_uid = [](const auto& a, const auto& b) { return a.uid < b.uid; };
        std::stable_sort(out.new_messages.begin(), out.new_messages.end(), by_uid);
        std::stable_sort(out.flag_changes.begin(), out.flag_changes.end(), by_uid);
        // One entry per message: the last word on its flags.
        auto last = std::unique(out.flag_changes.rbegin(), out.flag_changes.rend(),
                                [](const auto& a, const auto& b) { return a.uid == b.uid; });
        out.flag_changes.erase(out.flag_changes.begin(), last.base());
        std::sort(out.vanished.begin(), out.vanished.end());
        out.vanished.erase(std::unique(out.vanished.begin(), out.vanished.end()), out.vanished.end());
        last_sync[folder] = out.state;
        co_return result<transport::folder_changes>{error_code(), std::move(out)};
    }

    // UID FETCH first:(uidnext-1) of everything a message_summary holds.
    asio::awaitable<error_code> fetch_new(std::uint32_t first, std::uint32_t uidnext,
                                          transport::folder_changes& out, diagnostics& diag)
    {
        // Bounded by the SELECT's UIDNEXT rather than `*`: a message arriving meanwhile belongs to
        // the next synchronisation, whose state starts at that UIDNEXT (no duplicates), and `n:*`
        // would return the last message even when no UID reaches n.
        const std::uint32_t last = uidnext == 0 ? imap::sequence_set::star : uidnext - 1;
        static constexpr std::string_view header_section[] = {"HEADER"};
        imap::fetch_params params;
        params.uids.add_range(first, last);
        params.items = static_cast<std::uint32_t>(imap::fetch_item::uid) |
                       static_cast<std::uint32_t>(imap::fetch_item::flags) |
                       static_cast<std::uint32_t>(imap::fetch_item::internal_date) |
                       static_cast<std::uint32_t>(imap::fetch_item::rfc822_size);
        if (condstore)
            params.items |= static_cast<std::uint32_t>(imap::fetch_item::modseq);
        params.body_sections = header_section;
        imap::command cmd;
        if (auto ec = imap::serialize_uid_fetch(cmd, session->tags.next(), params))
            co_return ec;
        co_return co_await command(
            std::move(cmd),
            [&out, first, last](const imap::response& r)
            {
                if (r.kind != imap::response_kind::data || r.data != imap::data_kind::fetch)
                    return;
                const auto& f = r.fetch;
                if (!f.has(imap::fetch_item::uid) || f.uid < first || f.uid > last)
                    return;
                const imap::body_section* header = nullptr;
                for (const auto& s : f.sections)
                {
                    if (!s.binary && iequals(s.section, "HEADER"))
                        header = &s;
                }
                if (header == nullptr)
                {
                    // An unsolicited flag update of a message already received.
                    if (!f.has(imap::fetch_item::flags))
                        return;
                    for (auto it = out.new_messages.rbegin(); it != out.new_messages.rend(); ++it)
                    {
                        if (it->uid == f.uid)
                        {
                            it->flags = to_flags(f.flags);
                            it->modseq = std::max(it->modseq, f.modseq);
                            break;
                        }
                    }
                    return;
                }
                transport::message_summary m;
                m.uid = f.uid;
                m.flags = to_flags(f.flags);
                m.modseq = f.modseq;
                m.internal_date = f.internal_date.to_sys_seconds();
                m.size = f.rfc822_size;
                m.header = header_of(header->data);
                out.new_messages.push_back(std::move(m));
            },
            diag);
    }

    // Without QRESYNC: UID FETCH 1:(uidnext-1) (FLAGS) (CHANGEDSINCE modseq). Without CONDSTORE
    // (or a state without modseq) every known message is reported: nothing tells what changed.
    asio::awaitable<error_code> fetch_flag_changes(const transport::folder_sync_state& known,
                                                   transport::folder_changes& out, diagnostics& diag)
    {
        imap::fetch_params params;
        params.uids.add_range(1, known.uid_next - 1);
        params.items = static_cast<std::uint32_t>(imap::fetch_item::uid) |
                       static_cast<std::uint32_t>(imap::fetch_item::flags);
        const bool changed_since = condstore && known.highest_modseq != 0;
        if (condstore)
            params.items |= static_cast<std::uint32_t>(imap::fetch_item::modseq);
        if (changed_since)
            params.changed_since = known.highest_modseq;
        imap::command cmd;
        if (auto ec = imap::serialize_uid_fetch(cmd, session->tags.next(), params))
            co_return ec;
        const std::uint32_t limit = known.uid_next;
        const std::uint64_t since = changed_since ? known.highest_modseq : 0;
        co_return co_await command(
            std::move(cmd),
            [&out, limit, since](const imap::response& r)
            {
                if (r.kind != imap::response_kind::data || r.data != imap::data_kind::fetch)
                    return;
                const auto& f = r.fetch;
                if (f.has(imap::fetch_item::uid) && f.has(imap::fetch_item::flags) && f.uid < limit &&
                    (since == 0 || f.modseq > since))
                    out.flag_changes.push_back({f.uid, to_flags(f.flags), f.modseq});
            },
            diag);
    }

    // ---- single messages ------------------------------------------------------------------------

    asio::awaitable<result<std::string>> fetch_message_step(const std::string& folder, std::uint32_t uid,
                                                            diagnostics& diag)
    {
        error_code ec = co_await ensure_selected(folder, diag);
        if (ec)
            co_return result<std::string>{ec, {}};
        static constexpr std::string_view whole[] = {""};
        imap::fetch_params params;
        params.uids.add(uid);
        params.items = static_cast<std::uint32_t>(imap::fetch_item::uid);
        params.body_sections = whole;
        imap::command cmd;
        if (auto serialize_ec = imap::serialize_uid_fetch(cmd, session->tags.next(), params))
            co_return result<std::string>{serialize_ec, {}};
        body_sink sink;
        std::string body;
        bool found = false;
        {
            sink_guard guard(session->parser, sink);
            ec = co_await command(
                std::move(cmd),
                [&](const imap::response& r)
                {
                    if (r.kind != imap::response_kind::data || r.data != imap::data_kind::fetch ||
                        r.fetch.uid != uid)
                        return;
                    for (const auto& s : r.fetch.sections)
                    {
                        if (s.binary || !s.section.empty() || s.nil)
                            continue;
                        if (s.streamed)
                            body = std::move(sink.body);
                        else
                            body.assign(s.data);
                        found = true;
                    }
                },
                diag);
        }
        if (!ec && !found)
        {
            // As the in-memory operator says it; the session itself is fine.
            diag.set_client_message("no message with this UID");
            keep_session = true;
            ec = mss::errc::unexpected_response;
        }
        co_return result<std::string>{ec, std::move(body)};
    }

    asio::awaitable<result<std::monostate>> store_step(const std::string& folder, std::uint32_t uid,
                                                       message_flags add, message_flags remove,
                                                       diagnostics& diag)
    {
        error_code ec = co_await ensure_selected(folder, diag);
        // Added first, then removed: a flag in both ends up removed, as in the in-memory operator.
        const std::pair<imap::store_mode, message_flags> changes[] = {{imap::store_mode::add, add},
                                                                      {imap::store_mode::remove, remove}};
        for (const auto& change : changes)
        {
            if (ec || change.second == message_flags::none)
                continue;
            const auto names = flag_names(change.second);
            imap::store_params params;
            params.uids.add(uid);
            params.mode = change.first;
            params.flags = names;
            params.silent = true;
            imap::command cmd;
            ec = imap::serialize_uid_store(cmd, session->tags.next(), params);
            if (!ec)
                ec = co_await command(std::move(cmd), {}, diag);
        }
        co_return result<std::monostate>{ec, {}};
    }

    asio::awaitable<result<std::uint32_t>> append_step(const std::string& folder, std::string_view message,
                                                       message_flags flags, diagnostics& diag)
    {
        const auto names = flag_names(flags);
        imap::append_params params;
        params.mailbox = folder;
        params.message = message;
        params.flags = names;
        imap::command cmd;
        if (auto ec = imap::serialize_append(cmd, session->tags.next(), params, session->options()))
        {
            diag.set_client_message("IMAP APPEND cannot be written (folder name, or an empty message)");
            co_return result<std::uint32_t>{ec, 0};
        }
        std::uint32_t uid = 0;
        const error_code ec = co_await command(
            std::move(cmd),
            [&uid](const imap::response& r)
            {
                if (r.kind != imap::response_kind::tagged ||
                    r.status.code.kind != imap::response_code_kind::appenduid)
                    return;
                // One message appended: one UID (a set only with MULTIAPPEND).
                const auto text = r.status.code.uids;
                std::uint32_t value = 0;
                const auto [end, parse_ec] = std::from_chars(text.data(), text.data() + text.size(), value);
                if (parse_ec == std::errc() && end == text.data() + text.size())
                    uid = value;
            },
            diag);
        co_return result<std::uint32_t>{ec, ec ? 0 : uid};
    }

    asio::awaitable<result<std::optional<std::uint32_t>>> find_step(const std::string& folder,
                                                                    const std::string& message_id,
                                                                    diagnostics& diag)
    {
        using out_type = result<std::optional<std::uint32_t>>;
        error_code ec = co_await ensure_selected(folder, diag);
        if (ec)
            co_return out_type{ec, std::nullopt};
        // HEADER matches substrings: with its angle brackets the identifier matches only itself.
        const std::string value = "<" + message_id + ">";
        imap::search_criteria criteria;
        criteria.header_name = "Message-ID";
        criteria.header_value = value;
        imap::command cmd;
        if (auto serialize_ec =
                imap::serialize_uid_search(cmd, session->tags.next(), criteria, session->options()))
            co_return out_type{serialize_ec, std::nullopt};
        std::optional<std::uint32_t> found;
        ec = co_await command(
            std::move(cmd),
            [&found](const imap::response& r)
            {
                if (r.kind != imap::response_kind::data || r.data != imap::data_kind::search)
                    return;
                for (auto uid : r.search.numbers)
                {
                    if (!found || uid < *found)
                        found = uid;
                }
            },
            diag);
        co_return out_type{ec, ec ? std::nullopt : found};
    }

    asio::awaitable<result<std::vector<transport::folder_info>>> list_step(diagnostics& diag)
    {
        using out_type = result<std::vector<transport::folder_info>>;
        imap::command cmd;
        if (auto ec = imap::serialize_list(cmd, session->tags.next(), "", "*",
                                           session->capabilities.special_use(), session->options()))
            co_return out_type{ec, {}};
        std::vector<transport::folder_info> folders;
        bool any_special_use = false;
        const error_code ec = co_await command(
            std::move(cmd),
            [&](const imap::response& r)
            {
                using imap::mailbox_attribute;
                if (r.kind != imap::response_kind::data || r.data != imap::data_kind::list)
                    return;
                const auto& l = r.list;
                if (l.has(mailbox_attribute::noselect) || l.has(mailbox_attribute::nonexistent))
                    return;
                transport::folder_info f{std::string(l.name), transport::folder_role::other};
                if (iequals(l.name, "INBOX"))
                    f.role = transport::folder_role::inbox;
                else if (l.has(mailbox_attribute::sent))
                    f.role = transport::folder_role::sent;
                else if (l.has(mailbox_attribute::drafts))
                    f.role = transport::folder_role::drafts;
                else if (l.has(mailbox_attribute::trash))
                    f.role = transport::folder_role::trash;
                else if (l.has(mailbox_attribute::junk))
                    f.role = transport::folder_role::junk;
                any_special_use = any_special_use || f.role > transport::folder_role::inbox;
                folders.push_back(std::move(f));
            },
            diag);
        if (ec)
            co_return out_type{ec, {}};
        if (!any_special_use)
        {
            // A server without SPECIAL-USE: the usual names.
            for (auto& f : folders)
            {
                if (iequals(f.name, "Sent") || iequals(f.name, "Sent Messages") || iequals(f.name, "Envoyés"))
                    f.role = transport::folder_role::sent;
                else if (iequals(f.name, "Drafts") || iequals(f.name, "Brouillons"))
                    f.role = transport::folder_role::drafts;
                else if (iequals(f.name, "Trash") || iequals(f.name, "Corbeille"))
                    f.role = transport::folder_role::trash;
                else if (iequals(f.name, "Junk") || iequals(f.name, "Spam"))
                    f.role = transport::folder_role::junk;
            }
        }
        co_return out_type{error_code(), std::move(folders)};
    }

    asio::awaitable<result<std::monostate>> fetch_items_step(const std::string& folder,
                                                             const imap::fetch_params& params,
                                                             fetch_callback on_fetch, diagnostics& diag)
    {
        error_code ec = co_await ensure_selected(folder, diag);
        if (ec)
            co_return result<std::monostate>{ec, {}};
        imap::command cmd;
        if (auto serialize_ec = imap::serialize_uid_fetch(cmd, session->tags.next(), params))
        {
            diag.set_client_message("IMAP UID FETCH cannot be written with these parameters");
            co_return result<std::monostate>{serialize_ec, {}};
        }
        ec = co_await command(
            std::move(cmd),
            [&on_fetch](const imap::response& r)
            {
                if (r.kind == imap::response_kind::data && r.data == imap::data_kind::fetch && on_fetch)
                    on_fetch(r.fetch);
            },
            diag);
        co_return result<std::monostate>{ec, {}};
    }

    asio::awaitable<result<std::monostate>> expunge_step(const std::string& folder,
                                                         const imap::sequence_set& uids, diagnostics& diag)
    {
        if (!session->capabilities.uidplus())
        {
            diag.set_client_message("IMAP server does not offer UIDPLUS (UID EXPUNGE)");
            keep_session = true;
            co_return result<std::monostate>{make_error_code(imap::errc::capability_missing), {}};
        }
        error_code ec = co_await ensure_selected(folder, diag);
        static constexpr std::string_view deleted[] = {"\\Deleted"};
        imap::store_params params;
        params.uids = uids;
        params.mode = imap::store_mode::add;
        params.flags = deleted;
        imap::command cmd;
        if (!ec)
            ec = imap::serialize_uid_store(cmd, session->tags.next(), params);
        if (!ec)
            ec = co_await command(std::move(cmd), {}, diag);
        imap::command expunge;
        if (!ec)
            ec = imap::serialize_uid_expunge(expunge, session->tags.next(), uids);
        if (!ec)
            ec = co_await command(std::move(expunge), {}, diag);
        co_return result<std::monostate>{ec, {}};
    }

    // ---- waiting for changes --------------------------------------------------------------------

    // Runs idle_fsm and gives its reads the right time limit: while idling, silence is the normal
    // case and the read may last the whole period; the answer to DONE gets `reply`, so that a
    // dead server is found out.
    class idle_driver
    {
    public:
        idle_driver(impl& owner, std::chrono::milliseconds period, bool& changed, diagnostics& diag)
            : owner_(owner),
              period_(period),
              changed_(changed),
              fsm_(
                  *owner.session, [this](const imap::response& r) { on_event(r); }, diag)
        {
        }

        sansio::action resume(error_code ec, std::string_view received)
        {
            const sansio::action act = fsm_.resume(ec, received);
            net::timeouts limits = owner_.config.timeouts;
            if (act.type() == sansio::action::kind::read && fsm_.idling() && !stopping_ &&
                limits.reply.count() > 0)
                limits.reply += period_;
            owner_.conn.set_timeouts(limits);
            return act;
        }

        // The period is over: DONE. While idling the connection is blocked in a read, which is
        // interrupted; before the server's `+`, the machine sends DONE when it arrives.
        void stop_for_timer()
        {
            stop();
            if (fsm_.idling())
                owner_.conn.cancel_read();
        }

    private:
        void on_event(const imap::response& r)
        {
            if (!is_change_notice(r))
                return;  // `* OK Still here` and the like
            changed_ = true;
            stop();
        }

        void stop()
        {
            stopping_ = true;
            fsm_.stop();
        }

        impl& owner_;
        std::chrono::milliseconds period_;
        bool& changed_;
        bool stopping_ = false;
        imap::idle_fsm fsm_;
    };

    asio::awaitable<error_code> idle_round(std::chrono::milliseconds period, bool& changed, diagnostics& diag)
    {
        idle_driver driver(*this, period, changed, diag);
        // The timer's handler may run after this round (queued before it was cancelled): it finds
        // the driver through this shared pointer, emptied when the round ends.
        auto live = std::make_shared<idle_driver*>(&driver);
        timer.expires_after(period);
        timer.async_wait(
            [live](error_code ec)
            {
                if (!ec && *live != nullptr)
                    (*live)->stop_for_timer();
            });
        const error_code ec = co_await run(detail::fsm_ref(driver));
        *live = nullptr;
        timer.cancel();
        conn.set_timeouts(config.timeouts);
        if (ec)
            explain(diag, ec, "IMAP IDLE");
        co_return ec;
    }

    asio::awaitable<error_code> noop(bool& changed, diagnostics& diag)
    {
        imap::command cmd;
        if (auto ec = imap::serialize_noop(cmd, session->tags.next()))
            co_return ec;
        co_return co_await command(
            std::move(cmd),
            [&changed](const imap::response& r)
            {
                if (is_change_notice(r))
                    changed = true;
            },
            diag);
    }

    asio::awaitable<result<bool>> wait_step(const std::string& folder, std::chrono::milliseconds max_wait,
                                            diagnostics& diag)
    {
        const auto deadline = std::chrono::steady_clock::now() + max_wait;
        // Selected anew, so that the folder's counters can be compared with the last
        // synchronisation's: a change made between that sync and now is not lost.
        select_result sel;
        error_code ec = co_await select(plain_select(folder), sel, diag);
        if (ec)
            co_return result<bool>{ec, false};
        if (const auto it = last_sync.find(folder); it != last_sync.end())
        {
            const auto& s = it->second;
            if (sel.uidvalidity != s.uid_validity || (sel.uidnext != 0 && sel.uidnext != s.uid_next) ||
                (sel.highestmodseq != 0 && sel.highestmodseq != s.highest_modseq))
                co_return result<bool>{error_code(), true};
        }
        const bool idle = session->capabilities.idle();
        for (;;)
        {
            // Rounded up: the last round must not end before the deadline.
            const auto remaining =
                std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            bool changed = false;
            if (idle)
            {
                if (remaining.count() <= 0)
                    co_return result<bool>{error_code(), false};
                ec = co_await idle_round(std::min(remaining, config.idle_refresh), changed, diag);
            }
            else
            {
                ec = co_await noop(changed, diag);
                if (!ec && !changed && remaining.count() > 0)
                {
                    timer.expires_after(std::min(remaining, config.poll_interval));
                    auto token = tuple_token();
                    co_await timer.async_wait(token);
                    if (operation.cancelled())
                        ec = asio::error::operation_aborted;
                }
                else if (!ec && !changed)
                {
                    co_return result<bool>{error_code(), false};
                }
            }
            if (ec || changed)
                co_return result<bool>{ec, changed};
        }
    }

    // ---- LOGOUT ---------------------------------------------------------------------------------

    asio::awaitable<result<std::monostate>> logout_step(diagnostics& diag)
    {
        error_code ec;
        if (conn.is_open() && session)
        {
            imap::command cmd;
            ec = imap::serialize_logout(cmd, session->tags.next());
            if (!ec)
                ec = co_await command(std::move(cmd), {}, diag);
            co_await shutdown();
        }
        drop_connection();
        co_return result<std::monostate>{ec, {}};
    }

    asio::any_io_executor executor;
    imap_client_config config;
    std::optional<asio::ssl::context> tls_context;  // built by the first connection
    // The trace's view of the server's stream; reset with each connection.
    std::shared_ptr<literal_scanner> received_literals = std::make_shared<literal_scanner>();
    detail::connection conn;
    std::unique_ptr<imap::session_state> session;                   // of the current connection
    asio::steady_timer timer;                                       // IDLE period, NOOP interval
    std::string selected;                                           // the selected folder; empty when none
    std::map<std::string, transport::folder_sync_state> last_sync;  // state reported per folder
    detail::operation_guard operation;                              // the running one, if any
    bool ready = false;                                             // an authenticated session is open
    bool qresync = false;                                           // QRESYNC enabled on the session
    bool condstore = false;                                         // CONDSTORE usable on the session
    bool keep_session = false;  // the step's error is a verdict, not a broken session
    diagnostics logout_diag;
};

imap_client::imap_client(asio::any_io_executor executor, imap_client_config config)
    : impl_(std::make_shared<impl>(std::move(executor), std::move(config)))
{
}

imap_client::~imap_client()
{
    // Running operations hold the state; closing makes them complete with operation_aborted.
    impl_->abort();
}

asio::any_io_executor imap_client::get_executor() const
{
    return impl_->executor;
}

void imap_client::close() noexcept
{
    detail::close_client(*impl_);
}

bool imap_client::is_connected() const noexcept
{
    return impl_->ready && impl_->conn.is_open();
}

const imap::capability_set& imap_client::server_capabilities() const noexcept
{
    static const imap::capability_set none;
    return impl_->session && impl_->ready ? impl_->session->capabilities : none;
}

void imap_client::set_credentials(imap_credentials credentials)
{
    impl_->config.credentials = std::move(credentials);
}

// Each operation copies its arguments into its coroutine: they must not depend on the caller's
// objects staying unchanged (only `diag`, the APPEND message and async_fetch's parameters are used in
// place, as documented).

void imap_client::do_list_folders(diagnostics& diag, asio::any_completion_handler<list_signature> handler)
{
    auto& self = *impl_;
    self.launch<std::vector<transport::folder_info>>(
        std::move(handler), diag,
        self.with_session<std::vector<transport::folder_info>>(
            diag, true, [&self, &diag] { return self.list_step(diag); }));
}

void imap_client::do_sync_folder(const std::string& folder, const transport::folder_sync_state& known,
                                 diagnostics& diag, asio::any_completion_handler<sync_signature> handler)
{
    auto& self = *impl_;
    self.launch<transport::folder_changes>(
        std::move(handler), diag,
        self.with_session<transport::folder_changes>(
            diag, true, [&self, &diag, f = folder, k = known] { return self.sync_step(f, k, diag); }));
}

void imap_client::do_fetch_message(const std::string& folder, std::uint32_t uid, diagnostics& diag,
                                   asio::any_completion_handler<fetch_signature> handler)
{
    auto& self = *impl_;
    self.launch<std::string>(
        std::move(handler), diag,
        self.with_session<std::string>(
            diag, true, [&self, &diag, f = folder, uid] { return self.fetch_message_step(f, uid, diag); }));
}

void imap_client::do_store_flags(const std::string& folder, std::uint32_t uid, message_flags add,
                                 message_flags remove, diagnostics& diag,
                                 asio::any_completion_handler<store_signature> handler)
{
    auto& self = *impl_;
    self.launch<std::monostate>(
        std::move(handler), diag,
        self.with_session<std::monostate>(diag, true,
                                          [&self, &diag, f = folder, uid, add, remove]
                                          { return self.store_step(f, uid, add, remove, diag); }));
}

void imap_client::do_append(const std::string& folder, std::string_view message, message_flags flags,
                            diagnostics& diag, asio::any_completion_handler<append_signature> handler)
{
    auto& self = *impl_;
    // Not retried after a lost connection: the server may have stored the message already.
    self.launch<std::uint32_t>(
        std::move(handler), diag,
        self.with_session<std::uint32_t>(diag, false,
                                         [&self, &diag, f = folder, message, flags]
                                         { return self.append_step(f, message, flags, diag); }));
}

void imap_client::do_find_message_id(const std::string& folder, const std::string& message_id,
                                     diagnostics& diag, asio::any_completion_handler<find_signature> handler)
{
    auto& self = *impl_;
    self.launch<std::optional<std::uint32_t>>(
        std::move(handler), diag,
        self.with_session<std::optional<std::uint32_t>>(
            diag, true, [&self, &diag, f = folder, id = message_id] { return self.find_step(f, id, diag); }));
}

void imap_client::do_wait_for_changes(const std::string& folder, std::chrono::milliseconds max_wait,
                                      diagnostics& diag, asio::any_completion_handler<wait_signature> handler)
{
    auto& self = *impl_;
    self.launch<bool>(
        std::move(handler), diag,
        self.with_session<bool>(
            diag, true, [&self, &diag, f = folder, max_wait] { return self.wait_step(f, max_wait, diag); }));
}

void imap_client::do_fetch(const std::string& folder, const imap::fetch_params& params,
                           fetch_callback on_fetch, diagnostics& diag,
                           asio::any_completion_handler<void(error_code)> handler)
{
    auto& self = *impl_;
    self.launch<std::monostate>(
        std::move(handler), diag,
        self.with_session<std::monostate>(diag, true,
                                          [&self, &diag, f = folder, p = &params, cb = std::move(on_fetch)]
                                          { return self.fetch_items_step(f, *p, cb, diag); }));
}

void imap_client::do_expunge(const std::string& folder, imap::sequence_set uids, diagnostics& diag,
                             asio::any_completion_handler<void(error_code)> handler)
{
    auto& self = *impl_;
    self.launch<std::monostate>(
        std::move(handler), diag,
        self.with_session<std::monostate>(diag, true,
                                          [&self, &diag, f = folder, u = std::move(uids)]
                                          { return self.expunge_step(f, u, diag); }));
}

void imap_client::do_logout(asio::any_completion_handler<void(error_code)> handler)
{
    auto& self = *impl_;
    // LOGOUT has no diagnostics argument: the client's own serves (never touched by a running
    // operation, since the launch refuses a second one before using it).
    self.launch<std::monostate>(std::move(handler), self.logout_diag, self.logout_step(self.logout_diag));
}

}  // namespace mss::net
