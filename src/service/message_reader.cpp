// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/mime/message.hpp>
#include <mss/service/message_reader.hpp>

namespace mss::service {
namespace {

std::vector<std::string> owned(const std::vector<std::string_view>& ids)
{
    return {ids.begin(), ids.end()};
}

}  // namespace

boost::system::result<domain::original_message> read_original(std::string_view raw, const domain::indexed_message& indexed,
                                                              bool opened_from_patient_folder)
{
    // Lenient reading: a reply or a forward must work on the broken mail real senders write.
    diagnostics diag;
    auto parsed = mime::parse_message(raw, mime::parser_options{}, diag);
    const bool headers_only = !parsed;
    if (headers_only)
    {
        // A body past the parser's limits (a nesting attack, thousands of parts): the header alone
        // still lets the user reply; the body is not shown.
        const auto header_end = raw.find("\r\n\r\n");
        if (header_end == std::string_view::npos)
            return mss::errc::malformed_response;
        parsed = mime::parse_message(raw.substr(0, header_end + 4), mime::parser_options{}, diag);
        if (!parsed)
            return mss::errc::malformed_response;
    }
    const mime::message& m = *parsed;

    domain::original_message out;
    out.raw = std::string(raw);
    out.classification = indexed.classification;
    out.opened_from_patient_folder = opened_from_patient_folder;
    out.date = indexed.date;
    out.message_id = std::string(m.message_id());
    out.references = owned(m.references());
    if (out.references.empty())
        out.references = owned(m.in_reply_to());
    out.subject = m.subject();
    if (auto from = m.from(); !from.empty())
        out.from = std::move(from.front());
    out.reply_to = m.root().reply_to();
    out.to = m.to();
    out.cc = m.cc();
    if (headers_only)
        return out;
    if (const auto* text = m.text_body())
        out.text_body = text->text();
    if (const auto* html = m.html_body())
        out.html_body = html->text();
    for (const auto* a : m.attachments())
    {
        const std::string_view name = a->file_name();
        const auto& type = a->content_type();
        out.attachments.push_back({name.empty() ? std::string("piece-jointe") : std::string(name),
                                   type.type + "/" + type.subtype, a->decoded_body(), "", false});
    }
    return out;
}

}  // namespace mss::service
