// SPDX-License-Identifier: Apache-2.0
// Command-line parsing shared by every `mss` command: option specifications, parsed arguments, and
// the two ways a command ends badly (a usage error, exit 2; a refusal or failure, exit 1).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mss_cli {

/** Exit codes of the tool. */
enum exit_code : int
{
    exit_ok = 0,
    exit_failed = 1,  // refused by a rule or by the operator, or a network/store failure
    exit_usage = 2,   // bad command line or configuration
};

/** The command line or the configuration is wrong: exit 2. */
struct usage_error : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

/** The work was refused or failed: exit 1, with a hint of what to fix when there is one. */
struct failure : std::runtime_error
{
    explicit failure(const std::string& message, std::string hint_text = {})
        : std::runtime_error(message), hint(std::move(hint_text))
    {
    }
    std::string hint;
};

/** One option a command accepts. */
struct option_spec
{
    std::string_view name;  // without the leading "--"
    bool takes_value = false;
    bool repeatable = false;
    std::string_view help;
};

/** A command line once parsed against option specifications. */
class arguments
{
public:
    /** Parses `args`: `--name value`, `--name=value`, flags, positionals; `--` ends the options.
     *  Throws `usage_error` for an unknown option, a missing value or a repeated single option. */
    static arguments parse(std::span<const std::string> args, std::span<const option_spec> specs);

    bool has(std::string_view name) const { return options_.count(std::string(name)) != 0; }
    /** The option's value (the last one given), if any. */
    std::optional<std::string> value(std::string_view name) const;
    /** Every value of a repeatable option, in order. */
    std::vector<std::string> values(std::string_view name) const;
    const std::vector<std::string>& positional() const { return positional_; }
    /** Every option given, with its values (flags have none). */
    const std::map<std::string, std::vector<std::string>>& options() const { return options_; }

private:
    std::map<std::string, std::vector<std::string>> options_;
    std::vector<std::string> positional_;
};

/** Formats the option list of a usage text. */
std::string describe_options(std::span<const option_spec> specs);

}  // namespace mss_cli
