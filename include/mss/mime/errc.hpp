// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::mime::errc`: failures of the MIME codecs (transfer encodings, charsets,
 *         encoded-words, header parameters).
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace mss::mime {

/** @brief Errors of the MIME layer.
 *
 *  All of them describe bad input from the peer (a malformed message) except
 *  `forbidden_character`, which refuses text handed in by the caller, and `limit_exceeded`,
 *  which protects the process against oversized input. Lenient modes report fewer of them: they
 *  repair what can be repaired and keep the rest as text.
 */
enum class errc : int
{
    /** @brief A base64 body or encoded-word holds a character outside the alphabet, or padding
     *         in the wrong place. */
    bad_base64 = 1,
    /** @brief Base64 data stopped in the middle of a 4-character group. */
    truncated_base64,
    /** @brief A quoted-printable body holds an `=` that starts neither `=XX` nor a soft line
     *         break. */
    bad_quoted_printable,
    /** @brief An RFC 2047 encoded-word (`=?charset?X?text?=`) is malformed. */
    bad_encoded_word,
    /** @brief The charset name is not known, neither built in nor to iconv. */
    unknown_charset,
    /** @brief The bytes are not valid in their declared charset (e.g. broken UTF-8). */
    bad_charset_data,
    /** @brief CR, LF or NUL in text that is to be written into a header (injection refused). */
    forbidden_character,
    /** @brief A structured header value (`Content-Type`, `Content-Disposition`) lacks its type
     *         or does not follow its grammar. */
    bad_header_value,
    /** @brief A header parameter (`; name=value`) is malformed, duplicated, or its RFC 2231
     *         sections do not fit together. */
    bad_parameter,
    /** @brief A configured limit (number of parameters, size of a value) was exceeded. */
    limit_exceeded,
};

/** @brief The category of `mss::mime::errc`; its name is `"mss.mime"`. */
MSS_API const boost::system::error_category& mime_category() noexcept;

/** @brief Makes an `error_code` from a MIME `errc` (found by argument-dependent lookup). */
MSS_API boost::system::error_code make_error_code(errc e) noexcept;

}  // namespace mss::mime

namespace boost::system {
template <>
struct is_error_code_enum<mss::mime::errc> : std::true_type
{
};
}  // namespace boost::system
