// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::mime::parser_options`: limits and leniency of the MIME `reader` and of
 *         `parse_message`.
 */
#pragma once

#include <cstddef>

namespace mss::mime
{

/** @brief Limits and leniency of the MIME reader (after Beast's parser limits and MimeKit's
 *         `ParserOptions`).
 *
 *  Every limit protects the process against hostile input: a violated limit stops the reader with
 *  `mss::errc::limit_exceeded` and the byte offset of the offending item, in both modes. The
 *  limits also bound the memory the reader asks its caller to hold: at most one header field
 *  (`max_header_block_size`) or one line that may be a boundary (`max_line_length`) is ever kept
 *  unconsumed; bodies, however large, stream through.
 *
 *  @par Thread safety
 *  A plain value.
 */
struct parser_options
{
    /** @brief Deepest nesting of entities accepted: the top-level message is at depth 0, each
     *         multipart child or encapsulated `message/rfc822` one level deeper. A deeper entity
     *         fails as soon as its delimiter is read, so a 10,000-deep attack costs 64 frames. */
    std::size_t max_depth = 64;

    /** @brief Largest header block of one entity, in bytes, CRLFs included. */
    std::size_t max_header_block_size = 1024 * 1024;

    /** @brief Most header fields in the header block of one entity. */
    std::size_t max_header_fields = 2000;

    /** @brief Longest physical line of a header block, and longest line that may still turn out to
     *         be a boundary delimiter (`--boundary` followed by white space). RFC 5322 says 998;
     *         real mail sometimes exceeds it. Body lines are not limited: they stream. */
    std::size_t max_line_length = 64 * 1024;

    /** @brief Most entities (the top-level message included) in one message. */
    std::size_t max_parts = 10000;

    /** @brief Fail on malformed structure instead of repairing it.
     *
     *  Lenient (the default, as every mail reader must be):
     *  - a header line that is neither a field nor a continuation ends the header block and
     *    starts the body (a part that forgot its empty line);
     *  - a multipart without a usable boundary is read as a single leaf;
     *  - a part that misses its close delimiter is closed by its parent's delimiter or at the end
     *    of the input;
     *  - an unknown `Content-Transfer-Encoding` is read as `binary`; a malformed `Content-Type`
     *    falls back to the default (`text/plain`, or `message/rfc822` inside `multipart/digest`);
     *  - bodies are decoded with the lenient base64 and quoted-printable decoders.
     *
     *  Strict mode reports each of those as an error (`reader_errc`, or the `mime::errc` of the
     *  codec) with its byte offset.
     */
    bool strict = false;

    /** @brief Reader only: also hand out each leaf body decoded from base64 or quoted-printable
     *         (`event::decoded`), in chunks as the raw bytes arrive. `parse_message` ignores it
     *         and decodes on demand. */
    bool decode_bodies = false;
};

}  // namespace mss::mime
