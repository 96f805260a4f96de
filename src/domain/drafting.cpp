// SPDX-License-Identifier: Apache-2.0
// Drafts: edits, and the creation of new messages, replies, forwards and documents messages.
#include <mss/domain/address_classification.hpp>
#include <mss/domain/draft.hpp>
#include <mss/domain/errc.hpp>
#include <mss/domain/html_text.hpp>
#include <mss/domain/subject.hpp>

#include <algorithm>
#include <cstdio>

namespace mss::domain {
namespace {

bool contains(const std::vector<named_address>& list, const email_address& a)
{
    return std::any_of(list.begin(), list.end(), [&](const auto& n) { return n.address() == a; });
}

std::string shown(const named_address& a)
{
    return a.display_name().empty() ? a.address().str()
                                    : std::string(a.display_name()) + " <" + a.address().str() + ">";
}

// "Le 26/11/2026 à 10:05, Dr Bernard <...> a écrit :" (UTC: the domain has no time zone).
std::string attribution(const original_message& original)
{
    const auto day = std::chrono::floor<std::chrono::days>(original.date);
    const std::chrono::year_month_day ymd(day);
    const std::chrono::hh_mm_ss hms(original.date - day);
    char when[48];
    std::snprintf(when, sizeof when, "Le %02u/%02u/%04d à %02d:%02d", static_cast<unsigned>(ymd.day()),
                  static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
    return std::string(when) + ", " + (original.from ? shown(*original.from) : std::string("?")) + " a écrit :";
}

std::string original_text(const original_message& original)
{
    return original.text_body.empty() ? html_to_text(original.html_body) : original.text_body;
}

// The original quoted below the new text, in both alternatives.
void quote(draft& d, const original_message& original)
{
    const std::string text = original_text(original);
    std::string quoted = "\n\n" + attribution(original) + "\n";
    std::size_t start = 0;
    while (start <= text.size())
    {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        quoted += line.empty() ? ">\n" : "> " + std::string(line) + "\n";
        start = end + 1;
    }
    d.text_body = quoted;
    const std::string body = original.html_body.empty() ? text_to_html(text) : original.html_body;
    d.html_body = "<p></p>\n<div>" + text_to_html(attribution(original)) + "</div>\n<blockquote type=\"cite\">" +
                  body + "</blockquote>";
}

draft base(draft_kind kind, const mailbox& from, std::string person_id, bool sender_is_rpps)
{
    draft d{.kind = kind, .from = from, .acting_person_id = std::move(person_id)};
    d.context.kind = kind;
    d.context.sender_is_rpps = sender_is_rpps;
    return d;
}

}  // namespace

void draft::add_recipient(recipient_field field, named_address address)
{
    auto& list = field == recipient_field::to ? to : field == recipient_field::cc ? cc : bcc;
    if (!contains(list, address.address()))
        list.push_back(std::move(address));
}

boost::system::error_code draft::remove_recipient(const email_address& address)
{
    bool removed = false;
    for (auto* list : {&to, &cc, &bcc})
    {
        const auto before = list->size();
        std::erase_if(*list, [&](const auto& n) { return n.address() == address; });
        removed = removed || list->size() != before;
    }
    return removed ? boost::system::error_code() : boost::system::error_code(errc::draft_item_not_found);
}

boost::system::error_code draft::remove_attachment(std::string_view file_name)
{
    const auto before = attachments.size();
    std::erase_if(attachments, [&](const auto& a) { return a.file_name == file_name; });
    return attachments.size() != before ? boost::system::error_code()
                                        : boost::system::error_code(errc::draft_item_not_found);
}

std::vector<email_address> draft::all_recipients() const
{
    std::vector<email_address> out;
    for (const auto* list : {&to, &cc, &bcc})
    {
        for (const auto& n : *list)
        {
            if (std::none_of(out.begin(), out.end(), [&](const auto& a) { return a == n.address(); }))
                out.push_back(n.address());
        }
    }
    return out;
}

draft make_new_message(const mailbox& from, std::string person_id, bool sender_is_rpps)
{
    return base(draft_kind::new_message, from, std::move(person_id), sender_is_rpps);
}

draft make_reply(const original_message& original, const mailbox& from, std::string person_id, bool sender_is_rpps,
                 bool reply_all, std::span<const email_address> own_addresses)
{
    draft d = base(reply_all ? draft_kind::reply_all : draft_kind::reply, from, std::move(person_id), sender_is_rpps);
    auto is_own = [&](const email_address& a) {
        return a == from.address || std::any_of(own_addresses.begin(), own_addresses.end(),
                                                [&](const auto& o) { return o == a; });
    };
    // Reply-To wins over From for the primary recipients.
    const std::vector<named_address> primary =
        !original.reply_to.empty() ? original.reply_to
                                   : (original.from ? std::vector<named_address>{*original.from}
                                                    : std::vector<named_address>{});
    for (const auto& a : primary)
    {
        if (!is_own(a.address()) || !reply_all)
            d.add_recipient(recipient_field::to, a);
    }
    if (reply_all)
    {
        for (const auto& a : original.to)
        {
            if (!is_own(a.address()) && !contains(d.to, a.address()))
                d.add_recipient(recipient_field::to, a);
        }
        for (const auto& a : original.cc)
        {
            if (!is_own(a.address()) && !contains(d.to, a.address()))
                d.add_recipient(recipient_field::cc, a);
        }
    }
    d.subject = reply_subject(original.subject);
    if (!original.message_id.empty())
    {
        d.in_reply_to = original.message_id;
        d.references = original.references;
        d.references.push_back(original.message_id);
    }
    // Whether the policy lets this reply reach a patient depends on who wrote the original.
    if (original.from && original.from->address().domain() == patient_domain)
        d.context.original_patient_sender = original.from->address();
    d.context.from_patient_folder = original.opened_from_patient_folder;
    quote(d, original);
    return d;
}

draft make_forward(const original_message& original, const mailbox& from, std::string person_id, bool sender_is_rpps,
                   forward_mode mode)
{
    draft d = base(draft_kind::forward, from, std::move(person_id), sender_is_rpps);
    d.subject = forward_subject(original.subject);
    quote(d, original);
    if (mode == forward_mode::inline_with_attachments)
        d.attachments = original.attachments;
    else
        d.attached_message = original.raw;
    return d;
}

boost::system::result<draft> make_documents_message(const mailbox& from, std::string person_id, bool sender_is_rpps,
                                                    const patient_info& patient, std::vector<attachment> documents)
{
    if (documents.empty())
        return errc::draft_item_not_found;
    draft d = base(draft_kind::documents, from, std::move(person_id), sender_is_rpps);
    d.subject = documents_subject(documents.front().document_category, patient);
    d.patient = patient;
    d.attachments = std::move(documents);
    return d;
}

boost::system::result<draft> make_documents_message(const mailbox& from, std::string person_id, bool sender_is_rpps,
                                                    std::span<const std::pair<patient_info, attachment>> documents)
{
    if (documents.empty())
        return errc::draft_item_not_found;
    std::vector<attachment> files;
    for (const auto& [patient, document] : documents)
    {
        if (!patient.same_patient(documents.front().first))
            return errc::documents_of_several_patients;
        files.push_back(document);
    }
    return make_documents_message(from, std::move(person_id), sender_is_rpps, documents.front().first,
                                  std::move(files));
}

}  // namespace mss::domain
