// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::body_part`: one node of a FETCH `BODYSTRUCTURE` (or `BODY`) tree.
 */
#pragma once

#include <mss/imap/index_range.hpp>

#include <cstdint>
#include <limits>
#include <string_view>

namespace mss::imap {

/** @brief A `name value` pair of a `Content-Type` or `Content-Disposition` parameter list. */
struct body_param
{
    /** @brief Parameter name as sent (e.g. `CHARSET`). */
    std::string_view name;
    /** @brief Value (raw; RFC 2231 continuations are not joined). */
    std::string_view value;
};

/** @brief One MIME part of a message's structure.
 *
 *  The tree is stored flat, in pre-order, in `fetch_data::body_structure`: node 0 is the root,
 *  the first child of node `i` is `i + 1`, and a node's next sibling is `i + subtree_size`. A
 *  `message/rfc822` part has one child, the encapsulated message's body, and the index of its
 *  envelope in `fetch_data::envelopes`. `fetch_data::section_of(i)` gives the part number to fetch
 *  (`BODY[2.1]`).
 *
 *  Extension data (MD5, disposition, language, location) is optional on the wire; missing pieces
 *  are empty.
 *
 *  @par Object lifetimes
 *  The views point into the `response_parser`'s buffer, valid until its next `feed()`, `next()`
 *  or `reset()`.
 */
struct body_part
{
    /** @brief Marks an absent index (`parent` of the root, `envelope` of a non-message part). */
    static constexpr std::uint32_t npos = std::numeric_limits<std::uint32_t>::max();

    /** @brief Media type as sent (`TEXT`, `APPLICATION`, ...); `MULTIPART` for multiparts. */
    std::string_view type;
    /** @brief Media subtype as sent (`PLAIN`, `MIXED`, ...). */
    std::string_view subtype;
    /** @brief `Content-Type` parameters, in `fetch_data::params` (for multiparts: extension data). */
    index_range params;
    /** @brief `Content-ID`. */
    std::string_view id;
    /** @brief `Content-Description` (raw). */
    std::string_view description;
    /** @brief `Content-Transfer-Encoding` (`BASE64`, `7BIT`, ...). */
    std::string_view encoding;
    /** @brief Size in octets of the encoded body. */
    std::uint64_t size = 0;
    /** @brief Lines of a text or `message/rfc822` body. */
    std::uint64_t lines = 0;
    /** @brief `Content-MD5`. */
    std::string_view md5;
    /** @brief Disposition type (`ATTACHMENT`, `INLINE`), empty when none. */
    std::string_view disposition;
    /** @brief Disposition parameters (`FILENAME`, ...), in `fetch_data::params`. */
    index_range disposition_params;
    /** @brief `Content-Language` values, in `fetch_data::languages`. */
    index_range languages;
    /** @brief `Content-Location`. */
    std::string_view location;
    /** @brief For `message/rfc822`: index of its envelope in `fetch_data::envelopes`. */
    std::uint32_t envelope = npos;
    /** @brief Index of the parent node; `npos` for the root. */
    std::uint32_t parent = npos;
    /** @brief Position among the parent's children, from 1. */
    std::uint32_t index_in_parent = 1;
    /** @brief Number of direct children (parts of a multipart, 1 for a message/rfc822). */
    std::uint32_t child_count = 0;
    /** @brief Number of nodes in the subtree rooted here, this one included. */
    std::uint32_t subtree_size = 1;
    /** @brief True for a multipart node. */
    bool multipart = false;
};

}  // namespace mss::imap
