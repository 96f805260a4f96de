// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::fetch_data`: the typed items of an untagged `* n FETCH (...)` response.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/imap/body_structure.hpp>
#include <mss/imap/date_time.hpp>
#include <mss/imap/envelope.hpp>
#include <mss/imap/index_range.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mss::imap {

/** @brief The items a FETCH response can carry, as bits of `fetch_data::present`. */
enum class fetch_item : std::uint32_t
{
    /** @brief `UID`. */
    uid = 1u << 0,
    /** @brief `FLAGS`. */
    flags = 1u << 1,
    /** @brief `INTERNALDATE`. */
    internal_date = 1u << 2,
    /** @brief `RFC822.SIZE`. */
    rfc822_size = 1u << 3,
    /** @brief `MODSEQ` (CONDSTORE). */
    modseq = 1u << 4,
    /** @brief `ENVELOPE`. */
    envelope = 1u << 5,
    /** @brief `BODYSTRUCTURE` or `BODY` (without section). */
    body_structure = 1u << 6,
    /** @brief At least one `BODY[...]`, `BINARY[...]` or `RFC822*` content item. */
    sections = 1u << 7,
    /** @brief At least one `BINARY.SIZE[...]` item. */
    binary_size = 1u << 8,
};

/** @brief The content of one `BODY[section]<origin>` or `BINARY[section]<origin>` item.
 *
 *  `RFC822`, `RFC822.HEADER` and `RFC822.TEXT` are reported as the sections `""`, `"HEADER"` and
 *  `"TEXT"`. When the literal was at or above the parser's streaming threshold and a
 *  `literal_sink` was installed, `streamed` is true, `data` is empty and the bytes went to the
 *  sink.
 *
 *  @par Object lifetimes
 *  `section` and `data` point into the `response_parser`'s buffer, valid until its next
 *  `feed()`, `next()` or `reset()`.
 */
struct body_section
{
    /** @brief True for `BINARY[...]` (content already decoded from its transfer encoding). */
    bool binary = false;
    /** @brief The section specification between the brackets (`1.2`, `HEADER.FIELDS (TO)`, ``). */
    std::string_view section;
    /** @brief True when the response carried `<origin>` (a partial fetch). */
    bool partial = false;
    /** @brief The `<origin>` octet offset of a partial fetch. */
    std::uint64_t origin = 0;
    /** @brief The content (empty for NIL or when streamed). */
    std::string_view data;
    /** @brief True when the server sent NIL. */
    bool nil = false;
    /** @brief True when the content went to the `literal_sink` instead of `data`. */
    bool streamed = false;
    /** @brief Size of the content in octets (also for streamed content). */
    std::uint64_t size = 0;
};

/** @brief A `BINARY.SIZE[section]` item. */
struct binary_size
{
    /** @brief The section specification. */
    std::string_view section;
    /** @brief Decoded size in octets. */
    std::uint64_t size = 0;
};

/** @brief The decoded items of one FETCH response.
 *
 *  Only the items in `present` are meaningful. Addresses, parameters, languages and nested
 *  envelopes live in flat pools designated by `index_range`s; `addresses_of()`, `params_of()` and
 *  `languages_of()` turn a range into a span. Unknown items (`X-GM-LABELS`, `EMAILID`, ...) are
 *  skipped. The pools keep their storage from one response to the next, so that parsing a long
 *  run of FETCH responses into the same `response` allocates nothing once warmed up.
 *
 *  @par Object lifetimes
 *  Views point into the `response_parser`'s buffer, valid until its next `feed()`, `next()` or
 *  `reset()`. Copy what must outlive that.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
struct MSS_API fetch_data
{
    /** @brief The message sequence number (`* n FETCH`). */
    std::uint32_t sequence = 0;
    /** @brief Which items the response carried: a bitwise or of `fetch_item` values. */
    std::uint32_t present = 0;
    /** @brief `UID`. */
    std::uint32_t uid = 0;
    /** @brief `MODSEQ`. */
    std::uint64_t modseq = 0;
    /** @brief `RFC822.SIZE`. */
    std::uint64_t rfc822_size = 0;
    /** @brief `INTERNALDATE`. */
    date_time internal_date;
    /** @brief `FLAGS` (as sent: `\Seen`, `$Forwarded`, ...). */
    std::vector<std::string_view> flags;
    /** @brief `ENVELOPE`. */
    imap::envelope envelope;
    /** @brief `BODYSTRUCTURE` / `BODY`, pre-order (see `body_part`); empty when absent. */
    std::vector<body_part> body_structure;
    /** @brief `BODY[...]`, `BINARY[...]` and `RFC822*` contents, in the order received. */
    std::vector<body_section> sections;
    /** @brief `BINARY.SIZE[...]` items. */
    std::vector<binary_size> binary_sizes;

    /** @brief Pool: every address of `envelope` and of nested envelopes. */
    std::vector<address> addresses;
    /** @brief Pool: envelopes of `message/rfc822` parts (see `body_part::envelope`). */
    std::vector<imap::envelope> envelopes;
    /** @brief Pool: body parameters. */
    std::vector<body_param> params;
    /** @brief Pool: body languages. */
    std::vector<std::string_view> languages;

    /** @brief True when `item` is in `present`. */
    [[nodiscard]] bool has(fetch_item item) const noexcept
    {
        return (present & static_cast<std::uint32_t>(item)) != 0;
    }

    /** @brief The addresses of an envelope field (`addresses_of(envelope.from)`). */
    [[nodiscard]] std::span<const address> addresses_of(index_range r) const noexcept
    {
        return r.of(addresses);
    }

    /** @brief The parameters of a body part (`params_of(part.params)`). */
    [[nodiscard]] std::span<const body_param> params_of(index_range r) const noexcept { return r.of(params); }

    /** @brief The languages of a body part. */
    [[nodiscard]] std::span<const std::string_view> languages_of(index_range r) const noexcept
    {
        return r.of(languages);
    }

    /** @brief The value of parameter `name` (ASCII case-insensitive) in `r`; empty when absent. */
    [[nodiscard]] std::string_view param(index_range r, std::string_view name) const noexcept;

    /** @brief The IMAP part number of node `part` of `body_structure` (`"2.1"`; `""` for a
     *         multipart root; `"1"` for a single-part message), ready for `BODY[...]`. */
    [[nodiscard]] std::string section_of(std::size_t part) const;

    /** @brief Forgets every item, keeping the storage of the vectors. */
    void clear() noexcept;
};

}  // namespace mss::imap
