// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief SMTP command serialisers: each appends one command line (CRLF included) to a buffer.
 *
 *  Every argument is checked before anything is written; a refused argument leaves the buffer
 *  exactly as it was. The rules:
 *  - CR, LF and NUL are refused in every argument (command injection: a CRLF inside an argument
 *    would start a second command of the caller's choosing), even where base64 would hide them;
 *  - addresses must be accepted by `mss::domain::email_address::parse` and are written in its
 *    canonical form (IDN domains as A-labels);
 *  - DSN values are encoded as xtext (RFC 3461 §4).
 *
 *  Credentials are base64 but not encrypted. The AUTH serialisers return a `secret_range`: where
 *  the credential bytes are in the buffer, so that a protocol trace can print `AUTH PLAIN ****`
 *  instead of a replayable password (MailKit's secret detectors do the same after the fact).
 *
 *  @par Thread safety
 *  The functions are reentrant; the buffer must not be shared.
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mss::smtp {

/** @brief Bytes of a buffer that hold a credential and must be redacted from any trace.
 *
 *  `offset` counts from the start of the buffer (not from the start of the command), so ranges
 *  collected while several commands are appended to one buffer stay valid for that buffer.
 */
struct secret_range
{
    /** @brief Index of the first secret byte in the buffer. */
    std::size_t offset = 0;
    /** @brief Number of secret bytes (the base64 text, without CRLF). */
    std::size_t length = 0;

    /** @brief Equal when offset and length are equal. */
    friend bool operator==(const secret_range&, const secret_range&) = default;
};

/** @brief The `BODY=` parameter of MAIL FROM (RFC 6152). */
enum class body_type
{
    /** @brief No BODY parameter (7-bit content). */
    unspecified,
    /** @brief `BODY=7BIT`. */
    seven_bit,
    /** @brief `BODY=8BITMIME`: the content has bytes above 127 (needs 8BITMIME). */
    eight_bit_mime,
};

/** @brief The `RET=` parameter of MAIL FROM (RFC 3461 §4.3): how much of the message a delivery
 *         status notification returns.
 */
enum class dsn_return
{
    /** @brief No RET parameter: the server decides. */
    unspecified,
    /** @brief `RET=FULL`: the whole message. */
    full,
    /** @brief `RET=HDRS`: the headers only. */
    headers,
};

/** @brief The `NOTIFY=` parameter of RCPT TO (RFC 3461 §4.1), a set of flags.
 *
 *  `never` cannot be combined with the others; `none` (the empty set) writes no parameter.
 */
enum class dsn_notify : unsigned
{
    /** @brief No NOTIFY parameter: the server's default (failures only). */
    none = 0,
    /** @brief Report successful delivery. */
    success = 1,
    /** @brief Report failed delivery. */
    failure = 2,
    /** @brief Report delayed delivery. */
    delay = 4,
    /** @brief Never report. */
    never = 8,
};

/** @brief Union of two NOTIFY sets. */
constexpr dsn_notify operator|(dsn_notify a, dsn_notify b) noexcept
{
    return static_cast<dsn_notify>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}

/** @brief Tells whether `set` contains every flag of `flags`. */
constexpr bool contains(dsn_notify set, dsn_notify flags) noexcept
{
    return (static_cast<unsigned>(set) & static_cast<unsigned>(flags)) == static_cast<unsigned>(flags);
}

/** @brief Parameters of MAIL FROM. Only set what the server announced (see `capabilities`). */
struct mail_parameters
{
    /** @brief `SIZE=` (RFC 1870): the message size in bytes, when known. */
    std::optional<std::uint64_t> size;
    /** @brief `BODY=` (RFC 6152). */
    body_type body = body_type::unspecified;
    /** @brief `SMTPUTF8` (RFC 6531): needed when an address or a header is in UTF-8. */
    bool smtputf8 = false;
    /** @brief `RET=` (RFC 3461). */
    dsn_return ret = dsn_return::unspecified;
    /** @brief `ENVID=` (RFC 3461): up to 100 printable ASCII characters; empty for none. */
    std::string_view envid;
};

/** @brief Parameters of RCPT TO (RFC 3461). Only set them when the server announced DSN. */
struct rcpt_parameters
{
    /** @brief `NOTIFY=`. */
    dsn_notify notify = dsn_notify::none;
    /** @brief `ORCPT=rfc822;<address>`: the recipient as the user first wrote it; empty for none.
     *         Must be an ASCII address.
     */
    std::string_view original_recipient;
};

/** @brief Appends `EHLO <domain>`.
 *
 *  `domain` is the client's host name or an address literal such as `[192.0.2.1]`.
 *
 *  @par Errors
 *  `mss::errc::invalid_argument` when `domain` is empty, longer than 255 bytes, or holds a byte
 *  outside printable ASCII (a space, CR, LF, NUL, UTF-8).
 */
MSS_API boost::system::error_code write_ehlo(std::string& out, std::string_view domain);

/** @brief Appends `STARTTLS`. */
MSS_API void write_starttls(std::string& out);

/** @brief Appends `AUTH PLAIN <base64("\0" user "\0" password)>` (RFC 4616, with the initial
 *         response of RFC 4954).
 *
 *  @return where the base64 credential is in `out`.
 *  @par Errors
 *  `mss::errc::invalid_argument` when `user` or `password` is empty or holds CR, LF or NUL.
 */
MSS_API boost::system::result<secret_range> write_auth_plain(std::string& out, std::string_view user,
    std::string_view password);

/** @brief Appends `AUTH LOGIN`. The server answers `334`; send the user name with
 *         `write_sasl_response`, then, after the second `334`, the password the same way.
 */
MSS_API void write_auth_login(std::string& out);

/** @brief Appends one SASL response line: the base64 form of `data` (an empty `data` gives an
 *         empty line, the answer XOAUTH2 expects to its error challenge).
 *
 *  @return where the base64 text is in `out` (length 0 for an empty response).
 *  @par Errors
 *  `mss::errc::invalid_argument` when `data` holds CR, LF or NUL.
 */
MSS_API boost::system::result<secret_range> write_sasl_response(std::string& out, std::string_view data);

/** @brief Appends `AUTH XOAUTH2 <base64("user=" user "\x01auth=Bearer " token "\x01\x01")>`.
 *
 *  On success the server answers 235. On failure it answers `334 <base64 JSON error>`: the
 *  client must then send an empty response (`write_sasl_response(out, "")`) and the server ends
 *  with a 5yz reply.
 *
 *  @return where the base64 credential is in `out`.
 *  @par Errors
 *  `mss::errc::invalid_argument` when `user` or `token` is empty or holds a control character
 *  (CR, LF, NUL, and the `\x01` separator of the format), or `token` holds a space.
 */
MSS_API boost::system::result<secret_range> write_auth_xoauth2(std::string& out, std::string_view user,
    std::string_view token);

/** @brief Appends `AUTH EXTERNAL =` (RFC 4422 appendix A): the identity comes from the TLS client
 *         certificate. A non-empty `authzid` asks to act as that identity (base64-encoded).
 *
 *  @par Errors
 *  `mss::errc::invalid_argument` when `authzid` holds CR, LF or NUL.
 */
MSS_API boost::system::error_code write_auth_external(std::string& out, std::string_view authzid = {});

/** @brief Appends `MAIL FROM:<sender>` and its parameters.
 *
 *  An empty `sender` writes the null reverse-path `<>` (for notifications that must not bounce).
 *
 *  @par Errors
 *  - `mss::errc::invalid_argument`: `sender` refused by `email_address::parse`; `envid` longer
 *    than 100 bytes or holding a byte outside printable ASCII.
 *  - `mss::smtp::errc::smtputf8_required`: `sender` has a UTF-8 local part and
 *    `params.smtputf8` is false.
 */
MSS_API boost::system::error_code write_mail_from(std::string& out, std::string_view sender,
    const mail_parameters& params = {});

/** @brief Appends `RCPT TO:<recipient>` and its parameters.
 *
 *  The caller must have sent `SMTPUTF8` in MAIL FROM when `recipient` has a UTF-8 local part.
 *
 *  @par Errors
 *  `mss::errc::invalid_argument`: `recipient` or `params.original_recipient` refused by
 *  `email_address::parse`; a non-ASCII `original_recipient`; `never` combined with other
 *  NOTIFY flags or an undefined flag.
 */
MSS_API boost::system::error_code write_rcpt_to(std::string& out, std::string_view recipient,
    const rcpt_parameters& params = {});

/** @brief Appends `DATA`. */
MSS_API void write_data(std::string& out);

/** @brief Appends `RSET`. */
MSS_API void write_rset(std::string& out);

/** @brief Appends `NOOP`. */
MSS_API void write_noop(std::string& out);

/** @brief Appends `QUIT`. */
MSS_API void write_quit(std::string& out);

}  // namespace mss::smtp
