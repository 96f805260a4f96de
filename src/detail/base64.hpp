// SPDX-License-Identifier: Apache-2.0
// One-shot base64 for SASL exchanges (SMTP AUTH, IMAP AUTHENTICATE), on top of the streaming MIME
// codec so that the library has a single base64 implementation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mss::detail {

/** Appends the padded base64 of `data` to `out`, on one line. */
void base64_append(std::string& out, std::string_view data);

/** Decodes strict padded base64; nullopt when `text` is not valid base64. */
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace mss::detail
