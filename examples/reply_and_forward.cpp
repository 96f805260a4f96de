// SPDX-License-Identifier: Apache-2.0
// Answering a received message: reply, reply all, and forward with its attachment.
//   0. so that the example stands alone, Dr Bernard first writes to Dr Martin (copy to the
//      cardiology department's box) with an attachment;
//   1. Dr Martin synchronises his box and opens the message from MSSanté – Professionnels / Reçus;
//   2. he replies to Dr Bernard (subject "RE : ", threaded by In-Reply-To and References);
//   3. he replies to all (the department too, never himself);
//   4. he forwards it with its attachment to the pharmacy (subject "TR : ").
//
//   reply_and_forward
//
// Needs the sandbox operator: scripts/sandbox up.
#include "common/helpers.hpp"
#include "common/sandbox.hpp"

#include <mss/service/folder_service.hpp>
#include <mss/service/message_reader.hpp>
#include <mss/service/send_service.hpp>
#include <mss/service/sync_service.hpp>
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
const domain::person bernard{
    "p-bernard", "Dr Anne Bernard", domain::rpps::parse("10000000108").value(), {}, "Médecin"};

// Sends `draft` from the box of `key` and waits until `to_key`'s box has received it.
asio::awaitable<std::string> send_and_deliver(service::send_service& sender, const domain::draft& draft,
                                              const example::sandbox& sandbox, asio::io_context& io,
                                              const char* key, const char* to_key)
{
    const auto smtp = sandbox.submission(io.get_executor(), key);
    const auto imap = sandbox.access(io.get_executor(), key);
    diagnostics diag;
    auto [ec, report] = co_await sender.async_send(draft, *smtp, *imap, diag, await);
    check_ok(ec, diag, "not sent");
    const auto recipient = sandbox.access(io.get_executor(), to_key);
    co_await example::wait_for_delivery(*recipient, inbox, report.message_id);
    std::cout << "  ok: sent « " << draft.subject << " », received by " << sandbox.at(to_key).address << '\n';
    co_return report.message_id;
}

asio::awaitable<void> reply_and_forward(asio::io_context& io)
{
    const auto sandbox = example::sandbox::from_environment();
    const domain::trust_space space = sandbox.trust_space();
    auto named = [&](const std::string& key)
    { return domain::named_address::make("", example::address(sandbox.at(key).address)).value(); };
    const domain::mailbox martin_box{named("DR_MARTIN").address(), domain::mailbox_type::per, "Sandbox",
                                     "Dr_Jean_MARTIN"};
    const domain::mailbox bernard_box{named("DR_BERNARD").address(), domain::mailbox_type::per, "Sandbox",
                                      "Dr_Anne_BERNARD"};
    // Both boxes are linked to their holders' accounts beforehand (see link_mailbox).
    store::memory_store db;
    const domain::mailbox_link martin_link{martin.ref(), martin_box, domain::link_state::ready, {}};
    db.save_link(martin_link);
    db.save_link({bernard.ref(), bernard_box, domain::link_state::ready, {}});
    // The send service asks the link service who may send from which box (no code is sent here).
    const auto code_sender = sandbox.submission(io.get_executor(), "LIAISON");
    service::link_service links(io.get_executor(), db, space, *code_sender,
                                {named("LIAISON").address(), "la plateforme", {}, {}});
    service::send_service sender(io.get_executor(), db, space, links, {"MSS-EXAMPLE-0001", {}, {}, "Sent"});
    service::sync_service sync(io.get_executor(), db);
    service::folder_service folders(io.get_executor(), db, links);
    diagnostics diag;

    std::cout << "0. Dr Bernard writes to Dr Martin, copy to the cardiology department, with an attachment\n";
    auto first = domain::make_new_message(bernard_box, bernard.id, true);
    first.add_recipient(domain::recipient_field::to, named("DR_MARTIN"));
    first.add_recipient(domain::recipient_field::cc, named("CARDIOLOGIE_CHU"));
    first.subject = "Résultats d'échographie [" + example::unique_marker() + "]";
    first.html_body = "<p>Cher confrère, voici l'échographie de notre patient commun.</p>";
    first.add_attachment({"echographie.pdf", "application/pdf", std::string("%PDF-1.4\n%%EOF\n"), "", false});
    const std::string first_id =
        co_await send_and_deliver(sender, first, sandbox, io, "DR_BERNARD", "DR_MARTIN");

    std::cout << "1. Dr Martin synchronises his box and opens the message\n";
    const auto martin_imap = sandbox.access(io.get_executor(), "DR_MARTIN");
    const service::sync_progress no_progress;
    auto [sync_ec, synced] = co_await sync.async_sync(martin_link, *martin_imap, diag, no_progress, await);
    check_ok(sync_ec, diag, "the synchronisation failed");
    std::optional<domain::indexed_message> found;  // look for it page by page in the folder
    std::optional<store::message_cursor> after;
    do
    {
        const auto page =
            folders.list(martin, domain::virtual_folder::professionals_received, after, 100).value();
        for (const auto& listed : page.messages)
            if (listed.message.message_id == first_id)
                found = listed.message;
        after = page.next;
    } while (after && !found);
    check(found.has_value(), "it is in MSSanté – Professionnels / Reçus");
    auto [fetch_ec, raw] =
        co_await martin_imap->async_fetch_message(found->key.folder, found->key.uid, diag, await);
    check_ok(fetch_ec, diag, "cannot fetch the message");
    const domain::original_message original = service::read_original(raw, *found, false).value();
    check(original.attachments.size() == 1 && original.attachments[0].file_name == "echographie.pdf",
          "opened: « " + original.subject + " », with echographie.pdf");

    std::cout << "2. Reply\n";
    auto reply = domain::make_reply(original, martin_box, martin.id, true, /*reply_all=*/false, {});
    check(reply.to.size() == 1 && reply.to[0].address() == bernard_box.address && reply.cc.empty(),
          "to Dr Bernard only");
    check(reply.subject == "RE : " + first.subject && reply.in_reply_to == first_id,
          "subject « RE : … », threaded");
    reply.html_body = "<p>Merci, je le reçois mardi.</p>" + reply.html_body;  // above the quoted original
    co_await send_and_deliver(sender, reply, sandbox, io, "DR_MARTIN", "DR_BERNARD");

    std::cout << "3. Reply all\n";
    // The person's own addresses (and shared boxes they act through) never get a copy.
    const std::vector<domain::email_address> own = {martin_box.address};
    auto all = domain::make_reply(original, martin_box, martin.id, true, /*reply_all=*/true, own);
    check(
        all.to.size() == 1 && all.cc.size() == 1 && all.cc[0].address() == named("CARDIOLOGIE_CHU").address(),
        "to Dr Bernard, copy to the department, not to himself");
    all.html_body = "<p>Je préviens le service.</p>" + all.html_body;
    co_await send_and_deliver(sender, all, sandbox, io, "DR_MARTIN", "CARDIOLOGIE_CHU");

    std::cout << "4. Forward with the attachment\n";
    // forward_mode::as_attachment would attach the whole original (message/rfc822) instead.
    auto forward = domain::make_forward(original, martin_box, martin.id, true,
                                        domain::forward_mode::inline_with_attachments);
    forward.add_recipient(domain::recipient_field::to, named("PHARMACIE_CENTRALE"));
    check(forward.subject == "TR : " + first.subject && forward.attachments.size() == 1,
          "subject « TR : … », carries echographie.pdf");
    forward.html_body = "<p>Pour information.</p>" + forward.html_body;
    co_await send_and_deliver(sender, forward, sandbox, io, "DR_MARTIN", "PHARMACIE_CENTRALE");
}

}  // namespace

int main()
{
    asio::io_context io;
    return example::run(io, reply_and_forward(io), "Reply, reply all and forward all arrived.");
}
