// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::smtp::errc`, the SMTP reply category, and the transient/permanent classifier.
 *
 *  SMTP submission fails in two ways, kept in two categories (after Boost.MySQL, which keeps its
 *  own client errors apart from the server's error numbers):
 *  - `mss.smtp` (`mss::smtp::errc`): conditions the library names itself, because a bare reply
 *    code would not say enough (every recipient refused, authentication refused, the message
 *    cannot be sent with the extensions the server offers);
 *  - `mss.smtp.reply`: any other negative reply (4yz or 5yz) where success was needed. The
 *    error value *is* the three-digit reply code (`ec.value() == 550`); the enhanced status code
 *    (`5.1.1`) and the server's text go to `mss::diagnostics` (text as `server_message()`).
 *
 *  Malformed replies, exceeded limits and out-of-place codes use the library-wide `mss::errc`
 *  (`malformed_response`, `limit_exceeded`, `unexpected_response`, `starttls_not_offered`,
 *  `starttls_injection`), which `mss::is_fatal()` classifies.
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace mss::smtp {

/** @brief SMTP failures the library names itself. None of them leaves the connection unusable. */
enum class errc : int
{
    /** @brief Every envelope recipient was refused; nothing was sent.
     *
     *  The per-recipient codes are in the send state machine's result (a refusal may be transient,
     *  such as `452 4.5.3`, or permanent, such as `550 5.1.1`).
     */
    all_recipients_refused = 1,
    /** @brief The server refused the credentials (`535 5.7.8`) or another permanent AUTH failure. */
    auth_failed,
    /** @brief The server does not offer the SASL mechanism that was asked for (or that the
     *         credentials allow), or refused it as unsupported or too weak (504, 534).
     */
    auth_mechanism_unavailable,
    /** @brief The message is larger than the server's SIZE limit (checked before sending, or the
     *         server's 552 reply).
     */
    message_too_large,
    /** @brief An address or the message needs SMTPUTF8 (RFC 6531) and the server lacks it. */
    smtputf8_required,
    /** @brief The message needs 8BITMIME (RFC 6152) and the server lacks it. */
    eight_bit_not_supported,
};

/** @brief The category of `mss::smtp::errc`; its name is `"mss.smtp"`. */
MSS_API const boost::system::error_category& smtp_category() noexcept;

/** @brief Makes an `error_code` from an SMTP `errc` (found by argument-dependent lookup). */
MSS_API boost::system::error_code make_error_code(errc e) noexcept;

/** @brief The category of negative replies; its name is `"mss.smtp.reply"`.
 *
 *  The value of an error of this category is the reply code (400–599); its message is the
 *  meaning RFC 5321 gives to that code (e.g. 550 "requested action not taken: mailbox
 *  unavailable"), never the server's text.
 */
MSS_API const boost::system::error_category& reply_category() noexcept;

/** @brief Makes the error for a negative reply `code` (expected in 400–599).
 *
 *  @par Errors
 *  Codes outside 400–599 are a caller bug; they still give an error of the reply category.
 */
MSS_API boost::system::error_code make_reply_error_code(int code) noexcept;

/** @brief Tells whether retrying the same operation later may succeed: a 4yz reply (421, 450,
 *         451, 452, 454, ...). Everything else, success included, is not transient.
 *
 *  A 421 also means the server is closing the connection: open a new one before retrying.
 */
MSS_API bool is_transient(const boost::system::error_code& ec) noexcept;

/** @brief Tells whether the server gave a permanent answer: a 5yz reply, or one of the
 *         `mss::smtp::errc` conditions (retrying the same submission unchanged will fail again).
 *
 *  `errc::all_recipients_refused` is neither transient nor permanent as a whole: each
 *  recipient's reply code (in the send state machine's result) says which refusals may be
 *  retried.
 *
 *  Network, TLS, time-out and protocol errors are neither transient nor permanent in this sense:
 *  use `mss::is_fatal()` for them.
 */
MSS_API bool is_permanent(const boost::system::error_code& ec) noexcept;

}  // namespace mss::smtp

namespace boost::system {
template <>
struct is_error_code_enum<mss::smtp::errc> : std::true_type
{
};
}  // namespace boost::system
