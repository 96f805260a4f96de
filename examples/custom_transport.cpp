// SPDX-License-Identifier: Apache-2.0
// An integrator's own transport: messages are not sent over SMTP but written as .eml files into a
// spool folder (another process of the platform would pick them up). Everything else — the send
// policy, MSSanté headers, the outbox — is the library's, unchanged.
//
//   custom_transport SPOOL_DIRECTORY
#include <mss/service/send_service.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/transport/in_memory_operator.hpp>
#include <mss/transport/mail_submission.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace asio = boost::asio;
using namespace mss;

namespace {

// The whole integration: one class, one virtual function.
class spool_submission final : public transport::mail_submission
{
public:
    spool_submission(asio::any_io_executor executor, std::filesystem::path directory)
        : executor_(std::move(executor)), directory_(std::move(directory))
    {
    }

private:
    void do_submit(const transport::outgoing_message& message, diagnostics& diag,
                   asio::any_completion_handler<submit_signature> handler) override
    {
        transport::submission_result result;
        boost::system::error_code ec;
        // Written under a temporary name, then renamed: a reader never sees half a message.
        const auto final_path = directory_ / (message.message_id + ".eml");
        const auto temp_path = directory_ / (message.message_id + ".tmp");
        std::ofstream out(temp_path, std::ios::binary);
        out << message.data;
        out.close();
        if (!out)
        {
            diag.set_client_message("cannot write into the spool folder");
            ec = make_error_code(boost::system::errc::io_error);
        }
        else
        {
            std::filesystem::rename(temp_path, final_path);
            for (const auto& r : message.recipients)
                result.recipients.push_back({r.address, true, 250, "2.0.0", "spooled"});
            result.final_reply = "spooled as " + final_path.filename().string();
        }
        // The contract: complete later, never inside do_submit.
        asio::post(executor_, [h = std::move(handler), ec, result = std::move(result)]() mutable {
            std::move(h)(ec, std::move(result));
        });
    }

    asio::any_io_executor executor_;
    std::filesystem::path directory_;
};

domain::email_address address(std::string_view text) { return domain::email_address::parse(text).value(); }

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2)
    {
        std::cerr << "usage: custom_transport SPOOL_DIRECTORY\n";
        return 2;
    }
    const std::filesystem::path spool = argv[1];
    std::filesystem::create_directories(spool);

    asio::io_context io;
    spool_submission submission(io.get_executor(), spool);
    // The Sent copy and the mailbox itself: here an in-memory operator stands for the platform's.
    transport::in_memory_operator mailboxes(io.get_executor());
    const auto martin = address("dr.martin@regional.mssante.test");
    mailboxes.add_mailbox(martin);
    auto access = mailboxes.access(martin);

    domain::trust_space space;
    space.add({"regional.mssante.test", "", "", "", "", "", 0}).value();
    space.add({"national.mssante.test", "", "", "", "", "", 0}).value();
    store::memory_store db;
    const domain::mailbox box{martin, domain::mailbox_type::per, "Medimail", "Dr_Jean_MARTIN_Cardiologie"};
    db.save_link({{domain::account_kind::person, "p-martin"}, box, domain::link_state::ready, {}});
    service::link_service links(io.get_executor(), db, space, submission, {martin, "SPICO", {}, {}});
    service::send_service sender(io.get_executor(), db, space, links, {"EXAMPLE-NIL-1", {}, {}, "Sent"});

    auto draft = domain::make_new_message(box, "p-martin", true);
    draft.add_recipient(domain::recipient_field::to,
                        domain::named_address::parse("Dr Bernard <dr.bernard@national.mssante.test>").value());
    draft.subject = "Avis – transport personnalisé";
    draft.html_body = "<p>Ce message passe par le transport de l'intégrateur.</p>";

    int status = 1;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            diagnostics diag;
            auto [ec, report] = co_await sender.async_send(draft, submission, *access, diag,
                                                           asio::as_tuple(asio::use_awaitable));
            if (ec)
            {
                std::cerr << "not sent: " << ec.message() << " (" << diag.client_message() << ")\n";
                co_return;
            }
            std::cout << "written to the spool folder: " << (spool / (report.message_id + ".eml")).string() << '\n';
            std::cout << "copy kept in Sent: " << (report.sent_uid ? "yes" : "no") << '\n';
            status = std::filesystem::exists(spool / (report.message_id + ".eml")) && report.sent_uid ? 0 : 1;
        },
        asio::detached);
    io.run();
    return status;
}
