// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::mime::message_builder`: writing a MIME message (RFC 5322, RFC 2045–2047, 2231)
 *         from text, HTML and attachments, streamed to a sink.
 *
 *  Shape of the output:
 *
 *      text only         text/plain
 *      text + HTML       multipart/alternative (text/plain, text/html)
 *      + attachments     multipart/mixed (the above, attachment 1, attachment 2, ...)
 *
 *  Every line ends with CRLF and is at most 998 octets (headers are folded at 78 columns, text
 *  is quoted-printable, attachments base64 with 76-character lines), so the output is safe for
 *  SMTP as it is (the transport still dot-stuffs). Attachments are read and encoded chunk by
 *  chunk when the message is written: a 100 MB file is never held in memory, and a buffer handed
 *  in is never copied.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/named_address.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mss::mime
{

/** @brief Receives the bytes of a message in order, a piece at a time. */
using byte_sink = std::function<void(std::string_view)>;

/** @brief Fills its argument with random bytes (for boundaries); the caller chooses the
 *         generator, e.g. a CSPRNG or, in tests, a seeded one. */
using random_source = std::function<void(std::span<unsigned char>)>;

/** @brief Collects the parts of a message and writes it.
 *
 *  Setters only record; `write()` checks and produces the bytes, and can be called several times.
 *  `add_header()` checks its input at once because it is the one place where caller text goes
 *  into a header untouched.
 *
 *  @par Object lifetimes
 *  Buffers given to `attach_view` and files given to `attach_file` are read by `write()`: they
 *  must stay alive (and unchanged) until it returns.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API message_builder
{
public:
    /** @brief Constructs an empty builder. */
    message_builder() = default;

    /** @brief Sets `From` (display name encoded as RFC 2047 words when it is not ASCII). */
    message_builder& from(domain::named_address address);

    /** @brief Adds a `To` recipient. */
    message_builder& to(domain::named_address address);

    /** @brief Adds a `Cc` recipient. */
    message_builder& cc(domain::named_address address);

    /** @brief Sets `Subject`, UTF-8 text (checked by `write()`: CR, LF or NUL are refused). */
    message_builder& subject(std::string utf8);

    /** @brief Sets `Date`: the instant, written in the zone `zone` east of UTC. */
    message_builder& date(std::chrono::sys_seconds time, std::chrono::minutes zone = std::chrono::minutes{0});

    /** @brief Sets `Message-ID`: `left@right`, with or without angle brackets (checked by
     *         `write()`: printable ASCII without space, `<` or `>` inside). */
    message_builder& message_id(std::string id);

    /** @brief Adds a header such as `X-MSS-NIL`, written after the standard ones.
     *
     *  @return success; `mime::errc::forbidden_character` when the value holds CR, LF or NUL
     *          (header injection); `mime::errc::bad_charset_data` when it is not UTF-8;
     *          `mss::errc::invalid_argument` when the name is not 1–76 printable ASCII characters
     *          without `:`, or names a header the builder writes itself (`From`, `To`, `Cc`,
     *          `Subject`, `Date`, `Message-ID`, `MIME-Version`, `Content-*`) or `Bcc` (blind
     *          recipients belong to the SMTP envelope, never to the message).
     */
    boost::system::error_code add_header(std::string_view name, std::string_view utf8_value);

    /** @brief Sets the text/plain body (UTF-8; LF or CRLF line ends, written as CRLF). */
    message_builder& text(std::string utf8);

    /** @brief Sets the text/html body (UTF-8). */
    message_builder& html(std::string utf8);

    /** @brief Attaches bytes the caller keeps alive until `write()` returns (not copied).
     *  @param file_name UTF-8 file name (RFC 2231 encoded when needed).
     *  @param content_type `type/subtype`, e.g. `application/pdf`.
     */
    message_builder& attach_view(std::string_view bytes, std::string file_name,
                                 std::string content_type = "application/octet-stream");

    /** @brief Attaches bytes the builder takes over (moved, not copied). */
    message_builder& attach_owned(std::string bytes, std::string file_name,
                                  std::string content_type = "application/octet-stream");

    /** @brief Attaches a file read chunk by chunk when the message is written. */
    message_builder& attach_file(std::filesystem::path path, std::string file_name,
                                 std::string content_type = "application/octet-stream");

    /** @brief Attaches a whole message (a forward) as a `message/rfc822` part, after the other
     *         attachments, its bytes unchanged (taken over, not copied).
     *
     *  The bytes must be a message with CRLF line ends, as read from IMAP; the part is declared
     *  `8bit` when they hold bytes over 0x7F (the transport then asks for 8BITMIME).
     */
    message_builder& attach_message(std::string rfc822);

    /** @brief Writes the message to `sink`, in pieces (headers, parts, attachment chunks of about
     *         64 KB).
     *
     *  @par Errors
     *  Nothing is written when the message is incomplete or invalid; a file that cannot be read
     *  fails in the middle (the sink then holds a truncated message).
     *  @return success; `mss::errc::invalid_argument` (no `From`, no `Date`, no random source,
     *          a bad Message-ID or content type); `mime::errc::forbidden_character` or
     *          `mime::errc::bad_charset_data` for the subject or bodies; `mss::errc::file_unreadable`
     *          (a file missing, unreadable, or changing size while read). `diag` says which.
     */
    boost::system::error_code write(const byte_sink& sink, const random_source& random,
                                    diagnostics& diag) const;

    /** @brief Appends the message to `out`, reserving the exact final size once, so that the
     *         bytes are never moved while attachments are encoded into place.
     *
     *  Errors as for the sink version; on failure `out` is restored to its previous size.
     */
    boost::system::error_code write(std::string& out, const random_source& random, diagnostics& diag) const;

private:
    struct attachment
    {
        std::string_view view;
        std::string owned;
        std::optional<std::filesystem::path> path;
        bool is_owned = false;
        std::string file_name;
        std::string content_type;
    };
    struct header
    {
        std::string name;
        std::string value;
    };
    struct plan;

    boost::system::error_code make_plan(plan& p, const random_source& random, diagnostics& diag) const;

    std::optional<domain::named_address> from_;
    std::vector<domain::named_address> to_;
    std::vector<domain::named_address> cc_;
    std::string subject_;
    std::optional<std::chrono::sys_seconds> date_;
    std::chrono::minutes zone_{0};
    std::string message_id_;
    std::vector<header> headers_;
    std::optional<std::string> text_;
    std::optional<std::string> html_;
    std::vector<attachment> attachments_;
    std::optional<std::string> attached_message_;
};

}  // namespace mss::mime
