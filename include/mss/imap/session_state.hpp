// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::session_state`: what the IMAP state machines of one connection share.
 */
#pragma once

#include <mss/imap/capabilities.hpp>
#include <mss/imap/command.hpp>
#include <mss/imap/response_parser.hpp>

namespace mss::imap {

/** @brief The state of one IMAP connection that outlives single operations.
 *
 *  The FSMs (`login_fsm`, `command_fsm`, `idle_fsm`) run one after the other on the same
 *  `session_state`: bytes read past the end of one operation stay in `parser` for the next, the
 *  capabilities learnt at login decide how later commands are written, and tags keep counting.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe; one FSM at a time.
 */
struct session_state
{
    /** @brief Constructs the state with the parser's limits. */
    explicit session_state(const response_parser_options& options = {}) : parser(options) {}

    /** @brief The response parser of the connection. */
    response_parser parser;
    /** @brief The server's current capabilities (empty until known). */
    capability_set capabilities;
    /** @brief The tag generator. */
    tag_generator tags;
    /** @brief True once the session is authenticated (LOGIN/AUTHENTICATE succeeded or PREAUTH). */
    bool authenticated = false;
    /** @brief True once `ENABLE UTF8=ACCEPT` succeeded: names travel as UTF-8. */
    bool utf8_enabled = false;

    /** @brief The serialiser options the server allows now. */
    [[nodiscard]] command_options options() const noexcept
    {
        return command_options::from(capabilities, utf8_enabled);
    }
};

}  // namespace mss::imap
