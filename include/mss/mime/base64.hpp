// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `base64_decoder` and `base64_encoder`: the base64 content-transfer-encoding
 *         (RFC 2045 §6.8), streaming, sans-I/O.
 *
 *  Both objects take input in chunks of any size and append to a caller-provided `std::string`,
 *  so an attachment never has to be held whole, and the result does not depend on where the
 *  chunks are split. Output is appended with at most one `resize` per call, never per byte.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/mime/errc.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mss::mime {

/** @brief Options of `base64_decoder`. */
struct base64_decoder_options
{
    /** @brief Repair instead of failing.
     *
     *  Strict (the default): a character outside the alphabet, `=` in the wrong place or data
     *  after the final padding fail with `errc::bad_base64`; missing padding at the end fails
     *  with `errc::truncated_base64`.
     *  Lenient: characters outside the alphabet and misplaced `=` are skipped, data after padding
     *  starts a new group (streams concatenated by broken mailers), missing padding is accepted.
     *  A single dangling character at the end is still `errc::truncated_base64`: a byte is lost.
     */
    bool lenient = false;
};

/** @brief Streaming base64 decoder.
 *
 *  CR, LF, space and tab are skipped in both modes: they are the line structure of the body.
 *  Up to three characters of an incomplete group are kept between calls to `decode()`.
 *
 *  @par Errors
 *  Errors are sticky: once `decode()` or `finish()` failed, every later call returns the same
 *  code until `reset()`. The bytes decoded before the fault stay appended to `out`. `offset()`
 *  then tells which input byte was at fault.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API base64_decoder
{
public:
    /** @brief Constructs a decoder ready for a new stream. */
    explicit base64_decoder(base64_decoder_options options = {}) noexcept : options_(options) {}

    /** @brief Decodes one chunk of input and appends the bytes to `out`.
     *
     *  @return success, or (strict mode) `errc::bad_base64`.
     */
    boost::system::error_code decode(std::string_view chunk, std::string& out);

    /** @brief Ends the stream: appends the bytes of a final group that lacks its padding.
     *
     *  The bytes a 2- or 3-character final group carries are appended in both modes.
     *
     *  @return success; `errc::truncated_base64` when the data stopped inside a group (strict
     *          mode) or with one dangling character (both modes); a previous sticky error.
     */
    boost::system::error_code finish(std::string& out);

    /** @brief Number of input bytes consumed since construction or `reset()`; after a failure,
     *         the offset of the byte at fault (the end of the input for a truncation). */
    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

    /** @brief Forgets all state, keeping the options, to decode a new stream. */
    void reset() noexcept;

private:
    enum class state : unsigned char
    {
        data,        // inside groups of four characters
        second_pad,  // after "xx=": one more '=' is due
        ended,       // after the final padding
        failed,
    };

    base64_decoder_options options_;
    state state_ = state::data;
    unsigned pending_ = 0;     // characters of the current group (0 to 3)
    std::uint32_t bits_ = 0;   // their 6-bit values
    std::size_t offset_ = 0;
    errc error_ = errc::bad_base64;
};

/** @brief Options of `base64_encoder`. */
struct base64_encoder_options
{
    /** @brief Characters per output line before CRLF; RFC 2045 requires at most 76.
     *
     *  Rounded down to a multiple of 4 (at least 4). 0 writes one unbroken line without any
     *  CRLF, as an RFC 2047 encoded-word needs.
     */
    std::size_t line_length = 76;
};

/** @brief Streaming base64 encoder producing CRLF-terminated lines.
 *
 *  Up to two input bytes are kept between calls to `encode()`; lines continue across chunks, so
 *  the output equals a one-shot encoding of the concatenated input. With a non-zero
 *  `line_length`, every line (the last one included, once `finish()` ran) ends with CRLF; empty
 *  input gives empty output.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API base64_encoder
{
public:
    /** @brief Constructs an encoder ready for a new stream. */
    explicit base64_encoder(base64_encoder_options options = {}) noexcept;

    /** @brief Encodes one chunk and appends the characters to `out`. */
    void encode(std::string_view chunk, std::string& out);

    /** @brief Ends the stream: writes the last group with its padding and the final CRLF,
     *         then resets the encoder for a new stream. */
    void finish(std::string& out);

    /** @brief Forgets all state, keeping the options, to encode a new stream. */
    void reset() noexcept;

    /** @brief Exact length of the encoding of `size` bytes with lines of `line_length`
     *         (after the same rounding as the options), CRLFs included. */
    [[nodiscard]] static std::size_t encoded_size(std::size_t size, std::size_t line_length = 76) noexcept;

private:
    std::size_t line_length_;
    std::size_t column_ = 0;        // characters on the current output line
    unsigned char held_[2] = {};    // input bytes of an incomplete group
    unsigned held_size_ = 0;
};

}  // namespace mss::mime
