// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::directory::query`: what a user looks for in an MSSanté directory.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/mailbox_type.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace mss::directory
{

/** @brief A directory search: every criterion that is set must hold (AND).
 *
 *  Text criteria (`text`, `family_name`, `given_name`, `organisation`, `city`) match word
 *  prefixes, ignoring case and accents: the criterion is cut into words at spaces, hyphens,
 *  apostrophes and other punctuation, and each of its words must begin a word of the field
 *  ("Émilie" finds "EMILIE", "aub" finds "D'AUBIGNÉ", "jean p" finds "Jean-Pierre"). A name with
 *  particles or an apostrophe may also be typed joined up: "daub" and "delaf" find "D'Aubigné" and
 *  "de La Fontaine".
 *
 *  Exact criteria (`profession_code`, `specialty_code`, `postal_code`, `department`,
 *  `mailbox_type`, `identifier`, `mailbox_address`) compare whole values (the address ignoring
 *  case).
 *
 *  A query without any criterion lists the directory in its order. Liste-rouge mailboxes never
 *  appear in results, whatever the query.
 *
 *  @par Paging
 *  At most `limit` entries come back, after skipping `offset` matches. When there are more, the
 *  result's `next_cursor` continues the listing: put it in `cursor` (keeping the other criteria)
 *  to get the next page. A cursor is opaque and belongs to the directory that made it.
 *
 *  @par Thread safety
 *  A plain value type.
 */
struct query
{
    /** @brief The largest accepted `limit`. */
    static constexpr std::size_t max_limit = 1000;
    /** @brief The longest accepted text criterion, in bytes. */
    static constexpr std::size_t max_text = 256;

    /** @brief Free text over the names: family name, given name, organisation name. */
    std::string text;
    /** @brief Family name (nom d'exercice). */
    std::string family_name;
    /** @brief Given name (prénom d'exercice). */
    std::string given_name;
    /** @brief Organisation: company name (raison sociale) or trade name (enseigne). */
    std::string organisation;
    /** @brief City (from the address's delivery line, e.g. "PARIS" in "75012 PARIS"). */
    std::string city;

    /** @brief Profession code, TRE_G15 (e.g. "10" Médecin, "21" Pharmacien, "60" Infirmier). */
    std::string profession_code;
    /** @brief Specialty code (savoir-faire), e.g. "SM26" Qualifié en médecine générale. */
    std::string specialty_code;
    /** @brief Postal code of the structure, e.g. "75012". */
    std::string postal_code;
    /** @brief Department of the structure, e.g. "75", "2A", "971". */
    std::string department;
    /** @brief Mailbox type (PER, ORG, APP, CAB). */
    std::optional<domain::mailbox_type> mailbox_type;
    /** @brief A person's identifier: an RPPS number (11 digits, also found as idNat_PS `8`+RPPS), an
     *         idNat_PS (`8`…, `0`…), or a structure identifier.
     */
    std::string identifier;
    /** @brief A whole mailbox address, compared without regard to case. */
    std::string mailbox_address;

    /** @brief The most entries to return, from 1 to `max_limit`. */
    std::size_t limit = 20;
    /** @brief Matches to skip before the first one returned; for the first page only (ignored
     *         when `cursor` is set, the cursor already knows where the listing stands).
     */
    std::size_t offset = 0;
    /** @brief Where a previous page stopped (its `search_result::next_cursor`); empty for the
     *         first page.
     */
    std::string cursor;
};

/** @brief Tells whether `q` can be run: limit from 1 to `query::max_limit`, no text longer than
 *         `query::max_text`, no control character (CR, LF, NUL...) in any field.
 *
 *  @return success, or `errc::invalid_query` with the reason (naming the field, never its value)
 *          in `diag.client_message()`.
 */
MSS_API boost::system::error_code validate(const query& q, diagnostics& diag);

/** @brief Tells whether a query has no criterion at all (paging fields aside). */
MSS_API bool is_empty(const query& q) noexcept;

}  // namespace mss::directory
