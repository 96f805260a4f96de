// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/mime/address_list.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/header_block.hpp>
#include <mss/mime/message.hpp>
#include <mss/mime/parameters.hpp>
#include <mss/mime/quoted_printable.hpp>
#include <mss/service/read_receipt.hpp>

#include "service/detail/message_date.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace mss::service {
namespace {

std::string field(const mime::header_block& block, std::string_view name)
{
    const auto* f = block.find(name);
    return f ? mime::unfold(f->raw_value) : std::string();
}

std::optional<domain::email_address> first_address(const mime::header_block& block, std::string_view name)
{
    const auto* f = block.find(name);
    if (!f)
        return std::nullopt;
    std::vector<domain::named_address> list;
    mime::parse_address_list(f->raw_value, list);
    if (list.empty())
        return std::nullopt;
    return list.front().address();
}

std::string bracketless(std::string value)
{
    const auto open = value.find('<');
    const auto close = value.find('>', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos)
        return value.substr(open + 1, close - open - 1);
    return value;
}

}  // namespace

std::optional<receipt_request> receipt_requested(std::string_view raw)
{
    mime::header_block block;
    diagnostics ignored;
    if (mime::header_block::parse(raw, block, ignored))
        return std::nullopt;
    auto notify = first_address(block, "Disposition-Notification-To");
    if (!notify)
        return std::nullopt;
    receipt_request out{*notify, bracketless(field(block, "Message-ID")), {}, false};
    mime::decode_header_text(field(block, "Subject"), out.original_subject);
    // Automatic receipts only to the envelope sender: anything else could be used to confirm
    // addresses to a third party.
    auto return_path = first_address(block, "Return-Path");
    out.may_send_automatically = return_path && *return_path == *notify;
    return out;
}

boost::system::result<transport::outgoing_message> make_read_receipt(const receipt_request& request,
                                                                     const domain::mailbox& reporter,
                                                                     const std::string& product_reference,
                                                                     const std::string& message_id,
                                                                     std::chrono::sys_seconds date, diagnostics& diag)
{
    diag.clear();
    if (product_reference.empty())
    {
        diag.set_client_message("no X-MSS-NIL product reference is configured");
        return mss::errc::configuration_error;
    }
    const std::string boundary = "=_mss_mdn_" + message_id.substr(0, message_id.find('@'));
    std::string subject;
    mime::encode_header_text("Accusé de lecture : " + request.original_subject, 9, subject);
    std::string m;
    m += "From: <" + reporter.address.str() + ">\r\n";
    m += "To: <" + request.notify.str() + ">\r\n";
    m += "Subject: " + subject + "\r\n";
    m += "Date: " + detail::rfc5322_date(date) + "\r\n";
    m += "Message-ID: <" + message_id + ">\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "X-MSS-NIL: " + product_reference + "\r\n";
    m += "Auto-Submitted: auto-replied\r\n";
    m += "Content-Type: multipart/report; report-type=disposition-notification;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
    m += "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    mime::quoted_printable_encoder qp;
    qp.encode("Le message « " + request.original_subject + " » envoyé à " + reporter.address.str() +
                  " a été affiché.\n",
              m);
    qp.finish(m);
    m += "\r\n--" + boundary + "\r\nContent-Type: message/disposition-notification\r\n\r\n";
    m += "Reporting-UA: mss; mss library\r\n";
    m += "Final-Recipient: rfc822;" + reporter.address.str() + "\r\n";
    m += "Original-Message-ID: <" + request.original_message_id + ">\r\n";
    m += "Disposition: manual-action/MDN-sent-manually; displayed\r\n\r\n";
    m += "--" + boundary + "--\r\n";
    return transport::outgoing_message{reporter.address, {{request.notify}}, message_id, std::move(m), false,
                                       !reporter.address.is_ascii() || !request.notify.is_ascii()};
}

namespace {

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// RFC 8098 §3 (and RFC 6533 for its internationalised form): multipart/report whose report-type
// names disposition notifications.
bool is_disposition_report(const mime::parameterized_value& type)
{
    if (type.type != "multipart" || type.subtype != "report")
        return false;
    const auto report_type = type.find("report-type");
    return report_type &&
           (iequals(*report_type, "disposition-notification") || iequals(*report_type, "global-disposition-notification"));
}

std::string trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

// "rfc822; dr.bernard@national.mssante.test" -> the address (RFC 8098 §3.2.4, RFC 3464 address-type).
std::string recipient_address(std::string_view value)
{
    const auto semi = value.find(';');
    std::string address = trimmed(semi == std::string_view::npos ? value : value.substr(semi + 1));
    if (address.size() >= 2 && address.front() == '<' && address.back() == '>')
        address = address.substr(1, address.size() - 2);
    if (auto parsed = domain::email_address::parse(address))
        address = parsed->str();
    // One reader, one spelling: receipts are kept per reader, and mail systems do not tell
    // addresses apart by case.
    std::transform(address.begin(), address.end(), address.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return address;
}

// "manual-action/MDN-sent-manually; displayed" -> "displayed" (a "/error" modifier, RFC 8098
// §3.2.6.3, is dropped: the type is what the sender is shown).
std::string disposition_type(std::string_view value)
{
    const auto semi = value.find(';');
    if (semi == std::string_view::npos)
        return {};
    std::string type = trimmed(value.substr(semi + 1));
    type = type.substr(0, type.find_first_of("/ \t;("));
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return type;
}

}  // namespace

bool is_read_receipt_header(std::string_view header)
{
    mime::header_block block;
    diagnostics ignored;
    if (mime::header_block::parse(header, block, ignored))
        return false;
    auto type = mime::parse_content_type(field(block, "Content-Type"), {true, 64, 4096, "windows-1252"});
    return type && is_disposition_report(*type);
}

std::optional<read_receipt> parse_read_receipt(std::string_view raw)
{
    diagnostics ignored;
    auto parsed = mime::parse_message(raw, {}, ignored);
    if (!parsed)
        return std::nullopt;
    const mime::entity& root = parsed->root();
    if (!root.is_multipart() || !is_disposition_report(root.content_type()))
        return std::nullopt;
    // The machine-readable part is the second one (RFC 8098 §3); take the first of its type
    // wherever it is among the report's parts.
    const mime::entity* notification = nullptr;
    for (const auto& part : root.children())
    {
        const auto& type = part.content_type();
        if (type.type == "message" &&
            (type.subtype == "disposition-notification" || type.subtype == "global-disposition-notification"))
        {
            notification = &part;
            break;
        }
    }
    if (!notification)
        return std::nullopt;
    // Its body is itself a block of header-like fields.
    const std::string body = notification->decoded_body();
    mime::header_block fields;
    if (mime::header_block::parse(body, fields, ignored))
        return std::nullopt;

    read_receipt out;
    out.original_message_id = bracketless(field(fields, "Original-Message-ID"));
    out.original_message_id = trimmed(out.original_message_id);
    if (out.original_message_id.empty())
    {
        // Original-Message-ID is only a SHOULD: the reply threading header names the same message.
        const auto replied = root.in_reply_to();
        if (!replied.empty())
            out.original_message_id = std::string(replied.front());
    }
    if (const auto* recipient = fields.find("Final-Recipient"))
        out.final_recipient = recipient_address(mime::unfold(recipient->raw_value));
    if (out.final_recipient.empty())
    {
        const auto from = root.from();
        if (!from.empty())
            out.final_recipient = recipient_address(from.front().address().str());
    }
    out.disposition = disposition_type(field(fields, "Disposition"));
    out.date = root.date();
    if (out.original_message_id.empty() || out.disposition.empty())
        return std::nullopt;
    return out;
}

}  // namespace mss::service
