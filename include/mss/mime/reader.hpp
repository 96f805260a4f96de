// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::mime::reader`: the push-style, sans-I/O, zero-copy event reader of MIME messages
 *         (RFC 5322, RFC 2045, RFC 2046).
 *
 *  Theory of operation. The caller owns the bytes. It presents the bytes not yet consumed with
 *  `feed(input, end_of_input)` and receives one event; `event::consumed` says how many bytes at
 *  the front of `input` the reader is done with. The caller drops those (after using the event,
 *  whose views point into `input`), appends newly read bytes, and presents the rest again (Beast's
 *  `basic_parser::put` contract). The reader copies nothing: header fields and body chunks are
 *  views into `input`, so a message presented whole is read without copying any byte. When the
 *  reader cannot make progress it returns `need_more`; at the end of the stream the caller says
 *  so with `end_of_input = true`.
 *
 *  Events of one message, for `multipart/mixed` holding a text part:
 *
 *      header_field*  part_begin(depth 0, multipart)  preamble*
 *        header_field*  part_begin(depth 1, path 1)  body*  part_end
 *      epilogue*  part_end(depth 0)  message_end
 *
 *  A part's header fields come before its `part_begin`, which is reported once its header block
 *  is complete, with the parsed `Content-Type`, the transfer encoding, the depth and the path. A
 *  `message/rfc822` part (not base64 or quoted-printable encoded) is a container whose single
 *  child, path suffix 1, is the encapsulated message, read recursively.
 *
 *  State table (the frame on top of the stack decides):
 *
 *  | state    | reads                          | leaves on                         | to                 |
 *  |----------|--------------------------------|-----------------------------------|--------------------|
 *  | headers  | one field (with continuations) | empty line / non-field line / EOF | part_begin         |
 *  | body     | leaf content                   | delimiter of an ancestor / EOF    | closing            |
 *  | preamble | multipart content              | own delimiter                     | headers (child 1)  |
 *  | epilogue | content after `--b--`          | delimiter of an ancestor / EOF    | closing            |
 *  | closing  | nothing: one part_end per call | frames above the delimiter's      | headers, epilogue  |
 *  |          |                                | owner popped                      | or message_end     |
 *
 *  Finding delimiters. Content is scanned with `memchr` for `-`: base64 holds none, so a base64
 *  body is crossed at memory speed, and only a `--` at the start of a line is compared with the
 *  boundaries of every open multipart (innermost first: a part that lost its close delimiter is
 *  closed by its parent's). The line break before a delimiter belongs to the delimiter, so the
 *  reader holds back a trailing CR, LF or CRLF, and a line that is still a prefix of a delimiter,
 *  until the following bytes decide; everything else is reported at once. A boundary quoted in
 *  `Content-Type` (`boundary="a b:c"`) is unquoted by the parameter parser before use.
 *
 *  Bounded memory. The stack holds at most `max_depth + 1` frames; nothing unconsumed is ever
 *  longer than one header field or one candidate delimiter line, each under its limit; scanning
 *  resumes where the previous call stopped, so input fed byte by byte is not rescanned. Errors
 *  are sticky: after an `error` event the reader repeats it until `reset()`.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/mime/base64.hpp>
#include <mss/mime/parameters.hpp>
#include <mss/mime/parser_options.hpp>
#include <mss/mime/quoted_printable.hpp>
#include <mss/mime/reader_errc.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mss::mime
{

/** @brief A `Content-Transfer-Encoding` (RFC 2045 §6). */
enum class transfer_encoding : unsigned char
{
    /** @brief `7bit`, also the default when the field is absent. */
    seven_bit,
    /** @brief `8bit`. */
    eight_bit,
    /** @brief `binary`. */
    binary,
    /** @brief `base64`. */
    base64,
    /** @brief `quoted-printable`. */
    quoted_printable,
    /** @brief Anything else (`x-uuencode`, a typo): the body is kept as it is. */
    unknown,
};

/** @brief Reads a `Content-Transfer-Encoding` value (case-insensitive, spaces and comments
 *         around it ignored); an empty value gives `seven_bit`. */
[[nodiscard]] MSS_API transfer_encoding parse_transfer_encoding(std::string_view value) noexcept;

/** @brief The shape of an entity. */
enum class part_kind : unsigned char
{
    /** @brief A body of bytes (text, attachment, or an encoded `message/rfc822`). */
    leaf,
    /** @brief A `multipart` entity with a boundary: children separated by delimiters. */
    multipart,
    /** @brief A `message/rfc822` (or `message/global`) whose body is one encapsulated message. */
    message,
};

/** @brief What the reader knows about an entity, from its `part_begin` to its `part_end`.
 *
 *  Offsets count from the first byte ever fed to the reader.
 */
struct MSS_API part_info
{
    /** @brief The parsed `Content-Type`, or the default (`text/plain; charset=us-ascii`,
     *         `message/rfc822` in a `multipart/digest`) when absent or (lenient) malformed. */
    parameterized_value content_type;
    /** @brief The `Content-Transfer-Encoding`. */
    transfer_encoding encoding = transfer_encoding::seven_bit;
    /** @brief Leaf, multipart or encapsulated message. */
    part_kind kind = part_kind::leaf;
    /** @brief 0 for the top-level message, one more for each level of nesting. */
    std::size_t depth = 0;
    /** @brief 1-based index of the entity in each container from the top: empty for the top-level
     *         message, `{2, 1}` for the encapsulated message of its second part. Not the IMAP part
     *         numbering: an encapsulated message counts as a level of its own. */
    std::vector<unsigned> path;
    /** @brief Offset of the first byte of the header block. */
    std::size_t header_offset = 0;
    /** @brief Offset of the first byte of the body (after the empty line). */
    std::size_t body_offset = 0;
    /** @brief Offset just past the body (before the line break of the delimiter that ends it);
     *         set when `part_end` is reported. */
    std::size_t end_offset = 0;
    /** @brief Set at `part_end`: false when a multipart lacked its close delimiter and was closed
     *         by lenient recovery. */
    bool complete = true;

    /** @brief The boundary of a multipart (unquoted), empty otherwise. */
    [[nodiscard]] std::string_view boundary() const noexcept;
};

/** @brief What `reader::feed` found. */
enum class event_kind : unsigned char
{
    /** @brief Nothing more can be read from the bytes presented: feed more (or end the input). */
    need_more,
    /** @brief One header field: `name`, `value` (raw, still folded), `offset`. */
    header_field,
    /** @brief The header block of an entity is complete: `part` describes it. */
    part_begin,
    /** @brief Bytes of a multipart before its first delimiter: `data`, `offset`. */
    preamble,
    /** @brief Bytes of a leaf body: `data` (raw), `decoded` (when decoding was asked and the
     *         body is base64 or quoted-printable), `offset`, `part`. The last chunk of a decoded
     *         body may have empty `data` and the decoder's final bytes in `decoded`. */
    body,
    /** @brief Bytes of a multipart after its close delimiter: `data`, `offset`. */
    epilogue,
    /** @brief An entity ends: `part` with its `end_offset` and `complete`. */
    part_end,
    /** @brief The top-level message ended; the reader has nothing more to say. */
    message_end,
    /** @brief The input is refused: `error`, `offset`; details in `reader::diag()`. */
    error,
};

/** @brief One event of the reader. Its views point into the `input` of the `feed` call that
 *         returned it, or into the reader; they are valid until the next call to `feed`. */
struct event
{
    /** @brief What happened. */
    event_kind kind = event_kind::need_more;
    /** @brief Bytes at the front of the `input` given to `feed` that the caller may now drop. */
    std::size_t consumed = 0;
    /** @brief Offset (from the first byte ever fed) of the field, chunk or error. */
    std::size_t offset = 0;
    /** @brief `header_field`: the field name as written. */
    std::string_view name;
    /** @brief `header_field`: everything after the colon, folding included, without the final
     *         line break. */
    std::string_view value;
    /** @brief `preamble`, `body`, `epilogue`: raw bytes. */
    std::string_view data;
    /** @brief `body` with `parser_options::decode_bodies`: the decoded bytes of this chunk. */
    std::string_view decoded;
    /** @brief `part_begin`, `body`, `part_end`: the entity; valid until the next `feed`. */
    const part_info* part = nullptr;
    /** @brief `error`: why. */
    boost::system::error_code error;
};

/** @brief The streaming MIME reader; see the file's theory of operation.
 *
 *  @par Errors
 *  `mss::errc::limit_exceeded` (any mode); in strict mode `reader_errc` values, the errors of
 *  `parse_content_type`, and (with `decode_bodies`) those of the base64 and quoted-printable
 *  decoders. The offset is in the event and in `diag().position()`, with an English message in
 *  `diag().client_message()` that never quotes the input.
 *
 *  @par Object lifetimes
 *  The reader keeps no pointer to the input between calls.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API reader
{
public:
    /** @brief Constructs a reader at the start of a message. */
    explicit reader(parser_options options = {});

    /** @brief Reads the next event from `input`, the bytes not consumed so far followed by new
     *         ones.
     *
     *  @param input the unconsumed bytes: those of previous calls minus `event::consumed`, in the
     *         same order, then any new bytes.
     *  @param end_of_input true when no byte will follow `input`.
     *  @return the event, valid until the next call.
     */
    const event& feed(std::string_view input, bool end_of_input = false);

    /** @brief Details of the last error. */
    [[nodiscard]] const mss::diagnostics& diag() const noexcept { return diag_; }

    /** @brief Bytes consumed since construction or `reset()`. */
    [[nodiscard]] std::size_t offset() const noexcept { return base_; }

    /** @brief True once `message_end` was reported. */
    [[nodiscard]] bool done() const noexcept { return state_ == state::done; }

    /** @brief Forgets everything but the options, to read another message. */
    void reset();

private:
    enum class state : unsigned char
    {
        child,  // push the next entity (the top-level message first)
        headers,
        body,
        preamble,
        epilogue,
        closing,
        done,
        failed,
    };

    struct frame
    {
        part_info info;
        std::string boundary;  // multipart only
        unsigned children = 0;
        bool closed = false;  // its close delimiter was seen
        bool digest = false;  // multipart/digest: children default to message/rfc822
    };

    enum class delimiter : unsigned char
    {
        none,   // end of input: close everything
        open,   // --boundary
        close,  // --boundary--
    };

    struct match_result
    {
        enum class outcome : unsigned char
        {
            none,
            partial,
            match,
        } result = outcome::none;
        std::size_t frame = 0;
        bool close = false;
        std::size_t next = 0;  // first byte after the delimiter line
    };

    bool step_headers(std::string_view in, bool eof, std::size_t& pos);
    bool step_content(std::string_view in, bool eof, std::size_t& pos);
    bool step_closing(std::size_t& pos);
    bool end_headers(std::size_t body_pos, std::size_t& pos);
    bool push_child(std::size_t header_pos, std::size_t& pos);
    match_result match_delimiter(std::string_view in, std::size_t line, bool eof, std::size_t levels) const;
    [[nodiscard]] std::size_t boundary_levels() const noexcept;
    bool emit(event_kind kind, std::size_t pos);
    bool need_more(std::size_t pos, std::size_t scanned);
    bool fail(boost::system::error_code ec, std::size_t offset, const char* message, std::size_t pos);
    bool decode_chunk(std::string_view data, std::size_t offset, std::size_t& pos);

    parser_options options_;
    state state_ = state::child;
    std::vector<frame> stack_;
    std::size_t base_ = 0;       // offset of input[0] in the stream
    std::size_t scan_ = 0;       // absolute offset up to which the pending item was examined
    std::size_t scan_line_ = 0;  // absolute offset of the last line start of a pending field
    std::size_t parts_ = 0;

    // Header block being read.
    std::size_t header_start_ = 0;
    std::size_t header_bytes_ = 0;
    std::size_t header_fields_ = 0;
    bool top_first_line_ = true;  // an mbox "From " line may open the top-level header
    bool have_content_type_ = false;
    bool have_encoding_ = false;
    std::string content_type_raw_;
    std::string encoding_raw_;

    // Content being scanned.
    bool line_start_ = true;  // input[0] starts a line

    // Closing: frames above `close_to_` are popped, then `pending_` applies to it.
    std::size_t close_to_ = 0;
    delimiter pending_ = delimiter::none;
    std::size_t close_end_ = 0;        // absolute end offset of the closed bodies
    std::size_t after_delimiter_ = 0;  // absolute offset of the line after the delimiter
    part_info ended_;

    // Decoding (decode_bodies).
    base64_decoder base64_;
    quoted_printable_decoder quoted_;
    std::string decoded_;
    bool decoder_flushed_ = false;

    event event_;
    mss::diagnostics diag_;
};

}  // namespace mss::mime
