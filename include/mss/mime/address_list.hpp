// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Parsing the address lists of From, To, Cc, Reply-To (RFC 5322 §3.4).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/named_address.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace mss::mime {

/** @brief Parses an address-list header value (folded or not) and appends its mailboxes to `out`.
 *
 *  Handles display names (quoted or not, RFC 2047 encoded-words decoded to UTF-8), angle
 *  addresses, comments, groups (`Équipe: a@x.fr, b@x.fr;` gives the members; an empty group such
 *  as `undisclosed-recipients:;` gives none) and obsolete routes. Lenient: an entry that is not a
 *  valid address is skipped and counted, never fatal.
 *
 *  @return the number of entries skipped because they were not valid addresses.
 */
MSS_API std::size_t parse_address_list(std::string_view value, std::vector<domain::named_address>& out);

}  // namespace mss::mime
