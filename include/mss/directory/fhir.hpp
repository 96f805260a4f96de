// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief The Annuaire Santé FHIR API without I/O: search URLs from a `query`, and `entry`s from
 *         a FHIR R4 searchset Bundle.
 *
 *  The national directory's API (`https://gateway.api.esante.gouv.fr/fhir/v2`, API key in the
 *  `ESANTE-API-KEY` header) serves `Practitioner`, `PractitionerRole` and `Organization`
 *  resources. An MSSanté mailbox is a `telecom` ContactPoint with `system = email`, the extension
 *  `https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type` whose
 *  `valueCoding.code` is `MSSANTE`, and the metadata extension
 *  `https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata`
 *  (sub-extensions `type`, `description`, `service`, `responsible`, `phone`, `listeRouge`).
 *  `mss::net::directory_client` does the HTTP part.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/directory/entry.hpp>
#include <mss/directory/errc.hpp>
#include <mss/directory/query.hpp>

#include <boost/system/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mss::directory::fhir
{

/** @brief The production base URL of the Annuaire Santé FHIR API. */
inline constexpr std::string_view production_base_url = "https://gateway.api.esante.gouv.fr/fhir/v2";

/** @brief The URL of the email-type extension of a ContactPoint (FR Core). */
inline constexpr std::string_view email_type_extension =
    "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type";

/** @brief The URL of the MSSanté mailbox metadata extension (Annuaire Santé IG). */
inline constexpr std::string_view mailbox_metadata_extension =
    "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata";

/** @brief Options of `search_url()`. */
struct url_options
{
    /** @brief Entries per page asked of the server (`_count`); the server's default is 50. */
    std::size_t count = 50;
    /** @brief Ask for the practitioners' roles too (`_revinclude=PractitionerRole:practitioner`),
     *         which carry the mailboxes of their places of practice.
     */
    bool include_roles = true;
};

/** @brief The search URL of `q` under `base_url` (e.g. `production_base_url`).
 *
 *  A query about an organisation (an `organisation` criterion, or an ORG/APP `mailbox_type`,
 *  without family or given name) searches `Organization` (`name`, `address-city`,
 *  `address-postalcode`, `identifier`, `mailbox-mss:exact`); any other searches `Practitioner`
 *  (`name` for free text, `family`, `given`, `address-city`, `address-postalcode`,
 *  `qualification-code` for the profession and specialty codes, `identifier` — `8` + an RPPS
 *  number given alone —, `mailbox-mss:exact`). Every value is percent-encoded (UTF-8, only
 *  unreserved characters left as they are). The mailbox type and the department have no server
 *  parameter: apply them to the results with `matches_exact_criteria()`.
 *
 *  @par Errors
 *  `errc::invalid_query` (see `validate()`), and when `base_url` is not an `https://` URL
 *  without query or fragment.
 */
MSS_API boost::system::result<std::string> search_url(std::string_view base_url, const query& q,
                                                      const url_options& options, diagnostics& diag);

/** @brief Percent-encodes a query-string value: every byte but `A-Z a-z 0-9 - . _ ~` becomes
 *         `%XX` (upper-case hexadecimal).
 */
MSS_API std::string percent_encode(std::string_view value);

/** @brief Limits of `decode_bundle()`. */
struct decode_options
{
    /** @brief Largest response body accepted, in bytes. */
    std::size_t max_bytes = std::size_t{16} << 20;
    /** @brief Deepest JSON nesting accepted. */
    std::size_t max_depth = 64;
};

/** @brief One page of a FHIR search, decoded. */
struct bundle_page
{
    /** @brief The MSSanté mailboxes found, liste-rouge ones left out, one per address, in the
     *         order of the Bundle.
     */
    std::vector<entry> entries;
    /** @brief The URL of the next page (`link` with `relation = next`), or empty. */
    std::string next_url;
    /** @brief The Bundle's `total`, when the server gave it (resources matching, not mailboxes). */
    std::optional<std::size_t> total;
    /** @brief Liste-rouge mailboxes left out. */
    std::size_t liste_rouge = 0;
    /** @brief Mailboxes left out for an invalid address or a missing or unknown type. */
    std::size_t invalid = 0;
};

/** @brief Decodes a searchset Bundle of `Practitioner`, `PractitionerRole` and `Organization`
 *         resources.
 *
 *  Each MSSanté mailbox of each resource becomes an `entry`: a Practitioner's gives the person's
 *  names, identifiers (idNat_PS, RPPS), profession and specialty; a PractitionerRole's takes the
 *  person from its `practitioner` and the structure (name, address, identifiers) from its
 *  `organization` when the Bundle includes them; an Organization's gives a structure's box.
 *  Mailboxes flagged `listeRouge = true` are counted and left out, as are those with an invalid
 *  address or without a known type (PER, ORG, APP, CAB: an unknown type is never guessed).
 *  Other resources (OperationOutcome, included resources without mailboxes) are ignored.
 *
 *  @par Errors
 *  - `errc::fhir_too_large`: `json` is longer than `options.max_bytes`;
 *  - `errc::fhir_malformed_json`: not JSON, or nested too deep; the byte offset where parsing
 *    stopped is in `diag.position()` and the message;
 *  - `errc::fhir_not_a_bundle`: JSON, but not a Bundle of type `searchset` (an
 *    `OperationOutcome`'s diagnostics text goes to `diag.server_message()`).
 */
MSS_API boost::system::result<bundle_page> decode_bundle(std::string_view json, diagnostics& diag,
                                                         const decode_options& options = {});

/** @brief The department of a French postal code: its first two digits, `2A`/`2B` for Corsica
 *         (20000–20199 / 20200–20999), three digits overseas (971xx–989xx); empty when `postal_code`
 *         is not five digits.
 */
MSS_API std::string department_of_postal_code(std::string_view postal_code);

}  // namespace mss::directory::fhir
