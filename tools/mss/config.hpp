// SPDX-License-Identifier: Apache-2.0
// The tool's configuration: a small `key = value` file, overridden by the environment for the
// trust space and by `--key value` flags. Credentials never come from here: only from the
// environment (MSS_PASSWORD, MSS_CODE_SENDER_PASSWORD, MSS_DIRECTORY_API_KEY).
#pragma once

#include "cli.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mss_cli {

/** One configuration key. */
struct config_key
{
    std::string_view name;  // as written in the file (flags use '-' for '_')
    std::string_view help;
    bool repeatable = false;
};

/** Every key the tool knows. */
std::span<const config_key> config_keys();

/** The `--key` flags of the configuration, plus `--config` and `--json`: every command accepts them. */
std::span<const option_spec> global_options();

/** Effective settings, with where each came from ("file:line", "--flag", "$ENV", "default"). */
class config
{
public:
    /** Reads the file (`--config`, else $MSS_CONFIG, else $XDG_CONFIG_HOME/mss/config or
     *  ~/.config/mss/config when it exists), then the environment, then `args`' flags.
     *  Throws `usage_error` for a malformed file, an unknown key, a credential in the file. */
    static config load(const arguments& args);

    /** Parses file content (exposed for the file and for tests); `origin` names it in errors. */
    void read(std::string_view content, const std::string& origin);

    /** The value of a single key, or nothing. */
    std::optional<std::string> get(std::string_view key) const;
    /** The value, or `fallback`. */
    std::string get_or(std::string_view key, std::string_view fallback) const;
    /** A required value; throws `usage_error` naming the key and the config file. */
    std::string require(std::string_view key) const;
    /** Every value of a repeatable key. */
    std::vector<std::string> list(std::string_view key) const;
    /** A TCP port; `fallback` when unset. Throws `usage_error` when not 1..65535. */
    std::uint16_t port(std::string_view key, std::uint16_t fallback) const;
    /** Where a key's value came from (empty when unset). */
    std::string origin(std::string_view key) const;

    /** The config file read, or the one that would be read ("~/.config/mss/config"), for hints. */
    const std::string& file() const { return file_; }
    /** The store path: `store`, else $XDG_DATA_HOME/mss/mss.db, else ~/.local/share/mss/mss.db. */
    std::string store_path() const;

    /** Sets a value (appends for repeatable keys). */
    void set(std::string_view key, std::string value, std::string origin);

private:
    struct entry
    {
        std::vector<std::string> values;
        std::string origin;
    };
    std::map<std::string, entry, std::less<>> values_;
    std::string file_;
};

/** A credential from the environment; throws `failure` naming the variable when unset. */
std::string credential(const char* variable, std::string_view what);

}  // namespace mss_cli
