// SPDX-License-Identifier: Apache-2.0
// FHIR searchset Bundle decoder: arbitrary bytes as the Annuaire Santé API's response body. What
// it returns must keep its promises (valid addresses, one entry per address, liste rouge left out)
// and must not depend on the depth limit when the document fits under it.
#include <mss/directory/fhir.hpp>
#include <mss/domain/email_address.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>

namespace
{

namespace fhir = mss::directory::fhir;

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool same_page(const fhir::bundle_page& a, const fhir::bundle_page& b)
{
    return a.entries == b.entries && a.next_url == b.next_url && a.total == b.total &&
           a.liste_rouge == b.liste_rouge && a.invalid == b.invalid;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    mss::diagnostics diag;
    fhir::decode_options options;
    options.max_bytes = 1 << 20;
    const auto page = fhir::decode_bundle(input, diag, options);

    // A shallower limit: either the same page, or refused as too deep (malformed), never anything else.
    fhir::decode_options shallow = options;
    shallow.max_depth = 6;
    mss::diagnostics shallow_diag;
    const auto shallow_page = fhir::decode_bundle(input, shallow_diag, shallow);
    if (shallow_page)
    {
        if (!page || !same_page(*page, *shallow_page))
            __builtin_trap();
    }
    else if (page && shallow_page.error() != mss::directory::errc::fhir_malformed_json)
        __builtin_trap();

    if (!page)
    {
        if (diag.client_message().empty())  // every refusal says why
            __builtin_trap();
        return 0;
    }
    std::set<std::string> addresses;
    for (const auto& e : page->entries)
    {
        if (e.liste_rouge || !mss::domain::email_address::parse(e.address))
            __builtin_trap();
        if (!addresses.insert(lower(e.address)).second)
            __builtin_trap();
        // The department derived from a postal code is 2 or 3 characters, or nothing.
        const std::string department = fhir::department_of_postal_code(e.postal_code);
        if (!department.empty() && department.size() != 2 && department.size() != 3)
            __builtin_trap();
    }

    // The next-page URL is sent back to the server as it came; percent-encoding any text yields
    // only unreserved characters and %XX escapes.
    const std::string encoded = fhir::percent_encode(page->next_url);
    for (std::size_t i = 0; i < encoded.size(); ++i)
    {
        const unsigned char c = static_cast<unsigned char>(encoded[i]);
        if (c == '%')
        {
            if (i + 2 >= encoded.size() || !std::isxdigit(static_cast<unsigned char>(encoded[i + 1])) ||
                !std::isxdigit(static_cast<unsigned char>(encoded[i + 2])))
                __builtin_trap();
            i += 2;
        }
        else if (!std::isalnum(c) && c != '-' && c != '.' && c != '_' && c != '~')
            __builtin_trap();
    }
    return 0;
}
