// SPDX-License-Identifier: Apache-2.0
// Pieces shared by the SMTP state machines. Internal to mss::core.
#pragma once

#include <mss/diagnostics.hpp>
#include <mss/smtp/reply.hpp>
#include <mss/smtp/reply_parser.hpp>

#include <boost/system/error_code.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace mss::smtp::detail
{

enum class read_status
{
    reply,      // `out` holds the next reply
    need_more,  // ask the I/O layer to read
    failed,     // `ec` set, `diag` filled by the parser
};

/** Takes the next reply out of `input` (bytes received and not used yet), erasing what the
 *  parser consumed. Bytes after the reply stay in `input` for the next call. */
read_status next_reply(reply_parser& parser, std::string& input, std::optional<reply>& out,
                       boost::system::error_code& ec, diagnostics& diag);

/** Tells whether bytes of a reply nobody has asked for yet are held. */
inline bool has_leftover(const reply_parser& parser, const std::string& input) noexcept
{
    return !input.empty() || parser.has_buffered();
}

/** "550 5.1.1" or "550": what may go in a client message (no server text). */
std::string describe(const reply& r);

/** Overwrites then empties a buffer that held credentials, so they do not linger in the heap
 *  blocks the object keeps. */
void wipe(std::string& s) noexcept;

}  // namespace mss::smtp::detail
