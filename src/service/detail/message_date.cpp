// SPDX-License-Identifier: Apache-2.0
#include "service/detail/message_date.hpp"

#include <mss/mime/date.hpp>

namespace mss::service::detail {

std::string rfc5322_date(std::chrono::sys_seconds t)
{
    std::string out;
    mime::format_date(t, std::chrono::minutes{0}, out);
    return out;
}

}  // namespace mss::service::detail
