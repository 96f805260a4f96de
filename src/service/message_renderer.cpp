// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/html_text.hpp>
#include <mss/error.hpp>
#include <mss/mime/builder.hpp>
#include <mss/service/message_renderer.hpp>
#include <mss/xdm/package.hpp>

#include <algorithm>
#include <fstream>
#include <utility>

namespace mss::service {
namespace {

bool has_control(std::string_view text)
{
    return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
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

    // The MIME writing itself is the builder's: folding, encoded-words, RFC 2231 names, attachments
    // streamed from their files straight into the message.
    mime::message_builder builder;
    auto from = domain::named_address::make(d.from.display_label, d.from.address);
    if (!from)
    {
        diag.set_client_message("the mailbox's display label cannot be written in From");
        return from.error();
    }
    builder.from(std::move(*from));
    for (const auto& r : d.to)
        builder.to(r);
    for (const auto& r : d.cc)
        builder.cc(r);
    builder.subject(d.subject).date(params.date).message_id(params.message_id);
    std::vector<std::pair<std::string_view, std::string>> extra;
    if (!d.in_reply_to.empty())
        extra.emplace_back("In-Reply-To", "<" + d.in_reply_to + ">");
    if (!d.references.empty())
    {
        std::string refs;
        for (const auto& r : d.references)
            refs += (refs.empty() ? "<" : " <") + r + ">";
        extra.emplace_back("References", std::move(refs));
    }
    if (d.read_receipt)
        extra.emplace_back("Disposition-Notification-To", "<" + d.from.address.str() + ">");
    extra.emplace_back("X-MSS-NIL", params.product_reference);
    if (d.close_patient_conversation)
        extra.emplace_back("X-MSS-MES", "FIN");
    if (xdm_package)
    {
        std::string codes;
        for (const auto& c : xdm_package->document_codes)
            codes += (codes.empty() ? "" : ",") + c;
        extra.emplace_back("X-MSS-CODECDA", std::move(codes));
        extra.emplace_back("X-MSS-INS", xdm_package->qualified_ins ? "O" : "N");
    }
    for (const auto& [name, value] : extra)
    {
        if (auto ec = builder.add_header(name, value))
        {
            diag.set_client_message("header " + std::string(name) + " cannot be written");
            return ec;
        }
    }
    builder.text(d.text_body.empty() ? domain::html_to_text(d.html_body) : d.text_body);
    if (!d.html_body.empty())
        builder.html(d.html_body);
    for (const auto& a : attachments)
    {
        if (const auto* bytes = std::get_if<std::string>(&a.content))
            builder.attach_view(*bytes, a.file_name, a.media_type);
        else
            builder.attach_file(std::get<std::filesystem::path>(a.content), a.file_name, a.media_type);
    }
    bool eight_bit = false;
    if (d.attached_message)
    {
        eight_bit = std::any_of(d.attached_message->begin(), d.attached_message->end(),
                                [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
        builder.attach_message(*d.attached_message);
    }
    std::string m;
    const auto random = [&params](std::span<unsigned char> bytes) { params.random(bytes); };
    if (auto ec = builder.write(m, random, diag))
    {
        if (ec == mss::errc::file_unreadable)
            diag.set_client_message("cannot read an attachment of the message: " + diag.client_message());
        return ec;
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
