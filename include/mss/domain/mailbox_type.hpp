// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::mailbox_type`: the MSSanté mailbox types (code system TRE_R257-TypeBAL).
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/result.hpp>

#include <string_view>

namespace mss::domain {

/** @brief Type of an MSSanté mailbox (BAL). It never changes after the mailbox is created. */
enum class mailbox_type
{
    /** @brief Personal mailbox of one professional with an RPPS number. */
    per,
    /** @brief Organisational mailbox of a service or team; a legal entity is responsible. */
    org,
    /** @brief Applicative mailbox of a piece of software. */
    app,
    /** @brief Mailbox of a private practice. */
    cab,
};

/** @brief Parses a TRE_R257 code (`PER`, `ORG`, `APP`, `CAB`, any case).
 *  @par Errors
 *  `errc::mailbox_unknown_type` for anything else: an unknown type is an error, never a default.
 */
MSS_API boost::system::result<mailbox_type> parse_mailbox_type(std::string_view code);

/** @brief Parses the account labels of the Medimail operator (`Per`, `Org`, `Med`, any case).
 *  `Med` is read as a physician's personal box (`per`): an inference no public source confirms.
 *  Other labels are tried as TRE_R257 codes.
 */
MSS_API boost::system::result<mailbox_type> parse_medimail_label(std::string_view label);

/** @brief The TRE_R257 code: `"PER"`, `"ORG"`, `"APP"` or `"CAB"`. */
MSS_API std::string_view to_code(mailbox_type type) noexcept;

}  // namespace mss::domain
