// SPDX-License-Identifier: Apache-2.0
#include "cli.hpp"

#include "output.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace mss_cli {

arguments arguments::parse(std::span<const std::string> args, std::span<const option_spec> specs)
{
    arguments out;
    bool options_ended = false;
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& arg = args[i];
        if (options_ended || arg.size() < 2 || arg.rfind("--", 0) != 0)
        {
            if (!options_ended && arg.size() > 1 && arg[0] == '-' && arg != "-")
                throw usage_error(fmt::format("unknown option {} (options are written --name)", printable(arg)));
            out.positional_.push_back(arg);
            continue;
        }
        if (arg == "--")
        {
            options_ended = true;
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (const auto eq = name.find('='); eq != std::string::npos)
        {
            inline_value = name.substr(eq + 1);
            name.resize(eq);
        }
        const auto spec = std::find_if(specs.begin(), specs.end(), [&](const option_spec& s) { return s.name == name; });
        if (spec == specs.end())
            throw usage_error(fmt::format("unknown option --{}", printable(name)));
        auto& slot = out.options_[name];
        if (!slot.empty() && !spec->repeatable)
            throw usage_error(fmt::format("--{} is given twice", name));
        if (!spec->takes_value)
        {
            if (inline_value)
                throw usage_error(fmt::format("--{} takes no value", name));
            slot.emplace_back();
            continue;
        }
        if (inline_value)
            slot.push_back(*inline_value);
        else if (i + 1 < args.size())
            slot.push_back(args[++i]);
        else
            throw usage_error(fmt::format("--{} needs a value", name));
    }
    return out;
}

std::optional<std::string> arguments::value(std::string_view name) const
{
    auto it = options_.find(std::string(name));
    if (it == options_.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

std::vector<std::string> arguments::values(std::string_view name) const
{
    auto it = options_.find(std::string(name));
    return it == options_.end() ? std::vector<std::string>{} : it->second;
}

std::string describe_options(std::span<const option_spec> specs)
{
    std::string out;
    for (const auto& s : specs)
    {
        std::string left = fmt::format("--{}{}", s.name, s.takes_value ? " VALUE" : "");
        out += fmt::format("  {:<26} {}{}\n", left, s.help, s.repeatable ? " (repeatable)" : "");
    }
    return out;
}

}  // namespace mss_cli
