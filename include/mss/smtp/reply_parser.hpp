// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::smtp::reply_parser`: a bounded push parser turning received bytes into replies.
 *
 *  Theory of operation. Bytes arrive in arbitrary pieces (one byte, half a line, several
 *  pipelined replies at once). `feed()` consumes bytes up to the end of the *first* reply that
 *  completes and stops there, so the caller always knows which bytes belong to which reply and
 *  which bytes came after it (the STARTTLS injection check needs exactly this). Bytes of an
 *  unfinished reply are consumed and kept inside the parser; memory stays below
 *  `max_line_length * max_lines` whatever the server sends.
 *
 *  Grammar (RFC 5321 §4.2): `Reply-code "-" text CRLF` for every line but the last, then
 *  `Reply-code [SP text] CRLF`. Every line repeats the same code.
 *
 *  | Input                                   | strict (default)      | lenient               |
 *  |-----------------------------------------|-----------------------|-----------------------|
 *  | line ends with bare LF                  | malformed_response    | accepted as CRLF      |
 *  | CR not followed by LF                   | malformed_response    | malformed_response    |
 *  | code's first digit not 2–5              | malformed_response    | malformed_response    |
 *  | code's second digit 6–9                 | malformed_response    | accepted              |
 *  | control character (not HTAB) in text    | malformed_response    | accepted              |
 *  | fourth byte not SP, `-` or end of line  | malformed_response    | malformed_response    |
 *  | code differs from the reply's first line| malformed_response    | malformed_response    |
 *  | line longer than `max_line_length`      | limit_exceeded        | limit_exceeded        |
 *  | more lines than `max_lines`             | limit_exceeded        | limit_exceeded        |
 *
 *  Bytes 0x80–0xFF are accepted in the text in both modes (SMTPUTF8 servers echo UTF-8 addresses).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/smtp/reply.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mss::smtp {

/** @brief Limits and leniency of `reply_parser`. */
struct reply_parser_options
{
    /** @brief Longest accepted line in bytes, code included, line ending excluded.
     *
     *  RFC 5321 allows 512 with CRLF; real servers stay well below 2048.
     */
    std::size_t max_line_length = 2048;
    /** @brief Most lines in one reply: a server answering `250-` forever must not grow memory. */
    std::size_t max_lines = 512;
    /** @brief Accepts bare LF line endings, second code digits 6–9 and control characters in
     *         the text. Off by default.
     */
    bool lenient = false;
};

/** @brief Push parser for SMTP replies.
 *
 *  @code
 *  mss::smtp::reply_parser parser;
 *  mss::diagnostics diag;
 *  while (!input.empty()) {
 *      auto r = parser.feed(input, diag);
 *      if (r.error) return r.error;            // details and byte offset in diag
 *      input.remove_prefix(r.consumed);
 *      if (r.parsed) handle(*r.parsed);        // input may still hold the next reply
 *  }
 *  @endcode
 *
 *  @par Errors
 *  `mss::errc::malformed_response` (grammar) and `mss::errc::limit_exceeded` (options). After an
 *  error the parser stays failed and consumes nothing until `reset()`.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API reply_parser
{
public:
    /** @brief What one call to `feed()` did. */
    struct result
    {
        /** @brief Bytes of the input used (all of them unless a reply completed or an error
         *         occurred).
         */
        std::size_t consumed = 0;
        /** @brief The reply completed by these bytes, if any. At most one per call. */
        std::optional<reply> parsed;
        /** @brief Set when the input broke the grammar or a limit. */
        boost::system::error_code error;
    };

    /** @brief Makes a parser with the given limits. */
    explicit reply_parser(reply_parser_options options = {}) noexcept : options_(options) {}

    /** @brief Consumes bytes up to the end of the first reply they complete.
     *
     *  On error, `diag` receives an English message (never the server's text) and the position
     *  of the offending byte, counted from the first byte fed since construction or `reset()`
     *  (offset from 0, line and column from 1). `diag` is not touched otherwise.
     */
    result feed(std::string_view input, diagnostics& diag);

    /** @brief Same as `feed(input, diag)`, without diagnostics. */
    result feed(std::string_view input);

    /** @brief Tells whether bytes of an unfinished reply are held (a partial line or the first
     *         lines of a multi-line reply).
     */
    [[nodiscard]] bool has_buffered() const noexcept;

    /** @brief Total bytes consumed since construction or `reset()`. */
    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

    /** @brief The error that stopped the parser, if any. */
    [[nodiscard]] const boost::system::error_code& error() const noexcept { return error_; }

    /** @brief Forgets buffered bytes, any error and the offset; keeps the options. */
    void reset() noexcept;

private:
    enum class state
    {
        code,       // reading the three digits
        separator,  // reading the fourth byte
        text,       // reading text up to the line end
        cr,         // after a CR: only LF may follow
    };

    // Both return false when the parser failed.
    bool step(char c, std::size_t at, diagnostics& diag);
    bool end_line(std::size_t at, diagnostics& diag);
    bool fail(boost::system::error_code ec, std::string message, std::size_t at, diagnostics& diag);

    reply_parser_options options_;
    state state_ = state::code;
    std::size_t offset_ = 0;       // bytes consumed so far (stream position)
    std::size_t line_number_ = 1;  // for diagnostics
    std::size_t line_start_ = 0;   // stream offset of the current line's first byte
    std::size_t line_length_ = 0;  // bytes of the current line so far, line ending excluded
    int code_ = 0;                 // code of the current line
    int reply_code_ = 0;           // code of the reply's first line (0 before it is known)
    bool last_line_ = false;       // the current line ends the reply
    std::string text_;             // text of the current line
    std::vector<std::string> lines_;
    std::optional<reply> completed_;
    boost::system::error_code error_;
};

}  // namespace mss::smtp
