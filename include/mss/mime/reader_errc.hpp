// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::mime::reader_errc`: structural faults of a MIME message, reported by the strict
 *         `reader` (the lenient reader repairs them).
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace mss::mime
{

/** @brief Structural faults of a message, all of them the sender's (peer) fault.
 *
 *  Only strict parsing reports them; limits are `mss::errc::limit_exceeded` and faulty encodings
 *  the codec errors of `mss::mime::errc`.
 */
enum class reader_errc : int
{
    /** @brief A header line is neither a field (`name: value`) nor a continuation, or holds NUL. */
    bad_header_line = 1,
    /** @brief A `multipart` type entity has no usable `boundary` parameter (absent, empty, or longer
     *         than 200 characters). */
    missing_boundary,
    /** @brief A multipart ended (by an outer delimiter or the end of the input) before its close
     *         delimiter `--boundary--`. */
    missing_close_delimiter,
    /** @brief The `Content-Transfer-Encoding` is none of 7bit, 8bit, binary, base64,
     *         quoted-printable. */
    unknown_transfer_encoding,
};

/** @brief The category of `reader_errc`; its name is `"mss.mime.reader"`. */
MSS_API const boost::system::error_category& reader_category() noexcept;

/** @brief Makes an `error_code` from a `reader_errc` (found by argument-dependent lookup). */
MSS_API boost::system::error_code make_error_code(reader_errc e) noexcept;

}  // namespace mss::mime

namespace boost::system
{
template <>
struct is_error_code_enum<mss::mime::reader_errc> : std::true_type
{
};
}  // namespace boost::system
