// SPDX-License-Identifier: Apache-2.0
// Byte-level text checks shared by the parsers of mss::core (addresses, MIME, protocols).
#pragma once

#include <cstddef>
#include <string_view>

namespace mss::detail {

/** Offset of the first C0 control, DEL or (UTF-8 encoded) C1 control; npos when there is none. */
std::size_t find_forbidden_character(std::string_view s) noexcept;

/** Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong form,
 *  no surrogate, nothing above U+10FFFF); npos when the whole text is well-formed. */
std::size_t find_invalid_utf8(std::string_view s) noexcept;

}  // namespace mss::detail
