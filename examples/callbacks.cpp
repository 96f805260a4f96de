// SPDX-License-Identifier: Apache-2.0
// The same send as send_message, without coroutines: every asynchronous operation of the library
// takes any Asio completion token, so a plain callback works as well as `use_awaitable` (or
// `use_future`, `deferred`...). Each step is a member function that starts the next operation
// with a callback into the next step:
//   1. search the directory → 2. send with an attachment → 3. check the recipient received it.
//
//   callbacks
//
// Needs the sandbox operator: scripts/sandbox up.
#include "common/helpers.hpp"
#include "common/sandbox.hpp"

#include <mss/directory/selection.hpp>
#include <mss/service/send_service.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/transport/offline_directory.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <iostream>

namespace asio = boost::asio;
using boost::system::error_code;
using namespace mss;

namespace {

const domain::person martin{
    "p-martin", "Dr Jean Martin", domain::rpps::parse("10000000009").value(), {}, "Médecin"};

// Everything the operations use lives in this object, which outlives them (it is in main).
class send_flow
{
public:
    send_flow(asio::io_context& io, const example::sandbox& sandbox, transport::directory_search& directory,
              service::send_service& sender, domain::mailbox box)
        : sandbox_(sandbox),
          directory_(directory),
          sender_(sender),
          smtp_(sandbox.submission(io.get_executor(), "DR_MARTIN")),
          imap_(sandbox.access(io.get_executor(), "DR_MARTIN")),
          recipient_box_(sandbox.access(io.get_executor(), "DR_BERNARD")),  // her side, to check
          timer_(io),
          draft_(domain::make_new_message(box, martin.id, martin.is_rpps_professional()))
    {
    }

    bool succeeded() const { return succeeded_; }

    // 1. Search: a physician named Bernard.
    void start()
    {
        std::cout << "1. " << martin.display_name << " searches a physician named Bernard\n";
        query_.family_name = "bernard";
        query_.profession_code = "10";  // Médecin
        directory_.async_search(query_, diag_,
                                [this](error_code ec, directory::search_result found)
                                { on_found(ec, std::move(found)); });
    }

private:
    // 2. Write to the one found, attach a PDF, send.
    void on_found(error_code ec, directory::search_result found)
    {
        if (ec || found.entries.size() != 1)
            return fail("the search did not find exactly one physician", ec);
        const auto& chosen = found.entries.front();
        std::cout << "  ok: found " << chosen.given_name << ' ' << chosen.family_name << " <"
                  << chosen.address << ">\n2. Writing to her with a PDF attached\n";
        draft_.add_recipient(domain::recipient_field::to,
                             domain::named_address::make("Dr " + chosen.given_name + " " + chosen.family_name,
                                                         example::address(chosen.address))
                                 .value());
        draft_.subject = "Avis sur un patient commun (callbacks) [" + example::unique_marker() + "]";
        draft_.html_body = "<p>Chère consœur,</p><p>Pouvez-vous revoir ce patient ? Son bilan est joint.</p>";
        draft_.add_attachment({"bilan.pdf", "application/pdf", std::string("%PDF-1.4\n%%EOF\n"), "", false});
        sender_.async_send(draft_, *smtp_, *imap_, diag_,
                           [this](error_code send_ec, service::send_report report)
                           { on_sent(send_ec, std::move(report)); });
    }

    // 3. Ask the recipient's box for the message every 200 ms (Postfix delivers a moment later).
    void on_sent(error_code ec, service::send_report report)
    {
        if (ec || report.state != domain::outbox_state::sent || !report.sent_uid)
            return fail("not sent", ec);
        std::cout << "  ok: accepted by the operator, copy in Sent\n3. The recipient's mailbox receives it\n";
        message_id_ = report.message_id;
        poll();
    }

    void poll()
    {
        recipient_box_->async_find_message_id(inbox_, message_id_, diag_,
                                              [this](error_code ec, std::optional<std::uint32_t> uid)
                                              { on_polled(ec, uid); });
    }

    void on_polled(error_code ec, std::optional<std::uint32_t> uid)
    {
        if (ec)
            return fail("cannot search her INBOX", ec);
        if (uid)
            return done();
        if (++attempts_ == 100)
            return fail("the message never arrived", {});
        timer_.expires_after(std::chrono::milliseconds(200));
        timer_.async_wait([this](error_code) { poll(); });
    }

    void done()
    {
        std::cout << "  ok: delivered into " << sandbox_.at("DR_BERNARD").address << '\n';
        succeeded_ = true;
    }

    void fail(const std::string& what, error_code ec)
    {
        std::cerr << "\nFAILED: " << what << (ec ? ": " + ec.message() + " " + diag_.client_message() : "")
                  << '\n';
    }

    const example::sandbox& sandbox_;
    transport::directory_search& directory_;
    service::send_service& sender_;
    std::unique_ptr<transport::mail_submission> smtp_;
    std::unique_ptr<transport::mailbox_access> imap_;
    std::unique_ptr<transport::mailbox_access> recipient_box_;
    asio::steady_timer timer_;
    directory::query query_;
    domain::draft draft_;
    diagnostics diag_;
    const std::string inbox_ = "INBOX";
    std::string message_id_;
    int attempts_ = 0;
    bool succeeded_ = false;
};

}  // namespace

int main()
try
{
    // The wiring is the same as with coroutines.
    asio::io_context io;
    const auto sandbox = example::sandbox::from_environment();
    const domain::trust_space space = sandbox.trust_space();
    const auto kind = directory::select_directory(martin);  // national: he has an RPPS number
    auto index = std::make_shared<directory::live_index>();
    directory::load_report loaded;
    diagnostics diag;
    const auto file = example::data_file(std::string(directory::to_string(kind)) + "_directory.txt");
    example::check_ok(index->reload(file, loaded, diag), diag, "cannot load the directory");
    transport::offline_directory directory(io.get_executor(), index, kind);

    const domain::mailbox box{example::address(sandbox.at("DR_MARTIN").address), domain::mailbox_type::per,
                              "Sandbox", "Dr_Jean_MARTIN_Cardiologie"};
    store::memory_store db;
    db.save_link({martin.ref(), box, domain::link_state::ready, {}});  // linked beforehand (see link_mailbox)
    // The send service asks the link service who may send from which box (no code is sent here).
    const auto code_sender = sandbox.submission(io.get_executor(), "LIAISON");
    service::link_service links(io.get_executor(), db, space, *code_sender,
                                {example::address(sandbox.at("LIAISON").address), "la plateforme", {}, {}});
    service::send_service sender(io.get_executor(), db, space, links, {"MSS-EXAMPLE-0001", {}, {}, "Sent"});

    send_flow flow(io, sandbox, directory, sender, box);
    flow.start();
    io.run();  // returns when no handler is left to run
    if (!flow.succeeded())
        return 1;
    std::cout << "\nThe message was sent and delivered, with callbacks.\n";
    return 0;
}
catch (const std::exception& e)
{
    std::cerr << "\nFAILED: " << e.what() << '\n';
    return 1;
}
