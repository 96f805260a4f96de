// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::address` and `mss::imap::envelope`: the FETCH `ENVELOPE` item.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/imap/index_range.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace mss::imap {

/** @brief What an entry of an address list stands for (RFC 3501 §7.4.2, group syntax). */
enum class address_kind : std::uint8_t
{
    /** @brief An ordinary mailbox: `name <mailbox@host>`. */
    mailbox,
    /** @brief The start of a group (`host` NIL); `mailbox` holds the group's name. */
    group_start,
    /** @brief The end of a group (`mailbox` and `host` NIL). */
    group_end,
};

/** @brief One entry of an address list, as sent.
 *
 *  `name` may hold RFC 2047 encoded words (`=?UTF-8?Q?...?=`): it is kept raw, and
 *  `decode_display_name()` decodes it on demand. NIL fields are empty.
 *
 *  @par Object lifetimes
 *  The views point into the `response_parser`'s buffer, valid until its next `feed()`, `next()`
 *  or `reset()`.
 */
struct address
{
    /** @brief Display name (raw, possibly encoded words). */
    std::string_view name;
    /** @brief Source route (obsolete; almost always empty). */
    std::string_view adl;
    /** @brief Local part, or the group name for `group_start`. */
    std::string_view mailbox;
    /** @brief Domain. */
    std::string_view host;
    /** @brief Mailbox, group start or group end. */
    address_kind kind = address_kind::mailbox;
};

/** @brief The `ENVELOPE` of a message: its main header fields, parsed by the server.
 *
 *  Address lists are `index_range`s into `fetch_data::addresses`: `fetch.addresses_of(env.from)`.
 *  `date` is the raw RFC 5322 `Date:` value; `subject` is raw (RFC 2047 encoded words are kept;
 *  `decode_subject()` decodes them on demand, so that a sync that only stores raw values pays
 *  nothing for it).
 *
 *  @par Object lifetimes
 *  As `address`.
 */
struct envelope
{
    /** @brief `Date:` as sent (RFC 5322 syntax, often not quite). */
    std::string_view date;
    /** @brief `Subject:` (raw, possibly encoded words). */
    std::string_view subject;
    /** @brief `From:`. */
    index_range from;
    /** @brief `Sender:` (servers copy `From:` when absent). */
    index_range sender;
    /** @brief `Reply-To:` (servers copy `From:` when absent). */
    index_range reply_to;
    /** @brief `To:`. */
    index_range to;
    /** @brief `Cc:`. */
    index_range cc;
    /** @brief `Bcc:`. */
    index_range bcc;
    /** @brief `In-Reply-To:`. */
    std::string_view in_reply_to;
    /** @brief `Message-ID:`. */
    std::string_view message_id;
};

/** @brief The subject in UTF-8: RFC 2047 encoded words decoded, unfolded, never failing (broken
 *         words are kept as they are; see `mss::mime::decode_header_text`).
 *  @par Thread safety
 *  Reentrant.
 */
MSS_API std::string decode_subject(const envelope& env);

/** @brief The display name of `a` in UTF-8, decoded as `decode_subject()`; empty when none.
 *  @par Thread safety
 *  Reentrant.
 */
MSS_API std::string decode_display_name(const address& a);

}  // namespace mss::imap
