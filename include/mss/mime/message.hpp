// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::mime::message` and `mss::mime::entity`: the tree of a parsed MIME message, built
 *         on `reader` (`parse_message`).
 *
 *  The tree refers into the caller's bytes (zero-copy): header fields and bodies are views, and
 *  nothing is decoded until asked. `decoded_body()` removes the transfer encoding, `text()` also
 *  converts the charset to UTF-8. When the input does not outlive the tree, `copy()` (or
 *  `parse_message_owning`) gives a message that owns its bytes.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/named_address.hpp>
#include <mss/mime/header_block.hpp>
#include <mss/mime/parameters.hpp>
#include <mss/mime/parser_options.hpp>
#include <mss/mime/reader.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mss::mime
{

class message;

/** @brief One entity (the message itself, a part, an encapsulated message) of a parsed message.
 *
 *  Views returned by an entity point into the bytes the message was parsed from.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for `const` use.
 */
class MSS_API entity
{
public:
    /** @brief Constructs an empty leaf; entities are made by `parse_message`. */
    entity() = default;

    /** @brief The header fields, as views into the input; field offsets count from
     *         `header_bytes()`. */
    [[nodiscard]] const header_block& headers() const noexcept { return headers_; }

    /** @brief The raw header block, empty line included. */
    [[nodiscard]] std::string_view header_bytes() const noexcept { return header_bytes_; }

    /** @brief The parsed `Content-Type` (or its default). */
    [[nodiscard]] const parameterized_value& content_type() const noexcept { return content_type_; }

    /** @brief The parsed `Content-Disposition`, if present and (lenient mode) readable. */
    [[nodiscard]] const std::optional<parameterized_value>& content_disposition() const noexcept
    {
        return disposition_;
    }

    /** @brief The `Content-Transfer-Encoding`. */
    [[nodiscard]] transfer_encoding encoding() const noexcept { return encoding_; }

    /** @brief Leaf, multipart or encapsulated message. */
    [[nodiscard]] part_kind kind() const noexcept { return kind_; }

    /** @brief True for a `multipart` with a boundary. */
    [[nodiscard]] bool is_multipart() const noexcept { return kind_ == part_kind::multipart; }

    /** @brief True for a `message/rfc822` whose single child is the encapsulated message. */
    [[nodiscard]] bool is_message() const noexcept { return kind_ == part_kind::message; }

    /** @brief The body as it is in the input (still transfer-encoded). For a multipart, the
     *         preamble, the children with their delimiters and the epilogue. */
    [[nodiscard]] std::string_view raw_body() const noexcept { return body_; }

    /** @brief The children: the parts of a multipart, the encapsulated message of a message. */
    [[nodiscard]] const std::vector<entity>& children() const noexcept { return children_; }

    /** @brief Nesting depth: 0 for the top-level message. */
    [[nodiscard]] std::size_t depth() const noexcept { return depth_; }

    /** @brief Position in the tree, as in `part_info::path`. */
    [[nodiscard]] const std::vector<unsigned>& path() const noexcept { return path_; }

    /** @brief Offset of the entity's first byte in the input. */
    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

    /** @brief False when (lenient mode) a multipart lacked its close delimiter. */
    [[nodiscard]] bool complete() const noexcept { return complete_; }

    /** @brief Appends the body without its transfer encoding (base64, quoted-printable) to `out`.
     *
     *  Decoding follows the mode the message was parsed in: lenient decoding repairs what it can
     *  and never fails.
     *  @return success; in strict mode the errors of `base64_decoder` and
     *          `quoted_printable_decoder`.
     */
    boost::system::error_code decode_body(std::string& out) const;

    /** @brief The body without its transfer encoding, decoded leniently. */
    [[nodiscard]] std::string decoded_body() const;

    /** @brief Appends the body, decoded and converted from its `charset` (default US-ASCII) to
     *         UTF-8, to `out`; meant for `text/...` entities.
     *
     *  Lenient mode never fails: an unknown charset is read as UTF-8 when the bytes are valid
     *  UTF-8, else as Windows-1252; invalid bytes become U+FFFD.
     *  @return success; in strict mode the errors of `decode_body` and of `to_utf8`.
     */
    boost::system::error_code text(std::string& out) const;

    /** @brief The body as UTF-8 text, converted leniently. */
    [[nodiscard]] std::string text() const;

    /** @brief The file name: the `filename` of `Content-Disposition`, else the `name` of
     *         `Content-Type`, decoded (RFC 2231, and RFC 2047 words inside quotes); empty when
     *         there is none. */
    [[nodiscard]] std::string_view file_name() const noexcept;

    /** @brief True for an attachment: disposition `attachment`, or a file name without an
     *         `inline` disposition on a leaf. */
    [[nodiscard]] bool is_attachment() const noexcept;

    /** @brief `Subject`, decoded to UTF-8 (RFC 2047); empty when absent. */
    [[nodiscard]] std::string subject() const;

    /** @brief The mailboxes of `From`. */
    [[nodiscard]] std::vector<domain::named_address> from() const;

    /** @brief The mailboxes of `To` (every `To` field, in order). */
    [[nodiscard]] std::vector<domain::named_address> to() const;

    /** @brief The mailboxes of `Cc` (every `Cc` field, in order). */
    [[nodiscard]] std::vector<domain::named_address> cc() const;

    /** @brief The mailboxes of `Reply-To`. */
    [[nodiscard]] std::vector<domain::named_address> reply_to() const;

    /** @brief `Date`, when present and readable (see `parse_date`). */
    [[nodiscard]] std::optional<std::chrono::sys_seconds> date() const;

    /** @brief `Message-ID` without its angle brackets; empty when absent. */
    [[nodiscard]] std::string_view message_id() const;

    /** @brief The identifiers of `In-Reply-To`, without angle brackets. */
    [[nodiscard]] std::vector<std::string_view> in_reply_to() const;

    /** @brief The identifiers of `References`, without angle brackets, oldest first. */
    [[nodiscard]] std::vector<std::string_view> references() const;

private:
    friend class message;
    friend class message_tree_builder;

    std::vector<domain::named_address> addresses(std::string_view name) const;

    header_block headers_;
    std::string_view header_bytes_;
    std::string_view body_;
    parameterized_value content_type_;
    std::optional<parameterized_value> disposition_;
    std::vector<entity> children_;
    std::vector<unsigned> path_;
    std::size_t depth_ = 0;
    std::size_t offset_ = 0;
    transfer_encoding encoding_ = transfer_encoding::seven_bit;
    part_kind kind_ = part_kind::leaf;
    bool complete_ = true;
    bool strict_ = false;
};

/** @brief A parsed message: the tree of its entities and the bytes they refer to.
 *
 *  @par Object lifetimes
 *  A message made by `parse_message` refers to the caller's bytes, which must outlive it and
 *  every view taken from it. One made by `parse_message_owning` or `copy()` owns its bytes
 *  (shared between copies of the object); its views live as long as any of those copies.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for `const` use.
 */
class MSS_API message
{
public:
    /** @brief Constructs an empty message (no bytes, an empty root). */
    message() = default;

    /** @brief The top-level entity. */
    [[nodiscard]] const entity& root() const noexcept { return root_; }

    /** @brief The bytes the message was parsed from. */
    [[nodiscard]] std::string_view bytes() const noexcept { return bytes_; }

    /** @brief True when the message owns its bytes. */
    [[nodiscard]] bool owns_bytes() const noexcept { return owned_ != nullptr; }

    /** @brief A message that owns a copy of the bytes (the same object shared when this one owns
     *         them already). Cannot fail: the same bytes parse the same way. */
    [[nodiscard]] message copy() const;

    /** @brief The attachments, in order (see `entity::is_attachment`); the parts of an attached
     *         message are not listed separately. */
    [[nodiscard]] std::vector<const entity*> attachments() const;

    /** @brief The first `text/plain` entity that is not an attachment, outside encapsulated
     *         messages; null when there is none. */
    [[nodiscard]] const entity* text_body() const noexcept;

    /** @brief The first `text/html` entity that is not an attachment, outside encapsulated
     *         messages; null when there is none. */
    [[nodiscard]] const entity* html_body() const noexcept;

    /** @brief `root().subject()`. */
    [[nodiscard]] std::string subject() const { return root_.subject(); }
    /** @brief `root().from()`. */
    [[nodiscard]] std::vector<domain::named_address> from() const { return root_.from(); }
    /** @brief `root().to()`. */
    [[nodiscard]] std::vector<domain::named_address> to() const { return root_.to(); }
    /** @brief `root().cc()`. */
    [[nodiscard]] std::vector<domain::named_address> cc() const { return root_.cc(); }
    /** @brief `root().date()`. */
    [[nodiscard]] std::optional<std::chrono::sys_seconds> date() const { return root_.date(); }
    /** @brief `root().message_id()`. */
    [[nodiscard]] std::string_view message_id() const { return root_.message_id(); }
    /** @brief `root().in_reply_to()`. */
    [[nodiscard]] std::vector<std::string_view> in_reply_to() const { return root_.in_reply_to(); }
    /** @brief `root().references()`. */
    [[nodiscard]] std::vector<std::string_view> references() const { return root_.references(); }

private:
    friend class message_tree_builder;

    entity root_;
    std::string_view bytes_;
    std::shared_ptr<const std::string> owned_;
    parser_options options_;
};

/** @brief Parses a whole message held in memory into a tree that refers into `bytes`.
 *
 *  @par Errors
 *  Those of `reader` (limits in any mode; structure in strict mode) and, in strict mode, a
 *  malformed `Content-Disposition`; `diag` receives the message and the byte offset.
 */
[[nodiscard]] MSS_API boost::system::result<message> parse_message(std::string_view bytes,
                                                                   const parser_options& options,
                                                                   diagnostics& diag);

/** @brief Same as `parse_message(std::string_view, const parser_options&, diagnostics&)`
 *         without diagnostics. */
[[nodiscard]] MSS_API boost::system::result<message> parse_message(std::string_view bytes,
                                                                   const parser_options& options = {});

/** @brief Parses a message whose bytes it takes over: the tree owns them. */
[[nodiscard]] MSS_API boost::system::result<message> parse_message_owning(std::string bytes,
                                                                          const parser_options& options,
                                                                          diagnostics& diag);

/** @brief Appends to `out` the message identifiers of a `Message-ID`, `In-Reply-To` or
 *         `References` value, without their angle brackets, as views into `value`.
 *
 *  Comments and folding are skipped; a value without any `<...>` (obsolete form) gives its
 *  whitespace-separated words.
 */
MSS_API void parse_message_ids(std::string_view value, std::vector<std::string_view>& out);

}  // namespace mss::mime
