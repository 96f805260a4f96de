// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief The `Date` header: `parse_date` (RFC 5322 §3.3 with the obsolete forms of §4.3) and
 *         `format_date`.
 */
#pragma once

#include <mss/config.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mss::mime
{

/** @brief Reads an RFC 5322 date-time into the instant it designates.
 *
 *  Accepted: `Tue, 26 Nov 2026 14:03:00 +0100`, with comments and folding anywhere, and the
 *  obsolete or sloppy forms met in real mail: no day name, no seconds, one-digit days and hours,
 *  two- and three-digit years (`26` is 2026, `99` is 1999, `126` is 2026), full or lower-case
 *  month and day names, a `.` between time fields, zone names (`UT`, `GMT`, `UTC`, `Z`, the US
 *  zones `EST`..`PDT`; military letters and unknown names count as `-0000`, as §4.3 says), a
 *  missing zone (read as UTC), and the asctime form `Tue Nov 26 14:03:00 2026`.
 *
 *  @return the instant, or nothing when no date can be read (invalid day or time included).
 */
[[nodiscard]] MSS_API std::optional<std::chrono::sys_seconds> parse_date(std::string_view value) noexcept;

/** @brief Appends `time` as an RFC 5322 date-time in the zone `zone` east of UTC, such as
 *         `Thu, 26 Nov 2026 14:03:00 +0100` for `zone = 60min`.
 *
 *  `zone` is clamped to ±23:59 and truncated to whole minutes.
 */
MSS_API void format_date(std::chrono::sys_seconds time, std::chrono::minutes zone, std::string& out);

}  // namespace mss::mime
