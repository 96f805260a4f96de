// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::transport::message_flags`: the IMAP system flags of a message.
 */
#pragma once

#include <cstdint>

namespace mss::transport {

/** @brief IMAP system flags as a bit set. */
enum class message_flags : std::uint8_t
{
    /** @brief No flag. */
    none = 0,
    /** @brief `\Seen`: read. */
    seen = 1,
    /** @brief `\Answered`. */
    answered = 2,
    /** @brief `\Flagged`. */
    flagged = 4,
    /** @brief `\Deleted`. */
    deleted = 8,
    /** @brief `\Draft`. */
    draft = 16,
};

/** @brief Union of two flag sets. */
constexpr message_flags operator|(message_flags a, message_flags b) noexcept
{
    return static_cast<message_flags>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}

/** @brief Intersection of two flag sets. */
constexpr message_flags operator&(message_flags a, message_flags b) noexcept
{
    return static_cast<message_flags>(static_cast<unsigned>(a) & static_cast<unsigned>(b));
}

/** @brief `a` without the flags of `b`. */
constexpr message_flags without(message_flags a, message_flags b) noexcept
{
    return static_cast<message_flags>(static_cast<unsigned>(a) & ~static_cast<unsigned>(b));
}

/** @brief Whether `set` holds every flag of `flag`. */
constexpr bool has(message_flags set, message_flags flag) noexcept { return (set & flag) == flag; }

}  // namespace mss::transport
