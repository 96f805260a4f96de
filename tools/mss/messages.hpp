// SPDX-License-Identifier: Apache-2.0
// Messages as the commands name and show them. A message id on the command line is
// FOLDER:UIDVALIDITY:UID of the configured mailbox (e.g. INBOX:1719830400:12): stable across
// syncs, and checked against the server's UIDVALIDITY so that a stale id never reads another message.
#pragma once

#include "output.hpp"

#include <mss/domain/indexed_message.hpp>
#include <mss/domain/original_message.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace mss_cli {

class session;

std::string format_message_id(const mss::domain::message_key& key);
/** Parses an id for `mailbox`; throws `usage_error` when malformed. */
mss::domain::message_key parse_message_id(std::string_view text, const std::string& mailbox);

/** "2024-06-30 14:05" (UTC). */
std::string format_date(std::chrono::sys_seconds t);

/** The indexed message named by `id` (a `failure` when the index has none: sync first). */
mss::domain::indexed_message find_indexed(session& s, std::string_view id);

/** The whole message from the server, read for display, reply or forward. */
mss::domain::original_message fetch_original(session& s, const mss::domain::indexed_message& m);

/** Writes the members describing an index entry (id, folder, date, from, subject, seen...). */
void write_indexed(json_writer& doc, const mss::domain::indexed_message& m);

}  // namespace mss_cli
