// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/mime/address_list.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/header_block.hpp>
#include <mss/mime/parameters.hpp>
#include <mss/mime/quoted_printable.hpp>
#include <mss/service/read_receipt.hpp>

#include "service/detail/message_date.hpp"

#include <algorithm>
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

std::optional<read_receipt> parse_read_receipt(std::string_view raw)
{
    mime::header_block block;
    diagnostics ignored;
    if (mime::header_block::parse(raw, block, ignored))
        return std::nullopt;
    auto type = mime::parse_content_type(field(block, "Content-Type"), {true, 64, 4096, "windows-1252"});
    if (!type || type->type != "multipart" || type->subtype != "report")
        return std::nullopt;
    const auto report_type = type->find("report-type");
    if (!report_type || *report_type != "disposition-notification")
        return std::nullopt;
    // The machine-readable part: its body is itself a block of header-like fields.
    const auto marker = raw.find("message/disposition-notification");
    if (marker == std::string_view::npos)
        return std::nullopt;
    auto body_start = raw.find("\r\n\r\n", marker);
    std::size_t skip = 4;
    if (body_start == std::string_view::npos)
    {
        body_start = raw.find("\n\n", marker);
        skip = 2;
    }
    if (body_start == std::string_view::npos)
        return std::nullopt;
    mime::header_block fields;
    if (mime::header_block::parse(raw.substr(body_start + skip), fields, ignored))
        return std::nullopt;
    read_receipt out;
    out.original_message_id = bracketless(field(fields, "Original-Message-ID"));
    std::string recipient = field(fields, "Final-Recipient");
    if (const auto semi = recipient.find(';'); semi != std::string::npos)
        recipient = recipient.substr(semi + 1);
    recipient.erase(0, recipient.find_first_not_of(' '));
    out.final_recipient = recipient;
    const std::string disposition = field(fields, "Disposition");
    const auto semi = disposition.find(';');
    out.disposition = semi == std::string::npos ? std::string() : disposition.substr(semi + 1);
    out.disposition.erase(0, out.disposition.find_first_not_of(' '));
    if (out.original_message_id.empty())
        return std::nullopt;
    return out;
}

}  // namespace mss::service
