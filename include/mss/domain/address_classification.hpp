// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Classifying an address against the MSSanté trust space: professional, patient,
 *         outside, or invalid — with the reason.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/email_address.hpp>
#include <mss/domain/ins.hpp>
#include <mss/domain/trust_space.hpp>

#include <boost/system/error_code.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mss::domain {

/** @brief The domain of patients' mailboxes (Mon espace santé): `<INS>@patient.mssante.fr`. */
inline constexpr std::string_view patient_domain = "patient.mssante.fr";

/** @brief What an address is, for MSSanté. */
enum class address_kind
{
    /** @brief A professional mailbox: its domain is in the trust space. */
    professional,
    /** @brief A patient's mailbox: a qualified INS (valid key) at `patient.mssante.fr`. */
    patient,
    /** @brief A well-formed address whose domain is not in the trust space. */
    outside_trust_space,
    /** @brief Not a usable address (syntax, injection attempt, or a patient address without a
     *         valid INS). */
    invalid,
};

/** @brief The verdict on one address, with the reason in plain words. */
struct address_classification
{
    /** @brief The verdict. */
    address_kind kind = address_kind::invalid;
    /** @brief Why, in English, for a person (never contains the INS itself). */
    std::string reason;
    /** @brief For `invalid`: the precise error (address syntax or INS rule). */
    boost::system::error_code error;
    /** @brief The parsed address, unless it is syntactically invalid. */
    std::optional<email_address> address;
    /** @brief For `professional`: the trust-space entries (operators) serving the domain. Refers into
     *         the `trust_space`, which must outlive this object. */
    std::span<const trust_space_entry> operators;
    /** @brief For `patient`: the patient's INS. */
    std::optional<ins> patient_ins;
};

/** @brief Classifies a parsed address.
 *
 *  A patient address is recognised by its domain alone, whether or not the trust space lists it:
 *  its local part must then be a qualified INS with a valid key, otherwise the address is
 *  `invalid`. Any other domain is `professional` when the trust space has it, else
 *  `outside_trust_space`.
 */
MSS_API address_classification classify_address(const email_address& address, const trust_space& space);

/** @brief Parses `text` as an addr-spec, then classifies it; a parse failure gives `invalid`
 *         with the parser's error and the byte offset in the reason. */
MSS_API address_classification classify_address(std::string_view text, const trust_space& space);

/** @brief `"professional"`, `"patient"`, `"outside_trust_space"` or `"invalid"`. */
MSS_API std::string_view to_string(address_kind kind) noexcept;

}  // namespace mss::domain
