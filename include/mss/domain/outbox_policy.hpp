// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief The outbox's delivery rules: states, retries with capped exponential back-off.
 */
#pragma once

#include <mss/config.hpp>

#include <chrono>
#include <optional>

namespace mss::domain {

/** @brief Where an outbox item stands.
 *
 *  | from            | event                                             | to      |
 *  |-----------------|---------------------------------------------------|---------|
 *  | queued / retry  | submission starts                                 | sending |
 *  | sending         | server accepted (at least one recipient)          | sent    |
 *  | sending         | 4xx, network error, time-out                      | retry   |
 *  | sending         | 5xx for every recipient, or retries exhausted     | failed  |
 *  | sending (crash) | restart: copy found in Sent by Message-ID         | sent    |
 *  | sending (crash) | restart: no copy found                            | retried |
 */
enum class outbox_state
{
    /** @brief Committed, not tried yet. */
    queued,
    /** @brief A submission is (or was, before a crash) under way. */
    sending,
    /** @brief Accepted by the server. */
    sent,
    /** @brief Will be tried again at its next attempt time. */
    retry,
    /** @brief Given up: refused for good, or too many attempts. */
    failed,
};

/** @brief Retry rules. */
struct retry_policy
{
    /** @brief Delay before the second attempt. */
    std::chrono::seconds first_delay = std::chrono::seconds(30);
    /** @brief The delay doubles at each attempt up to this cap. */
    std::chrono::seconds max_delay = std::chrono::hours(1);
    /** @brief Attempts in all before giving up. */
    unsigned max_attempts = 8;
};

/** @brief When to try again after `attempts` failed attempts, or nothing when it is time to give up. */
MSS_API std::optional<std::chrono::sys_seconds> next_attempt(const retry_policy& policy, unsigned attempts,
                                                             std::chrono::sys_seconds now) noexcept;

}  // namespace mss::domain
