// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Values exchanged by mailbox synchronisation: folder descriptions, the sync state a
 *         client keeps, and the changes a server reports since that state.
 */
#pragma once

#include <mss/transport/message_flags.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mss::transport {

/** @brief The role of a folder (RFC 6154 special-use), as far as MSSanté needs it. */
enum class folder_role
{
    /** @brief Any other folder. */
    other,
    /** @brief The inbox. */
    inbox,
    /** @brief Where sent mail is kept (`\Sent`). */
    sent,
    /** @brief Drafts (`\Drafts`). */
    drafts,
    /** @brief Trash (`\Trash`). */
    trash,
    /** @brief Junk (`\Junk`). */
    junk,
};

/** @brief A folder of a mailbox. */
struct folder_info
{
    /** @brief Full name, UTF-8, as the server names it (hierarchy delimiter included). */
    std::string name;
    /** @brief Special-use role. */
    folder_role role = folder_role::other;
};

/** @brief What a client remembers of a folder between synchronisations (IMAP CONDSTORE/QRESYNC). */
struct folder_sync_state
{
    /** @brief UIDVALIDITY; 0 before the first synchronisation. */
    std::uint32_t uid_validity = 0;
    /** @brief UIDNEXT seen last time. */
    std::uint32_t uid_next = 0;
    /** @brief HIGHESTMODSEQ seen last time. */
    std::uint64_t highest_modseq = 0;

    friend bool operator==(const folder_sync_state&, const folder_sync_state&) = default;
};

/** @brief What the library needs of a message to index and classify it, without its body. */
struct message_summary
{
    /** @brief UID in its folder. */
    std::uint32_t uid = 0;
    /** @brief Flags. */
    message_flags flags = message_flags::none;
    /** @brief MODSEQ of the last change. */
    std::uint64_t modseq = 0;
    /** @brief When the server received it. */
    std::chrono::sys_seconds internal_date{};
    /** @brief RFC822.SIZE. */
    std::uint64_t size = 0;
    /** @brief The raw header block (RFC822.HEADER), CRLF line endings. */
    std::string header;
};

/** @brief A flag change of a message already known. */
struct flag_change
{
    /** @brief UID. */
    std::uint32_t uid = 0;
    /** @brief The flags now. */
    message_flags flags = message_flags::none;
    /** @brief MODSEQ of the change. */
    std::uint64_t modseq = 0;
};

/** @brief Everything that changed in a folder since a `folder_sync_state`.
 *
 *  When `full_resync` is set (UIDVALIDITY changed, or the state was empty), `new_messages` lists
 *  every message of the folder and the client must drop what it knew of the folder.
 */
struct folder_changes
{
    /** @brief The folder's state after these changes: store it for the next synchronisation. */
    folder_sync_state state;
    /** @brief Set when the previous state no longer applies. */
    bool full_resync = false;
    /** @brief Messages the client has not seen, in UID order. */
    std::vector<message_summary> new_messages;
    /** @brief Flag changes of known messages. */
    std::vector<flag_change> flag_changes;
    /** @brief UIDs expunged since the state. */
    std::vector<std::uint32_t> vanished;

    /** @brief True when nothing changed. */
    [[nodiscard]] bool empty() const noexcept
    {
        return !full_resync && new_messages.empty() && flag_changes.empty() && vanished.empty();
    }
};

}  // namespace mss::transport
