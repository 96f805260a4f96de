// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::errc`: refusals of the pure domain layer (identifiers, addresses,
 *         the trust space, and later the MSSanté rules).
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace mss::domain {

/** @brief Errors of the domain layer. None of them is fatal for a connection. */
enum class errc : int
{
    // Identifiers (RPPS, ADELI, FINESS, SIRET, SIREN, INS, national ids).
    /** @brief The identifier has the wrong number of characters. */
    identifier_wrong_length = 1,
    /** @brief The identifier holds a character its format does not allow. */
    identifier_bad_character,
    /** @brief The identifier's check key (Luhn or mod 97) does not match. */
    identifier_bad_key,
    /** @brief A national id starts with a prefix that is not defined for its kind. */
    identifier_unknown_prefix,

    // Addresses.
    /** @brief The address is empty. */
    address_empty,
    /** @brief CR, LF, NUL or another control character: refused to prevent header injection. */
    address_forbidden_character,
    /** @brief There is no `@` separating local part and domain. */
    address_missing_at,
    /** @brief The local part does not follow RFC 5321/5322 (dot-atom or quoted string). */
    address_bad_local_part,
    /** @brief The domain is not a valid host name (labels, length, IDN). */
    address_bad_domain,
    /** @brief The address or one of its parts is longer than RFC 5321 allows. */
    address_too_long,
    /** @brief The display name cannot be represented safely in a header. */
    address_bad_display_name,

    // Trust space (the ANS whitelist).
    /** @brief The whitelist file is not well-formed XML (truncated, corrupted). */
    trust_space_malformed,
    /** @brief The XML is well-formed but not a whitelist (wrong root, missing `Nom`, ...). */
    trust_space_bad_structure,
    /** @brief The file's SHA-256 differs from the published checksum. */
    trust_space_checksum_mismatch,
    /** @brief The checksum given is not 64 hexadecimal digits. */
    trust_space_bad_checksum_format,

    // Mailboxes, accounts and linking.
    /** @brief A mailbox type code that is not PER, ORG, APP or CAB. */
    mailbox_unknown_type,
    /** @brief This kind of account may not link this type of mailbox (policy). */
    mailbox_type_not_allowed,
    /** @brief The account already has its linked mailbox (policy: one per account). */
    account_already_linked,
    /** @brief The mailbox is linked to another account: unlink it there first. */
    mailbox_linked_elsewhere,
    /** @brief The address's domain is not in the MSSante trust space. */
    address_outside_trust_space,
    /** @brief The one-time code entered is not the one sent. */
    link_code_wrong,
    /** @brief The one-time code is older than its validity (one hour). */
    link_code_expired,
    /** @brief Too many wrong codes: this code is void, ask for a new one. */
    link_code_too_many_attempts,
    /** @brief Codes are asked for too often (one a minute, five an hour). */
    link_code_throttled,
    /** @brief No code is pending for this account and mailbox. */
    link_code_missing,
    /** @brief The account has no linked mailbox. */
    link_not_found,

    // Access control.
    /** @brief The person does not own this mailbox and is not a delegate of its structure. */
    access_not_allowed,
    /** @brief The person was a delegate of the structure, but the delegation was revoked. */
    access_delegation_revoked,
    /** @brief A delegate may read and send, but this action is reserved to the structure's
     *         administrators. */
    access_reserved_to_administrators,

    // Sending (the send policy and drafts).
    /** @brief A draft without any recipient. */
    no_recipients,
    /** @brief A recipient address is not valid. */
    recipient_invalid,
    /** @brief A recipient's domain is not in the MSSante trust space. */
    recipient_outside_trust_space,
    /** @brief A conversation with a patient cannot be started here: only a reply is allowed. */
    patient_conversation_cannot_be_started,
    /** @brief Only professionals registered in RPPS exchange with patients. */
    patient_exchange_requires_rpps,
    /** @brief This patient is not the one who wrote the message being answered. */
    patient_not_in_conversation,
    /** @brief A patient is answered only from the MSSante - Patients folder. */
    patient_reply_outside_patient_folder,
    /** @brief Patients and professionals in one message are not allowed by this policy. */
    mixed_patient_and_professional,
    /** @brief Documents of several patients in one message (one patient per message). */
    documents_of_several_patients,
    /** @brief An attachment to remove or a recipient to remove is not in the draft. */
    draft_item_not_found,
};

/** @brief The French message of a domain error, for the people who use the platform (the English
 *         one is `make_error_code(e).message()`). */
MSS_API const char* message_fr(errc e) noexcept;

/** @brief The category of `mss::domain::errc`; its name is `"mss.domain"`. */
MSS_API const boost::system::error_category& domain_category() noexcept;

/** @brief Makes an `error_code` from a domain `errc` (found by argument-dependent lookup). */
MSS_API boost::system::error_code make_error_code(errc e) noexcept;

}  // namespace mss::domain

namespace boost::system {
template <>
struct is_error_code_enum<mss::domain::errc> : std::true_type
{
};
}  // namespace boost::system
