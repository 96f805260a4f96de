// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::directory::entry`: one mailbox found in a directory, and `search_result`, a page of
 *         them.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/directory/query.hpp>
#include <mss/domain/mailbox_type.hpp>

#include <string>
#include <vector>

namespace mss::directory
{

/** @brief Who holds a mailbox: a person (PER, CAB boxes) or a structure (ORG, APP boxes). */
enum class holder_kind
{
    /** @brief A health professional. */
    person,
    /** @brief A structure: an establishment, a service, a practice, a piece of software. */
    structure,
};

/** @brief A code with its label, as the directories publish them (e.g. `10` / `Médecin`). */
struct coded_value
{
    /** @brief The code, e.g. `10` (TRE_G15) or `SM26` (savoir-faire). */
    std::string code;
    /** @brief The label, e.g. `Médecin`, `Qualifié en médecine générale`. */
    std::string label;

    /** @brief Equal when code and label are. */
    friend bool operator==(const coded_value&, const coded_value&) = default;
};

/** @brief The identifiers of a mailbox's holder, as the directory gives them (not validated: a
 *         directory is a source to display, and its numbers are checked where they are used).
 */
struct entry_identifiers
{
    /** @brief Kind of the person identifier (`Type Identifiant PP`): `8` RPPS, `0` ADELI. */
    std::string person_kind;
    /** @brief Person identifier (`Identifiant PP`): the RPPS or ADELI number. */
    std::string person;
    /** @brief National person identifier idNat_PS (`Identification nationale PP`), e.g. `8` + RPPS. */
    std::string national_person;
    /** @brief Kind of the structure identifier (`Type identifiant structure`). */
    std::string structure_kind;
    /** @brief Structure identifier (`Identification Structure`), e.g. a national structure id. */
    std::string structure;

    /** @brief Equal when every field is. */
    friend bool operator==(const entry_identifiers&, const entry_identifiers&) = default;
};

/** @brief One MSSanté mailbox as a directory describes it.
 *
 *  Fields the source does not give are empty. The mailbox address is the key: a directory holds
 *  one entry per address.
 *
 *  @par Thread safety
 *  A plain value type.
 */
struct entry
{
    /** @brief The mailbox address, domain in canonical (lowercase) form. */
    std::string address;
    /** @brief The mailbox type (TRE_R257). */
    domain::mailbox_type type = domain::mailbox_type::per;
    /** @brief A person's box (PER, CAB) or a structure's (ORG, APP). */
    holder_kind holder = holder_kind::person;

    /** @brief Civility of practice (`Civilité d'exercice`, e.g. `DR`, `M`, `MME`). */
    std::string civility;
    /** @brief Family name of practice. */
    std::string family_name;
    /** @brief Given name of practice. */
    std::string given_name;
    /** @brief Profession category (`C` civil, `M` military, ...). */
    coded_value profession_category;
    /** @brief Profession (TRE_G15), e.g. `10` Médecin. */
    coded_value profession;
    /** @brief Specialty (savoir-faire), e.g. `SM26` Qualifié en médecine générale. */
    coded_value specialty;

    /** @brief Company name of the structure (raison sociale). */
    std::string organisation;
    /** @brief Trade name of the structure (enseigne commerciale). */
    std::string trade_name;
    /** @brief Service the mailbox belongs to (service de rattachement). */
    std::string service;
    /** @brief Free description of the mailbox (FHIR metadata; empty in the extraction file). */
    std::string description;
    /** @brief Operational contact of an ORG or APP box (FHIR metadata). */
    std::string responsible;
    /** @brief Telephone for the box's use (FHIR metadata). */
    std::string phone;

    /** @brief Postal address lines above the delivery line (complement, street, locality). */
    std::vector<std::string> address_lines;
    /** @brief Postal code, e.g. `75012`. */
    std::string postal_code;
    /** @brief City, e.g. `PARIS`. */
    std::string city;
    /** @brief Department, e.g. `75`. */
    std::string department;
    /** @brief Country. */
    std::string country;

    /** @brief Identifiers of the holder. */
    entry_identifiers identifiers;
    /** @brief Liste rouge: the box must never be shown. Searches never return such entries;
     *         the flag exists for decoders, which see them and drop them.
     */
    bool liste_rouge = false;

    /** @brief Equal when every field is. */
    friend bool operator==(const entry&, const entry&) = default;
};

/** @brief One page of a directory search. */
struct search_result
{
    /** @brief The entries found, at most the query's `limit`, in the directory's order. */
    std::vector<entry> entries;
    /** @brief Cursor of the next page (see `query::cursor`); empty when this page is the last. */
    std::string next_cursor;
};

/** @brief The holder kind of a mailbox type: `person` for PER and CAB, `structure` for ORG and APP. */
MSS_API holder_kind holder_of(domain::mailbox_type type) noexcept;

/** @brief Tells whether `e` satisfies the exact criteria of `q` that a directory server may not
 *         apply itself: mailbox type, profession, specialty, postal code, department, address.
 *
 *  Used by clients to filter server results on their side; liste-rouge entries never match.
 */
MSS_API bool matches_exact_criteria(const entry& e, const query& q) noexcept;

}  // namespace mss::directory
