// SPDX-License-Identifier: Apache-2.0
// `mss`: the library's command-line tool — link an MSSanté mailbox, see its virtual folders, read,
// send, reply, forward, send a patient's documents, search the directory.
//
//   mss [--config FILE] [--json] [--KEY VALUE]... COMMAND [ARGS]
//
// Settings come from a `key = value` file (~/.config/mss/config), overridden by --key flags;
// credentials only from the environment (MSS_PASSWORD...). Exit codes: 0 done, 1 refused or
// failed, 2 usage or configuration error.
#include "cli.hpp"
#include "commands.hpp"
#include "config.hpp"
#include "output.hpp"
#include "session.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <exception>
#include <string>
#include <vector>

namespace {

using namespace mss_cli;

const std::array<const command*, 14> all_commands = {
    &cmd_link,   &cmd_unlink,  &cmd_delegate, &cmd_sync,    &cmd_folders, &cmd_list,   &cmd_read,   &cmd_send,
    &cmd_reply,  &cmd_forward, &cmd_send_documents,        &cmd_search, &cmd_classify, &cmd_config,
};

const command* find_command(std::string_view name)
{
    auto it = std::find_if(all_commands.begin(), all_commands.end(), [&](const command* c) { return c->name == name; });
    return it == all_commands.end() ? nullptr : *it;
}

std::string general_usage()
{
    std::string out = "usage: mss [--config FILE] [--json] [--KEY VALUE]... COMMAND [ARGS]\n\ncommands:\n";
    for (const command* c : all_commands)
        out += fmt::format("  {:<16} {}\n", c->name, c->summary);
    out += "\n`mss help COMMAND` describes a command and its options; `mss help config` the settings.\n"
           "Credentials come only from the environment: MSS_PASSWORD (the mailbox), MSS_CODE_SENDER_PASSWORD\n"
           "(the mailbox that mails link codes), MSS_DIRECTORY_API_KEY (the Annuaire Santé API).\n"
           "Exit codes: 0 done, 1 refused or failed, 2 usage or configuration error.\n";
    return out;
}

std::string command_usage(const command& c)
{
    std::string out = fmt::format("usage: mss {} {}\n  {}\n", c.name, c.synopsis, c.summary);
    if (!c.options.empty())
        out += "\noptions:\n" + describe_options(c.options);
    if (c.name == "config")
    {
        out += "\nsettings (`key = value` lines in the file, or --key VALUE on the command line):\n";
        for (const auto& k : config_keys())
            out += fmt::format("  {:<22} {}{}\n", k.name, k.help, k.repeatable ? " (repeatable)" : "");
    }
    else
        out += "\nAlso: --config FILE, --json, and any setting as --key VALUE (see `mss help config`).\n";
    return out;
}

// The options a command accepts: its own and the global ones.
std::vector<option_spec> options_of(const command& c)
{
    std::vector<option_spec> specs(c.options.begin(), c.options.end());
    const auto globals = global_options();
    specs.insert(specs.end(), globals.begin(), globals.end());
    return specs;
}

int run(const std::vector<std::string>& argv)
{
    // Global options may come before the command; they are parsed again with the command's own.
    std::size_t i = 0;
    std::vector<std::string> leading;
    const auto globals = global_options();
    while (i < argv.size() && argv[i].rfind("--", 0) == 0)
    {
        std::string name = argv[i].substr(2, argv[i].find('=') == std::string::npos ? std::string::npos : argv[i].find('=') - 2);
        auto spec = std::find_if(globals.begin(), globals.end(), [&](const option_spec& s) { return s.name == name; });
        leading.push_back(argv[i++]);
        if (spec != globals.end() && spec->takes_value && leading.back().find('=') == std::string::npos && i < argv.size())
            leading.push_back(argv[i++]);
    }
    const bool json = std::find(leading.begin(), leading.end(), "--json") != leading.end() ||
                      std::find(argv.begin() + static_cast<std::ptrdiff_t>(i), argv.end(), "--json") != argv.end();
    output out(json);

    if (i == argv.size())
    {
        const bool help = std::find(leading.begin(), leading.end(), "--help") != leading.end();
        fmt::print(help ? stdout : stderr, "{}", general_usage());
        return help ? exit_ok : exit_usage;
    }
    const std::string name = argv[i++];
    if (name == "help" || name == "--help")
    {
        const command* c = i < argv.size() ? find_command(argv[i]) : nullptr;
        fmt::print("{}", c ? command_usage(*c) : general_usage());
        return exit_ok;
    }
    const command* c = find_command(name);
    if (!c)
    {
        out.error(printable(name), "unknown command", "`mss help` lists the commands");
        return exit_usage;
    }
    try
    {
        std::vector<std::string> rest = leading;
        rest.insert(rest.end(), argv.begin() + static_cast<std::ptrdiff_t>(i), argv.end());
        const auto specs = options_of(*c);
        const auto args = arguments::parse(rest, specs);
        if (args.has("help"))
        {
            fmt::print("{}", command_usage(*c));
            return exit_ok;
        }
        const auto cfg = config::load(args);
        session s(cfg, out, std::string(c->name));
        return c->run(s, args);
    }
    catch (const usage_error& e)
    {
        out.error(c->name, e.what(), fmt::format("`mss help {}` shows the usage", c->name));
        return exit_usage;
    }
    catch (const failure& e)
    {
        out.error(c->name, e.what(), e.hint);
        return exit_failed;
    }
    catch (const std::exception& e)
    {
        out.error(c->name, fmt::format("unexpected error: {}", e.what()), "");
        return exit_failed;
    }
}

}  // namespace

int main(int argc, char** argv)
{
    try
    {
        return run(std::vector<std::string>(argv + 1, argv + argc));
    }
    catch (const std::exception& e)
    {
        fmt::print(stderr, "mss: {}\n", e.what());
        return exit_failed;
    }
}
