// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::send_policy`: who may write to whom (MSSanté rules, and the stricter
 *         profile of the seed's platform).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/email_address.hpp>
#include <mss/domain/trust_space.hpp>

#include <boost/system/error_code.hpp>

#include <optional>
#include <span>
#include <string>

namespace mss::domain {

/** @brief How a message comes to be written. */
enum class draft_kind
{
    /** @brief A new message. */
    new_message,
    /** @brief A reply to the sender. */
    reply,
    /** @brief A reply to the sender and every recipient. */
    reply_all,
    /** @brief A forward. */
    forward,
    /** @brief Documents of a patient's coordination file. */
    documents,
};

/** @brief The two rule sets.
 *
 *  | rule                                         | platform | ANS baseline |
 *  |----------------------------------------------|----------|--------------|
 *  | recipients in the trust space or patients    | yes      | yes          |
 *  | start a conversation with a patient          | never    | RPPS only    |
 *  | reply to a patient                           | RPPS, to the patient who wrote, from the patient folder | RPPS only |
 *  | forward to a patient                         | never    | RPPS only    |
 */
enum class send_profile
{
    /** @brief The seed's platform (SPICO): a patient is only ever answered, never written to first. */
    platform,
    /** @brief ANS rules: professionals may start a conversation with a patient and close it
     *         with `X-MSS-MES: FIN`. */
    ans_baseline,
};

/** @brief The policy: a profile and its switches. */
struct send_policy
{
    /** @brief The rule set. */
    send_profile profile = send_profile::platform;
    /** @brief Whether patients and professionals may be recipients of one message (allowed since
     *         Ref #2 v0.1; a hook for platforms that still forbid it). */
    bool allow_mixed_recipients = true;
};

/** @brief What the policy needs to know about the message being sent. */
struct send_context
{
    /** @brief How the draft came to be. */
    draft_kind kind = draft_kind::new_message;
    /** @brief The acting person is registered in RPPS. */
    bool sender_is_rpps = false;
    /** @brief For replies: the patient who wrote the original message, if a patient did. */
    std::optional<email_address> original_patient_sender;
    /** @brief For replies: the reply was started from the *MSSanté – Patients* folder. */
    bool from_patient_folder = false;
};

/** @brief Why the policy refused a message: the error and the recipient concerned. */
struct send_refusal
{
    /** @brief A `domain::errc` value. */
    boost::system::error_code error;
    /** @brief The offending recipient, as given (empty for `no_recipients`). */
    std::string recipient;
};

/** @brief Checks every recipient; the first refusal is returned, and nothing may be sent then.
 *  @return empty when the message may be sent.
 */
MSS_API std::optional<send_refusal> check_recipients(const send_policy& policy, const send_context& context,
                                                     std::span<const email_address> recipients,
                                                     const trust_space& space);

}  // namespace mss::domain
