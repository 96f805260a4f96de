// SPDX-License-Identifier: Apache-2.0
// Message classification, inbox settings and the virtual folders.
#include <mss/domain/address_classification.hpp>
#include <mss/domain/inbox_settings.hpp>
#include <mss/domain/virtual_folder.hpp>

namespace mss::domain {
namespace {

bool is_patient(const email_address& a) noexcept { return a.domain() == patient_domain; }

}  // namespace

message_classification classify_message(message_direction direction, const message_parties& parties)
{
    message_classification c;
    c.direction = direction;
    if (direction == message_direction::received)
    {
        if (parties.from)
        {
            c.counterpart = parties.from->str();
            if (is_patient(*parties.from))
                c.exchange = exchange_kind::patient;
        }
        return c;
    }
    for (const auto& r : parties.recipients)
    {
        if (is_patient(r))
        {
            c.exchange = exchange_kind::patient;
            c.counterpart = r.str();
            return c;
        }
    }
    if (!parties.recipients.empty())
        c.counterpart = parties.recipients.front().str();
    return c;
}

bool lands_in_inbox(const inbox_settings& settings, const message_classification& c) noexcept
{
    if (c.direction != message_direction::received)
        return false;
    return c.exchange == exchange_kind::patient ? settings.mssante_patient : settings.mssante_professional;
}

std::string_view display_name(virtual_folder f) noexcept
{
    switch (f)
    {
    case virtual_folder::professionals: return "MSSanté – Professionnels";
    case virtual_folder::patients: return "MSSanté – Patients";
    case virtual_folder::professionals_received:
    case virtual_folder::patients_received: return "Reçus";
    case virtual_folder::professionals_sent:
    case virtual_folder::patients_sent: return "Envoyés";
    case virtual_folder::all: return "Tous les messages";
    case virtual_folder::unread: return "Non lus";
    case virtual_folder::inbox: return "Boîte de réception";
    }
    return "";
}

namespace {

constexpr std::array<std::pair<virtual_folder, std::string_view>, 9> keys = {{
    {virtual_folder::professionals, "professionals"},
    {virtual_folder::professionals_received, "professionals-received"},
    {virtual_folder::professionals_sent, "professionals-sent"},
    {virtual_folder::patients, "patients"},
    {virtual_folder::patients_received, "patients-received"},
    {virtual_folder::patients_sent, "patients-sent"},
    {virtual_folder::all, "all"},
    {virtual_folder::unread, "unread"},
    {virtual_folder::inbox, "inbox"},
}};

}  // namespace

std::string_view to_key(virtual_folder f) noexcept
{
    for (const auto& [folder, key] : keys)
    {
        if (folder == f)
            return key;
    }
    return "";
}

std::optional<virtual_folder> virtual_folder_from_key(std::string_view key) noexcept
{
    for (const auto& [folder, k] : keys)
    {
        if (k == key)
            return folder;
    }
    return std::nullopt;
}

std::optional<virtual_folder> parent_of(virtual_folder f) noexcept
{
    switch (f)
    {
    case virtual_folder::professionals_received:
    case virtual_folder::professionals_sent: return virtual_folder::professionals;
    case virtual_folder::patients_received:
    case virtual_folder::patients_sent: return virtual_folder::patients;
    default: return std::nullopt;
    }
}

bool belongs_to(virtual_folder f, const folder_facts& m, bool patients_allowed) noexcept
{
    const auto& c = m.classification;
    const bool patient = c.exchange == exchange_kind::patient;
    if (patient && !patients_allowed)
        return false;
    const bool received = c.direction == message_direction::received;
    switch (f)
    {
    case virtual_folder::professionals: return !patient;
    case virtual_folder::professionals_received: return !patient && received;
    case virtual_folder::professionals_sent: return !patient && !received;
    case virtual_folder::patients: return patient;
    case virtual_folder::patients_received: return patient && received;
    case virtual_folder::patients_sent: return patient && !received;
    case virtual_folder::all: return true;
    case virtual_folder::unread: return received && !m.seen;
    case virtual_folder::inbox: return m.in_inbox;
    }
    return false;
}

}  // namespace mss::domain
