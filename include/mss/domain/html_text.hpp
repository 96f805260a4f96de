// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Plain-text alternative of an HTML body, and HTML from plain text.
 */
#pragma once

#include <mss/config.hpp>

#include <string>
#include <string_view>

namespace mss::domain {

/** @brief The text of an HTML body: tags removed, block elements and `<br>` as line breaks, list
 *         items as "- ", common entities decoded, scripts and styles dropped. For the
 *         `text/plain` alternative of a formatted message. */
MSS_API std::string html_to_text(std::string_view html);

/** @brief Plain text as HTML: special characters escaped, line breaks as `<br>`. */
MSS_API std::string text_to_html(std::string_view text);

}  // namespace mss::domain
