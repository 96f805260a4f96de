// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::mime::header_block`: the fields of an RFC 5322 header, read without copying.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mss::mime {

/** @brief One header field as it appears in the input: name and raw (still folded) value. */
struct header_field
{
    /** @brief Field name, as written. */
    std::string_view name;
    /** @brief Everything after the colon up to the end of the field, folding included. */
    std::string_view raw_value;
    /** @brief Offset of the field's first byte in the input. */
    std::size_t offset = 0;
};

/** @brief Limits and leniency of `header_block::parse`. */
struct header_options
{
    /** @brief Largest header block, in bytes. */
    std::size_t max_size = 1024 * 1024;
    /** @brief Most fields. */
    std::size_t max_fields = 2000;
    /** @brief Longest physical line; RFC 5322 says 998, real mail sometimes exceeds it. */
    std::size_t max_line_length = 64 * 1024;
    /** @brief Strict: a line that is neither a field nor a continuation is an error. Lenient (the
     *         default for reading): it is skipped. */
    bool strict = false;
};

/** @brief The fields of a header block, referring into the caller's bytes (zero-copy): the input
 *         must outlive the object.
 *
 *  Accepts CRLF and bare LF line ends, obsolete folding (whitespace-only continuation lines) and
 *  whitespace before the colon (obs-fields). The block ends at the first empty line or at the end
 *  of the input.
 */
class MSS_API header_block
{
public:
    /** @brief Parses the header at the start of `input`.
     *  @par Errors
     *  `mss::errc::limit_exceeded` (offset in `diag`), and in strict mode `mime::errc::bad_header_value`.
     */
    static boost::system::error_code parse(std::string_view input, header_block& out, diagnostics& diag,
                                           const header_options& options = {});

    /** @brief The fields in order. */
    [[nodiscard]] const std::vector<header_field>& fields() const noexcept { return fields_; }

    /** @brief The first field named `name` (ASCII case ignored), or null. */
    [[nodiscard]] const header_field* find(std::string_view name) const noexcept;

    /** @brief Size of the header block including the empty line that ends it. */
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    std::vector<header_field> fields_;
    std::size_t size_ = 0;
};

/** @brief Removes folding: CRLF/LF followed by white space becomes that white space (RFC 5322
 *         §2.2.3), and leading/trailing white space is trimmed. */
MSS_API std::string unfold(std::string_view raw_value);

}  // namespace mss::mime
