// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::transport::submission_result`: what the server said about each recipient.
 */
#pragma once

#include <mss/domain/email_address.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace mss::transport {

/** @brief The server's answer for one recipient. */
struct recipient_result
{
    /** @brief The recipient. */
    domain::email_address recipient;
    /** @brief Whether the server accepted the recipient (and then the message for it). */
    bool accepted = false;
    /** @brief The reply code (250, 450, 550, ...). */
    int code = 0;
    /** @brief The enhanced status code (`5.1.1`), empty when the server sent none. */
    std::string enhanced_code;
    /** @brief The server's text. May contain personal data: do not log it by default. */
    std::string text;
};

/** @brief The outcome of one accepted submission: at least one recipient got the message.
 *
 *  A submission where every recipient was refused completes with an error instead, and the
 *  per-recipient answers in the error's diagnostics.
 */
struct submission_result
{
    /** @brief One entry per envelope recipient, in envelope order. */
    std::vector<recipient_result> recipients;
    /** @brief The server's final reply text (often holds its queue id). */
    std::string final_reply;

    /** @brief True when every recipient was accepted. */
    [[nodiscard]] bool all_accepted() const noexcept
    {
        return std::all_of(recipients.begin(), recipients.end(), [](const auto& r) { return r.accepted; });
    }
};

}  // namespace mss::transport
