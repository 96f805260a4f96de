// SPDX-License-Identifier: Apache-2.0
#include <mss/imap/response.hpp>

#include "imap/text.hpp"

#include <algorithm>
#include <string>

namespace mss::imap {

std::string_view fetch_data::param(index_range r, std::string_view name) const noexcept
{
    for (const auto& p : params_of(r))
    {
        if (detail::iequals(p.name, name))
            return p.value;
    }
    return {};
}

std::string fetch_data::section_of(std::size_t part) const
{
    // Walk up to the root, collecting numbers. RFC 3501 §6.4.5: a multipart has no number of its
    // own (its children extend its parent's), the body of a message/rfc822 is `n.1` unless it is
    // a multipart, and a single-part message's only part is `1`.
    if (part >= body_structure.size())
        return {};
    std::uint32_t numbers[256];
    std::size_t count = 0;
    auto i = static_cast<std::uint32_t>(part);
    for (;;)
    {
        const auto& node = body_structure[i];
        if (node.parent == body_part::npos)
        {
            if (!node.multipart && count < std::size(numbers))
                numbers[count++] = 1;
            break;
        }
        const auto& parent = body_structure[node.parent];
        if (count < std::size(numbers))
        {
            if (parent.multipart)
                numbers[count++] = node.index_in_parent;
            else if (!node.multipart)
                numbers[count++] = 1;
        }
        i = node.parent;
        // The root of a single-part message numbers its body `1`; a message/rfc822 root is that
        // very part, so its encapsulated body is `1.1`: handled by the loop's root case above.
    }
    std::string out;
    for (std::size_t k = count; k > 0; --k)
    {
        out += std::to_string(numbers[k - 1]);
        if (k > 1)
            out.push_back('.');
    }
    return out;
}

void fetch_data::clear() noexcept
{
    sequence = 0;
    present = 0;
    uid = 0;
    modseq = 0;
    rfc822_size = 0;
    internal_date = {};
    flags.clear();
    envelope = {};
    body_structure.clear();
    sections.clear();
    binary_sizes.clear();
    addresses.clear();
    envelopes.clear();
    params.clear();
    languages.clear();
}

void response::clear() noexcept
{
    kind = response_kind::data;
    data = data_kind::none;
    raw = {};
    tag = {};
    name = {};
    status.condition = status_condition::ok;
    status.code.clear();
    status.text = {};
    number = 0;
    atoms.clear();
    list.attributes.clear();
    list.attribute_bits = 0;
    list.delimiter = 0;
    list.name = {};
    list.raw_name = {};
    list.name_decoded = true;
    status_data = {};
    search.numbers.clear();
    search.modseq = 0;
    esearch = {};
    vanished.earlier = false;
    vanished.uids.clear();
    fetch.clear();
}

}  // namespace mss::imap
