// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::login_fsm`: from the TCP connection to an authenticated IMAP session.
 *
 *  Theory of operation. The FSM reads the greeting, learns the capabilities, upgrades the
 *  connection with STARTTLS (mandatory for MSSanté on port 143: a server that does not offer it
 *  is refused before any credential is sent), learns the capabilities again over TLS (those
 *  received in clear text are discarded, RFC 3501 §6.2.1), authenticates, and learns the
 *  capabilities of the authenticated state. Authentication uses, in order:
 *  - `AUTHENTICATE XOAUTH2` when a token is given (Pro Santé Connect); no fallback to a password;
 *  - `AUTHENTICATE PLAIN` when a password is given and the server offers `AUTH=PLAIN`;
 *  - `LOGIN` as a fallback, never when the server announces `LOGINDISABLED`.
 *  The initial response goes on the AUTHENTICATE line when the server offers SASL-IR.
 *
 *  Two attacks on STARTTLS are blocked: a server (or a man in the middle) that does not offer it
 *  gets `mss::errc::starttls_not_offered`, and bytes that arrive together with the tagged `OK` of
 *  STARTTLS — they would be read as if protected by TLS (CVE-2011-0411 class) — give
 *  `mss::errc::starttls_injection`. A `PREAUTH` greeting in STARTTLS mode is refused too, since
 *  STARTTLS is impossible in the authenticated state.
 *
 *  | state          | on                                  | next                                   |
 *  |----------------|-------------------------------------|----------------------------------------|
 *  | greeting       | `* OK [CAPABILITY ...]`             | starttls / authenticate                |
 *  | greeting       | `* OK` without capabilities         | capability                             |
 *  | greeting       | `* PREAUTH` (implicit TLS)          | capabilities_after_auth                |
 *  | greeting       | `* PREAUTH` (STARTTLS mode)         | done(starttls_not_offered)             |
 *  | greeting       | `* BYE`                             | done(imap::errc::bye)                  |
 *  | capability     | tagged OK                           | starttls / authenticate                |
 *  | starttls       | no STARTTLS capability              | done(starttls_not_offered)             |
 *  | starttls       | tagged OK, nothing buffered         | tls_handshake (action start_tls)       |
 *  | starttls       | tagged OK, more bytes buffered      | done(starttls_injection)               |
 *  | tls_handshake  | handshake done                      | capability (again, over TLS)           |
 *  | authenticate   | no usable mechanism                 | done(imap::errc::capability_missing)   |
 *  | authenticate   | tagged OK `[CAPABILITY ...]`        | done                                   |
 *  | authenticate   | tagged OK                           | capabilities_after_auth                |
 *  | authenticate   | tagged NO                           | done(imap::errc::auth_failed)          |
 *  | any            | I/O error                           | done(that error)                       |
 *  | any            | `* BYE`, unknown tag, parse error   | done(bye / unknown_tag / parse error)  |
 *
 *  The FSM is driven as every `mss::sansio` machine: `resume({}, {})` first, then after each
 *  action `resume(ec, bytes_read)` (bytes only after a `read`).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/imap/session_state.hpp>
#include <mss/sansio/action.hpp>

#include <boost/system/error_code.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

namespace mss::imap {

/** @brief How the connection is protected. */
enum class tls_mode : std::uint8_t
{
    /** @brief Clear-text connection upgraded with STARTTLS, which is then mandatory (port 143). */
    starttls,
    /** @brief The I/O layer already runs TLS (port 993); no STARTTLS. */
    implicit,
    /** @brief No TLS at all. For tests against local servers only; never for MSSanté. */
    insecure_plaintext,
};

/** @brief Arguments of `login_fsm`.
 *
 *  @par Object lifetimes
 *  The strings are not copied: they must stay valid until the FSM is done.
 */
struct login_params
{
    /** @brief Connection protection. */
    tls_mode tls = tls_mode::starttls;
    /** @brief The account name (the MSSanté address). */
    std::string_view user;
    /** @brief A password (PLAIN or LOGIN); ignored when `oauth_token` is set. */
    std::string_view password;
    /** @brief An OAuth 2.0 access token for XOAUTH2 (Pro Santé Connect). */
    std::string_view oauth_token;
    /** @brief Allow the LOGIN command when AUTH=PLAIN is not offered. */
    bool allow_login_command = true;
};

/** @brief Connects an IMAP session: greeting, STARTTLS, capabilities, authentication.
 *
 *  @par Errors
 *  The I/O errors passed to `resume`; `mss::errc::starttls_not_offered`,
 *  `mss::errc::starttls_injection`; `imap::errc::auth_failed` (server code such as
 *  `AUTHENTICATIONFAILED` and text in `diagnostics`), `imap::errc::capability_missing` (no usable
 *  mechanism, LOGINDISABLED), `imap::errc::bye`, `imap::errc::unknown_tag`,
 *  `imap::errc::command_no` / `command_bad` (CAPABILITY or STARTTLS refused); parse errors of
 *  `response_parser`.
 *
 *  @par Object lifetimes
 *  `state`, `diag` and the strings of `params` must outlive the FSM. The bytes of a `write`
 *  action stay valid until the next `resume()`.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API login_fsm
{
public:
    /** @brief Prepares a login on `state` (fresh connection: nothing read yet). */
    login_fsm(session_state& state, const login_params& params, diagnostics& diag);
    /** @brief Destroys the FSM. */
    ~login_fsm();
    login_fsm(const login_fsm&) = delete;
    login_fsm& operator=(const login_fsm&) = delete;

    /** @brief Advances with the outcome of the last action; returns the next one. */
    sansio::action resume(boost::system::error_code io_ec, std::string_view received);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace mss::imap
