// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::trust_space_entry`: one `Domaine` of the ANS whitelist.
 */
#pragma once

#include <cstddef>
#include <string>

namespace mss::domain {

/** @brief One `Domaine` element of the ANS whitelist (`listeblanchemssante.xml`).
 *
 *  A domain name may have several entries, one per operator server certificate.
 */
struct trust_space_entry
{
    /** @brief `Nom`, lower-cased: the mail domain. */
    std::string domain;
    /** @brief `Description`: free text, usually the organisation's name. */
    std::string description;
    /** @brief `DNCertificatOperateur`: distinguished name of the operator's server certificate. */
    std::string operator_certificate_dn;
    /** @brief `ResponsableContact`: who is responsible for the domain (phone, e-mail). */
    std::string responsible_contact;
    /** @brief `SupportContact`: the operator's support (phone, e-mail). */
    std::string support_contact;
    /** @brief `DateMAJ`: when the entry was last updated, as written (ISO 8601). */
    std::string updated_at;
    /** @brief Line of the `Domaine` start tag in the file (1-based), for reports. */
    std::size_t line = 0;

    friend bool operator==(const trust_space_entry&, const trust_space_entry&) = default;
};

}  // namespace mss::domain
