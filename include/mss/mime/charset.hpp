// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Conversion of text in a MIME charset to UTF-8 (`to_utf8`) and UTF-8 validation.
 *
 *  UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15 and Windows-1252 — nearly all French mail — are
 *  converted by built-in tables. Any other charset goes through the C library's `iconv`, which
 *  is much slower (it opens a converter per call).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/mime/errc.hpp>

#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>

namespace mss::mime {

/** @brief Options of `to_utf8`. */
struct charset_options
{
    /** @brief Repair instead of failing.
     *
     *  Strict (the default): bytes that are not valid in the charset fail with
     *  `errc::bad_charset_data`.
     *  Lenient: each maximal invalid subsequence becomes U+FFFD (the Unicode "substitution of
     *  maximal subparts" practice); text labelled US-ASCII is read as UTF-8 so that mislabelled
     *  UTF-8 survives.
     */
    bool lenient = false;

    /** @brief Read ISO-8859-1 as Windows-1252, as browsers do (WHATWG Encoding).
     *
     *  Bytes 0x80–0x9F are C1 controls in ISO-8859-1 and printable characters in Windows-1252
     *  (`€`, `œ`, typographic quotes, `–`); mail labelled ISO-8859-1 that holds them was written
     *  in Windows-1252. On by default.
     */
    bool latin1_as_windows_1252 = true;
};

/** @brief Converts `bytes` in `charset` to UTF-8, appended to `out`.
 *
 *  Charset names are case-insensitive, may be surrounded by spaces or double quotes and accept
 *  the usual aliases (`utf8`, `ascii`, `latin1`, `iso_8859-1`, `iso8859-15`, `latin-9`,
 *  `cp1252`, ...). Other names are handed to `iconv` after a syntax check (letters, digits and
 *  `-_.:+()`, at most 64 characters; never an iconv `//` suffix).
 *
 *  @par Errors
 *  On failure `out` is left as it was.
 *  @return success; `errc::unknown_charset`; `errc::bad_charset_data` (strict mode only).
 */
MSS_API boost::system::error_code to_utf8(std::string_view charset, std::string_view bytes, std::string& out,
                                          const charset_options& options = {});

/** @brief Tells whether `text` is well-formed UTF-8 (RFC 3629: no overlong form, no surrogate,
 *         nothing above U+10FFFF). */
[[nodiscard]] MSS_API bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace mss::mime
