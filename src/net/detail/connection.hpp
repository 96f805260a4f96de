// SPDX-License-Identifier: Apache-2.0
// The TLS connection shared by the protocol clients of mss::net (SMTP, IMAP), and the one loop
// that runs any sans-I/O state machine over it.
//
// Theory of operation (after Boost.MySQL's engine): a protocol is a set of state machines whose
// resume() returns mss::sansio::action; `connection::async_run` executes those actions on an
// `asio::ssl::stream<beast::tcp_stream>` — write: send all bytes; read: read some into the
// connection's buffer and resume with them; start_tls: TLS handshake on the same socket;
// done: complete. Protocol clients never touch the socket themselves: they chain
// async_connect, async_run(fsm) for each machine, and async_shutdown.
//
// Timeouts are per step, with Beast's tcp_stream::expires_after (Boost 1.81 has no
// cancel_after); when one passes, the socket is closed and the step's error becomes the phase's
// mss::errc (see mss/net/timeouts.hpp). `cancel()` closes the socket and makes the pending step,
// and every later one until the next async_connect, fail with operation_aborted: that is how a
// client implements terminal cancellation from its handler's cancellation slot.
//
// Rules for callers: one operation at a time; the connection outlives its operations (clients
// keep it in shared state held by their operations); everything runs on `get_executor()`.
// Internal completions are invoked from that executor; an operation that completes without any
// I/O posts first, so a handler never runs inside the initiating call.
#pragma once

#include <mss/diagnostics.hpp>
#include <mss/error.hpp>
#include <mss/net/timeouts.hpp>
#include <mss/net/trace.hpp>
#include <mss/sansio/action.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/error_code.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace mss::net::detail
{

/** Replaces the byte ranges `secrets` (any objects with `offset` and `length`) of `bytes` by
 *  "<redacted>" and appends the result to `out`. Ranges out of bounds are clamped. */
template <class Ranges>
void append_redacted(std::string_view bytes, const Ranges& secrets, std::string& out)
{
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    for (const auto& r : secrets)
    {
        const std::size_t begin = std::min<std::size_t>(r.offset, bytes.size());
        const std::size_t end = begin + std::min<std::size_t>(r.length, bytes.size() - begin);
        if (end > begin)
            ranges.emplace_back(begin, end);
    }
    std::sort(ranges.begin(), ranges.end());
    std::size_t at = 0;
    for (const auto& [begin, end] : ranges)
    {
        if (end <= at)
            continue;  // inside a range already redacted
        if (begin > at)
            out.append(bytes.substr(at, begin - at));
        out.append("<redacted>");
        at = end;
    }
    out.append(bytes.substr(at));
}

/** A non-owning, type-erased reference to a state machine: `resume()` and, when the machine has
 *  a `secrets()` member listing the credential ranges of its current write, trace redaction.
 *  The machine must outlive the reference (Boost.MySQL's any_resumable_ref). */
class fsm_ref
{
public:
    // Constrained, else it would also take a non-const fsm_ref& and wrap the reference itself.
    template <class Fsm>
    requires(!std::is_same_v<std::remove_cv_t<Fsm>, fsm_ref>) explicit fsm_ref(Fsm& fsm) noexcept
        : fsm_(&fsm), resume_(&resume_impl<Fsm>), redact_(&redact_impl<Fsm>)
    {
    }

    sansio::action resume(boost::system::error_code ec, std::string_view received) const
    {
        return resume_(fsm_, ec, received);
    }

    /** Appends the bytes of the current write action to `out`, credentials redacted. */
    void redact(std::string_view written, std::string& out) const { redact_(fsm_, written, out); }

private:
    template <class Fsm>
    static sansio::action resume_impl(void* fsm, boost::system::error_code ec, std::string_view received)
    {
        return static_cast<Fsm*>(fsm)->resume(ec, received);
    }

    template <class Fsm>
    static void redact_impl(void* fsm, std::string_view written, std::string& out)
    {
        if constexpr (requires(Fsm & f) { f.secrets(); })
            append_redacted(written, static_cast<Fsm*>(fsm)->secrets(), out);
        else
            out.append(written);
    }

    void* fsm_;
    sansio::action (*resume_)(void*, boost::system::error_code, std::string_view);
    void (*redact_)(void*, std::string_view, std::string&);
};

/** Where to connect. */
struct endpoint
{
    /** Host name or IP address to connect to. */
    std::string host;
    /** TCP port. */
    std::uint16_t port = 0;
    /** Name the server certificate must be valid for (and SNI); `host` when empty. */
    std::string tls_name;
    /** TLS handshake right after the TCP connection (ports 465, 993), before any protocol byte. */
    bool implicit_tls = false;
};

/** How `async_run` treats one machine's reads. */
struct run_params
{
    /** Error of a read timeout before the machine's first write: `greeting_timeout` when the
     *  machine starts by reading the server's greeting. */
    mss::errc first_read_timeout = mss::errc::read_timeout;
    /** When set and true for the bytes just written, the reads that follow get the `data_end`
     *  time limit instead of `reply` (the SMTP reply after a message's final dot). */
    bool (*slow_reply_after)(std::string_view written) = nullptr;
    /** Replaces `reply` as the limit of every read of this run; zero: no limit (IMAP IDLE). */
    std::optional<std::chrono::milliseconds> read_limit;
};

/** One TCP (+TLS) connection; see the file comment. */
class connection
{
public:
    using handler_type = boost::asio::any_completion_handler<void(boost::system::error_code)>;

    connection(boost::asio::any_io_executor executor, timeouts limits, trace_hook trace);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    const boost::asio::any_io_executor& get_executor() const noexcept { return executor_; }

    /** Resolves `where`, connects (timeout `connect`) and, for implicit TLS, performs the
     *  handshake (timeout `tls_handshake`) with SNI and host-name verification. Closes any
     *  previous connection first and clears a previous `cancel()`. `context` must outlive the
     *  connection's use of it (until the next async_connect or destruction). Failures are
     *  described in `diag`. */
    void async_connect(const endpoint& where, boost::asio::ssl::context& context, diagnostics& diag,
                       handler_type handler);

    /** Runs `fsm` until it is done and completes with its error (see the file comment). I/O
     *  errors are handed to the machine, which ends with them; a closed connection ends it
     *  with `mss::errc::not_connected`. */
    void async_run(fsm_ref fsm, const run_params& params, handler_type handler);

    /** Graceful TLS shutdown (timeout `shutdown`), then closes the socket. Always completes
     *  with success: the peer's way of closing does not matter once the protocol has ended. */
    void async_shutdown(handler_type handler);

    /** Closes the socket now; pending operations complete with an error. */
    void close() noexcept;

    /** Terminal cancellation: closes the socket; the pending operation and every later one
     *  until the next async_connect complete with `asio::error::operation_aborted`. */
    void cancel() noexcept;

    /** Interrupts the pending read without closing anything: it completes with
     *  `asio::error::operation_aborted` and the connection stays usable (the IMAP client ends
     *  IDLE so: its machine, told to stop, takes that error as the cue to write DONE). Call it
     *  only while a read is pending, never during a write or a handshake (a TLS record cut in
     *  the middle cannot be resumed). */
    void cancel_read() noexcept;

    /** Tells whether a socket is open (it may still have been closed by the peer). */
    [[nodiscard]] bool is_open() const noexcept;

    /** Tells whether TLS is active on the connection. */
    [[nodiscard]] bool tls_active() const noexcept { return tls_active_; }

    /** The local address of the connection; unspecified when not connected. */
    [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const noexcept;

    /** Why the last TLS handshake refused the server's certificate ("hostname mismatch",
     *  "unable to get local issuer certificate"), or empty. */
    [[nodiscard]] const std::string& certificate_failure() const noexcept { return certificate_failure_; }

    /** Replaces the time limits (used from the next step on). */
    void set_timeouts(const timeouts& limits) { timeouts_ = limits; }

private:
    struct run_state;
    struct connect_state;
    using stream_type = boost::asio::ssl::stream<boost::beast::tcp_stream>;

    void advance(std::shared_ptr<run_state> op, boost::system::error_code ec, std::size_t received);
    void finish_run(std::shared_ptr<run_state> op, boost::system::error_code ec);
    void on_resolved(std::shared_ptr<connect_state> op, boost::system::error_code ec,
                     const boost::asio::ip::tcp::resolver::results_type& results);
    void finish_connect(std::shared_ptr<connect_state> op, boost::system::error_code ec, std::string message);
    template <class Then>
    void handshake(Then then);
    void arm(std::chrono::milliseconds limit);
    boost::system::error_code map_error(boost::system::error_code ec, mss::errc timeout_code) const;
    void trace(trace_direction direction, std::string_view bytes) const noexcept;
    void complete_soon(handler_type handler, boost::system::error_code ec);

    boost::asio::any_io_executor executor_;
    timeouts timeouts_;
    trace_hook trace_;
    boost::asio::ip::tcp::resolver resolver_;
    std::unique_ptr<stream_type> stream_;
    std::string tls_name_;
    std::string certificate_failure_;
    bool tls_active_ = false;
    bool cancelled_ = false;
    std::array<char, 16 * 1024> buffer_{};  // one TLS record
};

}  // namespace mss::net::detail
