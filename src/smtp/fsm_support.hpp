// SPDX-License-Identifier: Apache-2.0
// Pieces shared by the SMTP state machines. Internal to mss::core.
#pragma once

#include <mss/diagnostics.hpp>
#include <mss/sansio/action.hpp>
#include <mss/smtp/reply.hpp>
#include <mss/smtp/reply_parser.hpp>

#include <boost/system/error_code.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mss::smtp::detail
{

/** The opening every machine's resume() shares: once done, a machine repeats its result; an I/O
 *  error ends it (`finish(io_ec)`), the client message naming the step it interrupted ("I/O
 *  error during EHLO"); otherwise the bytes received join `input`, the bytes not used yet, and
 *  the machine goes on with its own steps (nothing returned). */
template <class Finish>
std::optional<sansio::action> open_resume(bool done, boost::system::error_code result,
                                          boost::system::error_code io_ec, std::string_view during,
                                          std::string_view received, std::string& input, diagnostics& diag,
                                          Finish&& finish)
{
    if (done)
        return sansio::action::done(result);
    if (io_ec)
    {
        diag.set_client_message("I/O error during " + std::string(during));
        return finish(io_ec);
    }
    input.append(received);
    return std::nullopt;
}

/** How every machine waits for a reply: takes the next one out of `input` into `out`, erasing
 *  what the parser consumed (bytes after the reply stay for the next call), and returns nothing;
 *  without a whole reply, returns the action the machine returns instead: read more, or
 *  `finish(ec)` when the parser refused the bytes (`diag` filled by the parser). */
template <class Finish>
std::optional<sansio::action> next_reply(reply_parser& parser, std::string& input, std::optional<reply>& out,
                                         diagnostics& diag, Finish&& finish)
{
    auto r = parser.feed(input, diag);
    input.erase(0, r.consumed);
    if (r.error)
        return finish(r.error);
    if (!r.parsed)
        return sansio::action::read();
    out = std::move(r.parsed);
    return std::nullopt;
}

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
