// SPDX-License-Identifier: Apache-2.0
// Linking a mailbox to a platform account with a one-time code, as MSSanté requires:
//   1. the platform mails a one-time code into the mailbox (from its own sender box, LIAISON);
//   2. the person reads the code in that mailbox — here, the program reads it over IMAP;
//   3. the person enters the code: the mailbox is linked;
//   4. the first synchronisation fills the local index, then the link is ready;
//   5. the MSSanté folders are shown with their message and unread counts.
//
//   link_mailbox [STORE_FILE]      (default: a new SQLite file in the temporary directory)
//
// Needs the sandbox operator: scripts/sandbox up.
#include "common/helpers.hpp"
#include "common/sandbox.hpp"

#include <mss/service/folder_service.hpp>
#include <mss/service/link_service.hpp>
#include <mss/service/sync_service.hpp>
#include <mss/store/sqlite_store.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <regex>

namespace asio = boost::asio;
using namespace mss;
using example::check;
using example::check_ok;
constexpr auto await = asio::as_tuple(asio::use_awaitable);
// Named, never built inside a co_await expression (g++ 12 mishandles such temporaries).
const std::string inbox = "INBOX";

namespace {

// The physician who links his personal box (a synthetic RPPS number with a valid key).
const domain::person martin{
    "p-martin", "Dr Jean Martin", domain::rpps::parse("10000000009").value(), {}, "Médecin"};

// Step 2: waits for the code mail that arrives after `before` and reads the code out of it.
asio::awaitable<std::string> read_code_from_mailbox(transport::mailbox_access& imap,
                                                    transport::folder_sync_state before,
                                                    const std::string& code_sender)
{
    diagnostics diag;
    const auto one_second = std::chrono::seconds(1);
    for (int round = 0; round < 20; ++round)
    {
        // IMAP IDLE: returns as soon as something arrives (or after a second).
        auto [wait_ec, changed] = co_await imap.async_wait_for_changes(inbox, one_second, diag, await);
        check_ok(wait_ec, diag, "cannot watch the INBOX");
        // Only what arrived since `before`: older code mails (of earlier runs) are not looked at.
        auto [ec, changes] = co_await imap.async_sync_folder(inbox, before, diag, await);
        check_ok(ec, diag, "cannot read the INBOX");
        before = changes.state;
        for (const auto& summary : changes.new_messages)
        {
            if (summary.header.find(code_sender) == std::string::npos)
                continue;  // not from the platform's code sender
            auto [fetch_ec, raw] = co_await imap.async_fetch_message(inbox, summary.uid, diag, await);
            check_ok(fetch_ec, diag, "cannot fetch the code mail");
            std::smatch found;
            if (std::regex_search(raw, found, std::regex("Code à usage unique : ([0-9]+)")))
                co_return found[1].str();
        }
    }
    throw example::failure("no one-time code arrived within 20 seconds");
}

asio::awaitable<void> link_mailbox(asio::io_context& io, std::string store_path)
{
    // The wiring: the sandbox operator, the trust space, a store, the services.
    const auto sandbox = example::sandbox::from_environment();
    const domain::trust_space space = sandbox.trust_space();
    diagnostics diag;
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(store_path + suffix);  // the example starts from a new store each time
    auto opened = store::sqlite_store::open(store_path, diag);
    if (!opened)
        check_ok(opened.error(), diag, "cannot open the store " + store_path);
    store::store& db = **opened;

    // The platform sends its codes from its own box (LIAISON) through the operator.
    const auto code_sender = sandbox.submission(io.get_executor(), "LIAISON");
    const std::string code_sender_address = sandbox.at("LIAISON").address;
    service::link_service links(
        io.get_executor(), db, space, *code_sender,
        {example::address(code_sender_address), "la plateforme de démonstration", {}, {}});
    service::sync_service sync(io.get_executor(), db);
    service::folder_service folders(io.get_executor(), db, links);

    const auto box_address = example::address(sandbox.at("DR_MARTIN").address);
    const service::link_request request{
        martin.id,
        martin.ref(),
        {box_address, domain::mailbox_type::per, "Sandbox", "Dr_Jean_MARTIN_Cardiologie"}};
    const auto imap = sandbox.access(io.get_executor(), "DR_MARTIN");

    std::cout << "1. " << martin.display_name << " asks to link " << box_address.str() << '\n';
    // Where the INBOX stands now, so that step 2 only looks at newer mail.
    const transport::folder_sync_state nothing_known{};
    auto [before_ec, before] = co_await imap->async_sync_folder(inbox, nothing_known, diag, await);
    check_ok(before_ec, diag, "cannot open the INBOX");
    auto [request_ec] = co_await links.async_request_code(request, diag, await);
    check_ok(request_ec, diag, "the code was not sent");
    std::cout << "  ok: a one-time code is mailed from " << code_sender_address << '\n';

    std::cout << "2. The code is read from the mailbox over IMAP\n";
    const std::string code = co_await read_code_from_mailbox(*imap, before.state, code_sender_address);
    check(!code.empty(), "code received (" + std::to_string(code.size()) + " digits)");

    std::cout << "3. The code is entered\n";
    check_ok(links.confirm_code(request, code), diagnostics{}, "the code was refused");
    check(links.state(martin.ref(), box_address.str()).value() == domain::link_state::synchronising,
          "the mailbox is linked; first synchronisation to do");

    std::cout << "4. First synchronisation\n";
    const auto link = db.link_of_mailbox(box_address.str()).value().value();
    // Called as batches are stored (INBOX, then Sent): where a progress bar would go.
    const service::sync_progress progress = [](std::size_t done, std::size_t total)
    { std::cout << "  indexed " << done << " of " << total << " messages of the folder\n"; };
    auto [sync_ec, report] = co_await sync.async_sync(link, *imap, diag, progress, await);
    check_ok(sync_ec, diag, "the first synchronisation failed");
    check_ok(links.mark_ready(martin.ref(), box_address.str()), diagnostics{}, "cannot mark the link ready");
    check(links.state(martin.ref(), box_address.str()).value() == domain::link_state::ready,
          std::to_string(report.added) + " messages indexed, the link is ready");

    std::cout << "5. The MSSanté folders of " << martin.display_name << '\n';
    const auto unread = folders.unread(martin).value();
    for (const auto folder : domain::all_virtual_folders)
    {
        std::size_t total = 0;  // count the folder page by page
        std::optional<store::message_cursor> after;
        do
        {
            const auto page = folders.list(martin, folder, after, 500).value();
            total += page.messages.size();
            after = page.next;
        } while (after);
        std::cout << (domain::parent_of(folder) ? "      " : "    ") << domain::display_name(folder) << ": "
                  << total << " messages, " << unread[static_cast<std::size_t>(folder)] << " unread\n";
    }
}

}  // namespace

int main(int argc, char** argv)
{
    const std::string store_path =
        argc > 1 ? argv[1] : (std::filesystem::temp_directory_path() / "mss-link-mailbox.db").string();
    asio::io_context io;
    return example::run(io, link_mailbox(io, store_path), "The mailbox is linked and synchronised.");
}
