// SPDX-License-Identifier: Apache-2.0
// The pure parts of the query model: validation, the exact criteria that clients apply to server
// results, and the choice of directory.
#include <mss/directory/entry.hpp>
#include <mss/directory/errc.hpp>
#include <mss/directory/query.hpp>
#include <mss/directory/selection.hpp>

#include <algorithm>
#include <string>
#include <string_view>

namespace mss::directory
{
namespace
{

// C0 controls and DEL: nothing a person types in a search box, and a CR/LF could end up in an
// HTTP request line or a log.
bool has_control(std::string_view s) noexcept
{
    return std::any_of(s.begin(), s.end(),
                       [](char c)
                       {
                           const auto u = static_cast<unsigned char>(c);
                           return u < 0x20 || u == 0x7F;
                       });
}

char lower_ascii(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequal_ascii(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [](char x, char y) { return lower_ascii(x) == lower_ascii(y); });
}

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

boost::system::error_code validate(const query& q, diagnostics& diag)
{
    const auto refuse = [&diag](std::string message)
    {
        diag.set_client_message(std::move(message));
        return make_error_code(errc::invalid_query);
    };
    if (q.limit == 0 || q.limit > query::max_limit)
        return refuse("the query's limit must be between 1 and " + std::to_string(query::max_limit));
    const std::pair<std::string_view, const std::string*> fields[] = {
        {"text", &q.text},
        {"family name", &q.family_name},
        {"given name", &q.given_name},
        {"organisation", &q.organisation},
        {"city", &q.city},
        {"profession code", &q.profession_code},
        {"specialty code", &q.specialty_code},
        {"postal code", &q.postal_code},
        {"department", &q.department},
        {"identifier", &q.identifier},
        {"mailbox address", &q.mailbox_address},
        {"cursor", &q.cursor},
    };
    for (const auto& [name, value] : fields)
    {
        // A cursor carries a next-page URL for the FHIR directory: allow it more room.
        const std::size_t max = name == "cursor" ? 8 * query::max_text : query::max_text;
        if (value->size() > max)
            return refuse("the query's " + std::string(name) + " is longer than " + std::to_string(max) +
                          " bytes");
        if (has_control(*value))
            return refuse("the query's " + std::string(name) + " contains a control character");
    }
    return {};
}

bool is_empty(const query& q) noexcept
{
    return q.text.empty() && q.family_name.empty() && q.given_name.empty() && q.organisation.empty() &&
           q.city.empty() && q.profession_code.empty() && q.specialty_code.empty() && q.postal_code.empty() &&
           q.department.empty() && !q.mailbox_type && q.identifier.empty() && q.mailbox_address.empty();
}

holder_kind holder_of(domain::mailbox_type type) noexcept
{
    switch (type)
    {
    case domain::mailbox_type::per:
    case domain::mailbox_type::cab:
        return holder_kind::person;
    case domain::mailbox_type::org:
    case domain::mailbox_type::app:
        return holder_kind::structure;
    }
    return holder_kind::person;
}

bool matches_exact_criteria(const entry& e, const query& q) noexcept
{
    if (e.liste_rouge)
        return false;
    if (q.mailbox_type && e.type != *q.mailbox_type)
        return false;
    const auto same = [](std::string_view wanted, std::string_view have)
    {
        wanted = trim(wanted);
        return wanted.empty() || wanted == trim(have);
    };
    if (!same(q.profession_code, e.profession.code) || !same(q.specialty_code, e.specialty.code) ||
        !same(q.postal_code, e.postal_code) || !same(q.department, e.department))
        return false;
    if (const auto wanted = trim(q.mailbox_address); !wanted.empty() && !iequal_ascii(wanted, e.address))
        return false;
    return true;
}

directory_kind select_directory(const domain::person& who) noexcept
{
    return who.has_rpps_or_adeli() ? directory_kind::national : directory_kind::regional;
}

std::string_view to_string(directory_kind kind) noexcept
{
    return kind == directory_kind::national ? "national" : "regional";
}

}  // namespace mss::directory
