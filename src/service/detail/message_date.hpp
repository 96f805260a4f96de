// SPDX-License-Identifier: Apache-2.0
// The Date header of the messages the services write. Private to mss::service.
#pragma once

#include <chrono>
#include <string>

namespace mss::service::detail {

// RFC 5322 date-time in UTC, e.g. "Thu, 26 Nov 2026 23:40:44 +0000".
std::string rfc5322_date(std::chrono::sys_seconds t);

}  // namespace mss::service::detail
