// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::virtual_folder`: the folders the seed shows, and which messages they hold.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/message_classification.hpp>

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace mss::domain {

/** @brief The virtual folders, across every mailbox a person may read.
 *
 *  Tree: *MSSanté – Professionnels* (Reçus, Envoyés), *MSSanté – Patients* (Reçus, Envoyés),
 *  *Tous les messages*, *Non lus*, *Boîte de réception*.
 */
enum class virtual_folder
{
    /** @brief MSSanté – Professionnels: professional exchanges, received and sent. */
    professionals,
    /** @brief … Reçus. */
    professionals_received,
    /** @brief … Envoyés. */
    professionals_sent,
    /** @brief MSSanté – Patients: patient exchanges, received and sent. */
    patients,
    /** @brief … Reçus. */
    patients_received,
    /** @brief … Envoyés. */
    patients_sent,
    /** @brief Tous les messages. */
    all,
    /** @brief Non lus: received messages not yet read. */
    unread,
    /** @brief Boîte de réception: received messages that landed there at arrival. */
    inbox,
};

/** @brief Every virtual folder, in display order. */
inline constexpr std::array<virtual_folder, 9> all_virtual_folders = {
    virtual_folder::professionals, virtual_folder::professionals_received, virtual_folder::professionals_sent,
    virtual_folder::patients,      virtual_folder::patients_received,      virtual_folder::patients_sent,
    virtual_folder::all,           virtual_folder::unread,                 virtual_folder::inbox,
};

/** @brief French display name ("MSSanté – Professionnels", "Reçus", "Non lus", ...). */
MSS_API std::string_view display_name(virtual_folder f) noexcept;

/** @brief Stable identifier for APIs and the command line ("professionals-received", ...). */
MSS_API std::string_view to_key(virtual_folder f) noexcept;

/** @brief The folder named by `key`, if any. */
MSS_API std::optional<virtual_folder> virtual_folder_from_key(std::string_view key) noexcept;

/** @brief The parent of a sub-folder (Reçus/Envoyés), if any. */
MSS_API std::optional<virtual_folder> parent_of(virtual_folder f) noexcept;

/** @brief What decides folder membership of one message. */
struct folder_facts
{
    /** @brief Its classification. */
    message_classification classification;
    /** @brief Whether it was put in the inbox at arrival. */
    bool in_inbox = false;
    /** @brief `\Seen`. */
    bool seen = false;
};

/** @brief Whether a message belongs to a folder. Patient exchanges belong to no folder for a
 *         person without patient rights (`patients_allowed` false): the patient folder is shown
 *         to everybody and stays empty for them. */
MSS_API bool belongs_to(virtual_folder f, const folder_facts& m, bool patients_allowed) noexcept;

}  // namespace mss::domain
