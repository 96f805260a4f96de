// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/address_classification.hpp>
#include <mss/domain/errc.hpp>

namespace mss::domain {

address_classification classify_address(const email_address& address, const trust_space& space)
{
    address_classification out;
    out.address = address;
    if (address.domain() == patient_domain)
    {
        diagnostics diag;
        auto patient = ins::parse(address.local_part(), diag);
        if (!patient)
        {
            out.kind = address_kind::invalid;
            out.error = patient.error();
            out.reason = "a patient address must be <INS>@patient.mssante.fr with a qualified INS: " +
                         diag.client_message();
            return out;
        }
        out.kind = address_kind::patient;
        out.patient_ins = *patient;
        out.reason = "patient mailbox (Mon espace sante): the local part is an INS with a valid key";
        return out;
    }
    out.operators = space.entries_of(address.domain());
    if (out.operators.empty())
    {
        out.kind = address_kind::outside_trust_space;
        out.reason = "the domain " + std::string(address.domain()) + " is not in the MSSante trust space";
        return out;
    }
    out.kind = address_kind::professional;
    out.reason = "the domain " + std::string(address.domain()) + " is in the MSSante trust space (" +
                 std::to_string(out.operators.size()) + (out.operators.size() == 1 ? " entry)" : " entries)");
    return out;
}

address_classification classify_address(std::string_view text, const trust_space& space)
{
    diagnostics diag;
    auto address = email_address::parse(text, diag);
    if (address)
        return classify_address(*address, space);
    address_classification out;
    out.kind = address_kind::invalid;
    out.error = address.error();
    out.reason = diag.client_message().empty() ? out.error.message() : diag.client_message();
    if (diag.position())
        out.reason += " (byte " + std::to_string(diag.position()->offset) + ")";
    return out;
}

std::string_view to_string(address_kind kind) noexcept
{
    switch (kind)
    {
    case address_kind::professional: return "professional";
    case address_kind::patient: return "patient";
    case address_kind::outside_trust_space: return "outside_trust_space";
    case address_kind::invalid: return "invalid";
    }
    return "invalid";
}

}  // namespace mss::domain
