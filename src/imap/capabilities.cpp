// SPDX-License-Identifier: Apache-2.0
#include <mss/imap/capabilities.hpp>

#include "imap/text.hpp"

#include <algorithm>

namespace mss::imap {

void capability_set::assign(std::span<const std::string_view> atoms)
{
    static constexpr std::string_view known_names[] = {
        "IMAP4REV1", "STARTTLS", "LOGINDISABLED", "SASL-IR", "LITERAL+", "LITERAL-", "IDLE",   "CONDSTORE",
        "QRESYNC",   "ENABLE",   "UIDPLUS",       "MOVE",    "SPECIAL-USE", "UTF8=ACCEPT", "ESEARCH", "BINARY",
    };
    names_.clear();
    bits_ = 0;
    for (auto a : atoms)
    {
        std::string name(a);
        for (auto& c : name)
        {
            if (c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 32);
        }
        for (std::size_t k = 0; k < std::size(known_names); ++k)
        {
            if (name == known_names[k])
                bits_ |= 1u << k;
        }
        names_.push_back(std::move(name));
    }
}

void capability_set::clear() noexcept
{
    names_.clear();
    bits_ = 0;
}

bool capability_set::has(std::string_view name) const noexcept
{
    return std::any_of(names_.begin(), names_.end(),
                       [name](const std::string& n) { return detail::iequals(n, name); });
}

bool capability_set::has_auth(std::string_view mechanism) const noexcept
{
    return std::any_of(names_.begin(), names_.end(), [mechanism](const std::string& n) {
        return n.size() == 5 + mechanism.size() && n.compare(0, 5, "AUTH=") == 0 &&
               detail::iequals(std::string_view(n).substr(5), mechanism);
    });
}

}  // namespace mss::imap
