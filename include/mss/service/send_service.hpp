// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::service::send_service`: sending a draft with the send policy, through the durable
 *         outbox, then keeping its copy in Sent.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/draft.hpp>
#include <mss/domain/outbox_policy.hpp>
#include <mss/domain/send_policy.hpp>
#include <mss/service/link_service.hpp>
#include <mss/store/store.hpp>
#include <mss/transport/mail_submission.hpp>
#include <mss/transport/mailbox_access.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mss::service {

/** @brief Settings of sending. */
struct send_config
{
    /** @brief `X-MSS-NIL` product reference (required: sending without one is a configuration error). */
    std::string product_reference;
    /** @brief Who may write to whom. */
    domain::send_policy policy;
    /** @brief Retries of the outbox. */
    domain::retry_policy retry;
    /** @brief Name of the Sent folder of the operator's mailboxes. */
    std::string sent_folder = "Sent";
};

/** @brief What became of one message. */
struct send_report
{
    /** @brief Its outbox item. */
    std::int64_t outbox_id = 0;
    /** @brief Where it stands now (`sent`, `retry` or `failed`). */
    domain::outbox_state state = domain::outbox_state::queued;
    /** @brief The server's answer per recipient (refusals included). */
    std::vector<transport::recipient_result> recipients;
    /** @brief Its `Message-ID`. */
    std::string message_id;
    /** @brief UID of its copy in Sent, once appended. */
    std::optional<std::uint32_t> sent_uid;
    /** @brief When the send policy refused: the recipient it refused (kept out of the diagnostics'
     *         message, which may be logged, because a patient's address holds their INS). */
    std::string refused_recipient;
};

/** @brief The transports of a mailbox, for outbox work on several mailboxes. */
struct mailbox_transports
{
    /** @brief Submission as that mailbox. */
    transport::mail_submission* submission = nullptr;
    /** @brief Access to that mailbox (for the copy in Sent). */
    transport::mailbox_access* access = nullptr;
};

/** @brief Sends drafts.
 *
 *  `async_send` checks the acting person's right to send with the mailbox, then the send policy
 *  for every recipient (a refusal names the recipient and nothing is queued or sent), renders the
 *  message with its Message-ID fixed, commits it to the outbox (durable), submits it, records the
 *  per-recipient results, appends the copy to Sent and indexes it. Temporary failures (4xx,
 *  network, time-outs) leave the item in `retry` with its next attempt time; permanent refusals
 *  (5xx for every recipient) mark it `failed`. If appending the copy fails it is retried on its
 *  own later, never by sending again.
 *
 *  `async_process_outbox` does the due work: retries, copies still pending, and items a crash
 *  left in `sending` — for which the Sent folder is searched by Message-ID first, so that a
 *  message already delivered is marked sent instead of being sent twice.
 *
 *  @par Thread safety
 *  Not thread-safe: serialise calls.
 */
class MSS_API send_service
{
public:
    /** @brief Completion signature of `async_send`. */
    using send_signature = void(boost::system::error_code, send_report);
    /** @brief Completion signature of `async_process_outbox`: how many items were worked on. */
    using process_signature = void(boost::system::error_code, std::size_t);
    /** @brief Current time. */
    using clock = std::function<std::chrono::sys_seconds()>;

    /** @brief The store holds the outbox and the index; the link service knows who may send. */
    send_service(boost::asio::any_io_executor executor, store::store& db, const domain::trust_space& space,
                 link_service& links, send_config config, clock now = {});

    /** @brief Sends `d` through `submission`, keeping the copy through `access`.
     *  @par Handler signature
     *  `void(boost::system::error_code, mss::service::send_report)`.
     *  @par Errors
     *  Refusals before queueing (nothing sent): `domain::errc::access_*`, the policy's errors with
     *  the recipient in `send_report::refused_recipient`, `mss::errc::configuration_error` (no
     *  product reference). After queueing, the report says what happened; the error is the submission's
     *  when the item is in `retry` or `failed`.
     *  @par Object lifetimes
     *  `d`, the transports and `diag` must outlive the operation.
     */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_send(const domain::draft& d, transport::mail_submission& submission, transport::mailbox_access& access,
                    diagnostics& diag, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, send_signature>(
            [this](auto handler, const domain::draft* dr, transport::mail_submission* s, transport::mailbox_access* a,
                   diagnostics* dg) { start_send(*dr, *s, *a, *dg, std::move(handler)); },
            token, &d, &submission, &access, &diag);
    }

    /** @brief Works on every due outbox item and pending copy, getting each mailbox's transports
     *         from `transports_of`. */
    template <class CompletionToken = boost::asio::deferred_t>
    auto async_process_outbox(std::function<mailbox_transports(const std::string& mailbox)> transports_of,
                              diagnostics& diag, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, process_signature>(
            [this](auto handler, std::function<mailbox_transports(const std::string&)> t, diagnostics* dg) {
                start_process(std::move(t), *dg, std::move(handler));
            },
            token, std::move(transports_of), &diag);
    }

private:
    void start_send(const domain::draft& d, transport::mail_submission& submission, transport::mailbox_access& access,
                    diagnostics& diag, boost::asio::any_completion_handler<send_signature> handler);
    void start_process(std::function<mailbox_transports(const std::string&)> transports_of, diagnostics& diag,
                       boost::asio::any_completion_handler<process_signature> handler);

    boost::asio::any_io_executor executor_;
    store::store& db_;
    const domain::trust_space& space_;
    link_service& links_;
    send_config config_;
    clock now_;
};

}  // namespace mss::service
