// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief RFC 2047 encoded-words in unstructured header text (`Subject`, `Comments`, display
 *         text): `decode_header_text`, `decode_encoded_word` and `encode_header_text`.
 *
 *  An encoded-word is `=?charset?B?base64?=` or `=?charset?Q?quoted?=`; RFC 2231 §5 lets the
 *  charset carry a language (`=?utf-8*fr?Q?...?=`), which is accepted and ignored.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/mime/errc.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace mss::mime {

/** @brief Options of `decode_header_text`. */
struct header_text_options
{
    /** @brief Charset of raw 8-bit text that is not valid UTF-8 (RFC 6532 headers are UTF-8;
     *         older mailers wrote their local charset unencoded). An unknown name falls back to
     *         UTF-8 with U+FFFD replacements. */
    std::string_view fallback_charset = "windows-1252";
};

/** @brief Decodes an unstructured header value into UTF-8, appended to `out`; never fails.
 *
 *  - `raw` may still be folded: CR and LF are removed (RFC 5322 unfolding).
 *  - B and Q encoded-words are decoded and converted to UTF-8; they are recognised even when
 *    glued to other text, as most mail readers do.
 *  - Whitespace between two adjacent encoded-words is dropped (RFC 2047 §6.2); other
 *    whitespace is kept.
 *  - Adjacent encoded-words in the same charset are joined before the charset conversion, so a
 *    multi-byte character split across two words (a frequent encoder bug) is recovered.
 *  - A broken word (bad base64 or `=XX`, unknown charset, malformed syntax) is kept as its raw
 *    text rather than failing the whole value. Bytes invalid in a known charset become U+FFFD.
 *  - Raw text outside encoded-words is kept when it is valid UTF-8, otherwise converted from
 *    `options.fallback_charset`.
 *  - Decoded CR, LF and NUL become spaces: the result is single-line text, safe to write back.
 *
 *  The output is always valid UTF-8, at most about three times the size of `raw`.
 */
MSS_API void decode_header_text(std::string_view raw, std::string& out,
                                const header_text_options& options = {});

/** @brief Decodes exactly one encoded-word, strictly, into UTF-8 appended to `out`.
 *
 *  `word` must be the whole word (`=?charset?X?text?=`), without surrounding space. Base64
 *  without its final padding is accepted.
 *
 *  @par Errors
 *  On failure `out` is left as it was.
 *  @return success; `errc::bad_encoded_word` (syntax, base64 or `=XX` errors);
 *          `errc::unknown_charset`; `errc::bad_charset_data`.
 */
MSS_API boost::system::error_code decode_encoded_word(std::string_view word, std::string& out);

/** @brief Writes UTF-8 text as an unstructured header value, appended to `out`.
 *
 *  `first_line_used` is the number of columns already taken on the current line (for
 *  `Subject: `, 9). The result is folded with CRLF + space so that no line is longer than 78
 *  columns, except when a single ASCII word is longer than that by itself (it is kept whole) and
 *  for whitespace that ends the text (it is kept, a line of only whitespace being forbidden).
 *
 *  - Words that need no encoding (printable ASCII, no `=?`) are kept as they are; folding only
 *    happens before whitespace already present, so unfolding gives back the exact text.
 *  - Runs of words that need encoding (non-ASCII, control characters, text that would look like
 *    an encoded-word) become `=?UTF-8?Q?...?=` or `=?UTF-8?B?...?=` words, whichever is
 *    shorter, of at most 75 characters each, never splitting a UTF-8 sequence.
 *
 *  @par Errors
 *  On failure nothing is appended.
 *  @return success; `errc::bad_charset_data` when `utf8` is not well-formed UTF-8;
 *          `errc::forbidden_character` when it contains CR, LF or NUL (header injection).
 */
MSS_API boost::system::error_code encode_header_text(std::string_view utf8, std::size_t first_line_used,
                                                     std::string& out);

}  // namespace mss::mime
