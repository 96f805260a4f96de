// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Modified UTF-7 (RFC 3501 §5.1.3), the encoding of IMAP4rev1 mailbox names.
 *
 *  Printable US-ASCII except `&` stands for itself, `&` is written `&-`, and every other run of
 *  characters is UTF-16 in a base64 variant (`,` for `/`, no padding) between `&` and `-`:
 *  `Entwürfe` ⇄ `Entw&APw-rfe`. Servers that accept UTF-8 (RFC 6855 `UTF8=ACCEPT`, once enabled)
 *  take and send names as UTF-8 instead, and these functions are not needed.
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace mss::imap {

/** @brief Appends the modified UTF-7 form of the UTF-8 text `utf8` to `out`.
 *
 *  @par Errors
 *  `mss::errc::invalid_argument` when `utf8` is not well-formed UTF-8; `out` is then unchanged.
 *  @par Thread safety
 *  Reentrant.
 */
MSS_API boost::system::error_code encode_modified_utf7(std::string_view utf8, std::string& out);

/** @brief Returns the modified UTF-7 form of the UTF-8 text `utf8`.
 *  @par Errors
 *  `mss::errc::invalid_argument` when `utf8` is not well-formed UTF-8.
 */
MSS_API boost::system::result<std::string> encode_modified_utf7(std::string_view utf8);

/** @brief Appends the UTF-8 form of the modified UTF-7 name `encoded` to `out`.
 *
 *  Strict: a byte above 0x7E, an unterminated or badly padded base64 run, a lone surrogate, or a
 *  printable ASCII character needlessly encoded are errors.
 *
 *  @par Errors
 *  `mss::errc::malformed_response` (the text comes from a server); `out` is then unchanged.
 *  @par Thread safety
 *  Reentrant.
 */
MSS_API boost::system::error_code decode_modified_utf7(std::string_view encoded, std::string& out);

/** @brief Returns the UTF-8 form of the modified UTF-7 name `encoded`.
 *  @par Errors
 *  `mss::errc::malformed_response` when `encoded` is not valid modified UTF-7.
 */
MSS_API boost::system::result<std::string> decode_modified_utf7(std::string_view encoded);

}  // namespace mss::imap
