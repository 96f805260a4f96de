// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `Content-Type` and `Content-Disposition` values with their parameters:
 *         `parse_content_type`, `parse_content_disposition` and `format_parameter`.
 *
 *  Grammar: RFC 2045 §5.1 (tokens, quoted strings, comments), RFC 2183 (Content-Disposition),
 *  RFC 2231 (parameter continuations, charset and language, percent-encoding), plus the common
 *  non-standard RFC 2047 encoded-words inside quoted values (`filename="=?UTF-8?B?...?="`).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/mime/errc.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mss::mime {

/** @brief One parameter, decoded. */
struct parameter
{
    /** @brief Lower-case name, without any RFC 2231 `*` suffix (`filename`, `charset`). */
    std::string name;
    /** @brief The value in UTF-8: quotes removed, continuations joined, encodings decoded. */
    std::string value;

    /** @brief Equal when names and values are identical. */
    friend bool operator==(const parameter&, const parameter&) = default;
};

/** @brief A parsed `Content-Type` or `Content-Disposition` value.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for `const` use.
 */
struct MSS_API parameterized_value
{
    /** @brief Lower-case type: `text`, `multipart` ... or, for a disposition, `inline`,
     *         `attachment` ... */
    std::string type;
    /** @brief Lower-case subtype (`plain`, `mixed` ...); empty for a disposition. */
    std::string subtype;
    /** @brief The parameters, each name once, in order of first appearance. */
    std::vector<parameter> parameters;

    /** @brief The value of the parameter `name` (compared case-insensitively), if present. */
    [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept;
};

/** @brief Options of the parameter parsers. */
struct parameter_options
{
    /** @brief Repair instead of failing.
     *
     *  Strict (the default) fails on any grammar error, duplicated parameter, gap in RFC 2231
     *  sections, unknown RFC 2231 charset or 8-bit value that is not UTF-8.
     *  Lenient skips malformed parameters, takes unquoted values with spaces or 8-bit bytes up
     *  to the next `;`, accepts unterminated quoted strings and comments, joins the sections it
     *  has, keeps the first of duplicated parameters, and converts 8-bit values that are not
     *  UTF-8 from `fallback_charset`.
     */
    bool lenient = false;

    /** @brief Most parameters accepted, each RFC 2231 section counting as one; more fail with
     *         `errc::limit_exceeded` in both modes. */
    std::size_t max_parameters = 64;

    /** @brief Longest value in bytes, before and after joining sections; longer fails with
     *         `errc::limit_exceeded` in both modes. */
    std::size_t max_value_size = 4096;

    /** @brief Charset of 8-bit values that are not UTF-8 (lenient mode). */
    std::string_view fallback_charset = "windows-1252";
};

/** @brief Parses a `Content-Type` value such as `text/plain; charset="utf-8"`.
 *
 *  `value` is the field body, possibly still folded. `boundary` values are never decoded as
 *  RFC 2047 text (a boundary may legitimately contain `=?`).
 *
 *  @return the value; `errc::bad_header_value` (missing or malformed type/subtype),
 *          `errc::bad_parameter`, `errc::unknown_charset`, `errc::bad_charset_data`
 *          (strict mode), `errc::limit_exceeded`.
 */
[[nodiscard]] MSS_API boost::system::result<parameterized_value> parse_content_type(
    std::string_view value, const parameter_options& options = {});

/** @brief Same as `parse_content_type(std::string_view, const parameter_options&)`, and on
 *         failure records an English message and the byte offset (line 0) in `diag`.
 *
 *  `diag` is cleared first. The message never repeats the value itself.
 */
[[nodiscard]] MSS_API boost::system::result<parameterized_value> parse_content_type(
    std::string_view value, const parameter_options& options, diagnostics& diag);

/** @brief Parses a `Content-Disposition` value such as `attachment; filename="cr.pdf"`.
 *
 *  The disposition type is a single token, lower-cased into `type`; `subtype` stays empty.
 *  Errors as for `parse_content_type`.
 */
[[nodiscard]] MSS_API boost::system::result<parameterized_value> parse_content_disposition(
    std::string_view value, const parameter_options& options = {});

/** @brief Same as `parse_content_disposition(std::string_view, const parameter_options&)`, with
 *         diagnostics as for `parse_content_type`. */
[[nodiscard]] MSS_API boost::system::result<parameterized_value> parse_content_disposition(
    std::string_view value, const parameter_options& options, diagnostics& diag);

/** @brief Appends `name=value` for a header parameter to `out` (without the leading `; `).
 *
 *  Printable ASCII values (space and tab included) are written as a quoted string, with `"` and
 *  `\` escaped: `filename="cr.pdf"`. Any other value, control characters included, and values
 *  holding `=?` (which readers would decode as RFC 2047) are written as an RFC 2231 extended
 *  value: `filename*=UTF-8''compte%20rendu%20J%C3%A9r%C3%B4me.pdf`.
 *  Long values are not split into RFC 2231 sections.
 *
 *  @par Errors
 *  On failure nothing is appended.
 *  @return success; `errc::bad_parameter` when `name` is empty or not made of RFC 2231
 *          attribute characters; `errc::bad_charset_data` when `utf8_value` is not UTF-8.
 */
MSS_API boost::system::error_code format_parameter(std::string_view name, std::string_view utf8_value,
                                                   std::string& out);

}  // namespace mss::mime
