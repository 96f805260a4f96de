// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::idle_fsm`: waits for mailbox changes with IDLE (RFC 2177).
 *
 *  Theory of operation. The FSM sends `IDLE`, waits for the server's `+`, then keeps asking the
 *  I/O layer to read. Each untagged response (`EXISTS`, `EXPUNGE`, `VANISHED`, `FETCH` with new
 *  flags) is handed to the caller's handler from within `resume()`, as it arrives. IDLE ends when
 *  the caller calls `stop()`: the FSM then writes `DONE` and reads up to the tagged `OK`.
 *
 *  Since the I/O layer is normally blocked in a read while idling, stopping takes two steps:
 *  call `stop()`, then cancel the pending read and `resume()` with what it produced — no data
 *  and `operation_canceled` / `operation_aborted` is fine (that error is not a failure once stop
 *  was requested). A `stop()` before the `+` arrived is honoured as soon as it arrives. Servers
 *  drop idle clients after about 30 minutes: restart IDLE every 25 minutes or so.
 *
 *  | state       | on                                   | next                                 |
 *  |-------------|--------------------------------------|--------------------------------------|
 *  | start       | IDLE not offered                     | done(imap::errc::capability_missing) |
 *  | start       | —                                    | waiting (write `IDLE`)               |
 *  | waiting     | `+`                                  | idling (or stopping if stop())       |
 *  | waiting     | tagged NO / BAD                      | done(command_no / command_bad)       |
 *  | idling      | untagged response                    | handler, idling                      |
 *  | idling      | stop() requested                     | stopping (write `DONE`)              |
 *  | idling      | tagged OK (server ended IDLE)        | done                                 |
 *  | stopping    | tagged OK                            | done                                 |
 *  | any         | `* BYE`, unknown tag                 | done(bye / unknown_tag)              |
 *  | any         | I/O error (not a cancel after stop)  | done(that error)                     |
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/imap/response.hpp>
#include <mss/imap/session_state.hpp>
#include <mss/sansio/action.hpp>

#include <boost/system/error_code.hpp>

#include <functional>
#include <memory>
#include <string_view>

namespace mss::imap {

/** @brief IDLE: push notifications of mailbox changes (a mailbox must be selected).
 *
 *  @par Errors
 *  I/O errors passed to `resume` (except a cancellation after `stop()`);
 *  `imap::errc::capability_missing`, `command_no`, `command_bad`, `bye`, `unknown_tag`;
 *  parse errors of `response_parser`.
 *
 *  @par Object lifetimes
 *  `state` and `diag` must outlive the FSM. The `response` given to the handler is valid only
 *  during the call.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe (`stop()` included: call it from the thread
 *  that drives the FSM, e.g. through the executor).
 */
class MSS_API idle_fsm
{
public:
    /** @brief Receives each untagged response while idling. */
    using event_handler = std::function<void(const response&)>;

    /** @brief Prepares IDLE on `state`. */
    idle_fsm(session_state& state, event_handler handler, diagnostics& diag);
    /** @brief Destroys the FSM. */
    ~idle_fsm();
    idle_fsm(const idle_fsm&) = delete;
    idle_fsm& operator=(const idle_fsm&) = delete;

    /** @brief Asks to end IDLE; takes effect at the next `resume()`. */
    void stop() noexcept;

    /** @brief True between the server's `+` and the end. */
    [[nodiscard]] bool idling() const noexcept;

    /** @brief Advances with the outcome of the last action (`resume({}, {})` to start). */
    sansio::action resume(boost::system::error_code io_ec, std::string_view received);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace mss::imap
