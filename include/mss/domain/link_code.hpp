// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief One-time link codes: their policy, their salted hash, throttling and verification.
 *
 *  The code is sent by mail into the mailbox being linked; whoever can read it proves they use that
 *  mailbox. Only a salted, slow hash of it is ever stored (PBKDF2-HMAC-SHA256), compared in
 *  constant time; a code is single use, void after too many wrong attempts, valid one hour.
 *  Time and randomness are passed in: these functions are pure.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/domain/account_ref.hpp>
#include <mss/domain/email_address.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mss::domain {

/** @brief The rules of one-time codes. Defaults: 8 digits, one hour, 5 wrong attempts, at most one
 *         code a minute and five an hour per account and mailbox.
 *
 *  With 8 digits and 5 attempts per code, a guesser's chance per code is 5 in 10^8; the throttle
 *  bounds that to 25 attempts an hour.
 */
struct link_code_policy
{
    /** @brief Number of decimal digits of a code (6–12). */
    unsigned digits = 8;
    /** @brief How long a code stays valid. */
    std::chrono::seconds validity = std::chrono::hours(1);
    /** @brief Wrong attempts allowed before the code is void. */
    unsigned max_attempts = 5;
    /** @brief Minimum time between two code requests for one account and mailbox. */
    std::chrono::seconds min_interval = std::chrono::minutes(1);
    /** @brief Most code requests in any hour for one account and mailbox. */
    unsigned max_per_hour = 5;
    /** @brief PBKDF2 iterations of the stored hash. */
    std::uint32_t hash_iterations = 100'000;
};

/** @brief A code waiting to be entered. Holds no code, only its salt and hash. */
struct pending_link_code
{
    /** @brief The account asking for the link. */
    account_ref account;
    /** @brief The mailbox the code was sent into. */
    std::string mailbox;
    /** @brief Random salt (raw bytes). */
    std::string salt;
    /** @brief PBKDF2-HMAC-SHA256 of the code with `salt` (raw bytes). */
    std::string hash;
    /** @brief When the code was issued. */
    std::chrono::sys_seconds issued_at{};
    /** @brief Wrong attempts so far. */
    unsigned failed_attempts = 0;
    /** @brief Set when the code can no longer be used (too many attempts, replaced, used). */
    bool is_void = false;
};

/** @brief Turns random bytes into a code of `digits` decimal digits.
 *  @param random at least 8 bytes from a CSPRNG (more are ignored).
 */
MSS_API std::string make_link_code(std::span<const std::uint8_t> random, unsigned digits);

/** @brief The stored hash of `code` with `salt`. Spaces and hyphens in `code` are ignored, so
 *         "1234 5678" is the same code as "12345678". */
MSS_API std::string hash_link_code(std::string_view code, std::string_view salt, std::uint32_t iterations);

/** @brief Decides whether a new code may be requested now, given when the earlier ones were.
 *  @return empty, or `errc::link_code_throttled`.
 */
MSS_API boost::system::error_code check_code_request(std::span<const std::chrono::sys_seconds> earlier_requests,
                                                     std::chrono::sys_seconds now,
                                                     const link_code_policy& policy) noexcept;

/** @brief Checks an entered code against the pending one and updates it (attempts, void).
 *
 *  Order: a void code gives `link_code_too_many_attempts`; an expired one (`now` ≥ issue time +
 *  validity, so 59:59 is valid and 60:00 is not) gives `link_code_expired`; a wrong code counts an
 *  attempt and gives `link_code_wrong` (the attempt that reaches the limit voids the code). The
 *  right code gives success and voids the code (single use).
 */
MSS_API boost::system::error_code verify_link_code(pending_link_code& pending, std::string_view entered,
                                                   std::chrono::sys_seconds now, const link_code_policy& policy);

}  // namespace mss::domain
