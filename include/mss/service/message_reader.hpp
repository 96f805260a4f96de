// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Reading a received (or sent) message into what replies and forwards need.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/indexed_message.hpp>
#include <mss/domain/original_message.hpp>

#include <boost/system/result.hpp>

#include <string_view>

namespace mss::service {

/** @brief Reads `raw` (a whole RFC 5322 message) into an `original_message`: threading headers,
 *         decoded subject and addresses, the text and HTML bodies (decoded to UTF-8), and the
 *         attachments with their file names; `indexed` gives its classification.
 *
 *  Lenient like a mail client: malformed parts are skipped, not fatal. Nesting is bounded
 *  (depth 32), so a hostile message cannot exhaust the stack.
 *  @par Errors
 *  `mss::errc::malformed_response` when the header block cannot be read at all.
 */
MSS_API boost::system::result<domain::original_message> read_original(std::string_view raw,
                                                                      const domain::indexed_message& indexed,
                                                                      bool opened_from_patient_folder);

}  // namespace mss::service
