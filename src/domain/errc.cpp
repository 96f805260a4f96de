// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/errc.hpp>

#include <string>

namespace mss::domain {
namespace {

class domain_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss.domain"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value))
        {
        case errc::identifier_wrong_length: return "identifier has the wrong length";
        case errc::identifier_bad_character: return "identifier contains a character its format does not allow";
        case errc::identifier_bad_key: return "identifier check key does not match";
        case errc::identifier_unknown_prefix: return "national identifier has an unknown prefix";
        case errc::address_empty: return "address is empty";
        case errc::address_forbidden_character:
            return "address contains CR, LF, NUL or another control character (header injection refused)";
        case errc::address_missing_at: return "address has no '@' between local part and domain";
        case errc::address_bad_local_part: return "address local part is not valid";
        case errc::address_bad_domain: return "address domain is not a valid host name";
        case errc::address_too_long: return "address is longer than RFC 5321 allows";
        case errc::address_bad_display_name: return "display name cannot be used in a header";
        case errc::trust_space_malformed: return "trust-space file is not well-formed XML";
        case errc::trust_space_bad_structure: return "trust-space file does not have the ANS whitelist structure";
        case errc::trust_space_checksum_mismatch: return "trust-space file does not match its SHA-256 checksum";
        case errc::trust_space_bad_checksum_format: return "checksum is not 64 hexadecimal digits";
        case errc::mailbox_unknown_type: return "unknown mailbox type (expected PER, ORG, APP or CAB)";
        case errc::mailbox_type_not_allowed: return "this kind of account may not link this type of mailbox";
        case errc::account_already_linked: return "this account already has a linked mailbox";
        case errc::mailbox_linked_elsewhere:
            return "this mailbox is linked to another account; remove that link first";
        case errc::address_outside_trust_space: return "the address is outside the MSSante trust space";
        case errc::link_code_wrong: return "the one-time code is wrong";
        case errc::link_code_expired: return "the one-time code has expired (valid one hour)";
        case errc::link_code_too_many_attempts:
            return "too many wrong codes: this code is no longer valid, ask for a new one";
        case errc::link_code_throttled:
            return "codes are requested too often (at most one a minute and five an hour)";
        case errc::link_code_missing: return "no one-time code is pending for this mailbox";
        case errc::link_not_found: return "no mailbox is linked to this account";
        case errc::access_not_allowed:
            return "this person neither owns the mailbox nor is a delegate of its structure";
        case errc::access_delegation_revoked: return "this person's delegation for the structure was revoked";
        case errc::access_reserved_to_administrators:
            return "this action is reserved to the structure's administrators";
        case errc::no_recipients: return "the message has no recipient";
        case errc::recipient_invalid: return "a recipient address is not valid";
        case errc::recipient_outside_trust_space: return "a recipient is outside the MSSante trust space";
        case errc::patient_conversation_cannot_be_started:
            return "a conversation with a patient cannot be started: reply to a message the patient sent";
        case errc::patient_exchange_requires_rpps: return "only professionals registered in RPPS exchange with patients";
        case errc::patient_not_in_conversation: return "this patient did not write the message being answered";
        case errc::patient_reply_outside_patient_folder:
            return "a patient is answered only from the MSSante - Patients folder";
        case errc::mixed_patient_and_professional:
            return "patients and professionals cannot be recipients of the same message under this policy";
        case errc::documents_of_several_patients: return "a message carries the documents of one patient only";
        case errc::draft_item_not_found: return "the draft has no such recipient or attachment";
        }
        return "unknown mss.domain error";
    }
};

}  // namespace

const char* message_fr(errc e) noexcept
{
    switch (e)
    {
    case errc::identifier_wrong_length: return "l'identifiant n'a pas la bonne longueur";
    case errc::identifier_bad_character: return "l'identifiant contient un caractère non autorise";
    case errc::identifier_bad_key: return "la clé de contrôle de l'identifiant est fausse";
    case errc::identifier_unknown_prefix: return "le préfixe de l'identifiant national est inconnu";
    case errc::address_empty: return "l'adresse est vide";
    case errc::address_forbidden_character: return "l'adresse contient un caractère de contrôle (refusé)";
    case errc::address_missing_at: return "l'adresse ne contient pas de '@'";
    case errc::address_bad_local_part: return "la partie locale de l'adresse n'est pas valide";
    case errc::address_bad_domain: return "le domaine de l'adresse n'est pas valide";
    case errc::address_too_long: return "l'adresse est trop longue";
    case errc::address_bad_display_name: return "le nom affiché ne peut pas être utilisé";
    case errc::trust_space_malformed: return "la liste blanche n'est pas un XML valide";
    case errc::trust_space_bad_structure: return "la liste blanche n'a pas la structure attendue";
    case errc::trust_space_checksum_mismatch: return "la liste blanche ne correspond pas à son empreinte SHA-256";
    case errc::trust_space_bad_checksum_format: return "l'empreinte n'est pas composée de 64 chiffres hexadécimaux";
    case errc::mailbox_unknown_type: return "type de BAL inconnu (PER, ORG, APP ou CAB attendu)";
    case errc::mailbox_type_not_allowed: return "ce type de compte ne peut pas être associé à ce type de BAL";
    case errc::account_already_linked: return "ce compte est déjà associé à une BAL";
    case errc::mailbox_linked_elsewhere:
        return "cette BAL est déjà associée à un autre compte : supprimez d'abord cette association";
    case errc::address_outside_trust_space: return "l'adresse n'appartient pas à l'espace de confiance MSSanté";
    case errc::link_code_wrong: return "le code à usage unique est incorrect";
    case errc::link_code_expired: return "le code à usage unique a expiré (valable une heure)";
    case errc::link_code_too_many_attempts:
        return "trop de codes incorrects : ce code n'est plus valable, demandez-en un nouveau";
    case errc::link_code_throttled:
        return "trop de demandes de code (au plus une par minute et cinq par heure)";
    case errc::link_code_missing: return "aucun code à usage unique n'est en attente pour cette BAL";
    case errc::link_not_found: return "aucune BAL n'est associée à ce compte";
    case errc::access_not_allowed:
        return "cette personne n'est ni titulaire de la BAL ni déléguée de sa structure";
    case errc::access_delegation_revoked: return "la délégation de cette personne pour la structure a été révoquée";
    case errc::access_reserved_to_administrators:
        return "cette action est réservée aux administrateurs de la structure";
    case errc::no_recipients: return "le message n'a aucun destinataire";
    case errc::recipient_invalid: return "l'adresse d'un destinataire n'est pas valide";
    case errc::recipient_outside_trust_space: return "un destinataire est hors de l'espace de confiance MSSanté";
    case errc::patient_conversation_cannot_be_started:
        return "un échange avec un patient ne peut pas être initié : répondez à un message reçu du patient";
    case errc::patient_exchange_requires_rpps:
        return "seuls les professionnels du référentiel RPPS échangent avec les patients";
    case errc::patient_not_in_conversation: return "ce patient n'est pas l'auteur du message auquel vous répondez";
    case errc::patient_reply_outside_patient_folder:
        return "on ne répond à un patient que depuis le dossier MSSanté – Patients";
    case errc::mixed_patient_and_professional:
        return "patients et professionnels ne peuvent pas être destinataires du même message";
    case errc::documents_of_several_patients: return "un message ne porte les documents que d'un seul patient";
    case errc::draft_item_not_found: return "le brouillon ne contient pas ce destinataire ou cette pièce jointe";
    }
    return "erreur inconnue";
}

const boost::system::error_category& domain_category() noexcept
{
    static const domain_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), domain_category()};
}

}  // namespace mss::domain
