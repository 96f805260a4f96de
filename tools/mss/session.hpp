// SPDX-License-Identifier: Apache-2.0
// The tool's wiring: the library's services over the SQLite store and the Asio transports, built
// on first use from the configuration, and a way to wait for one asynchronous operation.
#pragma once

#include "config.hpp"
#include "output.hpp"

#include <mss/diagnostics.hpp>
#include <mss/domain/mailbox_link.hpp>
#include <mss/domain/person.hpp>
#include <mss/domain/trust_space.hpp>
#include <mss/service/folder_service.hpp>
#include <mss/service/link_service.hpp>
#include <mss/service/send_service.hpp>
#include <mss/service/sync_service.hpp>
#include <mss/store/sqlite_store.hpp>
#include <mss/transport/mail_submission.hpp>
#include <mss/transport/mailbox_access.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include <memory>
#include <optional>
#include <string>
#include <tuple>

namespace mss::net {
class imap_client;
}

namespace mss_cli {

/** Everything a command needs; each part is made when first asked for. */
class session
{
public:
    session(const config& cfg, const output& out, std::string command);
    ~session();

    const config& cfg() const { return cfg_; }
    const output& out() const { return out_; }
    const std::string& command() const { return command_; }
    boost::asio::io_context& io() { return io_; }

    /** The ANS whitelist (checksum verified when configured) plus the extra domains. */
    const mss::domain::trust_space& trust();
    /** The local store (created with its directory on first use). */
    mss::store::store& db();

    /** The configured person (the user of the tool). */
    const mss::domain::person& person();
    /** The configured mailbox. */
    const mss::domain::mailbox& mailbox();
    /** The account the mailbox is linked to: the person's for a PER or CAB box, the structure's
     *  (`structure_id`) for an ORG or APP box. Throws `usage_error` when `structure_id` is missing. */
    mss::domain::account_ref account();
    /** Whether the mailbox belongs to a structure (ORG or APP). */
    bool structure_mailbox();

    /** IMAP access to the mailbox, as the mailbox (password from $MSS_PASSWORD). */
    mss::transport::mailbox_access& imap();
    /** Closes the IMAP connection, if one is open (a running operation ends with operation_aborted). */
    void close_imap();
    /** Submission as the mailbox (password from $MSS_PASSWORD). */
    mss::transport::mail_submission& smtp();

    mss::service::link_service& links();
    mss::service::sync_service& syncer();
    mss::service::folder_service& folders();
    mss::service::send_service& sender();

    /** The mailbox's link to its account (`account()`), readable by the person (owner, or delegate
     *  of the structure); a `failure` with a hint when not linked or not allowed. */
    mss::domain::mailbox_link require_link();

    /** Synchronises the mailbox once, with a progress bar on a terminal. Throws `failure`. */
    mss::service::sync_report sync(const mss::domain::mailbox_link& link);

    /** Starts an operation with a callback handler taking `Ts...` and runs the I/O until it
     *  completes: the tool is a sequential program, one operation at a time. */
    template <class... Ts, class Start>
    std::tuple<Ts...> wait(Start&& start)
    {
        std::optional<std::tuple<Ts...>> result;
        start([&result](Ts... values) { result.emplace(std::move(values)...); });
        io_.restart();
        while (!result)
            if (io_.run_one() == 0)
                throw failure("internal error: an operation stopped without completing");
        return std::move(*result);
    }

    /** A `failure` for `ec` from the named server ("imap", "smtp", "code_sender"), with a hint. */
    failure network_failure(std::string_view server, const boost::system::error_code& ec,
                            const mss::diagnostics& diag) const;
    /** A `failure` for a refusal or error of the library, with a hint when one is known. */
    failure refusal(std::string_view doing, const boost::system::error_code& ec, const mss::diagnostics& diag) const;

private:
    std::unique_ptr<mss::transport::mail_submission> make_smtp(const std::string& user, const std::string& secret);

    const config& cfg_;
    const output& out_;
    std::string command_;
    boost::asio::io_context io_;
    std::optional<mss::domain::trust_space> trust_;
    std::unique_ptr<mss::store::sqlite_store> db_;
    std::optional<mss::domain::person> person_;
    std::optional<mss::domain::mailbox> mailbox_;
    std::unique_ptr<mss::transport::mailbox_access> imap_;
    mss::net::imap_client* imap_client_ = nullptr;  // imap_, as what it is
    std::unique_ptr<mss::transport::mail_submission> smtp_;
    std::unique_ptr<mss::transport::mail_submission> code_sender_;
    std::unique_ptr<mss::service::link_service> links_;
    std::unique_ptr<mss::service::sync_service> sync_;
    std::unique_ptr<mss::service::folder_service> folders_;
    std::unique_ptr<mss::service::send_service> sender_;
};

}  // namespace mss_cli
