// SPDX-License-Identifier: Apache-2.0
// The seed's user guide, end to end, against the local sandbox operator (scripts/sandbox):
//   1. a physician links his personal box with a one-time code read from that box;
//   2. a structure's administrator links its organisational box; a delegate sees it;
//   3. the physician sends to a professional, who receives it;
//   4. reply, reply all, forward with the attachment;
//   5. documents of a patient's coordination file, with the default subject (CDA in IHE_XDM.zip);
//   6. a patient writes; the physician answers from the patient folder;
//   7. a new message to a patient is refused with the policy's message.
// Folders and unread counts are printed after each step. Exits 0 only if every step worked.
#include "common/sandbox.hpp"

#include <mss/domain/errc.hpp>
#include <mss/service/folder_service.hpp>
#include <mss/service/message_reader.hpp>
#include <mss/service/send_service.hpp>
#include <mss/service/sync_service.hpp>
#include <mss/store/sqlite_store.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <regex>
#include <stdexcept>

namespace asio = boost::asio;
using namespace mss;
using namespace std::chrono_literals;
constexpr auto await = asio::as_tuple(asio::use_awaitable);

namespace {

struct step_failed : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

void expect(bool ok, const std::string& what)
{
    if (!ok)
        throw step_failed(what);
    std::cout << "    ok: " << what << '\n';
}

domain::email_address address(const std::string& text) { return domain::email_address::parse(text).value(); }

// The people of the walkthrough (synthetic identifiers with valid keys).
const domain::person martin{"p-martin", "Dr Jean Martin", domain::rpps::parse("10000000009").value(), {}, "Médecin"};
const domain::person bernard{"p-bernard", "Dr Anne Bernard", domain::rpps::parse("10000000108").value(), {}, "Médecin"};
const domain::person cadre{"p-cadre", "Claire Cadre", {}, {}, "Cadre de santé"};
const domain::person durand{"p-durand", "Paul Durand", {}, {}, "Infirmier"};

class walkthrough
{
public:
    walkthrough(asio::io_context& io, example::sandbox sandbox, std::filesystem::path db_path)
        : io_(io), sandbox_(std::move(sandbox)), space_(sandbox_.trust_space())
    {
        diagnostics diag;
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(db_path.string() + suffix);
        db_ = store::sqlite_store::open(db_path.string(), diag).value();
        code_sender_ = sandbox_.submission(io.get_executor(), "LIAISON");
        links_ = std::make_unique<service::link_service>(
            io.get_executor(), *db_, space_, *code_sender_,
            service::link_service_config{address(sandbox_.at("LIAISON").address), "SPICO", {}, {}});
        sync_ = std::make_unique<service::sync_service>(io.get_executor(), *db_);
        folders_ = std::make_unique<service::folder_service>(io.get_executor(), *db_, *links_);
        folders_->set_patient_label_hook([](const domain::email_address& patient) -> std::optional<std::string> {
            if (patient.local_part() == "279035121518989")
                return "DUPONT Marie (INS 279035121518989)";
            return std::nullopt;
        });
        sender_ = std::make_unique<service::send_service>(io.get_executor(), *db_, space_, *links_,
                                                          service::send_config{"MSS-DEMO-0001", {}, {}, "Sent"});
    }

    asio::awaitable<void> run()
    {
        co_await step1_link_personal_box();
        co_await step2_link_structure_box();
        co_await step3_send_to_professional();
        co_await step4_reply_reply_all_forward();
        co_await step5_documents();
        co_await step6_patient_writes_and_is_answered();
        co_await step7_new_message_to_patient_refused();
    }

private:
    transport::mailbox_access& access(const std::string& key)
    {
        auto& slot = access_[key];
        if (!slot)
            slot = sandbox_.access(io_.get_executor(), key);
        return *slot;
    }

    transport::mail_submission& submission(const std::string& key)
    {
        auto& slot = submission_[key];
        if (!slot)
            slot = sandbox_.submission(io_.get_executor(), key);
        return *slot;
    }

    domain::mailbox box(const std::string& key, domain::mailbox_type type, std::string label)
    {
        return {address(sandbox_.at(key).address), type, "Sandbox", std::move(label)};
    }

    // Reads the newest one-time code mailed into `key`'s box, as the person would.
    asio::awaitable<std::string> read_code(std::string key)
    {
        diagnostics diag;
        for (int attempt = 0; attempt < 50; ++attempt)
        {
            auto [ec, changes] = co_await access(key).async_sync_folder("INBOX", {}, diag, await);
            if (ec)
                throw step_failed("cannot read " + key + "'s INBOX: " + ec.message() + " " + diag.client_message());
            for (auto it = changes.new_messages.rbegin(); it != changes.new_messages.rend(); ++it)
            {
                auto [fetch_ec, raw] = co_await access(key).async_fetch_message("INBOX", it->uid, diag, await);
                std::smatch m;
                if (!fetch_ec && std::regex_search(raw, m, std::regex("Code à usage unique : ([0-9]+)")))
                    co_return m[1];
            }
            asio::steady_timer wait(io_, 100ms);
            co_await wait.async_wait(asio::use_awaitable);
        }
        throw step_failed("no one-time code arrived in " + key + "'s box");
    }

    asio::awaitable<void> link(service::link_request request, std::string key)
    {
        diagnostics diag;
        auto [ec] = co_await links_->async_request_code(request, diag, await);
        expect(!ec, "a one-time code is sent into " + request.mailbox.address.str() +
                        (ec ? " (" + ec.message() + ": " + diag.client_message() + ")" : ""));
        const std::string code = co_await read_code(key);
        expect(code.size() == 8, "the code (8 digits) is read from the mailbox over IMAP");
        expect(!links_->confirm_code(request, code), "the code is entered: the mailbox is linked");
        co_await sync(key);
        expect(!links_->mark_ready(request.account, request.mailbox.address.str()), "first synchronisation done");
    }

    asio::awaitable<service::sync_report> sync(std::string key)
    {
        const auto link = db_->link_of_mailbox(sandbox_.at(key).address).value();
        if (!link)
            throw step_failed(key + " is not linked");
        diagnostics diag;
        // Postfix delivers asynchronously: give it a moment (synchronisation is idempotent).
        asio::steady_timer settle(io_, 300ms);
        co_await settle.async_wait(asio::use_awaitable);
        auto [ec, report] = co_await sync_->async_sync(*link, access(key), diag, {}, await);
        if (ec)
            throw step_failed("synchronisation of " + key + " failed: " + ec.message() + " " + diag.client_message());
        co_return report;
    }

    void show_folders(const domain::person& who)
    {
        const auto counts = folders_->unread(who).value();
        std::cout << "    folders of " << who.display_name << ":";
        for (auto f : domain::all_virtual_folders)
        {
            const auto page = folders_->list(who, f, {}, 200).value();
            std::cout << (domain::parent_of(f) ? "  " : " | ") << domain::display_name(f) << " "
                      << page.messages.size() << " (" << counts[static_cast<std::size_t>(f)] << " non lus)";
        }
        std::cout << '\n';
    }

    // The newest message of a folder for a person (with `subject` when given), read whole from its
    // server.
    asio::awaitable<domain::original_message> newest(domain::person who, domain::virtual_folder folder,
                                                     std::string key, std::string subject = {})
    {
        const auto page = folders_->list(who, folder, {}, 200).value();
        auto found = std::find_if(page.messages.begin(), page.messages.end(), [&](const auto& l) {
            return subject.empty() || l.message.subject == subject;
        });
        if (found == page.messages.end())
            throw step_failed("nothing in " + std::string(domain::display_name(folder)));
        const auto& m = found->message;
        diagnostics diag;
        auto [ec, raw] = co_await access(key).async_fetch_message(m.key.folder, m.key.uid, diag, await);
        if (ec)
            throw step_failed("cannot fetch the message: " + ec.message());
        auto original = service::read_original(raw, m, folder == domain::virtual_folder::patients_received ||
                                                            folder == domain::virtual_folder::patients);
        if (!original)
            throw step_failed("cannot read the message");
        co_return std::move(*original);
    }

    asio::awaitable<service::send_report> send(domain::draft d, std::string key)
    {
        diagnostics diag;
        auto [ec, report] = co_await sender_->async_send(d, submission(key), access(key), diag, await);
        if (ec)
            throw step_failed("not sent: " + ec.message() + " " + diag.client_message());
        co_return report;
    }

    asio::awaitable<void> step1_link_personal_box()
    {
        std::cout << "\n1. Dr Martin links his personal box (PER) to his account\n";
        // GCC 12 mishandles temporaries inside co_await arguments: name them first.
        service::link_request request{martin.id, martin.ref(),
                                      box("DR_MARTIN", domain::mailbox_type::per, "Dr_Jean_MARTIN_Cardiologie")};
        co_await link(std::move(request), "DR_MARTIN");
        expect(links_->state(martin.ref(), sandbox_.at("DR_MARTIN").address).value() == domain::link_state::ready,
               "the link is ready");
        show_folders(martin);
    }

    asio::awaitable<void> step2_link_structure_box()
    {
        std::cout << "\n2. The cardiology department links its organisational box (ORG); its delegates see it\n";
        const domain::account_ref chu{domain::account_kind::structure, "s-chu-cardio"};
        links_->grant_delegation({chu.id, cadre.id, domain::delegate_role::administrator, {}, "platform", {}, {}});
        links_->grant_delegation({chu.id, durand.id, domain::delegate_role::delegate, {}, cadre.id, {}, {}});
        links_->grant_delegation({chu.id, martin.id, domain::delegate_role::delegate, {}, cadre.id, {}, {}});
        service::link_request request{cadre.id, chu, box("CARDIOLOGIE_CHU", domain::mailbox_type::org, "Cardiologie CHU")};
        co_await link(std::move(request), "CARDIOLOGIE_CHU");
        expect(folders_->readable_mailboxes(durand).value().size() == 1, "the delegate nurse sees the ORG box");
        expect(folders_->readable_mailboxes(martin).value().size() == 2,
               "Dr Martin sees his box and the ORG box he is a delegate of");
        show_folders(durand);
    }

    asio::awaitable<void> step3_send_to_professional()
    {
        std::cout << "\n3. Dr Martin writes to Dr Bernard, found in the national directory\n";
        // Dr Bernard's platform account links her box too (already done on her side).
        db_->save_link({bernard.ref(), box("DR_BERNARD", domain::mailbox_type::per, "Dr_Anne_BERNARD_Medecine"),
                        domain::link_state::ready, {}});
        auto d = domain::make_new_message(box("DR_MARTIN", domain::mailbox_type::per, "Dr_Jean_MARTIN_Cardiologie"),
                                          martin.id, true);
        d.add_recipient(domain::recipient_field::to,
                        domain::named_address::make("Dr Anne Bernard", address(sandbox_.at("DR_BERNARD").address)).value());
        d.subject = "Avis sur un patient commun";
        d.html_body = "<p>Chère consœur,</p><p>Pouvez-vous revoir ce patient ? Bilan joint.</p>";
        d.add_attachment({"bilan.pdf", "application/pdf", std::string("%PDF-1.4\n% bilan de démonstration\n"), "", false});
        const auto report = co_await send(d, "DR_MARTIN");
        expect(report.state == domain::outbox_state::sent, "accepted by the operator, copy in Sent");
        co_await sync("DR_MARTIN");
        co_await sync("DR_BERNARD");
        const auto received = folders_->list(bernard, domain::virtual_folder::professionals_received).value();
        expect(!received.messages.empty() && received.messages.front().message.subject == "Avis sur un patient commun",
               "Dr Bernard's client receives it in MSSanté – Professionnels / Reçus");
        show_folders(martin);
        show_folders(bernard);
    }

    asio::awaitable<void> step4_reply_reply_all_forward()
    {
        std::cout << "\n4. Reply, reply all, forward with the attachment\n";
        const auto bernard_box = box("DR_BERNARD", domain::mailbox_type::per, "Dr_Anne_BERNARD_Medecine");
        const auto martin_box = box("DR_MARTIN", domain::mailbox_type::per, "Dr_Jean_MARTIN_Cardiologie");
        auto original = co_await newest(bernard, domain::virtual_folder::professionals_received, "DR_BERNARD");
        auto reply = domain::make_reply(original, bernard_box, bernard.id, true, false, {});
        reply.html_body = "<p>D'accord, je le vois la semaine prochaine.</p>" + reply.html_body;
        reply.add_recipient(domain::recipient_field::cc,
                            domain::named_address::make("", address(sandbox_.at("CARDIOLOGIE_CHU").address)).value());
        co_await send(reply, "DR_BERNARD");
        co_await sync("DR_MARTIN");
        auto answer = co_await newest(martin, domain::virtual_folder::professionals_received, "DR_MARTIN");
        expect(answer.subject == "RE : Avis sur un patient commun", "the reply arrives, subject prefixed once");
        expect(!answer.references.empty() && answer.references.back() == original.message_id,
               "threaded with In-Reply-To and References");

        const std::vector<domain::email_address> own = {address(sandbox_.at("CARDIOLOGIE_CHU").address)};
        auto all = domain::make_reply(answer, martin_box, martin.id, true, true, own);
        expect(all.to.size() == 1 && all.cc.empty(), "reply all drops the user's own addresses and shared box");
        all.html_body = "<p>Merci.</p>" + all.html_body;
        co_await send(all, "DR_MARTIN");

        auto first = co_await newest(martin, domain::virtual_folder::professionals_sent, "DR_MARTIN",
                                     "Avis sur un patient commun");
        auto fwd = domain::make_forward(first, martin_box, martin.id, true, domain::forward_mode::inline_with_attachments);
        fwd.add_recipient(domain::recipient_field::to,
                          domain::named_address::make("", address(sandbox_.at("PHARMACIE_CENTRALE").address)).value());
        fwd.html_body = "<p>Pour information.</p>" + fwd.html_body;
        expect(fwd.attachments.size() == 1, "the forward carries the original's attachment");
        const auto report = co_await send(fwd, "DR_MARTIN");
        expect(report.state == domain::outbox_state::sent, "the forward is sent (TR : prefix)");
        co_await sync("DR_MARTIN");
        co_await sync("DR_BERNARD");
        show_folders(martin);
    }

    asio::awaitable<void> step5_documents()
    {
        std::cout << "\n5. Documents of a patient's coordination file\n";
        const domain::patient_info patient{"Dupont", "Marie", std::chrono::year(1950) / 2 / 1,
                                           domain::ins::parse("279035121518989").value()};
        const std::string cda =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ClinicalDocument xmlns=\"urn:hl7-org:v3\">"
            "<code code=\"11490-0\" codeSystem=\"2.16.840.1.113883.6.1\"/><title>Lettre de sortie</title></ClinicalDocument>";
        auto d = domain::make_documents_message(
                     box("DR_MARTIN", domain::mailbox_type::per, "Dr_Jean_MARTIN_Cardiologie"), martin.id, true, patient,
                     {{"lettre-de-sortie.xml", "text/xml", cda, "Lettre de sortie", true},
                      {"lettre-de-sortie.pdf", "application/pdf", std::string("%PDF-1.4\n"), "Lettre de sortie", false}})
                     .value();
        expect(d.subject == "Lettre de sortie – DUPONT Marie 01/02/1950", "default subject: " + d.subject);
        d.add_recipient(domain::recipient_field::to,
                        domain::named_address::make("", address(sandbox_.at("DR_BERNARD").address)).value());
        co_await send(d, "DR_MARTIN");
        co_await sync("DR_BERNARD");
        auto received = co_await newest(bernard, domain::virtual_folder::professionals_received, "DR_BERNARD");
        expect(received.subject == d.subject, "Dr Bernard receives the documents");
        expect(received.raw.find("X-MSS-CODECDA: 11490-0") != std::string::npos &&
                   received.raw.find("X-MSS-INS: O") != std::string::npos,
               "X-MSS-CODECDA and X-MSS-INS are set, the CDA travels in IHE_XDM.zip");
    }

    asio::awaitable<void> step6_patient_writes_and_is_answered()
    {
        std::cout << "\n6. A patient writes; Dr Martin answers from MSSanté – Patients\n";
        transport::outgoing_message from_patient{
            address(sandbox_.at("PATIENT_1").address),
            {{address(sandbox_.at("DR_MARTIN").address)}},
            "patient-question@patient.mssante.fr",
            "From: " + sandbox_.at("PATIENT_1").address + "\r\nTo: " + sandbox_.at("DR_MARTIN").address +
                "\r\nSubject: Question sur mon traitement\r\nMessage-ID: <patient-question@patient.mssante.fr>\r\n"
                "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour docteur, faut-il continuer ?\r\n",
            false, false};
        diagnostics diag;
        auto [ec, result] = co_await submission("PATIENT_1").async_submit(from_patient, diag, await);
        expect(!ec, "the patient's message is accepted by the operator");
        co_await sync("DR_MARTIN");
        const auto patients = folders_->list(martin, domain::virtual_folder::patients_received).value();
        expect(!patients.messages.empty(), "it is in MSSanté – Patients / Reçus, shown as " +
                                               (patients.messages.empty() ? "?" : patients.messages.front().counterpart_label));
        expect(folders_->list(durand, domain::virtual_folder::patients).value().messages.empty(),
               "the nurse (no RPPS) sees the patient folder empty");
        auto question = co_await newest(martin, domain::virtual_folder::patients_received, "DR_MARTIN");
        auto reply = domain::make_reply(question, box("DR_MARTIN", domain::mailbox_type::per, "Dr_Jean_MARTIN_Cardiologie"),
                                        martin.id, true, false, {});
        reply.html_body = "<p>Oui, continuez jusqu'au prochain rendez-vous.</p>" + reply.html_body;
        const auto report = co_await send(reply, "DR_MARTIN");
        expect(report.state == domain::outbox_state::sent, "the reply to the patient is sent");
        co_await sync("DR_MARTIN");
        show_folders(martin);
    }

    asio::awaitable<void> step7_new_message_to_patient_refused()
    {
        std::cout << "\n7. A new message to a patient is refused\n";
        auto d = domain::make_new_message(box("DR_MARTIN", domain::mailbox_type::per, "Dr_Jean_MARTIN_Cardiologie"),
                                          martin.id, true);
        d.add_recipient(domain::recipient_field::to,
                        domain::named_address::make("", address(sandbox_.at("PATIENT_2").address)).value());
        d.subject = "Rappel";
        diagnostics diag;
        auto [ec, report] = co_await sender_->async_send(d, submission("DR_MARTIN"), access("DR_MARTIN"), diag, await);
        expect(ec == domain::errc::patient_conversation_cannot_be_started,
               std::string("refused: « ") + domain::message_fr(domain::errc::patient_conversation_cannot_be_started) + " »");
        expect(report.outbox_id == 0, "nothing was queued or sent");
    }

    asio::io_context& io_;
    example::sandbox sandbox_;
    domain::trust_space space_;
    std::unique_ptr<store::sqlite_store> db_;
    std::unique_ptr<transport::mail_submission> code_sender_;
    std::unique_ptr<service::link_service> links_;
    std::unique_ptr<service::sync_service> sync_;
    std::unique_ptr<service::folder_service> folders_;
    std::unique_ptr<service::send_service> sender_;
    std::map<std::string, std::unique_ptr<transport::mailbox_access>> access_;
    std::map<std::string, std::unique_ptr<transport::mail_submission>> submission_;
};

}  // namespace

int main(int argc, char** argv)
{
    try
    {
        asio::io_context io;
        const std::filesystem::path db = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "mss-walkthrough.db";
        walkthrough w(io, example::sandbox::from_environment(), db);
        std::exception_ptr failure;
        asio::co_spawn(io, w.run(), [&](std::exception_ptr e) { failure = e; });
        io.run();
        if (failure)
            std::rethrow_exception(failure);
        std::cout << "\nEvery step of the seed worked.\n";
        return 0;
    }
    catch (const std::exception& e)
    {
        std::cerr << "\nFAILED: " << e.what() << '\n';
        return 1;
    }
}
