// SPDX-License-Identifier: Apache-2.0
// Small things every example needs and none of them is about: checking a step and saying so,
// running a coroutine to its end with a clear exit status, finding the example data, marking the
// messages of one run, and waiting for the operator to deliver a message.
#pragma once

#include <mss/diagnostics.hpp>
#include <mss/domain/email_address.hpp>
#include <mss/transport/mailbox_access.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace example {

/** A step that did not work: the example stops and exits non-zero. */
struct failure : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

/** Prints "  ok: <what>" when `ok`, else throws `failure(what)`. */
void check(bool ok, const std::string& what);

/** Throws `failure` naming `what`, the error and the diagnostics when `ec` is set. */
void check_ok(const boost::system::error_code& ec, const mss::diagnostics& diag, const std::string& what);

/** An address the example knows to be valid. */
mss::domain::email_address address(std::string_view text);

/** A file of examples/data (the example directories). */
std::filesystem::path data_file(std::string_view name);

/** A marker unique to this run (date, time, process): put in a subject, it lets an example find
 *  its own messages whatever else the mailboxes hold. */
std::string unique_marker();

/** Runs `task` on `io` to its end. Prints `success` and returns 0, or prints why it failed and
 *  returns 1: the exit status of the example. */
int run(boost::asio::io_context& io, boost::asio::awaitable<void> task, std::string_view success);

/** Waits until the operator has delivered the message `message_id` into `folder` (Postfix
 *  delivers a moment after accepting it); returns its UID, or throws `failure` after `timeout`.
 *  `folder` and `message_id` must outlive the wait (pass named strings: g++ 12 mishandles
 *  temporaries in co_await expressions). */
boost::asio::awaitable<std::uint32_t> wait_for_delivery(
    mss::transport::mailbox_access& access, const std::string& folder, const std::string& message_id,
    std::chrono::seconds timeout = std::chrono::seconds(20));

}  // namespace example
