// SPDX-License-Identifier: Apache-2.0
// `mss config`: the effective configuration and where each value comes from. Credentials are only
// said to be set or not, never shown.
#include "commands.hpp"
#include "session.hpp"

#include <fmt/core.h>

#include <cstdlib>

namespace mss_cli {
namespace {

constexpr const char* credential_variables[] = {"MSS_PASSWORD", "MSS_CODE_SENDER_PASSWORD", "MSS_DIRECTORY_API_KEY"};

int run_config(session& s, const arguments& args)
{
    if (!args.positional().empty())
        throw usage_error("config takes no argument");
    const auto& cfg = s.cfg();
    json_writer doc;
    doc.begin_object().member("ok", true).member("file", cfg.file()).member("store", cfg.store_path()).key("settings").begin_object();
    s.out().say(fmt::format("# configuration file: {}", cfg.file()));
    for (const auto& k : config_keys())
    {
        const auto values = cfg.list(k.name);
        if (values.empty() || values.back().empty())
            continue;
        std::string joined;
        for (const auto& v : values)
            joined += (joined.empty() ? "" : " ") + v;
        s.out().say(fmt::format("{:<22} = {:<40} # {}", k.name, printable(joined), cfg.origin(k.name)));
        doc.key(k.name);
        if (k.repeatable)
        {
            doc.begin_array();
            for (const auto& v : values)
                doc.value(v);
            doc.end_array();
        }
        else
            doc.value(values.back());
    }
    doc.end_object();
    s.out().say(fmt::format("{:<22} = {}", "# store (effective)", cfg.store_path()));
    doc.key("credentials").begin_object();
    for (const char* variable : credential_variables)
    {
        const char* value = std::getenv(variable);
        const bool set = value && *value;
        s.out().say(fmt::format("# ${} is {}", variable, set ? "set" : "not set"));
        doc.member(variable, set);
    }
    doc.end_object().end_object();
    if (s.out().json())
        s.out().emit(doc);
    return exit_ok;
}

}  // namespace

const command cmd_config{"config", "", "show the effective configuration (never the credentials)", {}, &run_config};

}  // namespace mss_cli
