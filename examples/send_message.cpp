// SPDX-License-Identifier: Apache-2.0
// Writing to a professional found in the directory, with an attachment:
//   1. the directory the sender searches (national: he has an RPPS number) is loaded;
//   2. he searches a physician by name and profession and picks her;
//   3. the message is written, a PDF attached, and sent: the send policy is checked, the MSSanté
//      headers are added, the operator accepts it and a copy is kept in Sent;
//   4. the recipient's mailbox receives it.
//
//   send_message
//
// Needs the sandbox operator: scripts/sandbox up. The directory is examples/data/national_directory.txt
// (the format of ANS's public extraction file).
#include "common/helpers.hpp"
#include "common/sandbox.hpp"

#include <mss/directory/selection.hpp>
#include <mss/service/send_service.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/transport/offline_directory.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fstream>
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

asio::awaitable<void> send_message(asio::io_context& io)
{
    const auto sandbox = example::sandbox::from_environment();
    const domain::trust_space space = sandbox.trust_space();
    diagnostics diag;

    std::cout << "1. Loading the directory " << martin.display_name << " searches\n";
    const auto kind = directory::select_directory(martin);  // RPPS or ADELI: national; else regional
    auto index = std::make_shared<directory::live_index>();
    directory::load_report loaded;
    check_ok(index->reload(example::data_file(std::string(directory::to_string(kind)) + "_directory.txt"),
                           loaded, diag),
             diag, "cannot load the directory");
    check(loaded.loaded > 0, std::string(directory::to_string(kind)) +
                                 " directory: " + std::to_string(loaded.loaded) + " mailboxes");
    transport::offline_directory directory(io.get_executor(), index, kind);

    std::cout << "2. Searching a physician named Bernard\n";
    directory::query q;
    q.family_name = "bernard";
    q.profession_code = "10";  // Médecin (TRE_G15)
    auto [search_ec, found] = co_await directory.async_search(q, diag, await);
    check_ok(search_ec, diag, "the search failed");
    for (const auto& e : found.entries)
        std::cout << "    " << e.civility << ' ' << e.given_name << ' ' << e.family_name << ", "
                  << e.profession.label << ", " << e.city << " <" << e.address << ">\n";
    check(found.entries.size() == 1, "one physician found");
    const directory::entry& chosen = found.entries.front();

    std::cout << "3. Writing to " << chosen.given_name << ' ' << chosen.family_name
              << " with a PDF attached\n";
    // The sender's mailbox, linked to his account beforehand (see link_mailbox).
    const domain::mailbox box{example::address(sandbox.at("DR_MARTIN").address), domain::mailbox_type::per,
                              "Sandbox", "Dr_Jean_MARTIN_Cardiologie"};
    store::memory_store db;
    db.save_link({martin.ref(), box, domain::link_state::ready, {}});
    const auto smtp = sandbox.submission(io.get_executor(), "DR_MARTIN");
    const auto imap = sandbox.access(io.get_executor(), "DR_MARTIN");
    // The send service asks the link service who may send from which box (no code is sent here).
    const auto code_sender = sandbox.submission(io.get_executor(), "LIAISON");
    service::link_service links(io.get_executor(), db, space, *code_sender,
                                {example::address(sandbox.at("LIAISON").address), "la plateforme", {}, {}});
    service::send_service sender(io.get_executor(), db, space, links, {"MSS-EXAMPLE-0001", {}, {}, "Sent"});

    auto draft = domain::make_new_message(box, martin.id, martin.is_rpps_professional());
    const std::string name = "Dr " + chosen.given_name + " " + chosen.family_name;
    draft.add_recipient(domain::recipient_field::to,
                        domain::named_address::make(name, example::address(chosen.address)).value());
    draft.subject = "Avis sur un patient commun [" + example::unique_marker() + "]";
    draft.html_body = "<p>Chère consœur,</p><p>Pouvez-vous revoir ce patient ? Son bilan est joint.</p>";
    // An attachment is given by its content or, as here, by a file read when the message is sent.
    const auto pdf = std::filesystem::temp_directory_path() / "mss-example-bilan.pdf";
    std::ofstream(pdf, std::ios::binary) << "%PDF-1.4\n% bilan de démonstration\n%%EOF\n";
    draft.add_attachment({"bilan.pdf", "application/pdf", pdf, "", false});

    auto [send_ec, report] = co_await sender.async_send(draft, *smtp, *imap, diag, await);
    check_ok(send_ec, diag, "not sent");
    check(report.state == domain::outbox_state::sent,
          "accepted by the operator for " + std::to_string(report.recipients.size()) + " recipient(s)");
    check(report.sent_uid.has_value(),
          "a copy is kept in Sent (UID " + std::to_string(report.sent_uid.value_or(0)) + ")");

    std::cout << "4. The recipient's mailbox receives it\n";
    const auto bernard = sandbox.access(io.get_executor(), "DR_BERNARD");  // her side, to check
    const std::uint32_t uid = co_await example::wait_for_delivery(*bernard, inbox, report.message_id);
    auto [fetch_ec, raw] = co_await bernard->async_fetch_message(inbox, uid, diag, await);
    check_ok(fetch_ec, diag, "cannot fetch the received message");
    check(raw.find("bilan.pdf") != std::string::npos,
          "delivered into " + chosen.address + ", with bilan.pdf");
}

}  // namespace

int main()
{
    asio::io_context io;
    return example::run(io, send_message(io), "The message was sent and delivered.");
}
