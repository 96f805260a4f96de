// SPDX-License-Identifier: Apache-2.0
#include "config.hpp"

#include "output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mss_cli {
namespace {

constexpr std::array keys = {
    config_key{"mailbox", "the MSSanté mailbox (BAL) address this tool works with"},
    config_key{"mailbox_type", "its type: PER, ORG, APP or CAB (default PER)"},
    config_key{"mailbox_label", "its label at the operator (shown as the sender's name)"},
    config_key{"operator_name", "the operator's name (default: imap_host)"},
    config_key{"person_id", "your platform account identifier (default: the mailbox address)"},
    config_key{"structure_id", "the structure's account identifier, for an ORG or APP mailbox"},
    config_key{"person_name", "your name as shown (default: the mailbox address)"},
    config_key{"rpps", "your RPPS number (needed to exchange with patients)"},
    config_key{"adeli", "your ADELI number"},
    config_key{"imap_host", "the operator's IMAP server"},
    config_key{"imap_port", "its port (default 143, or 993 with imap_tls = implicit)"},
    config_key{"imap_tls", "starttls (default) or implicit"},
    config_key{"smtp_host", "the operator's submission server"},
    config_key{"smtp_port", "its port (default 587, or 465 with smtp_tls = implicit)"},
    config_key{"smtp_tls", "starttls (default) or implicit"},
    config_key{"tls_name", "the name in the servers' certificates (default: the host)"},
    config_key{"ca_file", "CA certificates (PEM) for the servers (default: the system's)"},
    config_key{"trust_space", "the ANS whitelist file (listeblanchemssante.xml; also $MSS_TRUST_SPACE)"},
    config_key{"trust_space_checksum", "its published SHA-256 file (also $MSS_TRUST_SPACE_CHECKSUM)"},
    config_key{"extra_domain", "a domain to trust besides the whitelist (a test operator)", true},
    config_key{"store", "the local SQLite store (default ~/.local/share/mss/mss.db)"},
    config_key{"code_sender", "the platform mailbox that sends one-time link codes"},
    config_key{"platform_name", "the platform's name in the code message (default mss)"},
    config_key{"product_reference", "the X-MSS-NIL product reference given by ANS"},
    config_key{"sent_folder", "the operator's Sent folder (default Sent)"},
    config_key{"directory", "a directory extraction file (Extraction_Correspondance_MSSante_*.txt)", true},
    config_key{"directory_url", "the Annuaire Santé FHIR API base URL (key in $MSS_DIRECTORY_API_KEY)"},
};

// Flags are the keys with '-' for '_' (and --checksum, the name `mss classify` always had).
std::vector<option_spec> make_global_options()
{
    static std::vector<std::string> names;  // owns the flag names the specs view
    names.reserve(keys.size());
    std::vector<option_spec> out;
    out.push_back({"config", true, false, "the configuration file"});
    out.push_back({"json", false, false, "machine-readable output (one JSON document)"});
    out.push_back({"help", false, false, "this help"});
    for (const auto& k : keys)
    {
        std::string flag(k.name);
        std::replace(flag.begin(), flag.end(), '_', '-');
        names.push_back(std::move(flag));
    }
    for (std::size_t i = 0; i < keys.size(); ++i)
        out.push_back({names[i], true, keys[i].repeatable, keys[i].help});
    out.push_back({"checksum", true, false, "same as --trust-space-checksum"});
    return out;
}

std::string normalise_key(std::string_view text)
{
    std::string key;
    for (char c : text)
        key += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

const config_key* find_key(std::string_view name)
{
    auto it = std::find_if(keys.begin(), keys.end(), [&](const config_key& k) { return k.name == name; });
    return it == keys.end() ? nullptr : &*it;
}

bool looks_like_credential(std::string_view key)
{
    for (std::string_view word : {"password", "passwd", "secret", "token", "api_key", "apikey"})
        if (key.find(word) != std::string_view::npos)
            return true;
    return false;
}

std::string trim(std::string_view s)
{
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

std::string home_dir()
{
    const char* home = std::getenv("HOME");
    return home && *home ? home : ".";
}

std::string default_config_file()
{
    if (const char* env = std::getenv("MSS_CONFIG"); env && *env)
        return env;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return std::string(xdg) + "/mss/config";
    return home_dir() + "/.config/mss/config";
}

}  // namespace

std::span<const config_key> config_keys() { return keys; }

std::span<const option_spec> global_options()
{
    static const std::vector<option_spec> specs = make_global_options();
    return specs;
}

void config::set(std::string_view key, std::string value, std::string origin)
{
    const config_key* k = find_key(key);
    auto& slot = values_[std::string(key)];
    // A later source replaces an earlier one; repeated keys of one source accumulate.
    if (!k || !k->repeatable || slot.origin.empty() || slot.origin.substr(0, slot.origin.rfind(':')) !=
                                                          origin.substr(0, origin.rfind(':')))
        slot.values.clear();
    slot.values.push_back(std::move(value));
    slot.origin = std::move(origin);
}

void config::read(std::string_view content, const std::string& origin)
{
    std::istringstream in{std::string(content)};
    std::string line;
    for (int number = 1; std::getline(in, line); ++number)
    {
        const std::string text = trim(line);
        if (text.empty() || text[0] == '#' || text[0] == ';')
            continue;
        const std::string where = fmt::format("{}:{}", origin, number);
        const auto eq = text.find('=');
        if (eq == std::string::npos)
            throw usage_error(fmt::format("{}: expected `key = value`", where));
        const std::string key = normalise_key(trim(text.substr(0, eq)));
        std::string value = trim(text.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        if (looks_like_credential(key))
            throw usage_error(fmt::format(
                "{}: `{}`: credentials are never read from the configuration file; remove it and set "
                "MSS_PASSWORD (and MSS_CODE_SENDER_PASSWORD, MSS_DIRECTORY_API_KEY) in the environment",
                where, printable(key)));
        if (!find_key(key))
            throw usage_error(fmt::format("{}: unknown key `{}` (see `mss config --help`)", where, printable(key)));
        if (value.find_first_of(std::string_view("\0\x7f", 2)) != std::string::npos)
            throw usage_error(fmt::format("{}: control character in the value of `{}`", where, key));
        set(key, std::move(value), where);
    }
}

config config::load(const arguments& args)
{
    config cfg;
    const auto explicit_file = args.value("config");
    cfg.file_ = explicit_file ? *explicit_file : default_config_file();
    std::ifstream in(cfg.file_, std::ios::binary);
    if (in)
    {
        std::ostringstream content;
        content << in.rdbuf();
        cfg.read(content.str(), cfg.file_);
    }
    else if (explicit_file || std::getenv("MSS_CONFIG"))
        throw usage_error(fmt::format("cannot read the configuration file {}", printable(cfg.file_)));

    if (const char* env = std::getenv("MSS_TRUST_SPACE"); env && *env)
        cfg.set("trust_space", env, "$MSS_TRUST_SPACE");
    if (const char* env = std::getenv("MSS_TRUST_SPACE_CHECKSUM"); env && *env)
        cfg.set("trust_space_checksum", env, "$MSS_TRUST_SPACE_CHECKSUM");

    for (const auto& [flag, values] : args.options())
    {
        const std::string key = flag == "checksum" ? "trust_space_checksum" : normalise_key(flag);
        if (!find_key(key))
            continue;  // --config, --json, command options
        for (const auto& v : values)
            cfg.set(key, v, "--" + flag);
    }
    // Checked now, so that a typo is reported before any work, whatever the command.
    cfg.port("imap_port", 143);
    cfg.port("smtp_port", 587);
    for (const char* key : {"imap_tls", "smtp_tls"})
        if (auto mode = cfg.get(key); mode && *mode != "starttls" && *mode != "implicit")
            throw usage_error(fmt::format("`{}` must be starttls or implicit, not {} (set by {})", key, printable(*mode),
                                          cfg.origin(key)));
    return cfg;
}

std::optional<std::string> config::get(std::string_view key) const
{
    auto it = values_.find(key);
    if (it == values_.end() || it->second.values.empty() || it->second.values.back().empty())
        return std::nullopt;
    return it->second.values.back();
}

std::string config::get_or(std::string_view key, std::string_view fallback) const
{
    auto v = get(key);
    return v ? *v : std::string(fallback);
}

std::string config::require(std::string_view key) const
{
    if (auto v = get(key))
        return *v;
    std::string flag(key);
    std::replace(flag.begin(), flag.end(), '_', '-');
    throw usage_error(fmt::format("`{}` is not set: add `{} = ...` to {} or pass --{}", key, key, file_, flag));
}

std::vector<std::string> config::list(std::string_view key) const
{
    auto it = values_.find(key);
    return it == values_.end() ? std::vector<std::string>{} : it->second.values;
}

std::uint16_t config::port(std::string_view key, std::uint16_t fallback) const
{
    const auto text = get(key);
    if (!text)
        return fallback;
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size() || value == 0 || value > 65535)
        throw usage_error(fmt::format("`{}` must be a port number from 1 to 65535 (set by {})", key, origin(key)));
    return static_cast<std::uint16_t>(value);
}

std::string config::origin(std::string_view key) const
{
    auto it = values_.find(key);
    return it == values_.end() ? std::string{} : it->second.origin;
}

std::string config::store_path() const
{
    if (auto s = get("store"))
        return *s;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return std::string(xdg) + "/mss/mss.db";
    return home_dir() + "/.local/share/mss/mss.db";
}

std::string credential(const char* variable, std::string_view what)
{
    const char* value = std::getenv(variable);
    if (!value || !*value)
        throw failure(fmt::format("{} is not set", variable),
                      fmt::format("export {} with {} (credentials are only read from the environment)", variable, what));
    return value;
}

}  // namespace mss_cli
