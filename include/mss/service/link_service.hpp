// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::service::link_service`: linking an MSSanté mailbox to a platform account with a
 *         one-time code sent into the mailbox; unlinking; delegation of structure mailboxes.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/access_control.hpp>
#include <mss/domain/link_code.hpp>
#include <mss/domain/link_policy.hpp>
#include <mss/domain/mailbox_link.hpp>
#include <mss/domain/trust_space.hpp>
#include <mss/store/store.hpp>
#include <mss/transport/mail_submission.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace mss::service {

/** @brief Settings of the link flow. */
struct link_service_config
{
    /** @brief The platform's mailbox that sends the one-time codes (it must be allowed to send
     *         through the `mail_submission` given to the service). */
    domain::email_address code_sender;
    /** @brief The platform's name, as written in the code message ("SPICO"). */
    std::string platform_name = "la plateforme";
    /** @brief Code length, validity, attempts, throttles. */
    domain::link_code_policy codes;
    /** @brief Which accounts may link which mailbox types. */
    domain::link_policy policy;
};

/** @brief Who asks to link which mailbox to which account. */
struct link_request
{
    /** @brief The person acting (the owner, or an administrator of the structure). */
    std::string person_id;
    /** @brief The account to link the mailbox to. */
    domain::account_ref account;
    /** @brief The mailbox (address and type as the operator declares them). */
    domain::mailbox mailbox;
};

/** @brief Something that happened to a link, for the platform (notifications, scheduling). */
struct link_event
{
    /** @brief What happened. */
    enum class kind
    {
        /** @brief A code was sent into the mailbox. */
        code_sent,
        /** @brief The right code was entered: the first synchronisation should start now. */
        linked,
        /** @brief The first synchronisation finished. */
        ready,
        /** @brief The link and the mailbox's local data were removed. */
        unlinked,
    };
    /** @brief What happened. */
    kind what;
    /** @brief The account. */
    domain::account_ref account;
    /** @brief The mailbox address. */
    std::string mailbox;
};

/** @brief The link flow of the seed, over a store and a mail-submission transport.
 *
 *  | step                        | function                  | refusals (domain::errc)              |
 *  |-----------------------------|---------------------------|--------------------------------------|
 *  | ask for a code              | `async_request_code`      | access_*, address_outside_trust_space, mailbox_type_not_allowed, mailbox_linked_elsewhere, account_already_linked, link_code_throttled |
 *  | enter it                    | `confirm_code`            | link_code_missing, link_code_wrong, link_code_expired, link_code_too_many_attempts |
 *  | first synchronisation done  | `mark_ready`              | link_not_found                        |
 *  | "delete my identifier"      | `unlink`                  | access_*, link_not_found              |
 *
 *  The code is drawn from a CSPRNG (OpenSSL's by default), mailed in French into the mailbox
 *  being linked, stored only as a salted PBKDF2 hash. Asking for a new code voids the earlier one.
 *  Every step is written to the audit trail with the person who acted; codes never are.
 *
 *  @par Thread safety
 *  Not thread-safe: serialise calls (one strand).
 *  @par Object lifetimes
 *  The store, trust space and submission transport must outlive the service.
 */
class MSS_API link_service
{
public:
    /** @brief Current time (injected so that expiry is tested exactly). */
    using clock = std::function<std::chrono::sys_seconds()>;
    /** @brief Fills a buffer with cryptographically secure random bytes. */
    using random_source = std::function<void(std::span<std::uint8_t>)>;

    /** @brief Creates the service. `executor` runs completions of handlers that have none of their
     *         own. Default clock: the system clock; default randomness: OpenSSL's `RAND_bytes`. */
    link_service(boost::asio::any_io_executor executor, store::store& db, const domain::trust_space& space,
                 transport::mail_submission& sender, link_service_config config, clock now = {},
                 random_source random = {});

    /** @brief Receives every `link_event` (replaces any earlier callback). */
    void on_event(std::function<void(const link_event&)> callback) { on_event_ = std::move(callback); }

    /** @brief Checks the request, then sends a one-time code into the mailbox.
     *  @par Handler signature
     *  `void(boost::system::error_code)`.
     *  @par Object lifetimes
     *  `request` and `diag` must outlive the operation; nothing happens with `asio::deferred`
     *  until the operation is awaited or invoked.
     *  @par Errors
     *  The domain refusals in the class table (nothing is sent), or the submission's error (the
     *  code is then void, and the attempt still counts for throttling).
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_request_code(const link_request& request, diagnostics& diag, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, void(boost::system::error_code)>(
            [this](auto handler, const link_request* r, diagnostics* d) {
                request_code(*r, *d, std::move(handler));
            },
            token, &request, &diag);
    }

    /** @brief Checks an entered code; on success links the mailbox (state `synchronising`) and
     *         emits `linked`. */
    boost::system::error_code confirm_code(const link_request& request, std::string_view code);

    /** @brief Records that the first synchronisation is done (state `ready`), emits `ready`. */
    boost::system::error_code mark_ready(const domain::account_ref& account, std::string_view address);

    /** @brief "Delete my identifier": removes the link and the mailbox's local data. The acting
     *         person needs the `link_unlink` right. */
    boost::system::error_code unlink(std::string_view person_id, const domain::account_ref& account,
                                     std::string_view address);

    /** @brief Where the link of (account, mailbox) stands. */
    boost::system::result<domain::link_state> state(const domain::account_ref& account, std::string_view address);

    /** @brief Records a delegation granted by the platform (`granted_by` acted). */
    boost::system::error_code grant_delegation(const domain::delegation& grant);

    /** @brief Revokes the active delegation of (structure, person). Effective at once: the very
     *         next `check_access` of that person fails. */
    boost::system::error_code revoke_delegation(std::string_view structure_id, std::string_view person_id,
                                                std::string_view revoked_by);

    /** @brief Whether `person_id` may do `action` with the linked mailbox `address`. */
    boost::system::error_code check_access(std::string_view person_id, std::string_view address,
                                           domain::mailbox_action action);

    /** @brief The linked mailboxes a person may read: their own and those of the structures
     *         they are an active delegate of. */
    boost::system::result<std::vector<domain::mailbox_link>> mailboxes_of(std::string_view person_id);

    /** @brief Appends an audit entry stamped with the service's clock. */
    boost::system::error_code audit(std::string_view person_id, const domain::account_ref& account,
                                    std::string_view address, std::string_view action, std::string_view detail = {});

private:
    void request_code(const link_request& request, diagnostics& diag,
                      boost::asio::any_completion_handler<void(boost::system::error_code)> handler);
    boost::system::error_code check_request(const link_request& request, diagnostics& diag);
    boost::system::error_code check_acting(std::string_view person_id, const domain::account_ref& account);
    void emit(link_event::kind what, const domain::account_ref& account, std::string_view address);

    boost::asio::any_io_executor executor_;
    store::store& db_;
    const domain::trust_space& space_;
    transport::mail_submission& sender_;
    link_service_config config_;
    clock now_;
    random_source random_;
    std::function<void(const link_event&)> on_event_;
};

}  // namespace mss::service
