// SPDX-License-Identifier: Apache-2.0
// What the integration tests read from the sandbox operator's environment
// (`eval "$(scripts/sandbox env)"`): its host, ports, CA and accounts, and client settings for them.
#pragma once

#include <mss/domain/email_address.hpp>
#include <mss/net/imap_client.hpp>
#include <mss/net/smtp_client.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

#include <unistd.h>

namespace sandbox_test {

/** The variable's value; fails the test, saying how to start the sandbox, when it is unset. */
inline std::string env(const std::string& name)
{
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0')
        FAIL("environment variable " << name
                                     << " is not set: start the sandbox with `scripts/sandbox up` and run this "
                                        "test after `eval \"$(scripts/sandbox env)\"`");
    return value;
}

inline std::uint16_t port(const std::string& name)
{
    return static_cast<std::uint16_t>(std::stoi(env(name)));
}

/** One field of a sandbox account: `account("DR_MARTIN", "ADDRESS")`. */
inline std::string account(const std::string& key, const std::string& field)
{
    return env("MSS_SANDBOX_" + key + "_" + field);
}

inline mss::domain::email_address address(const std::string& text)
{
    auto a = mss::domain::email_address::parse(text);
    REQUIRE_MESSAGE(a.has_value(), "not an address: " << text);
    return *a;
}

/** IMAP as account `key`: STARTTLS (or implicit TLS), the sandbox CA, host name checked. */
inline mss::net::imap_client_config imap_config(const std::string& key, bool implicit = false)
{
    using namespace std::chrono_literals;
    mss::net::imap_client_config c;
    c.host = env("MSS_SANDBOX_HOST");
    c.tls_server_name = env("MSS_SANDBOX_TLS_NAME");
    c.port = port(implicit ? "MSS_SANDBOX_IMAPS_PORT" : "MSS_SANDBOX_IMAP_PORT");
    c.tls = implicit ? mss::imap::tls_mode::implicit : mss::imap::tls_mode::starttls;
    c.tls_options.ca_file = env("MSS_SANDBOX_CA");
    c.credentials.user = account(key, "ADDRESS");
    c.credentials.password = account(key, "PASSWORD");
    c.timeouts.reply = 15s;
    return c;
}

/** SMTP submission as account `key`: STARTTLS (or implicit TLS), the sandbox CA. */
inline mss::net::smtp_client_config smtp_config(const std::string& key, bool implicit = false)
{
    using namespace std::chrono_literals;
    mss::net::smtp_client_config c;
    c.host = env("MSS_SANDBOX_HOST");
    c.tls_server_name = env("MSS_SANDBOX_TLS_NAME");
    c.port = port(implicit ? "MSS_SANDBOX_SMTPS_PORT" : "MSS_SANDBOX_SMTP_PORT");
    c.tls = implicit ? mss::smtp::tls_mode::implicit : mss::smtp::tls_mode::starttls;
    c.tls_options.ca_file = env("MSS_SANDBOX_CA");
    c.ehlo_domain = "client.regional.mssante.test";
    c.credentials.user = account(key, "ADDRESS");
    c.credentials.secret = account(key, "PASSWORD");
    c.timeouts.reply = 15s;
    return c;
}

/** A token no other run's message contains, to find this run's messages in the boxes. */
inline std::string unique_token(const std::string& prefix = "mss-it")
{
    std::random_device random;
    return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(random() % 1000000);
}

}  // namespace sandbox_test
