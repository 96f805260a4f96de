// SPDX-License-Identifier: Apache-2.0
// One command/response exchange, the building block of the IMAP FSMs (internal).
//
// Sends a serialised command in segments (one per synchronising literal, each after the server's
// `+`), then reads responses until the tagged one. Untagged responses and the tagged response are
// handed back one at a time, so that the owning FSM decides what they mean; `* BYE` (unless
// expected), a foreign tag and an unexpected continuation end the exchange with an error.
#pragma once

#include <mss/diagnostics.hpp>
#include <mss/imap/command.hpp>
#include <mss/imap/response.hpp>
#include <mss/imap/session_state.hpp>
#include <mss/sansio/action.hpp>

#include <boost/system/error_code.hpp>

namespace mss::imap::detail {

class exchange
{
public:
    enum class event
    {
        io,        // return `action()` to the I/O layer
        untagged,  // `current()` is an untagged response or a continuation the FSM must judge
        tagged,    // `current()` is the tagged response ending the command
        failed,    // `error()` ends the exchange
    };

    // Starts a new exchange with `cmd` (taken over). With an empty command, only reads
    // responses (used to wait for a greeting).
    void start(command&& cmd) noexcept;

    // Advances after the FSM fed received bytes to the parser. Call again after `untagged`.
    event run(session_state& st, diagnostics& diag);

    [[nodiscard]] const sansio::action& action() const noexcept { return action_; }
    [[nodiscard]] const response& current() const noexcept { return resp_; }
    [[nodiscard]] const boost::system::error_code& error() const noexcept { return error_; }
    [[nodiscard]] const command& cmd() const noexcept { return cmd_; }

    // Lets a continuation through as an `untagged` event (IDLE waits for one).
    void accept_continuation(bool on) noexcept { accept_continuation_ = on; }

    // Writes `bytes` (owned by the caller, alive until the next run) and resumes reading.
    sansio::action write_extra(std::string_view bytes) noexcept;

private:
    event write_segment();
    event fail(boost::system::error_code ec, diagnostics& diag, const char* message);

    command cmd_;
    response resp_;
    sansio::action action_ = sansio::action::read();
    boost::system::error_code error_;
    std::size_t sent_ = 0;         // bytes of cmd_ already handed out for writing
    std::size_t next_sync_ = 0;    // index into cmd_.sync_points
    bool write_pending_ = false;
    bool awaiting_continuation_ = false;
    bool accept_continuation_ = false;
};

// Copies a NO/BAD/BYE response into `diag` (code and text as the server's message).
void record_server_refusal(const response& r, diagnostics& diag, const char* client_message);

}  // namespace mss::imap::detail
