// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::response_parser`: the push parser of IMAP4rev1 server responses.
 *
 *  Theory of operation. Bytes from the connection are appended with `feed()`; `next()` then
 *  returns complete responses one at a time, or says that more input is needed. Work is done in
 *  two passes over one contiguous buffer:
 *
 *  1. Framing. A response is a line, extended by literals: a line of a data response that ends
 *     with `{n}`, `{n+}` or `~{n}` is followed by `n` raw octets and then by more of the same
 *     response. Framing finds line ends with `memchr`, skips literal octets without looking at
 *     them, and enforces the limits as it goes: a line longer than `max_line_length`, a literal
 *     announced above `max_literal_size` (refused as soon as the announcement is read, before
 *     any octet of it is buffered), a response above `max_response_size`. Framing resumes where
 *     it stopped, so input fed byte by byte costs no rescanning. Lines of status responses and
 *     continuations are text: a `{5}` at their end is not a literal.
 *  2. Decoding. A complete response is tokenised from the buffer by recursive descent into a
 *     `response`. Strings are views into the buffer; quoted strings are unescaped in place, so
 *     that decoding allocates nothing once the caller's `response` has grown its vectors.
 *     Parenthesis nesting is limited by `max_depth`.
 *
 *  Large literals (message bodies) can bypass the buffer: install a `literal_sink` and every
 *  literal of at least `stream_threshold` octets is handed to the sink in chunks as it arrives
 *  (`on_literal_begin`, `on_literal_data`..., `on_literal_end`); the matching `body_section` then
 *  says `streamed`. Memory then stays bounded by the line limits and the I/O layer's chunk size,
 *  whatever the size of the body.
 *
 *  Any error (limit, malformed input) is sticky: the parser keeps returning it until `reset()`,
 *  since the stream cannot be resynchronised. Malformed input gives
 *  `mss::errc::malformed_response`, with the offset of the offending byte from the start of the
 *  response in `diagnostics::position()`. The parser never throws on any input except
 *  `std::bad_alloc`.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/imap/response.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mss::imap {

namespace detail {
/** @brief Where the framing pass found a literal (internal to the parser). */
struct literal_record
{
    /** @brief Offset of `{` (or `~` of `~{`), from the response's first byte. */
    std::size_t announce = 0;
    /** @brief Offset of the literal's first octet, from the response's first byte. */
    std::size_t content = 0;
    /** @brief Announced size. */
    std::uint64_t size = 0;
    /** @brief True when the octets went to the sink and are not in the buffer. */
    bool streamed = false;
};
}  // namespace detail

/** @brief Limits and switches of `response_parser`. */
struct response_parser_options
{
    /** @brief Longest line (between two literals) accepted, CRLF excluded. */
    std::size_t max_line_length = 64 * 1024;
    /** @brief Largest literal accepted; a larger announcement fails with
     *         `imap::errc::literal_too_large` before any octet is read. */
    std::uint64_t max_literal_size = 64ull * 1024 * 1024;
    /** @brief Largest response kept in the buffer (streamed literals do not count). */
    std::uint64_t max_response_size = 80ull * 1024 * 1024;
    /** @brief Deepest parenthesis nesting accepted (BODYSTRUCTURE of nested multiparts). */
    std::size_t max_depth = 64;
    /** @brief Literals of at least this size go to the `literal_sink`, when one is installed. */
    std::uint64_t stream_threshold = 1024 * 1024;
    /** @brief Accept a bare LF as a line end (strict IMAP requires CRLF). */
    bool allow_bare_lf = false;
};

/** @brief Where a streamed literal belongs. Views are valid during `on_literal_begin` only. */
struct literal_info
{
    /** @brief Size of the literal in octets. */
    std::uint64_t size = 0;
    /** @brief True for a `~{n}` (literal8) announcement. */
    bool binary = false;
    /** @brief The sequence number of the FETCH response holding it; 0 for other responses. */
    std::uint32_t sequence = 0;
    /** @brief The FETCH item the literal is the value of, as sent (`BODY[1.2]<0>`, `BINARY[2]`). */
    std::string_view item;
    /** @brief The response's text received so far, up to the announcement. */
    std::string_view context;
};

/** @brief Receives large literals in chunks instead of having them buffered.
 *
 *  The calls happen from within `response_parser::next()`, in stream order; the response that
 *  holds the literal is returned by a later `next()`.
 */
class MSS_API literal_sink
{
public:
    /** @brief Destroys the sink. */
    virtual ~literal_sink() = default;
    /** @brief A literal of `info.size` octets starts. */
    virtual void on_literal_begin(const literal_info& info) = 0;
    /** @brief The next octets of the literal (never empty). */
    virtual void on_literal_data(std::string_view chunk) = 0;
    /** @brief The literal is complete. */
    virtual void on_literal_end() = 0;
};

/** @brief Push parser of IMAP server responses (see the file comment).
 *
 *  @code
 *  parser.feed(bytes_read);
 *  imap::response r;
 *  while (parser.next(r, ec, diag))
 *      handle(r);             // views valid until the next feed()/next()
 *  if (ec) fail(ec);          // else: need more input
 *  @endcode
 *
 *  @par Object lifetimes
 *  A `literal_sink` passed to `set_literal_sink` must outlive its use by the parser.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API response_parser
{
public:
    /** @brief Constructs a parser with `options`. */
    explicit response_parser(const response_parser_options& options = {});

    /** @brief Appends received bytes. Invalidates the views of the last response. */
    void feed(std::string_view bytes);

    /** @brief Decodes the next complete response into `out`.
     *
     *  @return true when `out` holds a response; false when more input is needed (`ec` clear) or
     *          on error (`ec` set).
     *  @par Errors
     *  `mss::errc::malformed_response` (offset in `diag.position()`), `mss::errc::limit_exceeded`
     *  (line, response or nesting limit), `imap::errc::literal_too_large`. Errors are sticky.
     */
    bool next(response& out, boost::system::error_code& ec, diagnostics& diag);

    /** @brief Number of received bytes not yet returned as a response (beyond the last one
     *         returned). Used to detect data injected before a TLS handshake. */
    [[nodiscard]] std::size_t buffered() const noexcept { return buf_.size() - start_; }

    /** @brief True after an error (until `reset()`). */
    [[nodiscard]] bool failed() const noexcept { return static_cast<bool>(error_); }

    /** @brief Drops all buffered input and any error; keeps options, sink and mode. */
    void reset() noexcept;

    /** @brief Installs (or removes, with nullptr) the sink for large literals. */
    void set_literal_sink(literal_sink* sink) noexcept { sink_ = sink; }

    /** @brief Tells the parser that UTF8=ACCEPT is enabled: mailbox names are then UTF-8 and not
     *         decoded from modified UTF-7. */
    void set_utf8_mode(bool on) noexcept { utf8_mode_ = on; }

    /** @brief The options in force. */
    [[nodiscard]] const response_parser_options& options() const noexcept { return options_; }

private:
    bool fail(boost::system::error_code ec, std::size_t offset, const char* what,
              boost::system::error_code& out_ec, diagnostics& diag);
    bool frame(boost::system::error_code& ec, diagnostics& diag);
    bool announce_literal(std::size_t line_end, boost::system::error_code& ec, diagnostics& diag);

    response_parser_options options_;
    std::string buf_;
    std::size_t start_ = 0;       // first byte of the response being framed
    std::size_t scan_ = 0;        // where framing resumes
    std::size_t line_start_ = 0;  // first byte of the current line
    std::uint64_t literal_left_ = 0;
    bool streaming_ = false;
    bool first_line_ = true;
    bool text_response_ = false;
    bool utf8_mode_ = false;
    std::size_t end_ = 0;         // end of the complete response's text (before CRLF)
    std::vector<detail::literal_record> literals_;
    std::string scratch_;  // decoded mailbox names
    literal_sink* sink_ = nullptr;
    boost::system::error_code error_;
    std::string error_message_;
    std::size_t error_offset_ = 0;
};

}  // namespace mss::imap
