// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/address_classification.hpp>
#include <mss/domain/errc.hpp>
#include <mss/domain/send_policy.hpp>

namespace mss::domain {
namespace {

bool is_reply(draft_kind kind) noexcept { return kind == draft_kind::reply || kind == draft_kind::reply_all; }

// The rules for one patient recipient.
boost::system::error_code check_patient(const send_policy& policy, const send_context& context,
                                        const email_address& patient)
{
    if (!context.sender_is_rpps)
        return errc::patient_exchange_requires_rpps;
    if (policy.profile == send_profile::ans_baseline)
        return {};
    if (!is_reply(context.kind))
        return errc::patient_conversation_cannot_be_started;
    if (!context.original_patient_sender || !(*context.original_patient_sender == patient))
        return errc::patient_not_in_conversation;
    if (!context.from_patient_folder)
        return errc::patient_reply_outside_patient_folder;
    return {};
}

}  // namespace

std::optional<send_refusal> check_recipients(const send_policy& policy, const send_context& context,
                                             std::span<const email_address> recipients, const trust_space& space)
{
    if (recipients.empty())
        return send_refusal{errc::no_recipients, {}};
    bool has_patient = false;
    bool has_professional = false;
    for (const auto& r : recipients)
    {
        const auto verdict = classify_address(r, space);
        switch (verdict.kind)
        {
        case address_kind::invalid: return send_refusal{errc::recipient_invalid, r.str()};
        case address_kind::outside_trust_space: return send_refusal{errc::recipient_outside_trust_space, r.str()};
        case address_kind::professional: has_professional = true; break;
        case address_kind::patient:
            has_patient = true;
            if (auto ec = check_patient(policy, context, r))
                return send_refusal{ec, r.str()};
            break;
        }
        if (has_patient && has_professional && !policy.allow_mixed_recipients)
            return send_refusal{errc::mixed_patient_and_professional, r.str()};
    }
    return std::nullopt;
}

}  // namespace mss::domain
