// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::command_fsm`: runs one command to its tagged response.
 *
 *  Theory of operation. The serialised command is written in segments: up to each synchronising
 *  literal, the FSM waits for the server's `+` before sending the rest (APPEND without LITERAL+,
 *  LOGIN with a literal password). Every untagged response that arrives meanwhile (EXISTS,
 *  FETCH, VANISHED, LIST, SEARCH, ...) is handed to the caller's handler as soon as it is parsed,
 *  from within `resume()`: large FETCH runs are processed as they stream in, without being
 *  collected first. The tagged response ends the command and is handed to the handler too (for
 *  its APPENDUID / COPYUID code), then `done`.
 *
 *  | state     | on                                   | next                                  |
 *  |-----------|--------------------------------------|---------------------------------------|
 *  | sending   | write done, a sync point remains     | waiting for `+`                       |
 *  | waiting   | `+`                                  | sending (next segment)                |
 *  | reading   | untagged response                    | handler, reading                      |
 *  | reading   | tagged OK with our tag               | done (or uidvalidity_changed)         |
 *  | reading   | tagged NO / BAD with our tag         | done(command_no / command_bad)        |
 *  | reading   | tagged response with another tag     | done(unknown_tag), fatal              |
 *  | reading   | `* BYE` (not LOGOUT)                 | done(bye), fatal                      |
 *  | reading   | unexpected `+`                       | done(mss::errc::unexpected_response)  |
 *  | any       | I/O error                            | done(that error)                      |
 *
 *  Side effects on the `session_state`: an untagged CAPABILITY replaces the capabilities, an
 *  `ENABLED UTF8=ACCEPT` switches the session to UTF-8 names.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/imap/command.hpp>
#include <mss/imap/response.hpp>
#include <mss/imap/session_state.hpp>
#include <mss/sansio/action.hpp>

#include <boost/system/error_code.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

namespace mss::imap {

/** @brief Runs one serialised command and delivers its responses.
 *
 *  @code
 *  imap::command cmd;
 *  imap::serialize_uid_fetch(cmd, state.tags.next(), params);
 *  imap::command_fsm fsm(state, std::move(cmd), [&](const imap::response& r) {
 *      if (r.data == imap::data_kind::fetch) store(r.fetch);   // views: copy what you keep
 *  }, diag);
 *  @endcode
 *
 *  @par Errors
 *  I/O errors passed to `resume`; `imap::errc::command_no` and `command_bad` (response code and
 *  text in `diagnostics`); `imap::errc::uidvalidity_changed` (see `expect_uidvalidity`);
 *  `imap::errc::bye` and `imap::errc::unknown_tag` (fatal); `mss::errc::unexpected_response`;
 *  parse errors of `response_parser`.
 *
 *  @par Object lifetimes
 *  `state` and `diag` must outlive the FSM. The `response` given to the handler is valid only
 *  during the call. The bytes of a `write` action stay valid until the next `resume()`.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API command_fsm
{
public:
    /** @brief Receives each untagged response, then the tagged one. */
    using response_handler = std::function<void(const response&)>;

    /** @brief Prepares to run `cmd` (built with a tag from `state.tags`). */
    command_fsm(session_state& state, command cmd, response_handler handler, diagnostics& diag);
    /** @brief Destroys the FSM. */
    ~command_fsm();
    command_fsm(const command_fsm&) = delete;
    command_fsm& operator=(const command_fsm&) = delete;

    /** @brief For SELECT/EXAMINE: the UIDVALIDITY the caller's cache was built with. When the
     *         server reports another one, the command still completes and every response is
     *         delivered, but the result is `imap::errc::uidvalidity_changed`. */
    void expect_uidvalidity(std::uint32_t uidvalidity) noexcept;

    /** @brief Advances with the outcome of the last action (`resume({}, {})` to start). */
    sansio::action resume(boost::system::error_code io_ec, std::string_view received);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace mss::imap
