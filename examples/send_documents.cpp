// SPDX-License-Identifier: Apache-2.0
// Sending documents of a patient's coordination file (a discharge letter: its CDA and its PDF):
//   1. the message is made from the documents: the default subject is
//      "<category> – <FAMILY NAME> <Given name> <birth date>";
//   2. it is sent: the CDA travels in an IHE_XDM.zip, the X-MSS-CODECDA and X-MSS-INS headers are
//      set from the documents and the patient;
//   3. the recipient receives it.
//   4. documents of two different patients are refused in one message.
//
//   send_documents
//
// Needs the sandbox operator: scripts/sandbox up.
#include "common/helpers.hpp"
#include "common/sandbox.hpp"

#include <mss/domain/errc.hpp>
#include <mss/domain/person.hpp>
#include <mss/service/send_service.hpp>
#include <mss/store/memory_store.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace mss;
using example::check;
using example::check_ok;
constexpr auto await = asio::as_tuple(asio::use_awaitable);
// Named, never built inside a co_await expression (g++ 12 mishandles such temporaries).
const std::string inbox = "INBOX";

namespace {

const domain::person martin{
    "p-martin", "Dr Jean Martin", domain::rpps::parse("10000000009").value(), {}, "Médecin"};

// The patient, with a qualified INS (national health identity: a synthetic number with a valid key).
const domain::patient_info dupont{"Dupont", "Marie", std::chrono::year(1950) / 2 / 1,
                                  domain::ins::parse("279035121518989").value()};

// A minimal CDA R2 document: its LOINC code (11490-0, discharge letter) becomes X-MSS-CODECDA.
const std::string discharge_letter_cda =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n"
    "  <code code=\"11490-0\" codeSystem=\"2.16.840.1.113883.6.1\" displayName=\"Lettre de sortie\"/>\n"
    "  <title>Lettre de sortie</title>\n"
    "</ClinicalDocument>\n";

asio::awaitable<void> send_documents(asio::io_context& io)
{
    const auto sandbox = example::sandbox::from_environment();
    const domain::trust_space space = sandbox.trust_space();
    const domain::mailbox box{example::address(sandbox.at("DR_MARTIN").address), domain::mailbox_type::per,
                              "Sandbox", "Dr_Jean_MARTIN_Cardiologie"};
    store::memory_store db;
    db.save_link({martin.ref(), box, domain::link_state::ready, {}});  // linked beforehand (see link_mailbox)
    const auto smtp = sandbox.submission(io.get_executor(), "DR_MARTIN");
    const auto imap = sandbox.access(io.get_executor(), "DR_MARTIN");
    // The send service asks the link service who may send from which box (no code is sent here).
    const auto code_sender = sandbox.submission(io.get_executor(), "LIAISON");
    service::link_service links(io.get_executor(), db, space, *code_sender,
                                {example::address(sandbox.at("LIAISON").address), "la plateforme", {}, {}});
    service::send_service sender(io.get_executor(), db, space, links, {"MSS-EXAMPLE-0001", {}, {}, "Sent"});
    diagnostics diag;

    std::cout << "1. A message from the documents of " << dupont.given_name << ' ' << dupont.family_name
              << "'s coordination file\n";
    // Each document: file name, media type, content, category (the subject's first words), is CDA.
    std::vector<domain::attachment> documents = {
        {"lettre-de-sortie.xml", "text/xml", discharge_letter_cda, "Lettre de sortie", true},
        {"lettre-de-sortie.pdf", "application/pdf", std::string("%PDF-1.4\n%%EOF\n"), "Lettre de sortie",
         false},
    };
    auto made =
        domain::make_documents_message(box, martin.id, martin.is_rpps_professional(), dupont, documents);
    if (!made)
        check_ok(made.error(), diag, "cannot make the message");
    domain::draft draft = std::move(*made);
    check(draft.subject == "Lettre de sortie – DUPONT Marie 01/02/1950", "default subject: " + draft.subject);
    draft.add_recipient(
        domain::recipient_field::to,
        domain::named_address::make("Dr Anne Bernard", example::address(sandbox.at("DR_BERNARD").address))
            .value());
    draft.html_body = "<p>Chère consœur, voici la lettre de sortie de Mme Dupont.</p>";

    std::cout << "2. Sending\n";
    auto [send_ec, report] = co_await sender.async_send(draft, *smtp, *imap, diag, await);
    check_ok(send_ec, diag, "not sent");
    check(report.state == domain::outbox_state::sent && report.sent_uid,
          "accepted by the operator, copy in Sent");

    std::cout << "3. Dr Bernard receives it\n";
    const auto bernard = sandbox.access(io.get_executor(), "DR_BERNARD");
    // By its Message-ID: the same subject may already be in her box from earlier runs.
    const std::uint32_t uid = co_await example::wait_for_delivery(*bernard, inbox, report.message_id);
    auto [fetch_ec, raw] = co_await bernard->async_fetch_message(inbox, uid, diag, await);
    check_ok(fetch_ec, diag, "cannot fetch the received message");
    check(raw.find("X-MSS-CODECDA: 11490-0") != std::string::npos,
          "X-MSS-CODECDA: 11490-0 (from the CDA's code)");
    check(raw.find("X-MSS-INS: O") != std::string::npos, "X-MSS-INS: O (the patient's INS is qualified)");
    check(raw.find("IHE_XDM.zip") != std::string::npos, "the CDA travels in IHE_XDM.zip");

    std::cout << "4. Documents of two patients cannot go in one message\n";
    const domain::patient_info other{"Durand", "Louis", std::chrono::year(1962) / 7 / 14, std::nullopt};
    const std::vector<std::pair<domain::patient_info, domain::attachment>> mixed = {{dupont, documents[1]},
                                                                                    {other, documents[1]}};
    auto refused = domain::make_documents_message(box, martin.id, true, std::span(mixed));
    check(
        refused.has_error() && refused.error() == domain::errc::documents_of_several_patients,
        std::string("refused: « ") + domain::message_fr(domain::errc::documents_of_several_patients) + " »");
}

}  // namespace

int main()
{
    asio::io_context io;
    return example::run(io, send_documents(io), "The documents were sent and received.");
}
