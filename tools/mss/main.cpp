// SPDX-License-Identifier: Apache-2.0
// `mss`: the library's command-line tool.
//
//   mss classify [--trust-space FILE] [--checksum FILE] [--extra-domain DOMAIN]... [--json] ADDRESS...
//
// Loads the ANS trust space and says, for each address, whether it is a professional of the trust
// space, a patient, outside the trust space or invalid, and why.
#include <mss/domain/address_classification.hpp>
#include <mss/domain/trust_space.hpp>

#include <fmt/core.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view usage =
    "usage: mss classify [--trust-space FILE] [--checksum FILE] [--extra-domain DOMAIN]... [--json] ADDRESS...\n"
    "  --trust-space FILE   the ANS whitelist (default: $MSS_TRUST_SPACE)\n"
    "  --checksum FILE      its published SHA-256 (default: $MSS_TRUST_SPACE_CHECKSUM, if set)\n"
    "  --extra-domain NAME  trust NAME too (a test operator's domain)\n"
    "  --json               one JSON object per address\n";

std::string json_escape(std::string_view text)
{
    std::string out;
    for (char c : text)
    {
        switch (c)
        {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            else
                out += c;
        }
    }
    return out;
}

// Control characters are shown escaped so that a hostile argument cannot rewrite the terminal.
std::string printable(std::string_view text)
{
    std::string out;
    for (char c : text)
    {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            out += fmt::format("\\x{:02x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        else
            out += c;
    }
    return out;
}

int classify(int argc, char** argv)
{
    std::optional<std::string> trust_file;
    std::optional<std::string> checksum_file;
    std::vector<std::string> extra_domains;
    std::vector<std::string> addresses;
    bool json = false;
    if (const char* env = std::getenv("MSS_TRUST_SPACE"))
        trust_file = env;
    if (const char* env = std::getenv("MSS_TRUST_SPACE_CHECKSUM"))
        checksum_file = env;
    for (int i = 0; i < argc; ++i)
    {
        const std::string_view arg = argv[i];
        auto value = [&](std::string_view option) -> std::string {
            if (i + 1 >= argc)
            {
                fmt::print(stderr, "mss classify: {} needs a value\n", option);
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--trust-space")
            trust_file = value(arg);
        else if (arg == "--checksum")
            checksum_file = value(arg);
        else if (arg == "--extra-domain")
            extra_domains.push_back(value(arg));
        else if (arg == "--json")
            json = true;
        else if (arg == "--help" || arg == "-h")
        {
            fmt::print("{}", usage);
            return 0;
        }
        else
            addresses.emplace_back(arg);
    }
    if (!trust_file || addresses.empty())
    {
        fmt::print(stderr, "{}", usage);
        return 2;
    }

    mss::diagnostics diag;
    auto space = mss::domain::trust_space::load_file(*trust_file, diag, checksum_file);
    if (!space)
    {
        fmt::print(stderr, "mss classify: cannot load the trust space: {} ({})\n", diag.client_message(),
                   space.error().message());
        if (space.error() == mss::domain::errc::trust_space_checksum_mismatch)
            fmt::print(stderr, "hint: download the whitelist and its checksum again; they must be from the same day\n");
        return 1;
    }
    for (const auto& domain : extra_domains)
    {
        mss::domain::trust_space_entry entry;
        entry.domain = domain;
        entry.description = "added on the command line";
        if (!space->add(std::move(entry)))
        {
            fmt::print(stderr, "mss classify: --extra-domain {}: not a valid domain name\n", printable(domain));
            return 2;
        }
    }
    if (!json)
        fmt::print("trust space: {} entries for {} domains, generated {}{}\n", space->total_entry_count(),
                   space->domain_count(), space->generated_at(), checksum_file ? ", checksum verified" : "");

    for (const auto& text : addresses)
    {
        const auto verdict = mss::domain::classify_address(text, *space);
        if (json)
        {
            fmt::print("{{\"address\":\"{}\",\"kind\":\"{}\",\"reason\":\"{}\",\"operators\":[", json_escape(text),
                       mss::domain::to_string(verdict.kind), json_escape(verdict.reason));
            for (std::size_t i = 0; i < verdict.operators.size(); ++i)
                fmt::print("{}\"{}\"", i ? "," : "", json_escape(verdict.operators[i].operator_certificate_dn));
            fmt::print("]}}\n");
            continue;
        }
        fmt::print("\n{}\n  verdict: {}\n  why:     {}\n", printable(text), mss::domain::to_string(verdict.kind),
                   printable(verdict.reason));
        for (const auto& entry : verdict.operators)
            fmt::print("  served by: {} ({})\n", entry.operator_certificate_dn, entry.description);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc >= 2 && std::string_view(argv[1]) == "classify")
        return classify(argc - 2, argv + 2);
    fmt::print(stderr, "{}", usage);
    return 2;
}
