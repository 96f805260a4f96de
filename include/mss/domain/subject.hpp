// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Subject rules: reply and forward prefixes, the documents subject, display.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/patient_info.hpp>

#include <string>
#include <string_view>

namespace mss::domain {

/** @brief The subject of a reply: `RE : ` once, whatever prefixes the original carries
 *         (`Re:`, `RE:`, `RE :`, `AW:`, `Réf :`, `TR :`, `Fwd:`, `FW:` ..., repeated or not). */
MSS_API std::string reply_subject(std::string_view original);

/** @brief The subject of a forward: `TR : ` once, existing prefixes removed. */
MSS_API std::string forward_subject(std::string_view original);

/** @brief The subject without its reply/forward prefixes. */
MSS_API std::string strip_subject_prefixes(std::string_view subject);

/** @brief The default subject of documents sent from a coordination file:
 *         `<category> – <FAMILY NAME> <Given name> <dd/mm/yyyy>`. */
MSS_API std::string documents_subject(std::string_view category, const patient_info& patient);

/** @brief The subject as shown: the ECO.2.1.3 prefix `XDM/1.0/DDM+` is hidden (ECO.3.1.3). */
MSS_API std::string display_subject(std::string_view subject);

}  // namespace mss::domain
