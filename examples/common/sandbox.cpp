// SPDX-License-Identifier: Apache-2.0
#include "common/sandbox.hpp"

#include <mss/net/imap_client.hpp>
#include <mss/net/smtp_client.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace example {
namespace {

// "export NAME=value" lines of `scripts/sandbox env`, with shell quoting of spaces undone.
std::map<std::string, std::string> read_env_script()
{
    const std::string command = std::string(MSS_EXAMPLES_SOURCE_DIR) + "/../scripts/sandbox env";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), &pclose);
    if (!pipe)
        throw std::runtime_error("cannot run scripts/sandbox env");
    std::map<std::string, std::string> out;
    char line[4096];
    while (std::fgets(line, sizeof line, pipe.get()))
    {
        std::string text(line);
        if (text.rfind("export ", 0) != 0)
            continue;
        const auto eq = text.find('=');
        std::string value = text.substr(eq + 1);
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r'))
            value.pop_back();
        std::string unquoted;
        for (std::size_t i = 0; i < value.size(); ++i)
        {
            if (value[i] == '\\' && i + 1 < value.size())
                ++i;
            unquoted += value[i];
        }
        out[text.substr(7, eq - 7)] = unquoted;
    }
    return out;
}

}  // namespace

sandbox sandbox::from_environment()
{
    std::map<std::string, std::string> env;
    if (!std::getenv("MSS_SANDBOX_HOST"))
        env = read_env_script();
    auto get = [&](const std::string& name) -> std::string {
        if (const char* v = std::getenv(name.c_str()))
            return v;
        auto it = env.find(name);
        if (it == env.end())
            throw std::runtime_error(name + " is not set: start the sandbox with scripts/sandbox up");
        return it->second;
    };
    sandbox s;
    s.host = get("MSS_SANDBOX_HOST");
    s.tls_name = get("MSS_SANDBOX_TLS_NAME");
    s.ca_file = get("MSS_SANDBOX_CA");
    s.smtp_port = static_cast<std::uint16_t>(std::stoi(get("MSS_SANDBOX_SMTP_PORT")));
    s.imap_port = static_cast<std::uint16_t>(std::stoi(get("MSS_SANDBOX_IMAP_PORT")));
    std::istringstream keys(get("MSS_SANDBOX_USERS"));
    for (std::string key; keys >> key;)
    {
        const std::string prefix = "MSS_SANDBOX_" + key + "_";
        s.accounts[key] = {get(prefix + "ADDRESS"), get(prefix + "PASSWORD"), get(prefix + "TYPE")};
    }
    return s;
}

const account& sandbox::at(const std::string& key) const
{
    auto it = accounts.find(key);
    if (it == accounts.end())
        throw std::runtime_error("the sandbox has no account " + key);
    return it->second;
}

mss::domain::trust_space sandbox::trust_space() const
{
    const std::string dir = MSS_EXAMPLES_TRUST_SPACE_DIR;
    mss::diagnostics diag;
    auto space = mss::domain::trust_space::load_file(dir + "/listeblanchemssante.xml", diag, dir + "/checksum");
    if (!space)
        throw std::runtime_error("cannot load the ANS trust space: " + diag.client_message());
    for (const char* domain : {"regional.mssante.test", "national.mssante.test"})
        space->add({domain, "sandbox operator (scripts/sandbox)", "CN=localhost", "", "", "", 0}).value();
    return std::move(*space);
}

std::unique_ptr<mss::transport::mail_submission> sandbox::submission(boost::asio::any_io_executor ex,
                                                                     const std::string& key) const
{
    mss::net::smtp_client_config config;
    config.host = host;
    config.port = smtp_port;
    config.tls_server_name = tls_name;
    config.tls_options.ca_file = ca_file;
    config.ehlo_domain = "examples.mss.test";
    config.credentials = {mss::smtp::auth_mechanism::automatic, at(key).address, at(key).password,
                          mss::smtp::secret_kind::password};
    return std::make_unique<mss::net::smtp_client>(std::move(ex), std::move(config));
}

std::unique_ptr<mss::transport::mailbox_access> sandbox::access(boost::asio::any_io_executor ex,
                                                                const std::string& key) const
{
    mss::net::imap_client_config config;
    config.host = host;
    config.port = imap_port;
    config.tls_server_name = tls_name;
    config.tls_options.ca_file = ca_file;
    config.credentials = {at(key).address, at(key).password, {}};
    return std::make_unique<mss::net::imap_client>(std::move(ex), std::move(config));
}

}  // namespace example
