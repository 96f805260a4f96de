// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `quoted_printable_decoder` and `quoted_printable_encoder`: the quoted-printable
 *         content-transfer-encoding (RFC 2045 §6.7), streaming, sans-I/O.
 *
 *  Both objects take input in chunks of any size and append to a caller-provided `std::string`;
 *  the result does not depend on where the chunks are split. Only a few bytes of state are kept
 *  between chunks.
 *
 *  This is the body encoding. The "Q" encoding of RFC 2047 encoded-words differs (`_` for
 *  space, no soft line breaks) and lives in `encoded_word.hpp`.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/mime/errc.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace mss::mime {

/** @brief Options of `quoted_printable_decoder`. */
struct quoted_printable_decoder_options
{
    /** @brief Repair instead of failing.
     *
     *  Strict (the default): an `=` followed by anything but two hexadecimal digits or a soft
     *  line break fails with `errc::bad_quoted_printable`.
     *  Lenient: such an `=` and the bytes after it are kept literally (`=G1` stays `=G1`), as
     *  most mail readers do.
     */
    bool lenient = false;
};

/** @brief Streaming quoted-printable decoder.
 *
 *  - `=XX` becomes one byte; upper- and lower-case hexadecimal digits are both accepted.
 *  - Soft line breaks vanish: `=` followed by optional transport padding (spaces, tabs) and
 *    CRLF or a bare LF.
 *  - An `=` (with optional padding) at the very end of the data is a soft line break too: a MIME
 *    parser strips the CRLF that precedes a boundary, which leaves `=` last.
 *  - Everything else, hard line breaks included, is copied unchanged. Trailing whitespace on a
 *    line is kept (RFC 2045 allows a decoder to drop it; keeping it needs no look-ahead).
 *
 *  @par Errors
 *  Errors are sticky until `reset()`; the bytes decoded before the fault stay appended. After a
 *  failure `offset()` is the offset of the byte at fault (the end of the input for `finish()`).
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API quoted_printable_decoder
{
public:
    /** @brief Constructs a decoder ready for a new stream. */
    explicit quoted_printable_decoder(quoted_printable_decoder_options options = {}) noexcept
        : options_(options)
    {
    }

    /** @brief Decodes one chunk and appends the bytes to `out`.
     *
     *  @return success, or (strict mode) `errc::bad_quoted_printable`.
     */
    boost::system::error_code decode(std::string_view chunk, std::string& out);

    /** @brief Ends the stream.
     *
     *  @return success; in strict mode `errc::bad_quoted_printable` when the data ends with `=X`
     *          (lenient mode appends `=X` literally); a previous sticky error.
     */
    boost::system::error_code finish(std::string& out);

    /** @brief Number of input bytes consumed since construction or `reset()`; after a failure,
     *         the offset of the byte at fault. */
    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

    /** @brief Forgets all state, keeping the options, to decode a new stream. */
    void reset() noexcept;

private:
    enum class state : unsigned char
    {
        text,
        equals,   // after '='
        hex,      // after '=' and one hexadecimal digit
        padding,  // after '=' and spaces or tabs
        cr,       // after '=', optional padding, CR
        failed,
    };

    // Bytes after '=' that must be written back literally if the sequence proves invalid
    // (lenient mode). Longer transport padding is rare; past this the '=' is taken literally.
    static constexpr std::size_t held_capacity = 32;

    quoted_printable_decoder_options options_;
    state state_ = state::text;
    std::size_t held_size_ = 0;
    char held_[held_capacity] = {};
    std::size_t offset_ = 0;
};

/** @brief Options of `quoted_printable_encoder`. */
struct quoted_printable_encoder_options
{
    /** @brief Longest output line, the `=` of a soft line break included; RFC 2045 requires at
     *         most 76. Values under 4 are raised to 4. */
    std::size_t line_length = 76;

    /** @brief Encode for binary data rather than text.
     *
     *  Text (the default): input line breaks (CRLF or a bare LF) become CRLF hard line breaks; a
     *  lone CR is encoded `=0D`. Binary: CR and LF are always encoded (`=0D`, `=0A`), so that
     *  the decoded bytes are exactly the input.
     */
    bool binary = false;
};

/** @brief Streaming quoted-printable encoder with CRLF line endings.
 *
 *  Encoded as `=XX`: `=`, every byte outside printable ASCII except space and tab, and the last
 *  space or tab of a line (RFC 2045 rule 3). For transport safety, at the start of each output
 *  line (after a hard or a soft line break) a `.` is encoded `=2E` (SMTP dot lines) and the `F`
 *  of `From ` is encoded `=46` (mbox "From_" lines). Lines are broken with soft line breaks so
 *  that none is longer than `line_length`; an `=XX` is never split.
 *
 *  Up to five bytes are held between calls (a pending CR or trailing whitespace, a possible
 *  `From`); `finish()` writes them. No CRLF is added at the end: the output ends as the input
 *  ends.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API quoted_printable_encoder
{
public:
    /** @brief Constructs an encoder ready for a new stream. */
    explicit quoted_printable_encoder(quoted_printable_encoder_options options = {}) noexcept;

    /** @brief Encodes one chunk and appends the characters to `out`. */
    void encode(std::string_view chunk, std::string& out);

    /** @brief Ends the stream: writes the held bytes, then resets the encoder. */
    void finish(std::string& out);

    /** @brief Forgets all state, keeping the options, to encode a new stream. */
    void reset() noexcept;

private:
    class writer;

    void put(writer& w, unsigned char c);
    void flush_from(writer& w);

    std::size_t line_length_;
    bool binary_;
    std::size_t column_ = 0;       // characters on the current output line
    char pending_space_ = 0;       // a space or tab not yet known to end its line, or 0
    bool pending_cr_ = false;      // a CR that may start a CRLF (text mode)
    unsigned from_matched_ = 0;    // characters of "From" held at the start of a line
};

}  // namespace mss::mime
