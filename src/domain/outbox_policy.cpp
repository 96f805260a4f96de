// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/outbox_policy.hpp>

#include <algorithm>

namespace mss::domain {

std::optional<std::chrono::sys_seconds> next_attempt(const retry_policy& policy, unsigned attempts,
                                                     std::chrono::sys_seconds now) noexcept
{
    if (attempts >= policy.max_attempts)
        return std::nullopt;
    auto delay = policy.first_delay;
    for (unsigned i = 1; i < attempts && delay < policy.max_delay; ++i)
        delay *= 2;
    return now + std::min(delay, policy.max_delay);
}

}  // namespace mss::domain
