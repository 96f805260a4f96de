// SPDX-License-Identifier: Apache-2.0
// What the examples share: the local sandbox operator (scripts/sandbox) as seen from a program —
// its accounts, its CA, clients for each account — and the trust space (the real ANS list plus the
// sandbox's domains, so that the library's rules apply to them unchanged).
#pragma once

#include <mss/domain/trust_space.hpp>
#include <mss/transport/mail_submission.hpp>
#include <mss/transport/mailbox_access.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace example {

/** One mailbox of the sandbox. */
struct account
{
    std::string address;
    std::string password;
    std::string type;  // PER, ORG, APP, PATIENT
};

/** The sandbox operator: read from the environment (`eval "$(scripts/sandbox env)"`), or, when the
 *  environment does not have it, from `scripts/sandbox env` run by the program itself. */
class sandbox
{
public:
    static sandbox from_environment();

    /** The account named by its key (DR_MARTIN, CARDIOLOGIE_CHU, PATIENT_1, ...). */
    const account& at(const std::string& key) const;

    /** The ANS whitelist from the shared data, checksum verified, plus the sandbox's domains. */
    mss::domain::trust_space trust_space() const;

    /** SMTP submission (STARTTLS, the sandbox CA, host name checked) authenticated as `key`. */
    std::unique_ptr<mss::transport::mail_submission> submission(boost::asio::any_io_executor ex,
                                                                const std::string& key) const;

    /** IMAP access (STARTTLS, the sandbox CA) to `key`'s mailbox. */
    std::unique_ptr<mss::transport::mailbox_access> access(boost::asio::any_io_executor ex,
                                                           const std::string& key) const;

    std::string host;
    std::string tls_name;
    std::string ca_file;
    std::uint16_t smtp_port = 0;
    std::uint16_t imap_port = 0;
    std::map<std::string, account> accounts;
};

}  // namespace example
