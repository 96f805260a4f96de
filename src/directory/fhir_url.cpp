// SPDX-License-Identifier: Apache-2.0
// FHIR search URLs of the Annuaire Santé API, built from a directory query.
#include <mss/directory/fhir.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mss::directory::fhir
{
namespace
{

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool all_digits(std::string_view s) noexcept
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_unreserved(unsigned char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string percent_encode(std::string_view value)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size() * 3);
    for (const char ch : value)
    {
        const auto c = static_cast<unsigned char>(ch);
        if (is_unreserved(c))
        {
            out.push_back(ch);
            continue;
        }
        out.push_back('%');
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0x0F]);
    }
    return out;
}

boost::system::result<std::string> search_url(std::string_view base_url, const query& q,
                                              const url_options& options, diagnostics& diag)
{
    diag.clear();
    if (auto ec = validate(q, diag))
        return ec;
    // The base is configuration, not user input, but it ends up in a request line: no query,
    // fragment, space or control character, and HTTPS only (the API key travels with it).
    while (base_url.ends_with('/')) base_url.remove_suffix(1);
    const bool usable =
        base_url.starts_with("https://") && base_url.size() > 8 &&
        base_url.find_first_of("?# \t\r\n") == std::string_view::npos &&
        std::none_of(base_url.begin(), base_url.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
    if (!usable)
    {
        diag.set_client_message("the directory's base URL must be an https:// URL without query or fragment");
        return make_error_code(errc::invalid_query);
    }

    const bool person_named = !trim(q.family_name).empty() || !trim(q.given_name).empty();
    const bool about_structure = !trim(q.organisation).empty() ||
                                 (q.mailbox_type && holder_of(*q.mailbox_type) == holder_kind::structure);
    const bool organization = about_structure && !person_named;

    std::vector<std::pair<std::string_view, std::string>> params;
    const auto add = [&](std::string_view name, std::string_view value)
    {
        value = trim(value);
        if (!value.empty())
            params.emplace_back(name, std::string(value));
    };
    if (organization)
    {
        add("name", q.organisation);
        add("name", q.text);
    }
    else
    {
        add("name", q.text);
        add("family", q.family_name);
        add("given", q.given_name);
        add("qualification-code", q.profession_code);
        add("qualification-code", q.specialty_code);
    }
    add("address-city", q.city);
    add("address-postalcode", q.postal_code);
    // An RPPS number alone is searched as its idNat_PS, `8` + RPPS (the form the API indexes).
    const std::string_view identifier = trim(q.identifier);
    if (!organization && identifier.size() == 11 && all_digits(identifier))
        add("identifier", "8" + std::string(identifier));
    else
        add("identifier", identifier);
    add("mailbox-mss:exact", q.mailbox_address);
    const std::size_t count = std::clamp<std::size_t>(options.count, 1, query::max_limit);
    params.emplace_back("_count", std::to_string(count));
    if (!organization && options.include_roles)
        params.emplace_back("_revinclude", "PractitionerRole:practitioner");

    std::string url(base_url);
    url += organization ? "/Organization" : "/Practitioner";
    for (std::size_t i = 0; i < params.size(); ++i)
    {
        url += i == 0 ? '?' : '&';
        url += params[i].first;  // names are ours: plain ASCII, ':' of a modifier kept
        url += '=';
        url += percent_encode(params[i].second);
    }
    return url;
}

std::string department_of_postal_code(std::string_view postal_code)
{
    postal_code = trim(postal_code);
    if (postal_code.size() != 5 || !all_digits(postal_code))
        return {};
    if (postal_code.starts_with("20"))
        return postal_code.compare(0, 3, "202") < 0 ? "2A" : "2B";
    if (postal_code.starts_with("97") || postal_code.starts_with("98"))
        return std::string(postal_code.substr(0, 3));
    return std::string(postal_code.substr(0, 2));
}

}  // namespace mss::directory::fhir
