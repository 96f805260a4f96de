// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::smtp::dot_stuffer`: turns a message, given in pieces, into the bytes sent after
 *         DATA (RFC 5321 §4.5.2).
 */
#pragma once

#include <mss/config.hpp>

#include <string>
#include <string_view>

namespace mss::smtp {

/** @brief Streaming encoder of the DATA payload.
 *
 *  - Line endings become CRLF: CRLF stays, a bare LF and a bare CR each become CRLF (SMTP has no
 *    other line ending, and a bare CR or LF is refused or mangled by servers).
 *  - A `.` at the start of a line is doubled, so that no line of the message reads as the end
 *    of data (`.` alone), wherever the chunk boundaries fall.
 *  - `finish()` adds CRLF when the message does not end with a line ending, then `.` CRLF.
 *
 *  The state between chunks is two flags (at line start, CR pending), so a message of any size
 *  streams through a bounded buffer.
 *
 *  @code
 *  mss::smtp::dot_stuffer stuffer;
 *  std::string out;
 *  for (std::string_view chunk : chunks) stuffer.write(chunk, out);
 *  stuffer.finish(out);   // out is ready to send after the 354 reply
 *  @endcode
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API dot_stuffer
{
public:
    /** @brief Appends the encoded form of `chunk` to `out`. A CR at the chunk's end is held back
     *         until the next byte shows whether an LF follows.
     */
    void write(std::string_view chunk, std::string& out);

    /** @brief Appends what is held back, a CRLF if the last line is open, and the terminator
     *         `.` CRLF. The object then starts a new message.
     */
    void finish(std::string& out);

    /** @brief Forgets the state, for a new message. */
    void reset() noexcept
    {
        at_line_start_ = true;
        pending_cr_ = false;
    }

private:
    bool at_line_start_ = true;
    bool pending_cr_ = false;
};

}  // namespace mss::smtp
