// SPDX-License-Identifier: Apache-2.0
// `mss delegate add|remove|list`: who acts for the structure whose box (ORG or APP) is configured.
//
//   mss delegate add PERSON_ID [--role delegate|administrator]
//   mss delegate remove PERSON_ID
//   mss delegate list [--all]
//
// Delegates read and send with the structure's box; administrators also link and unlink it and
// manage the delegates. A structure without an administrator gets its first one when the
// configured person names themselves (`mss delegate add MY_ID --role administrator`); from then
// on only administrators grant and revoke. Revoking takes effect at the very next command.
#include "commands.hpp"
#include "messages.hpp"
#include "session.hpp"

#include <mss/domain/access_control.hpp>
#include <mss/domain/errc.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace mss_cli {
namespace {

namespace domain = mss::domain;

std::string_view role_name(domain::delegate_role role)
{
    return role == domain::delegate_role::administrator ? "administrator" : "delegate";
}

std::chrono::sys_seconds now()
{
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The structure's account, or a usage error for a person's box.
domain::account_ref structure_of(session& s)
{
    if (!s.structure_mailbox())
        throw usage_error(fmt::format("{} is a {} box: delegates belong to a structure's box (mailbox_type = ORG or "
                                      "APP, with structure_id)",
                                      s.mailbox().address.str(), domain::to_code(s.mailbox().type)));
    return s.account();
}

std::vector<domain::delegation> delegations_of(session& s, const domain::account_ref& structure)
{
    auto found = s.db().delegations_of_structure(structure.id);
    if (!found)
        throw failure(fmt::format("cannot read the store: {}", found.error().message()));
    return std::move(*found);
}

// Whether the configured person may do `action` for the structure, decided by the domain's rule
// on the structure's delegations (the box need not be linked yet: the first administrator is
// named before the link).
boost::system::error_code may(session& s, const domain::account_ref& structure,
                              const std::vector<domain::delegation>& delegations, domain::mailbox_action action)
{
    const domain::mailbox_link stand_in{structure, s.mailbox(), domain::link_state::not_linked, {}};
    return domain::check_access(s.person().id, stand_in, delegations, action);
}

const domain::delegation* active_of(const std::vector<domain::delegation>& delegations, std::string_view person)
{
    auto it = std::find_if(delegations.begin(), delegations.end(),
                           [&](const auto& d) { return d.person_id == person && d.active(); });
    return it == delegations.end() ? nullptr : &*it;
}

void refuse_unless_administrator(session& s, const domain::account_ref& structure,
                                 const std::vector<domain::delegation>& delegations)
{
    if (auto ec = may(s, structure, delegations, domain::mailbox_action::link_unlink))
    {
        auto refused = s.refusal(fmt::format("{} may not manage the delegates of {}", s.person().id, structure.id), ec, {});
        refused.hint = fmt::format("ask an administrator of {} (`mss delegate list` shows them)", structure.id);
        throw refused;
    }
}

void say_done(session& s, std::string_view action, const domain::account_ref& structure, std::string_view person,
              std::optional<domain::delegate_role> role, std::string_view text)
{
    if (s.out().json())
    {
        json_writer doc;
        doc.begin_object()
            .member("ok", true)
            .member("action", action)
            .member("structure", structure.id)
            .member("mailbox", s.mailbox().address.str())
            .member("person", person);
        if (role)
            doc.member("role", role_name(*role));
        s.out().emit(doc.end_object());
    }
    else
        s.out().say(text);
}

int run_add(session& s, const arguments& args)
{
    if (args.positional().size() != 2)
        throw usage_error("delegate add takes one person: mss delegate add PERSON_ID [--role delegate|administrator]");
    const std::string person = args.positional()[1];
    if (person.empty())
        throw usage_error("the person id is empty");
    auto role = domain::delegate_role::delegate;
    if (auto text = args.value("role"))
    {
        if (*text == "administrator")
            role = domain::delegate_role::administrator;
        else if (*text != "delegate")
            throw usage_error(fmt::format("--role is delegate or administrator, not {}", printable(*text)));
    }
    const auto structure = structure_of(s);
    const auto delegations = delegations_of(s, structure);
    const bool has_administrator = std::any_of(delegations.begin(), delegations.end(), [](const auto& d) {
        return d.active() && d.role == domain::delegate_role::administrator;
    });
    const bool first_administrator = !has_administrator && person == s.person().id &&
                                     role == domain::delegate_role::administrator;
    if (!first_administrator)
    {
        if (!has_administrator)
            throw failure(fmt::format("{} has no administrator yet", structure.id),
                          fmt::format("name the first one: `mss delegate add {} --role administrator` (yourself)",
                                      s.person().id));
        refuse_unless_administrator(s, structure, delegations);
    }
    if (const auto* current = active_of(delegations, person))
    {
        if (current->role == role)
            throw failure(fmt::format("{} is already {} of {}", person,
                                      role == domain::delegate_role::administrator ? "an administrator" : "a delegate",
                                      structure.id),
                          "`mss delegate list` shows the delegates");
        // A change of role is a revocation and a new grant: both stay on record.
        if (auto ec = s.links().revoke_delegation(structure.id, person, s.person().id))
            throw failure(fmt::format("cannot record the change: {}", ec.message()));
    }
    if (auto ec = s.links().grant_delegation({structure.id, person, role, now(), s.person().id, {}, {}}))
        throw failure(fmt::format("cannot record the delegation: {}", ec.message()));
    say_done(s, "granted", structure, person, role,
             fmt::format("{} is now {} of {}: they see {}{}", person,
                         role == domain::delegate_role::administrator ? "an administrator" : "a delegate", structure.id,
                         s.mailbox().address.str(), first_administrator ? " (first administrator)" : ""));
    return exit_ok;
}

int run_remove(session& s, const arguments& args)
{
    if (args.positional().size() != 2)
        throw usage_error("delegate remove takes one person: mss delegate remove PERSON_ID");
    const std::string person = args.positional()[1];
    const auto structure = structure_of(s);
    const auto delegations = delegations_of(s, structure);
    refuse_unless_administrator(s, structure, delegations);
    if (!active_of(delegations, person))
        throw failure(fmt::format("{} is not a delegate of {}", printable(person), structure.id),
                      "`mss delegate list` shows the delegates");
    if (auto ec = s.links().revoke_delegation(structure.id, person, s.person().id))
        throw failure(fmt::format("cannot record the revocation: {}", ec.message()));
    say_done(s, "revoked", structure, person, std::nullopt,
             fmt::format("{} is no longer a delegate of {}: {} is closed to them from now on", person, structure.id,
                         s.mailbox().address.str()));
    return exit_ok;
}

int run_list(session& s, const arguments& args)
{
    if (args.positional().size() != 1)
        throw usage_error("delegate list takes no argument");
    const auto structure = structure_of(s);
    const auto delegations = delegations_of(s, structure);
    // The list is for those who act for the structure.
    if (auto ec = may(s, structure, delegations, domain::mailbox_action::read))
        throw s.refusal(fmt::format("{} may not see the delegates of {}", s.person().id, structure.id), ec, {});
    const bool all = args.has("all");
    json_writer doc;
    doc.begin_object().member("ok", true).member("structure", structure.id).key("delegates").begin_array();
    s.out().say(fmt::format("{:<20} {:<14} {:<17} {:<20} {}", "PERSON", "ROLE", "GRANTED", "BY", all ? "REVOKED" : ""));
    for (const auto& d : delegations)
    {
        if (!all && !d.active())
            continue;
        s.out().say(fmt::format("{:<20} {:<14} {:<17} {:<20} {}", printable(d.person_id), role_name(d.role),
                                format_date(d.granted_at), printable(d.granted_by),
                                d.revoked_at ? fmt::format("{} by {}", format_date(*d.revoked_at), printable(d.revoked_by))
                                             : ""));
        doc.begin_object()
            .member("person", d.person_id)
            .member("role", role_name(d.role))
            .member("granted_at", format_date(d.granted_at))
            .member("granted_by", d.granted_by)
            .member("active", d.active());
        if (d.revoked_at)
            doc.member("revoked_at", format_date(*d.revoked_at)).member("revoked_by", d.revoked_by);
        doc.end_object();
    }
    doc.end_array().end_object();
    if (s.out().json())
        s.out().emit(doc);
    return exit_ok;
}

int run_delegate(session& s, const arguments& args)
{
    const auto& words = args.positional();
    if (words.empty())
        throw usage_error("delegate needs a subcommand: add PERSON_ID, remove PERSON_ID or list");
    if (words[0] == "add")
        return run_add(s, args);
    if (words[0] == "remove")
        return run_remove(s, args);
    if (words[0] == "list")
        return run_list(s, args);
    throw usage_error(fmt::format("unknown subcommand {}: add, remove or list", printable(words[0])));
}

constexpr option_spec delegate_options[] = {
    {"role", true, false, "with add: delegate (read and send, the default) or administrator (also link and manage)"},
    {"all", false, false, "with list: revoked delegations too"},
};

}  // namespace

const command cmd_delegate{"delegate", "add PERSON_ID [--role delegate|administrator] | remove PERSON_ID | list [--all]",
                           "who acts for the structure's box (ORG/APP): grant, revoke, list", delegate_options,
                           &run_delegate};

}  // namespace mss_cli
