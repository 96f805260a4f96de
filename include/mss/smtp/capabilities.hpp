// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::smtp::capabilities`: the service extensions a server announces in its EHLO reply.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/smtp/reply.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mss::smtp {

/** @brief What the server offers, read from a `250` EHLO reply (RFC 5321 §4.1.1.1).
 *
 *  The first line names the server; every other line is `keyword [parameters]`, keywords being
 *  case-insensitive. Capabilities must be read again after STARTTLS: what a server announced in
 *  clear text could have been written by an attacker (RFC 3207 §4.2), so the session discards it.
 *
 *  Keywords recognised: PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8
 *  (RFC 6531), DSN (RFC 3461), ENHANCEDSTATUSCODES (RFC 2034), STARTTLS (RFC 3207), AUTH
 *  (RFC 4954, and the pre-standard `AUTH=` form some servers still send), CHUNKING and BINARYMIME
 *  (RFC 3030). Every other line is kept, as received, in `other`.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for `const` use.
 */
struct MSS_API capabilities
{
    /** @brief The server's name: the first word of the reply's first line. */
    std::string server_name;
    /** @brief PIPELINING: commands may be sent in groups. */
    bool pipelining = false;
    /** @brief SIZE was announced. */
    bool size_declared = false;
    /** @brief The SIZE value in bytes; 0 when SIZE was announced without a limit (or not at all). */
    std::uint64_t max_size = 0;
    /** @brief 8BITMIME: 8-bit message bodies are accepted with `BODY=8BITMIME`. */
    bool eight_bit_mime = false;
    /** @brief SMTPUTF8: UTF-8 addresses and headers are accepted. */
    bool smtputf8 = false;
    /** @brief DSN: `NOTIFY`, `ORCPT`, `RET` and `ENVID` parameters are accepted. */
    bool dsn = false;
    /** @brief ENHANCEDSTATUSCODES: replies carry `class.subject.detail` codes. */
    bool enhanced_status_codes = false;
    /** @brief STARTTLS is offered. */
    bool starttls = false;
    /** @brief CHUNKING: the BDAT command is accepted. */
    bool chunking = false;
    /** @brief BINARYMIME: binary bodies are accepted with BDAT. */
    bool binary_mime = false;
    /** @brief SASL mechanisms (upper case, no duplicates, in the server's order); empty when
     *         AUTH is not offered.
     */
    std::vector<std::string> auth_mechanisms;
    /** @brief Lines with other keywords (ETRN, VRFY, XCLIENT, ...), exactly as received. */
    std::vector<std::string> other;

    /** @brief Reads the capabilities from an EHLO reply.
     *
     *  Only the text is read; the caller checks that the reply is positive. Parameters that do
     *  not parse (a SIZE that is not a number) leave the extension announced with no value.
     */
    [[nodiscard]] static capabilities from_ehlo(const reply& ehlo_reply);

    /** @brief Tells whether `mechanism` (compared case-insensitively) is among `auth_mechanisms`. */
    [[nodiscard]] bool offers_auth(std::string_view mechanism) const noexcept;

    /** @brief Tells whether a message of `size` bytes fits the SIZE limit (always true when
     *         no limit was announced).
     */
    [[nodiscard]] bool accepts_size(std::uint64_t size) const noexcept
    {
        return !size_declared || max_size == 0 || size <= max_size;
    }
};

}  // namespace mss::smtp
