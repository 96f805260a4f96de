// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::errc`: failures specific to IMAP4rev1 (server refusals, session events).
 *
 *  Grammar violations and exceeded limits use the library-wide codes
 *  (`mss::errc::malformed_response`, `mss::errc::limit_exceeded`); this category holds what only
 *  an IMAP server can say or do.
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace mss::imap {

/** @brief IMAP errors. See `mss::imap::is_fatal()` for which ones end the connection. */
enum class errc : int
{
    /** @brief The server refused a command with a tagged `NO`; the response code and text are in
     *         `diagnostics` (e.g. `TRYCREATE`, `OVERQUOTA`). Not fatal. */
    command_no = 1,
    /** @brief The server rejected a command with a tagged `BAD` (syntax, wrong state). Not fatal. */
    command_bad,
    /** @brief The server sent `BYE` and is closing the connection. Fatal. */
    bye,
    /** @brief A tagged response carried a tag no command of ours used. Fatal: the client and the
     *         server no longer agree on the conversation. */
    unknown_tag,
    /** @brief A literal announced a size above `response_parser_options::max_literal_size`. Fatal. */
    literal_too_large,
    /** @brief The server lacks a capability the operation needs (STARTTLS is reported with
     *         `mss::errc::starttls_not_offered`; this one is for IDLE, CONDSTORE, QRESYNC, a SASL
     *         mechanism, ...). Not fatal. */
    capability_missing,
    /** @brief The mailbox's UIDVALIDITY differs from the one the caller knew: every cached UID is
     *         void and the folder must be synchronised again from scratch. Not fatal. */
    uidvalidity_changed,
    /** @brief Authentication was refused (wrong password, expired token, `AUTHENTICATIONFAILED`).
     *         Not fatal for the connection, but the session stays unauthenticated. */
    auth_failed,
};

/** @brief The category of `mss::imap::errc`; its name is `"mss.imap"`. */
MSS_API const boost::system::error_category& imap_category() noexcept;

/** @brief Makes an `error_code` from an IMAP `errc` (found by argument-dependent lookup). */
MSS_API boost::system::error_code make_error_code(errc e) noexcept;

/** @brief Tells whether an error leaves an IMAP connection unusable.
 *
 *  IMAP codes: `bye`, `unknown_tag` and `literal_too_large` are fatal, the others are not. Every
 *  other code is classified by `mss::is_fatal()`.
 */
MSS_API bool is_fatal(const boost::system::error_code& ec) noexcept;

}  // namespace mss::imap

namespace boost::system {
template <>
struct is_error_code_enum<mss::imap::errc> : std::true_type
{
};
}  // namespace boost::system
