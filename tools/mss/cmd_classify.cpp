// SPDX-License-Identifier: Apache-2.0
// `mss classify ADDRESS...`: whether each address is a professional of the trust space, a
// patient, outside the trust space or invalid, and why.
#include "commands.hpp"
#include "session.hpp"

#include <mss/domain/address_classification.hpp>

#include <fmt/core.h>

namespace mss_cli {
namespace {

int run_classify(session& s, const arguments& args)
{
    if (args.positional().empty())
        throw usage_error("classify needs at least one address");
    const auto& space = s.trust();
    const bool json = s.out().json();
    if (!json)
        fmt::print("trust space: {} entries for {} domains, generated {}{}\n", space.total_entry_count(),
                   space.domain_count(), space.generated_at(),
                   s.cfg().get("trust_space_checksum") ? ", checksum verified" : "");
    for (const auto& text : args.positional())
    {
        const auto verdict = mss::domain::classify_address(text, space);
        if (json)
        {
            // One object per address and line (the format scripts of earlier versions read).
            json_writer doc;
            doc.begin_object()
                .member("address", text)
                .member("kind", mss::domain::to_string(verdict.kind))
                .member("reason", verdict.reason)
                .key("operators")
                .begin_array();
            for (const auto& op : verdict.operators)
                doc.value(op.operator_certificate_dn);
            s.out().emit(doc.end_array().end_object());
            continue;
        }
        fmt::print("\n{}\n  verdict: {}\n  why:     {}\n", printable(text), mss::domain::to_string(verdict.kind),
                   printable(verdict.reason));
        for (const auto& entry : verdict.operators)
            fmt::print("  served by: {} ({})\n", printable(entry.operator_certificate_dn), printable(entry.description));
    }
    return exit_ok;
}

}  // namespace

const command cmd_classify{"classify", "ADDRESS... [--trust-space FILE] [--checksum FILE] [--extra-domain DOMAIN]...",
                           "classify addresses against the ANS trust space", {}, &run_classify};

}  // namespace mss_cli
