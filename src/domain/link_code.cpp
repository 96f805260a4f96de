// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/errc.hpp>
#include <mss/domain/link_code.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

namespace mss::domain {

std::string make_link_code(std::span<const std::uint8_t> random, unsigned digits)
{
    if (random.size() < 8 || digits < 6 || digits > 12)
        throw std::invalid_argument("make_link_code needs 8 random bytes and 6 to 12 digits");
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < 8; ++i)
        value = (value << 8) | random[i];
    std::uint64_t modulus = 1;
    for (unsigned i = 0; i < digits; ++i)
        modulus *= 10;
    // 10^12 / 2^64 < 1e-7: the modulo bias is far below what a guesser could use.
    value %= modulus;
    std::string code(digits, '0');
    for (unsigned i = digits; i-- > 0; value /= 10)
        code[i] = static_cast<char>('0' + value % 10);
    return code;
}

std::string hash_link_code(std::string_view code, std::string_view salt, std::uint32_t iterations)
{
    std::string normalised;
    std::copy_if(code.begin(), code.end(), std::back_inserter(normalised), [](char c) { return c != ' ' && c != '-'; });
    std::string out(32, '\0');
    if (PKCS5_PBKDF2_HMAC(normalised.data(), static_cast<int>(normalised.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                          static_cast<int>(iterations), EVP_sha256(), static_cast<int>(out.size()),
                          reinterpret_cast<unsigned char*>(out.data())) != 1)
        throw std::runtime_error("PBKDF2 failed");
    return out;
}

boost::system::error_code check_code_request(std::span<const std::chrono::sys_seconds> earlier_requests,
                                             std::chrono::sys_seconds now, const link_code_policy& policy) noexcept
{
    unsigned last_hour = 0;
    for (auto at : earlier_requests)
    {
        if (now - at < policy.min_interval)
            return errc::link_code_throttled;
        if (now - at < std::chrono::hours(1))
            ++last_hour;
    }
    return last_hour >= policy.max_per_hour ? boost::system::error_code(errc::link_code_throttled)
                                            : boost::system::error_code();
}

boost::system::error_code verify_link_code(pending_link_code& pending, std::string_view entered,
                                           std::chrono::sys_seconds now, const link_code_policy& policy)
{
    if (pending.is_void)
        return errc::link_code_too_many_attempts;
    if (now >= pending.issued_at + policy.validity)
        return errc::link_code_expired;
    const std::string hash = hash_link_code(entered, pending.salt, policy.hash_iterations);
    // Constant time: how many leading bytes match must not show in the timing.
    const bool same = hash.size() == pending.hash.size() &&
                      CRYPTO_memcmp(hash.data(), pending.hash.data(), hash.size()) == 0;
    if (same)
    {
        pending.is_void = true;  // single use
        return {};
    }
    if (++pending.failed_attempts >= policy.max_attempts)
        pending.is_void = true;
    return errc::link_code_wrong;
}

}  // namespace mss::domain
