// SPDX-License-Identifier: Apache-2.0
// `mss sync --watch`: the index kept up to date by IMAP IDLE, one line per change, until SIGINT,
// SIGTERM or the time given with --for.
#pragma once

#include <mss/domain/mailbox_link.hpp>

#include <chrono>
#include <optional>

namespace mss_cli {

class session;

/** Watches `link`'s mailbox (catch-up round first) until a signal or `duration`; returns the exit
 *  code (0 when stopped that way). Throws `failure` when the watch ends on an error. */
int watch_mailbox(session& s, const mss::domain::mailbox_link& link, std::optional<std::chrono::seconds> duration);

}  // namespace mss_cli
