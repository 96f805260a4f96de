// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::transport::in_memory_operator`: a whole mail operator in memory, for tests and
 *         examples — submission and mailbox access without any network.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/email_address.hpp>
#include <mss/transport/mail_submission.hpp>
#include <mss/transport/mailbox_access.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace mss::transport {

/** @brief How the in-memory operator answers one recipient, to simulate refusals. */
struct simulated_reply
{
    /** @brief Reply code: 2xx accepts, 4xx/5xx refuse. */
    int code = 250;
    /** @brief Enhanced status code. */
    std::string enhanced_code = "2.1.5";
    /** @brief Text. */
    std::string text = "Ok";
};

/** @brief An operator holding mailboxes in memory. Messages submitted through `submission()` are
 *         delivered at once into each recipient's INBOX; `access()` reads one mailbox.
 *
 *  Each mailbox has the folders `INBOX`, `Sent`, `Drafts` and `Trash`, UIDs, MODSEQs and a
 *  UIDVALIDITY, so that synchronisation code runs against it exactly as against IMAP.
 *  Recipients without a mailbox are refused like Postfix does (550 5.1.1); a sender may only
 *  send as the mailbox it authenticated as (553 5.7.1).
 *
 *  @par Thread safety
 *  The operator and every object it hands out may be used from any thread: state is guarded by
 *  one mutex. Completions run on the handler's associated executor, or else on the operator's.
 *  @par Object lifetimes
 *  Objects returned by `submission()` and `access()` keep the operator's state alive.
 */
class MSS_API in_memory_operator
{
public:
    /** @brief Creates an empty operator whose completions default to `executor`. */
    explicit in_memory_operator(boost::asio::any_io_executor executor);
    ~in_memory_operator();

    /** @brief Creates a mailbox (idempotent). */
    void add_mailbox(const domain::email_address& address);

    /** @brief A submission endpoint authenticated as `user`. */
    [[nodiscard]] std::unique_ptr<mail_submission> submission(const domain::email_address& user);

    /** @brief Access to `user`'s mailbox. */
    [[nodiscard]] std::unique_ptr<mailbox_access> access(const domain::email_address& user);

    /** @brief Replaces the answer given to recipients: called for each recipient that has a
     *         mailbox; returning nothing means the normal acceptance. */
    void set_recipient_policy(std::function<std::optional<simulated_reply>(const domain::email_address&)> policy);

    /** @brief Simulates a change of UIDVALIDITY of one folder (the server renumbered it). */
    void renumber_folder(const domain::email_address& user, const std::string& folder);

    /** @brief Delivers raw bytes into a folder as another client would (no envelope check). */
    std::uint32_t deliver(const domain::email_address& user, const std::string& folder, std::string message,
                          message_flags flags = message_flags::none);

    /** @brief Expunges one message, as another client would. */
    void expunge(const domain::email_address& user, const std::string& folder, std::uint32_t uid);

    /** @brief Number of messages in a folder (0 when the mailbox or folder does not exist). */
    [[nodiscard]] std::size_t message_count(const domain::email_address& user, const std::string& folder) const;

    /** @brief Number of messages accepted by submission so far. */
    [[nodiscard]] std::size_t submitted_count() const;

    struct state;  ///< Internal; public only so the implementation's helpers can name it.

private:
    std::shared_ptr<state> state_;
};

}  // namespace mss::transport
