// SPDX-License-Identifier: Apache-2.0
// `mss send`, `mss reply ID`, `mss forward ID`, `mss send-documents`: drafts built by the domain
// (make_new_message, make_reply, make_forward, make_documents_message) and sent by the send
// service, which applies the send policy and keeps the copy in Sent.
#include "commands.hpp"
#include "messages.hpp"
#include "session.hpp"

#include <mss/domain/draft.hpp>
#include <mss/domain/html_text.hpp>
#include <mss/domain/ins.hpp>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace mss_cli {
namespace {

using boost::system::error_code;
namespace domain = mss::domain;
namespace fs = std::filesystem;

std::string_view state_name(domain::outbox_state state)
{
    switch (state)
    {
    case domain::outbox_state::queued: return "queued";
    case domain::outbox_state::sending: return "sending";
    case domain::outbox_state::sent: return "sent";
    case domain::outbox_state::retry: return "retry";
    case domain::outbox_state::failed: return "failed";
    }
    return "unknown";
}

domain::named_address recipient(const std::string& text)
{
    mss::diagnostics diag;
    auto parsed = domain::named_address::parse(text, diag);
    if (!parsed)
        throw usage_error(fmt::format("{} is not an address: {}", printable(text), diag.client_message()));
    return *parsed;
}

void add_recipients(domain::draft& d, const arguments& args)
{
    for (const auto& t : args.values("to"))
        d.add_recipient(domain::recipient_field::to, recipient(t));
    for (const auto& t : args.values("cc"))
        d.add_recipient(domain::recipient_field::cc, recipient(t));
    for (const auto& t : args.values("bcc"))
        d.add_recipient(domain::recipient_field::bcc, recipient(t));
}

std::string media_type_of(const fs::path& path)
{
    std::string ext = path.extension().string();
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".pdf") return "application/pdf";
    if (ext == ".xml") return "text/xml";
    if (ext == ".txt") return "text/plain";
    if (ext == ".html" || ext == ".htm") return "text/html";
    if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
    if (ext == ".png") return "image/png";
    if (ext == ".zip") return "application/zip";
    if (ext == ".hl7" || ext == ".hpr") return "text/plain";
    return "application/octet-stream";
}

// The file is streamed by the renderer when the message is built: check now that it is there.
domain::attachment file_attachment(const std::string& name)
{
    const fs::path path(name);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw failure(fmt::format("cannot attach {}: not a readable file", printable(name)), "check the path");
    return {path.filename().string(), media_type_of(path), path, {}, false};
}

std::string read_text(const std::string& file)
{
    if (file == "-")
        return std::string(std::istreambuf_iterator<char>(std::cin), {});
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw failure(fmt::format("cannot read {}", printable(file)), "check the path");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<std::string> body_of(const arguments& args)
{
    if (args.has("body") && args.has("body-file"))
        throw usage_error("--body and --body-file cannot be used together");
    if (auto b = args.value("body"))
        return *b;
    if (auto f = args.value("body-file"))
        return read_text(*f);
    return std::nullopt;
}

// The user's text goes above what the draft already holds (the quote of a reply or forward).
void put_body(domain::draft& d, const std::string& text)
{
    d.text_body = d.text_body.empty() ? text : text + "\n\n" + d.text_body;
    d.html_body = d.html_body.empty() ? "<p>" + domain::text_to_html(text) + "</p>"
                                      : "<p>" + domain::text_to_html(text) + "</p>\n" + d.html_body;
}

void common_parts(domain::draft& d, const arguments& args)
{
    add_recipients(d, args);
    if (auto subject = args.value("subject"))
        d.subject = *subject;
    if (auto body = body_of(args))
        put_body(d, *body);
    for (const auto& f : args.values("attach"))
        d.add_attachment(file_attachment(f));
    if (args.has("read-receipt"))
        d.read_receipt = true;
}

std::uint64_t attachments_size(const domain::draft& d)
{
    std::uint64_t total = 0;
    for (const auto& a : d.attachments)
    {
        if (const auto* p = std::get_if<fs::path>(&a.content))
        {
            std::error_code ec;
            const auto n = fs::file_size(*p, ec);
            total += ec ? 0 : n;
        }
        else
            total += std::get<std::string>(a.content).size();
    }
    return total;
}

int send_draft(session& s, const domain::draft& d)
{
    if (d.all_recipients().empty())
        throw usage_error("no recipient: give at least one --to");
    s.require_link();
    progress bar("sending");
    if (const auto size = attachments_size(d); size > (1u << 20))
        bar.status(fmt::format("{:.1f} MB of attachments…", static_cast<double>(size) / (1 << 20)));
    mss::diagnostics diag;
    auto [ec, report] = s.wait<error_code, mss::service::send_report>(
        [&](auto handler) { s.sender().async_send(d, s.smtp(), s.imap(), diag, std::move(handler)); });
    bar.finish();
    if (ec && report.outbox_id == 0)
    {
        // Refused before anything was queued: a rule of the send policy, or access.
        auto why = s.refusal("not sent", ec, diag);
        if (!report.refused_recipient.empty())
            why = failure(fmt::format("{} (recipient {})", why.what(), report.refused_recipient), why.hint);
        throw why;
    }
    if (s.out().json())
    {
        json_writer doc;
        doc.begin_object()
            .member("ok", report.state == domain::outbox_state::sent)
            .member("state", state_name(report.state))
            .member("outbox_id", report.outbox_id)
            .member("message_id", report.message_id)
            .member("subject", d.subject)
            .key("sent_uid");
        if (report.sent_uid)
            doc.value(static_cast<std::uint64_t>(*report.sent_uid));
        else
            doc.null();
        doc.key("recipients").begin_array();
        for (const auto& r : report.recipients)
            doc.begin_object()
                .member("address", r.recipient.str())
                .member("accepted", r.accepted)
                .member("code", r.code)
                .member("text", r.text)
                .end_object();
        doc.end_array();
        if (ec)
            doc.member("error", diag.client_message().empty() ? ec.message() : diag.client_message());
        s.out().emit(doc.end_object());
    }
    else
    {
        s.out().say(fmt::format("{} «{}»: {}", report.state == domain::outbox_state::sent ? "sent" : "NOT sent",
                                printable(d.subject), state_name(report.state)));
        for (const auto& r : report.recipients)
            s.out().say(fmt::format("  {} {}{}", r.accepted ? "accepted" : "refused ", r.recipient.str(),
                                    r.accepted ? "" : fmt::format(" ({} {})", r.code, printable(r.text))));
        s.out().say(fmt::format("  Message-ID <{}>{}", report.message_id,
                                report.sent_uid ? fmt::format(", copy in {} (uid {})", s.cfg().get_or("sent_folder", "Sent"),
                                                              *report.sent_uid)
                                                : ""));
    }
    if (report.state == domain::outbox_state::sent)
        return exit_ok;
    if (report.state == domain::outbox_state::retry)
        throw failure(fmt::format("the operator did not take the message yet ({}); it stays in the outbox",
                                  diag.client_message().empty() ? ec.message() : diag.client_message()),
                      "`mss sync` retries it when it is due");
    throw failure(fmt::format("the operator refused the message: {}",
                              diag.client_message().empty() ? ec.message() : diag.client_message()));
}

int run_send(session& s, const arguments& args)
{
    if (!args.positional().empty())
        throw usage_error(fmt::format("unexpected argument {} (recipients go after --to)", printable(args.positional()[0])));
    if (!args.has("to"))
        throw usage_error("send needs at least one --to ADDRESS");
    if (!args.has("subject"))
        throw usage_error("send needs --subject");
    auto d = domain::make_new_message(s.mailbox(), s.person().id, s.person().is_rpps_professional());
    common_parts(d, args);
    return send_draft(s, d);
}

int run_reply(session& s, const arguments& args)
{
    if (args.positional().size() != 1)
        throw usage_error("reply takes one message id (from `mss list`)");
    const auto indexed = find_indexed(s, args.positional()[0]);
    const auto original = fetch_original(s, indexed);
    const std::vector<domain::email_address> own = {s.mailbox().address};
    auto d = domain::make_reply(original, s.mailbox(), s.person().id, s.person().is_rpps_professional(),
                                args.has("all"), own);
    common_parts(d, args);
    if (args.has("close"))
        d.close_patient_conversation = true;
    return send_draft(s, d);
}

int run_forward(session& s, const arguments& args)
{
    if (args.positional().size() != 1)
        throw usage_error("forward takes one message id (from `mss list`)");
    if (!args.has("to"))
        throw usage_error("forward needs at least one --to ADDRESS");
    const auto indexed = find_indexed(s, args.positional()[0]);
    const auto original = fetch_original(s, indexed);
    auto d = domain::make_forward(original, s.mailbox(), s.person().id, s.person().is_rpps_professional(),
                                  args.has("as-attachment") ? domain::forward_mode::as_attachment
                                                            : domain::forward_mode::inline_with_attachments);
    common_parts(d, args);
    return send_draft(s, d);
}

std::chrono::year_month_day parse_birth_date(const std::string& text)
{
    int y = 0;
    unsigned m = 0, day = 0;
    char dash1 = 0, dash2 = 0;
    std::istringstream in(text);
    in >> y >> dash1 >> m >> dash2 >> day;
    const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(day)};
    if (!in || !in.eof() || dash1 != '-' || dash2 != '-' || !date.ok() || y < 1850)
        throw usage_error(fmt::format("--patient-birth-date {}: expected YYYY-MM-DD", printable(text)));
    return date;
}

// A CDA R2 document (the structured documents of a coordination file) travels in IHE_XDM.zip.
bool looks_like_cda(const fs::path& path)
{
    if (media_type_of(path) != "text/xml")
        return false;
    std::ifstream in(path, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head.find("<ClinicalDocument") != std::string::npos;
}

int run_send_documents(session& s, const arguments& args)
{
    if (!args.positional().empty())
        throw usage_error(fmt::format("unexpected argument {} (documents go after --document)", printable(args.positional()[0])));
    for (const char* required : {"to", "document", "category", "patient-family", "patient-given", "patient-birth-date"})
        if (!args.has(required))
            throw usage_error(fmt::format("send-documents needs --{}", required));
    domain::patient_info patient{*args.value("patient-family"), *args.value("patient-given"),
                                 parse_birth_date(*args.value("patient-birth-date")), std::nullopt};
    if (auto text = args.value("patient-ins"))
    {
        mss::diagnostics diag;
        auto ins = domain::ins::parse(*text, diag);
        if (!ins)
            throw usage_error(fmt::format("--patient-ins is not a valid INS: {}", diag.client_message()));
        patient.qualified_ins = *ins;
    }
    std::vector<domain::attachment> documents;
    for (const auto& f : args.values("document"))
    {
        auto a = file_attachment(f);
        a.document_category = *args.value("category");
        a.is_cda = looks_like_cda(f);
        documents.push_back(std::move(a));
    }
    auto made = domain::make_documents_message(s.mailbox(), s.person().id, s.person().is_rpps_professional(), patient,
                                               std::move(documents));
    if (!made)
        throw s.refusal("the documents cannot be sent", made.error(), {});
    auto d = std::move(*made);
    common_parts(d, args);  // --subject replaces the default subject
    return send_draft(s, d);
}

#define MSS_CLI_ADDRESS_OPTIONS                                                                  \
    option_spec{"to", true, true, "a recipient: address or \"Name <address>\""},                 \
        option_spec{"cc", true, true, "a recipient in copy"},                                    \
        option_spec{"bcc", true, true, "a hidden recipient"}
#define MSS_CLI_BODY_OPTIONS                                                                     \
    option_spec{"body", true, false, "the text of the message"},                                 \
        option_spec{"body-file", true, false, "read the text from this file (- for stdin)"},     \
        option_spec{"attach", true, true, "attach this file"},                                   \
        option_spec{"read-receipt", false, false, "ask for a read receipt"}

constexpr option_spec send_options[] = {MSS_CLI_ADDRESS_OPTIONS, option_spec{"subject", true, false, "the subject"},
                                        MSS_CLI_BODY_OPTIONS};
constexpr option_spec reply_options[] = {
    option_spec{"all", false, false, "reply to all (your own address left out)"}, MSS_CLI_ADDRESS_OPTIONS,
    option_spec{"subject", true, false, "replace the subject (default: RE : original)"}, MSS_CLI_BODY_OPTIONS,
    option_spec{"close", false, false, "close the conversation with a patient (X-MSS-MES: FIN)"}};
constexpr option_spec forward_options[] = {
    MSS_CLI_ADDRESS_OPTIONS, option_spec{"subject", true, false, "replace the subject (default: TR : original)"},
    option_spec{"as-attachment", false, false, "forward the message as an attached .eml"}, MSS_CLI_BODY_OPTIONS};
constexpr option_spec documents_options[] = {
    MSS_CLI_ADDRESS_OPTIONS,
    option_spec{"document", true, true, "a document of the patient's file (a CDA .xml travels in IHE_XDM.zip)"},
    option_spec{"category", true, false, "the documents' category, e.g. \"Lettre de sortie\""},
    option_spec{"patient-family", true, false, "the patient's family name"},
    option_spec{"patient-given", true, false, "the patient's given name"},
    option_spec{"patient-birth-date", true, false, "the patient's birth date, YYYY-MM-DD"},
    option_spec{"patient-ins", true, false, "the patient's qualified INS"},
    option_spec{"subject", true, false, "replace the default subject (category – NAME Given birth date)"},
    MSS_CLI_BODY_OPTIONS};

#undef MSS_CLI_ADDRESS_OPTIONS
#undef MSS_CLI_BODY_OPTIONS

}  // namespace

const command cmd_send{"send", "--to ADDRESS --subject TEXT [--body TEXT | --body-file FILE] [--attach FILE]...",
                       "write a new message to professionals", send_options, &run_send};
const command cmd_reply{"reply", "ID [--all] [--body TEXT | --body-file FILE] [--attach FILE]...",
                        "reply to a message (subject RE :, threaded)", reply_options, &run_reply};
const command cmd_forward{"forward", "ID --to ADDRESS [--as-attachment] [--body TEXT]",
                          "forward a message with its attachments", forward_options, &run_forward};
const command cmd_send_documents{
    "send-documents",
    "--to ADDRESS --document FILE... --category TEXT --patient-family NAME --patient-given NAME "
    "--patient-birth-date YYYY-MM-DD [--patient-ins INS]",
    "send documents of a patient's coordination file, with the default subject", documents_options,
    &run_send_documents};

}  // namespace mss_cli
