// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::response`: one complete server response, typed.
 *
 *  The parser fills a `response` that the caller reuses from one call to the next; its vectors
 *  keep their storage, so that steady parsing allocates nothing. Every view points into the
 *  parser's buffer (see `response_parser`).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/imap/fetch_data.hpp>
#include <mss/imap/response_code.hpp>
#include <mss/imap/sequence_set.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace mss::imap {

/** @brief The three shapes of a server response. */
enum class response_kind : std::uint8_t
{
    /** @brief `tag OK|NO|BAD [code] text`: the end of a command. */
    tagged,
    /** @brief `* OK|NO|BAD|PREAUTH|BYE [code] text`. */
    untagged_status,
    /** @brief `+ text`: the server waits for the rest of a command. */
    continuation,
    /** @brief `* ...` carrying data (`EXISTS`, `FETCH`, `LIST`, ...); see `data_kind`. */
    data,
};

/** @brief The kinds of untagged data. */
enum class data_kind : std::uint8_t
{
    /** @brief Not a data response. */
    none,
    /** @brief `* CAPABILITY ...`: `atoms`. */
    capability,
    /** @brief `* ENABLED ...` (RFC 5161): `atoms`. */
    enabled,
    /** @brief `* n EXISTS`: `number`. */
    exists,
    /** @brief `* n RECENT`: `number`. */
    recent,
    /** @brief `* n EXPUNGE`: `number` (a sequence number). */
    expunge,
    /** @brief `* n FETCH (...)`: `fetch`. */
    fetch,
    /** @brief `* VANISHED [(EARLIER)] uids` (QRESYNC): `vanished`. */
    vanished,
    /** @brief `* FLAGS (...)`: `atoms`. */
    flags,
    /** @brief `* LIST (...) "/" name`: `list`. */
    list,
    /** @brief `* LSUB (...) "/" name`: `list`. */
    lsub,
    /** @brief `* STATUS name (...)`: `status`. */
    status,
    /** @brief `* SEARCH n...`: `search`. */
    search,
    /** @brief `* ESEARCH ...` (RFC 4731): `esearch`. */
    esearch,
    /** @brief Anything else (`NAMESPACE`, `ID`, `QUOTA`, ...): only `raw` and `name`. */
    other,
};

/** @brief Mailbox attributes of a LIST response, as bits (RFC 3501, 5258, 6154). */
enum class mailbox_attribute : std::uint32_t
{
    /** @brief `\Noselect`. */
    noselect = 1u << 0,
    /** @brief `\Noinferiors`. */
    noinferiors = 1u << 1,
    /** @brief `\Marked`. */
    marked = 1u << 2,
    /** @brief `\Unmarked`. */
    unmarked = 1u << 3,
    /** @brief `\HasChildren`. */
    has_children = 1u << 4,
    /** @brief `\HasNoChildren`. */
    has_no_children = 1u << 5,
    /** @brief `\NonExistent`. */
    nonexistent = 1u << 6,
    /** @brief `\Subscribed`. */
    subscribed = 1u << 7,
    /** @brief `\Remote`. */
    remote = 1u << 8,
    /** @brief Special use `\All`. */
    all = 1u << 9,
    /** @brief Special use `\Archive`. */
    archive = 1u << 10,
    /** @brief Special use `\Drafts`. */
    drafts = 1u << 11,
    /** @brief Special use `\Flagged`. */
    flagged = 1u << 12,
    /** @brief Special use `\Junk`. */
    junk = 1u << 13,
    /** @brief Special use `\Sent`. */
    sent = 1u << 14,
    /** @brief Special use `\Trash`. */
    trash = 1u << 15,
    /** @brief Special use `\Important` (RFC 8457). */
    important = 1u << 16,
};

/** @brief A LIST or LSUB response. */
struct list_data
{
    /** @brief The attributes as sent. */
    std::vector<std::string_view> attributes;
    /** @brief The known attributes, as a bitwise or of `mailbox_attribute`. */
    std::uint32_t attribute_bits = 0;
    /** @brief Hierarchy delimiter; 0 for NIL (flat namespace). */
    char delimiter = 0;
    /** @brief The name in UTF-8: decoded from modified UTF-7, or as sent once UTF8=ACCEPT is on. */
    std::string_view name;
    /** @brief The name exactly as sent (use it in commands when in doubt). */
    std::string_view raw_name;
    /** @brief False when the name was not valid modified UTF-7 (`name` is then the raw name). */
    bool name_decoded = true;

    /** @brief True when `attr` is among the attributes. */
    [[nodiscard]] bool has(mailbox_attribute attr) const noexcept
    {
        return (attribute_bits & static_cast<std::uint32_t>(attr)) != 0;
    }
};

/** @brief Items of a STATUS response, as bits of `mailbox_status::present`. */
enum class status_item : std::uint32_t
{
    /** @brief `MESSAGES`. */
    messages = 1u << 0,
    /** @brief `RECENT`. */
    recent = 1u << 1,
    /** @brief `UIDNEXT`. */
    uidnext = 1u << 2,
    /** @brief `UIDVALIDITY`. */
    uidvalidity = 1u << 3,
    /** @brief `UNSEEN`. */
    unseen = 1u << 4,
    /** @brief `HIGHESTMODSEQ`. */
    highestmodseq = 1u << 5,
    /** @brief `SIZE` (RFC 8438). */
    size = 1u << 6,
};

/** @brief A STATUS response. */
struct mailbox_status
{
    /** @brief The mailbox name (decoded as `list_data::name`). */
    std::string_view name;
    /** @brief Which items were sent (bits of `status_item`). */
    std::uint32_t present = 0;
    /** @brief `MESSAGES`. */
    std::uint32_t messages = 0;
    /** @brief `RECENT`. */
    std::uint32_t recent = 0;
    /** @brief `UIDNEXT`. */
    std::uint32_t uidnext = 0;
    /** @brief `UIDVALIDITY`. */
    std::uint32_t uidvalidity = 0;
    /** @brief `UNSEEN`. */
    std::uint32_t unseen = 0;
    /** @brief `HIGHESTMODSEQ`. */
    std::uint64_t highestmodseq = 0;
    /** @brief `SIZE`. */
    std::uint64_t size = 0;

    /** @brief True when `item` was sent. */
    [[nodiscard]] bool has(status_item item) const noexcept
    {
        return (present & static_cast<std::uint32_t>(item)) != 0;
    }
};

/** @brief A SEARCH response (numbers or UIDs, depending on the command). */
struct search_data
{
    /** @brief The matching numbers, in the order sent. */
    std::vector<std::uint32_t> numbers;
    /** @brief The `(MODSEQ n)` of a CONDSTORE search; 0 when absent. */
    std::uint64_t modseq = 0;
};

/** @brief An ESEARCH response (RFC 4731). Absent items are 0 / empty. */
struct esearch_data
{
    /** @brief The `(TAG "...")` correlator. */
    std::string_view tag;
    /** @brief True when the results are UIDs. */
    bool uid = false;
    /** @brief `MIN`. */
    std::uint32_t min = 0;
    /** @brief `MAX`. */
    std::uint32_t max = 0;
    /** @brief `COUNT`. */
    std::uint32_t count = 0;
    /** @brief True when `COUNT` was sent (a count of 0 is meaningful). */
    bool has_count = false;
    /** @brief `ALL` as a sequence-set text (parse with `sequence_set::parse`). */
    std::string_view all;
    /** @brief `MODSEQ`. */
    std::uint64_t modseq = 0;
};

/** @brief A VANISHED response (QRESYNC, RFC 7162). */
struct vanished_data
{
    /** @brief True for `VANISHED (EARLIER)`: an answer to a FETCH/SELECT, not a new expunge. */
    bool earlier = false;
    /** @brief The expunged UIDs. */
    sequence_set uids;
};

/** @brief One complete, typed server response.
 *
 *  Look at `kind` first, then at the members it names: `tag` and `status` for tagged responses,
 *  `status` for untagged status and continuations (`status.text` holds the continuation text),
 *  `data` and its member for data responses.
 *
 *  @par Object lifetimes
 *  Every view (`raw`, `tag`, strings inside) points into the `response_parser`'s buffer and stays
 *  valid until the parser's next `feed()`, `next()` or `reset()`.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
struct MSS_API response
{
    /** @brief Tagged, untagged status, continuation or data. */
    response_kind kind = response_kind::data;
    /** @brief For `data`: what it is. */
    data_kind data = data_kind::none;
    /** @brief The whole response text without the final CRLF (streamed literals left out). May
     *         contain personal data: do not log by default. */
    std::string_view raw;
    /** @brief The tag of a tagged response. */
    std::string_view tag;
    /** @brief The keyword of a data response as sent (`FETCH`, `NAMESPACE`, ...). */
    std::string_view name;
    /** @brief For tagged, untagged status and continuation responses. */
    status_response status;
    /** @brief `EXISTS`, `RECENT`, `EXPUNGE` value; FETCH sequence number. */
    std::uint32_t number = 0;
    /** @brief `CAPABILITY` / `ENABLED` atoms, `FLAGS` flags. */
    std::vector<std::string_view> atoms;
    /** @brief `LIST` / `LSUB`. */
    list_data list;
    /** @brief `STATUS`. */
    mailbox_status status_data;
    /** @brief `SEARCH`. */
    search_data search;
    /** @brief `ESEARCH`. */
    esearch_data esearch;
    /** @brief `VANISHED`. */
    vanished_data vanished;
    /** @brief `FETCH`. */
    fetch_data fetch;

    /** @brief True for `* BYE`. */
    [[nodiscard]] bool is_bye() const noexcept
    {
        return kind == response_kind::untagged_status && status.condition == status_condition::bye;
    }

    /** @brief Forgets the content, keeping the storage of every vector. */
    void clear() noexcept;
};

}  // namespace mss::imap
