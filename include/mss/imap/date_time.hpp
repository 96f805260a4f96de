// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::date` and `mss::imap::date_time`: the IMAP `date` (SEARCH SINCE) and
 *         `date-time` (INTERNALDATE, APPEND) forms.
 */
#pragma once

#include <mss/config.hpp>

#include <chrono>
#include <cstdint>

namespace mss::imap {

/** @brief A calendar day, written `1-Feb-1994` in commands. Not validated: the serialisers refuse
 *         a month outside 1–12 or a day outside 1–31. */
struct date
{
    /** @brief Year (four digits on the wire). */
    int year = 1970;
    /** @brief Month, 1–12. */
    unsigned month = 1;
    /** @brief Day of the month, 1–31. */
    unsigned day = 1;

    friend bool operator==(const date&, const date&) = default;
};

/** @brief A local time with its zone offset, as in `"17-Jul-1996 02:44:25 -0700"`.
 *
 *  The fields hold the local time of the sender; `zone_minutes` is its offset east of UTC
 *  (-420 above). `to_sys_seconds()` gives the instant.
 *
 *  @par Thread safety
 *  A plain value.
 */
struct date_time
{
    /** @brief Year. */
    int year = 1970;
    /** @brief Month, 1–12. */
    unsigned month = 1;
    /** @brief Day, 1–31. */
    unsigned day = 1;
    /** @brief Hour, 0–23. */
    unsigned hour = 0;
    /** @brief Minute, 0–59. */
    unsigned minute = 0;
    /** @brief Second, 0–60. */
    unsigned second = 0;
    /** @brief Zone offset east of UTC, in minutes (-0700 is -420). */
    int zone_minutes = 0;

    /** @brief The instant this local time designates, in UTC. */
    [[nodiscard]] std::chrono::sys_seconds to_sys_seconds() const noexcept
    {
        using namespace std::chrono;
        const sys_days day_point{year_month_day{std::chrono::year{year}, std::chrono::month{month},
                                                std::chrono::day{day}}};
        return sys_seconds{day_point} + hours{hour} + minutes{minute} + seconds{second} -
               minutes{zone_minutes};
    }

    friend bool operator==(const date_time&, const date_time&) = default;
};

}  // namespace mss::imap
