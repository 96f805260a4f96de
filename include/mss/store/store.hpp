// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::store::store`: the one persistence interface for the library's state.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/audit_entry.hpp>
#include <mss/domain/delegation.hpp>
#include <mss/domain/link_code.hpp>
#include <mss/domain/mailbox_link.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mss::store {

/** @brief Where the library keeps its state: links, pending one-time codes (hashes only), code
 *         requests (for throttling), delegations and the audit trail.
 *
 *  Two implementations ship: `memory_store` (tests, examples) and `sqlite_store` (the embedded
 *  default). Both pass the same contract tests (`tests/unit/store/contract`). Every function is
 *  one atomic change: it happens whole or not at all.
 *
 *  Calls are synchronous: the SQLite store works on a local file, in microseconds; an integrator
 *  whose store is remote can run the services on a thread pool.
 *
 *  @par Thread safety
 *  Implementations are safe to call from several threads at once.
 *  @par Errors
 *  `mss::store::errc` for storage failures; the domain errors named per function for refusals.
 */
class MSS_API store
{
public:
    virtual ~store() = default;

    /** @name Links
     *  A mailbox is linked to at most one account. */
    ///@{
    /** @brief Inserts or updates the link of `link.account` to `link.box`.
     *  @par Errors
     *  `domain::errc::mailbox_linked_elsewhere` when another account has this mailbox.
     */
    virtual boost::system::error_code save_link(const domain::mailbox_link& link) = 0;
    /** @brief The links of an account (at most one under the default policy). */
    virtual boost::system::result<std::vector<domain::mailbox_link>> links_of(const domain::account_ref& account) = 0;
    /** @brief The link of a mailbox, whoever holds it. */
    virtual boost::system::result<std::optional<domain::mailbox_link>> link_of_mailbox(std::string_view address) = 0;
    /** @brief Every link. */
    virtual boost::system::result<std::vector<domain::mailbox_link>> all_links() = 0;
    /** @brief Removes a link and everything stored for that mailbox (pending codes included).
     *  @par Errors
     *  `domain::errc::link_not_found` when there is no such link.
     */
    virtual boost::system::error_code delete_link(const domain::account_ref& account, std::string_view address) = 0;
    ///@}

    /** @name One-time codes */
    ///@{
    /** @brief Stores the pending code of (account, mailbox), replacing (voiding) any earlier one. */
    virtual boost::system::error_code save_pending_code(const domain::pending_link_code& code) = 0;
    /** @brief The pending code of (account, mailbox), if any. */
    virtual boost::system::result<std::optional<domain::pending_link_code>> pending_code(
        const domain::account_ref& account, std::string_view address) = 0;
    /** @brief Forgets the pending code of (account, mailbox). */
    virtual boost::system::error_code delete_pending_code(const domain::account_ref& account,
                                                          std::string_view address) = 0;
    /** @brief Records that a code was requested at `at`. */
    virtual boost::system::error_code record_code_request(const domain::account_ref& account, std::string_view address,
                                                          std::chrono::sys_seconds at) = 0;
    /** @brief Times of the code requests for (account, mailbox) since `since`. */
    virtual boost::system::result<std::vector<std::chrono::sys_seconds>> code_requests(
        const domain::account_ref& account, std::string_view address, std::chrono::sys_seconds since) = 0;
    ///@}

    /** @name Delegations and audit */
    ///@{
    /** @brief Records a grant, or the revocation of the active grant of (structure, person). */
    virtual boost::system::error_code save_delegation(const domain::delegation& d) = 0;
    /** @brief Every delegation (active and revoked) of a structure. */
    virtual boost::system::result<std::vector<domain::delegation>> delegations_of_structure(std::string_view structure_id) = 0;
    /** @brief Every delegation (active and revoked) held by a person. */
    virtual boost::system::result<std::vector<domain::delegation>> delegations_of_person(std::string_view person_id) = 0;
    /** @brief Appends to the audit trail. */
    virtual boost::system::error_code append_audit(const domain::audit_entry& entry) = 0;
    /** @brief The audit trail of a mailbox, oldest first. */
    virtual boost::system::result<std::vector<domain::audit_entry>> audit_of_mailbox(std::string_view address) = 0;
    ///@}
};

}  // namespace mss::store
