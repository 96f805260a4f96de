// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/mime/address_list.hpp>
#include <mss/mime/base64.hpp>
#include <mss/mime/charset.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/header_block.hpp>
#include <mss/mime/parameters.hpp>
#include <mss/mime/quoted_printable.hpp>
#include <mss/service/message_reader.hpp>

#include <algorithm>
#include <cctype>

namespace mss::service {
namespace {

constexpr int max_depth = 32;

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string field(const mime::header_block& block, std::string_view name)
{
    const auto* f = block.find(name);
    return f ? mime::unfold(f->raw_value) : std::string();
}

// Message ids of a References / In-Reply-To value, without angle brackets.
std::vector<std::string> message_ids(std::string_view value)
{
    std::vector<std::string> out;
    for (std::size_t at = value.find('<'); at != std::string_view::npos; at = value.find('<', at + 1))
    {
        const auto end = value.find('>', at);
        if (end == std::string_view::npos)
            break;
        out.emplace_back(value.substr(at + 1, end - at - 1));
    }
    return out;
}

std::string decode_body(std::string_view body, std::string_view encoding)
{
    std::string out;
    const std::string enc = lower(encoding);
    if (enc == "base64")
    {
        mime::base64_decoder decoder({true});
        decoder.decode(body, out);
        decoder.finish(out);
    }
    else if (enc == "quoted-printable")
    {
        mime::quoted_printable_decoder decoder({true});
        decoder.decode(body, out);
        decoder.finish(out);
    }
    else
        out.assign(body);
    return out;
}

// One MIME entity: its header and body, walked recursively (bounded depth).
void walk(std::string_view entity, domain::original_message& out, int depth)
{
    if (depth > max_depth)
        return;
    mime::header_block block;
    diagnostics ignored;
    if (mime::header_block::parse(entity, block, ignored))
        return;
    const std::string_view body = entity.substr(std::min(block.size(), entity.size()));
    const std::string type_text = field(block, "Content-Type");
    auto type = mime::parse_content_type(type_text.empty() ? "text/plain; charset=us-ascii" : type_text,
                                         {true, 64, 4096, "windows-1252"});
    const std::string media = type ? type->type + "/" + type->subtype : "text/plain";
    const std::string disposition_text = field(block, "Content-Disposition");
    auto disposition = disposition_text.empty() ? boost::system::result<mime::parameterized_value>(mime::errc::bad_header_value)
                                                : mime::parse_content_disposition(disposition_text, {true, 64, 4096, "windows-1252"});
    std::string file_name;
    if (disposition)
        file_name = std::string(disposition->find("filename").value_or(""));
    if (file_name.empty() && type)
        file_name = std::string(type->find("name").value_or(""));
    const bool attachment = (disposition && lower(disposition->type) == "attachment") || !file_name.empty();

    if (type && type->type == "multipart" && !attachment)
    {
        const auto boundary = type->find("boundary");
        if (!boundary || boundary->empty())
            return;
        const std::string delimiter = "--" + std::string(*boundary);
        // Parts lie between delimiter lines; the closing one ends with "--".
        std::size_t at = body.find(delimiter);
        while (at != std::string_view::npos)
        {
            std::size_t start = body.find('\n', at);
            if (start == std::string_view::npos || body.substr(at + delimiter.size(), 2) == "--")
                break;
            ++start;
            std::size_t next = body.find("\n" + delimiter, start);
            const std::size_t end = next == std::string_view::npos ? body.size() : next;
            std::string_view part = body.substr(start, end - start);
            if (!part.empty() && part.back() == '\r')
                part.remove_suffix(1);
            walk(part, out, depth + 1);
            at = next == std::string_view::npos ? next : next + 1;
        }
        return;
    }
    const std::string decoded = decode_body(body, field(block, "Content-Transfer-Encoding"));
    if (!attachment && (media == "text/plain" || media == "text/html"))
    {
        std::string utf8;
        const std::string charset(type ? type->find("charset").value_or("us-ascii") : "us-ascii");
        if (mime::to_utf8(charset, decoded, utf8, {true}))
            utf8 = decoded;
        auto& target = media == "text/plain" ? out.text_body : out.html_body;
        if (target.empty())
            target = std::move(utf8);
        return;
    }
    if (media == "message/rfc822" && !attachment)
        return;  // an attached original is kept inside `raw`
    out.attachments.push_back({file_name.empty() ? "piece-jointe" : file_name, media, decoded, "", false});
}

}  // namespace

boost::system::result<domain::original_message> read_original(std::string_view raw, const domain::indexed_message& indexed,
                                                              bool opened_from_patient_folder)
{
    mime::header_block block;
    diagnostics diag;
    if (auto ec = mime::header_block::parse(raw, block, diag))
        return mss::errc::malformed_response;
    domain::original_message out;
    out.raw = std::string(raw);
    out.classification = indexed.classification;
    out.opened_from_patient_folder = opened_from_patient_folder;
    out.date = indexed.date;
    if (auto ids = message_ids(field(block, "Message-ID")); !ids.empty())
        out.message_id = ids.front();
    out.references = message_ids(field(block, "References"));
    if (out.references.empty())
        out.references = message_ids(field(block, "In-Reply-To"));
    mime::decode_header_text(field(block, "Subject"), out.subject);
    std::vector<domain::named_address> from;
    if (const auto* f = block.find("From"))
        mime::parse_address_list(f->raw_value, from);
    if (!from.empty())
        out.from = from.front();
    for (auto [name, list] : {std::pair{"Reply-To", &out.reply_to}, std::pair{"To", &out.to}, std::pair{"Cc", &out.cc}})
    {
        for (const auto& f : block.fields())
        {
            if (lower(f.name) == lower(name))
                mime::parse_address_list(f.raw_value, *list);
        }
    }
    walk(raw, out, 0);
    return out;
}

}  // namespace mss::service
