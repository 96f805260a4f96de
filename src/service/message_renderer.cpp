// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/html_text.hpp>
#include <mss/error.hpp>
#include <mss/mime/base64.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/parameters.hpp>
#include <mss/mime/quoted_printable.hpp>
#include <mss/service/message_renderer.hpp>
#include <mss/xdm/package.hpp>

#include "service/detail/message_date.hpp"

#include <cstdio>
#include <fstream>

namespace mss::service {
namespace {

bool has_control(std::string_view text)
{
    return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// A display name as a header phrase: encoded-words when non-ASCII, a quoted string when it holds
// specials, as is otherwise.
std::string phrase(std::string_view name, std::size_t column)
{
    const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii)
    {
        std::string out;
        mime::encode_header_text(name, column, out);
        return out;
    }
    if (name.find_first_of("()<>[]:;@\\,.\"") == std::string_view::npos)
        return std::string(name);
    std::string out = "\"";
    for (char c : name)
    {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

// "Name <a@b>, c@d" folded between addresses so that lines stay under 78 columns.
std::string address_list(std::string_view field, const std::vector<domain::named_address>& list)
{
    std::string out = std::string(field) + ": ";
    std::size_t column = out.size();
    for (std::size_t i = 0; i < list.size(); ++i)
    {
        const auto& a = list[i];
        std::string item = a.display_name().empty() ? a.address().str()
                                                    : phrase(a.display_name(), column) + " <" + a.address().str() + ">";
        if (i > 0)
        {
            out += ",";
            ++column;
            if (column + 1 + item.size() > 78)
            {
                out += "\r\n";
                column = 0;
            }
            out += " ";
            ++column;
        }
        out += item;
        const auto last_break = item.rfind("\r\n");
        column = last_break == std::string::npos ? column + item.size() : item.size() - last_break - 2;
    }
    return out + "\r\n";
}

std::string boundary(const render_params& params)
{
    std::uint8_t bytes[12];
    params.random(bytes);
    std::string out = "=_mss_";
    static constexpr char hex[] = "0123456789abcdef";
    for (auto b : bytes)
    {
        out += hex[b >> 4];
        out += hex[b & 0xf];
    }
    return out;  // "=_" never occurs in base64 or quoted-printable output
}

void text_part(std::string& out, std::string_view media_type, std::string_view text)
{
    out += "Content-Type: " + std::string(media_type) + "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    mime::quoted_printable_encoder encoder;
    encoder.encode(text, out);
    encoder.finish(out);
    out += "\r\n";
}

boost::system::error_code attachment_part(std::string& out, const domain::attachment& a, diagnostics& diag)
{
    std::string disposition = "Content-Disposition: attachment;\r\n ";
    std::string type = "Content-Type: " + a.media_type + ";\r\n ";
    if (mime::format_parameter("filename", a.file_name, disposition) || mime::format_parameter("name", a.file_name, type) ||
        has_control(a.media_type))
    {
        diag.set_client_message("an attachment has a file name or media type that cannot be written");
        return mss::errc::invalid_argument;
    }
    out += type + "\r\n" + disposition + "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    mime::base64_encoder encoder;
    if (const auto* bytes = std::get_if<std::string>(&a.content))
        encoder.encode(*bytes, out);
    else
    {
        // Streamed from the file: the attachment is never held twice in memory.
        const auto& path = std::get<std::filesystem::path>(a.content);
        std::ifstream in(path, std::ios::binary);
        if (!in)
        {
            diag.set_client_message("cannot read attachment " + path.string());
            return mss::errc::file_unreadable;
        }
        std::error_code size_ec;
        const auto size = std::filesystem::file_size(path, size_ec);
        if (!size_ec)
            out.reserve(out.size() + mime::base64_encoder::encoded_size(size) + 4096);
        char chunk[64 * 1024];
        while (in.read(chunk, sizeof chunk) || in.gcount() > 0)
            encoder.encode(std::string_view(chunk, static_cast<std::size_t>(in.gcount())), out);
    }
    encoder.finish(out);
    out += "\r\n";
    return {};
}

}  // namespace

boost::system::result<transport::outgoing_message> render_message(const domain::draft& d, const render_params& params,
                                                                  diagnostics& diag)
{
    diag.clear();
    if (params.product_reference.empty())
    {
        diag.set_client_message("no X-MSS-NIL product reference is configured: MSSante requires one on every mail");
        return mss::errc::configuration_error;
    }
    for (std::string_view text : {std::string_view(params.product_reference), std::string_view(d.subject),
                                  std::string_view(params.message_id), std::string_view(d.in_reply_to)})
    {
        if (has_control(text))
        {
            diag.set_client_message("a header value holds CR, LF or NUL (header injection refused)");
            return mss::errc::invalid_argument;
        }
    }

    // CDA documents travel in one IHE_XDM.zip; the others are plain attachments.
    std::vector<domain::attachment> attachments;
    xdm::package_params xdm_params;
    for (const auto& a : d.attachments)
    {
        if (!a.is_cda)
        {
            attachments.push_back(a);
            continue;
        }
        std::string content;
        if (const auto* bytes = std::get_if<std::string>(&a.content))
            content = *bytes;
        else
        {
            std::ifstream in(std::get<std::filesystem::path>(a.content), std::ios::binary);
            if (!in)
            {
                diag.set_client_message("cannot read document " + a.file_name);
                return mss::errc::file_unreadable;
            }
            content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        xdm_params.documents.push_back({std::move(content), a.file_name, a.document_category});
    }
    std::optional<xdm::package> xdm_package;
    if (!xdm_params.documents.empty())
    {
        if (!d.patient)
        {
            diag.set_client_message("CDA documents need the patient they concern");
            return mss::errc::invalid_argument;
        }
        xdm_params.patient = *d.patient;
        xdm_params.author = d.from.display_label;
        xdm_params.now = params.date;
        xdm_params.submission_id = params.message_id;
        auto built = xdm::build_package(xdm_params, diag);
        if (!built)
            return built.error();
        xdm_package = std::move(*built);
        attachments.push_back({"IHE_XDM.zip", "application/zip", xdm_package->zip, "", false});
    }

    std::string m;
    const std::string from_label = d.from.display_label.empty() ? std::string() : phrase(d.from.display_label, 6) + " ";
    m += "From: " + from_label + "<" + d.from.address.str() + ">\r\n";
    if (!d.to.empty())
        m += address_list("To", d.to);
    if (!d.cc.empty())
        m += address_list("Cc", d.cc);
    std::string subject;
    mime::encode_header_text(d.subject, 9, subject);
    m += "Subject: " + subject + "\r\n";
    m += "Date: " + detail::rfc5322_date(params.date) + "\r\n";
    m += "Message-ID: <" + params.message_id + ">\r\n";
    if (!d.in_reply_to.empty())
        m += "In-Reply-To: <" + d.in_reply_to + ">\r\n";
    if (!d.references.empty())
    {
        std::string refs = "References:";
        std::size_t column = refs.size();
        for (const auto& r : d.references)
        {
            const std::string item = "<" + r + ">";
            if (column + 1 + item.size() > 78)
            {
                refs += "\r\n";
                column = 0;
            }
            refs += " " + item;
            column += 1 + item.size();
        }
        m += refs + "\r\n";
    }
    if (d.read_receipt)
        m += "Disposition-Notification-To: <" + d.from.address.str() + ">\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "X-MSS-NIL: " + params.product_reference + "\r\n";
    if (d.close_patient_conversation)
        m += "X-MSS-MES: FIN\r\n";
    if (xdm_package)
    {
        std::string codes;
        for (const auto& c : xdm_package->document_codes)
            codes += (codes.empty() ? "" : ",") + c;
        m += "X-MSS-CODECDA: " + codes + "\r\n";
        m += std::string("X-MSS-INS: ") + (xdm_package->qualified_ins ? "O" : "N") + "\r\n";
    }

    const std::string text = d.text_body.empty() ? domain::html_to_text(d.html_body) : d.text_body;
    const bool mixed = !attachments.empty() || d.attached_message;
    // One random base, two suffixes: the boundaries differ even with a poor random source, and
    // neither is a prefix of the other.
    const std::string base = boundary(params);
    const std::string outer = base + "_m";
    const std::string inner = base + "_a";
    if (mixed)
        m += "Content-Type: multipart/mixed;\r\n boundary=\"" + outer + "\"\r\n\r\n--" + outer + "\r\n";
    if (d.html_body.empty())
        text_part(m, "text/plain", text);
    else
    {
        m += "Content-Type: multipart/alternative;\r\n boundary=\"" + inner + "\"\r\n\r\n";
        m += "--" + inner + "\r\n";
        text_part(m, "text/plain", text);
        m += "--" + inner + "\r\n";
        text_part(m, "text/html", d.html_body);
        m += "--" + inner + "--\r\n";
    }
    bool eight_bit = false;
    if (mixed)
    {
        for (const auto& a : attachments)
        {
            m += "--" + outer + "\r\n";
            if (auto ec = attachment_part(m, a, diag))
                return ec;
        }
        if (d.attached_message)
        {
            m += "--" + outer + "\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n";
            m += *d.attached_message;
            if (m.size() < 2 || m.compare(m.size() - 2, 2, "\r\n") != 0)
                m += "\r\n";
            eight_bit = std::any_of(d.attached_message->begin(), d.attached_message->end(),
                                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
        }
        m += "--" + outer + "--\r\n";
    }

    transport::outgoing_message out{d.from.address, {}, params.message_id, std::move(m), eight_bit, false};
    const auto notify = d.delivery_notification ? transport::dsn_notify::success | transport::dsn_notify::failure
                                                : transport::dsn_notify::server_default;
    for (const auto& r : d.all_recipients())
    {
        out.needs_smtputf8 = out.needs_smtputf8 || !r.is_ascii();
        out.recipients.push_back({r, notify});
    }
    out.needs_smtputf8 = out.needs_smtputf8 || !d.from.address.is_ascii();
    return out;
}

}  // namespace mss::service
