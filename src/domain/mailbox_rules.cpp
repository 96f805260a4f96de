// SPDX-License-Identifier: Apache-2.0
// Mailbox types, the link policy and access control.
#include <mss/domain/access_control.hpp>
#include <mss/domain/errc.hpp>
#include <mss/domain/link_policy.hpp>
#include <mss/domain/mailbox_type.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace mss::domain {
namespace {

std::string upper(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    return out;
}

}  // namespace

boost::system::result<mailbox_type> parse_mailbox_type(std::string_view code)
{
    const std::string value = upper(code);
    if (value == "PER")
        return mailbox_type::per;
    if (value == "ORG")
        return mailbox_type::org;
    if (value == "APP")
        return mailbox_type::app;
    if (value == "CAB")
        return mailbox_type::cab;
    return errc::mailbox_unknown_type;
}

boost::system::result<mailbox_type> parse_medimail_label(std::string_view label)
{
    if (upper(label) == "MED")
        return mailbox_type::per;
    return parse_mailbox_type(label);
}

std::string_view to_code(mailbox_type type) noexcept
{
    switch (type)
    {
    case mailbox_type::per: return "PER";
    case mailbox_type::org: return "ORG";
    case mailbox_type::app: return "APP";
    case mailbox_type::cab: return "CAB";
    }
    return "PER";
}

boost::system::error_code link_policy::check(account_kind kind, mailbox_type type) const noexcept
{
    const auto index = static_cast<std::size_t>(type);
    const bool allowed = kind == account_kind::person ? person_may_link[index] : structure_may_link[index];
    return allowed ? boost::system::error_code() : boost::system::error_code(errc::mailbox_type_not_allowed);
}

boost::system::error_code check_access(std::string_view person_id, const mailbox_link& link,
                                       std::span<const delegation> delegations, mailbox_action action) noexcept
{
    if (link.account.kind == account_kind::person)
        return link.account.id == person_id ? boost::system::error_code() : errc::access_not_allowed;

    const delegation* active = nullptr;
    bool revoked = false;
    for (const auto& d : delegations)
    {
        if (d.structure_id != link.account.id || d.person_id != person_id)
            continue;
        if (!d.active())
            revoked = true;
        else if (!active || d.role == delegate_role::administrator)
            active = &d;
    }
    if (!active)
        return revoked ? errc::access_delegation_revoked : errc::access_not_allowed;
    if ((action == mailbox_action::change_settings || action == mailbox_action::link_unlink) &&
        active->role != delegate_role::administrator)
        return errc::access_reserved_to_administrators;
    return {};
}

}  // namespace mss::domain
