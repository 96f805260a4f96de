// SPDX-License-Identifier: Apache-2.0
// Rendering and sending through the outbox, over the in-memory operator.
#include <mss/domain/errc.hpp>
#include <mss/error.hpp>
#include <mss/mime/address_list.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/header_block.hpp>
#include <mss/service/message_renderer.hpp>
#include <mss/service/send_service.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/transport/in_memory_operator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace mss;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

domain::email_address addr(std::string_view s) { return domain::email_address::parse(s).value(); }
domain::named_address named(std::string_view s) { return domain::named_address::parse(s).value(); }

void counter_random(std::span<std::uint8_t> out)
{
    static std::uint8_t n = 0;
    for (auto& b : out)
        b = n++;
}

const std::chrono::sys_seconds t0 = std::chrono::sys_days(std::chrono::year(2026) / 11 / 26) + 9h;
const domain::mailbox martin_box{addr("dr.martin@regional.mssante.test"), domain::mailbox_type::per, "Medimail",
                                 "Dr_Jean_MARTIN_Cardiologie"};

std::string header_value(const std::string& message, std::string_view name)
{
    mime::header_block block;
    diagnostics diag;
    REQUIRE_FALSE(mime::header_block::parse(message, block, diag));
    const auto* field = block.find(name);
    return field ? mime::unfold(field->raw_value) : std::string("<absent>");
}

const std::string cda =
    "<?xml version=\"1.0\"?><ClinicalDocument xmlns=\"urn:hl7-org:v3\"><code code=\"11490-0\"/></ClinicalDocument>";

// Forwards to a real mailbox access, failing the first `append_failures` appends.
class flaky_access final : public transport::mailbox_access
{
public:
    flaky_access(transport::mailbox_access& inner, int append_failures, asio::any_io_executor ex)
        : inner_(inner), failures_(append_failures), ex_(std::move(ex))
    {
    }

private:
    void do_list_folders(diagnostics& d, asio::any_completion_handler<list_signature> h) override
    {
        inner_.async_list_folders(d, std::move(h));
    }
    void do_sync_folder(const std::string& f, const transport::folder_sync_state& k, diagnostics& d,
                        asio::any_completion_handler<sync_signature> h) override
    {
        inner_.async_sync_folder(f, k, d, std::move(h));
    }
    void do_fetch_message(const std::string& f, std::uint32_t u, diagnostics& d,
                          asio::any_completion_handler<fetch_signature> h) override
    {
        inner_.async_fetch_message(f, u, d, std::move(h));
    }
    void do_store_flags(const std::string& f, std::uint32_t u, transport::message_flags a, transport::message_flags r,
                        diagnostics& d, asio::any_completion_handler<store_signature> h) override
    {
        inner_.async_store_flags(f, u, a, r, d, std::move(h));
    }
    void do_append(const std::string& f, std::string_view m, transport::message_flags fl, diagnostics& d,
                   asio::any_completion_handler<append_signature> h) override
    {
        if (failures_-- > 0)
        {
            asio::post(ex_, [h = std::move(h)]() mutable { std::move(h)(make_error_code(mss::errc::read_timeout), 0u); });
            return;
        }
        inner_.async_append(f, m, fl, d, std::move(h));
    }
    void do_find_message_id(const std::string& f, const std::string& id, diagnostics& d,
                            asio::any_completion_handler<find_signature> h) override
    {
        inner_.async_find_message_id(f, id, d, std::move(h));
    }
    void do_wait_for_changes(const std::string& f, std::chrono::milliseconds w, diagnostics& d,
                             asio::any_completion_handler<wait_signature> h) override
    {
        inner_.async_wait_for_changes(f, w, d, std::move(h));
    }

    transport::mailbox_access& inner_;
    int failures_;
    asio::any_io_executor ex_;
};

struct world
{
    asio::io_context io;
    transport::in_memory_operator op{io.get_executor()};
    domain::trust_space space;
    store::memory_store db;
    domain::email_address martin = addr("dr.martin@regional.mssante.test");
    domain::email_address bernard = addr("dr.bernard@national.mssante.test");
    domain::email_address patient = addr("279035121518989@patient.mssante.fr");
    std::unique_ptr<transport::mail_submission> code_sender;
    std::unique_ptr<transport::mail_submission> submission;
    std::unique_ptr<transport::mailbox_access> access;
    std::chrono::sys_seconds now = t0;
    std::unique_ptr<service::link_service> links;
    std::unique_ptr<service::send_service> sender;

    world()
    {
        for (const char* d : {"regional.mssante.test", "national.mssante.test"})
            REQUIRE(space.add({d, "", "", "", "", "", 0}));
        for (const auto& a : {martin, bernard, patient, addr("liaison@regional.mssante.test")})
            op.add_mailbox(a);
        code_sender = op.submission(addr("liaison@regional.mssante.test"));
        submission = op.submission(martin);
        access = op.access(martin);
        links = std::make_unique<service::link_service>(io.get_executor(), db, space, *code_sender,
                                                        service::link_service_config{addr("liaison@regional.mssante.test"), "SPICO", {}, {}},
                                                        [this] { return now; });
        REQUIRE_FALSE(db.save_link({{domain::account_kind::person, "p-martin"}, martin_box, domain::link_state::ready, t0}));
        service::send_config config{"MSS-TEST-NIL-1", {}, {30s, 5min, 3}, "Sent"};
        sender = std::make_unique<service::send_service>(io.get_executor(), db, space, *links, config,
                                                          [this] { return now; });
    }

    std::pair<boost::system::error_code, service::send_report> send(const domain::draft& d,
                                                                     transport::mailbox_access* via = nullptr)
    {
        diagnostics diag;
        std::pair<boost::system::error_code, service::send_report> out;
        sender->async_send(d, *submission, via ? *via : *access, diag, [&](auto ec, service::send_report r) {
            out = {ec, std::move(r)};
        });
        io.restart();
        io.run();
        return out;
    }

    std::size_t process()
    {
        diagnostics diag;
        std::size_t n = 0;
        sender->async_process_outbox(
            [this](const std::string&) { return service::mailbox_transports{submission.get(), access.get()}; }, diag,
            [&](auto ec, std::size_t processed) {
                CHECK_FALSE(ec);
                n = processed;
            });
        io.restart();
        io.run();
        return n;
    }

    domain::draft to_bernard()
    {
        auto d = domain::make_new_message(martin_box, "p-martin", true);
        d.add_recipient(domain::recipient_field::to, named("Dr Bernard <dr.bernard@national.mssante.test>"));
        d.subject = "Avis cardiologique – patient commun";
        d.html_body = "<p>Bonjour,</p><p>Voici mon avis.</p>";
        return d;
    }
};

}  // namespace

TEST_SUITE("compose: rendering")
{
    TEST_CASE("every sent mail has Message-ID, Date, the MSSante From label and X-MSS-NIL; Bcc stays out")
    {
        auto d = domain::make_new_message(martin_box, "p-martin", true);
        d.add_recipient(domain::recipient_field::to, named("Dr Bernard <dr.bernard@national.mssante.test>"));
        d.add_recipient(domain::recipient_field::cc, named("\"Pharmacie, centrale\" <pharmacie.centrale@national.mssante.test>"));
        d.add_recipient(domain::recipient_field::bcc, named("secret@regional.mssante.test"));
        d.subject = "Compte rendu d'hospitalisation – DUPRÉ Jérôme 12/03/1956";
        d.html_body = "<p>Bonjour</p>";
        d.read_receipt = true;
        diagnostics diag;
        auto m = service::render_message(d, {"MSS-NIL-42", "abc@regional.mssante.test", t0, counter_random}, diag);
        REQUIRE_MESSAGE(m.has_value(), diag.client_message());
        const auto& bytes = m->data;
        CHECK(header_value(bytes, "X-MSS-NIL") == "MSS-NIL-42");
        CHECK(header_value(bytes, "Message-ID") == "<abc@regional.mssante.test>");
        CHECK(header_value(bytes, "Date") == "Thu, 26 Nov 2026 09:00:00 +0000");
        CHECK(header_value(bytes, "From") == "Dr_Jean_MARTIN_Cardiologie <dr.martin@regional.mssante.test>");
        CHECK(header_value(bytes, "Disposition-Notification-To") == "<dr.martin@regional.mssante.test>");
        CHECK(header_value(bytes, "Bcc") == "<absent>");
        CHECK(bytes.find("secret@") == std::string::npos);
        CHECK(header_value(bytes, "X-MSS-CODECDA") == "<absent>");
        CHECK(header_value(bytes, "X-MSS-INS") == "<absent>");
        std::string subject;
        mime::decode_header_text(header_value(bytes, "Subject"), subject);
        CHECK(subject == d.subject);
        std::vector<domain::named_address> cc;
        mime::parse_address_list(header_value(bytes, "Cc"), cc);
        REQUIRE(cc.size() == 1);
        CHECK(cc[0].display_name() == "Pharmacie, centrale");
        REQUIRE(m->recipients.size() == 3);  // Bcc is in the envelope
        CHECK(m->message_id == "abc@regional.mssante.test");
        // Every line ends in CRLF and stays within 998 octets.
        std::size_t start = 0;
        while (start < bytes.size())
        {
            const auto end = bytes.find("\r\n", start);
            REQUIRE(end != std::string::npos);
            CHECK(end - start <= 998);
            CHECK(bytes.substr(start, end - start).find('\n') == std::string::npos);
            start = end + 2;
        }
    }

    TEST_CASE("CDA documents travel in IHE_XDM.zip with X-MSS-CODECDA and X-MSS-INS; a PDF alone adds neither")
    {
        const domain::patient_info patient{"Dupont", "Marie", std::chrono::year(1950) / 2 / 1,
                                           domain::ins::parse("279035121518989").value()};
        auto d = domain::make_documents_message(martin_box, "p-martin", true, patient,
                                                {{"lettre.xml", "text/xml", cda, "Lettre de sortie", true},
                                                 {"lettre.pdf", "application/pdf", std::string("%PDF-1.4"), "Lettre de sortie", false}})
                     .value();
        d.add_recipient(domain::recipient_field::to, named("dr.bernard@national.mssante.test"));
        diagnostics diag;
        auto m = service::render_message(d, {"NIL", "x@regional.mssante.test", t0, counter_random}, diag);
        REQUIRE_MESSAGE(m.has_value(), diag.client_message());
        CHECK(header_value(m->data, "X-MSS-CODECDA") == "11490-0");
        CHECK(header_value(m->data, "X-MSS-INS") == "O");
        CHECK(m->data.find("filename=\"IHE_XDM.zip\"") != std::string::npos);
        CHECK(m->data.find("filename=\"lettre.pdf\"") != std::string::npos);

        auto pdf_only = domain::make_documents_message(martin_box, "p-martin", true, patient,
                                                       {{"cr.pdf", "application/pdf", std::string("%PDF"), "CR", false}})
                            .value();
        auto plain = service::render_message(pdf_only, {"NIL", "y@regional.mssante.test", t0, counter_random}, diag);
        REQUIRE(plain.has_value());
        CHECK(header_value(plain->data, "X-MSS-CODECDA") == "<absent>");
        CHECK(header_value(plain->data, "X-MSS-INS") == "<absent>");
        CHECK(header_value(plain->data, "Subject").find("DUPONT Marie 01/02/1950") != std::string::npos);
    }

    TEST_CASE("without a product reference, or with an injected header, nothing is rendered")
    {
        auto d = domain::make_new_message(martin_box, "p", true);
        diagnostics diag;
        CHECK(service::render_message(d, {"", "x@y.test", t0, counter_random}, diag).error() == mss::errc::configuration_error);
        d.subject = "ok\r\nBcc: spy@evil.test";
        CHECK(service::render_message(d, {"NIL", "x@y.test", t0, counter_random}, diag).error() == mss::errc::invalid_argument);
    }

    TEST_CASE("an attachment is streamed from its file")
    {
        const auto path = std::filesystem::temp_directory_path() / ("mss-attach-" + std::to_string(::getpid()) + ".bin");
        {
            std::ofstream out(path, std::ios::binary);
            for (int i = 0; i < 300'000; ++i)
                out.put(static_cast<char>(i * 7));
        }
        auto d = domain::make_new_message(martin_box, "p", true);
        d.add_attachment({"imagerie compte-rendu é.bin", "application/octet-stream", path, "", false});
        diagnostics diag;
        auto m = service::render_message(d, {"NIL", "x@y.test", t0, counter_random}, diag);
        REQUIRE(m.has_value());
        CHECK(m->data.size() > 400'000);
        CHECK(m->data.find("filename*=UTF-8''imagerie%20compte-rendu%20%C3%A9.bin") != std::string::npos);
        std::filesystem::remove(path);
        d.attachments[0].content = std::filesystem::path("/nonexistent/file.pdf");
        CHECK(service::render_message(d, {"NIL", "x@y.test", t0, counter_random}, diag).error() == mss::errc::file_unreadable);
    }
}

TEST_SUITE("compose: sending through the outbox")
{
    TEST_CASE("a message reaches the recipient, its copy lands in Sent, the outbox says sent")
    {
        world w;
        auto [ec, report] = w.send(w.to_bernard());
        REQUIRE_FALSE(ec);
        CHECK(report.state == domain::outbox_state::sent);
        CHECK(report.sent_uid.has_value());
        CHECK(w.op.message_count(w.bernard, "INBOX") == 1);
        CHECK(w.op.message_count(w.martin, "Sent") == 1);
        const auto item = w.db.outbox_item_by_id(report.outbox_id).value().value();
        CHECK(item.state == domain::outbox_state::sent);
        CHECK_FALSE(item.copy_pending);
        CHECK(item.attempts == 1);
    }

    TEST_CASE("a refused recipient sends nothing and queues nothing")
    {
        world w;
        auto d = w.to_bernard();
        d.add_recipient(domain::recipient_field::cc, named("279035121518989@patient.mssante.fr"));
        auto [ec, report] = w.send(d);
        CHECK(ec == domain::errc::patient_conversation_cannot_be_started);
        CHECK(report.refused_recipient == "279035121518989@patient.mssante.fr");
        CHECK(w.op.submitted_count() == 0);
        CHECK(w.db.due_outbox(t0 + 24h).value().empty());
    }

    TEST_CASE("someone without the right to send with the mailbox is refused")
    {
        world w;
        auto d = w.to_bernard();
        d.acting_person_id = "p-intruder";
        CHECK(w.send(d).first == domain::errc::access_not_allowed);
        CHECK(w.op.submitted_count() == 0);
    }

    TEST_CASE("a reply to a patient from the patient folder, by an RPPS professional, is sent")
    {
        world w;
        domain::original_message o;
        o.message_id = "q@patient.mssante.fr";
        o.subject = "Question";
        o.from = domain::named_address::make("", w.patient).value();
        o.text_body = "Bonjour";
        o.opened_from_patient_folder = true;
        auto d = domain::make_reply(o, martin_box, "p-martin", true, false, {});
        auto [ec, report] = w.send(d);
        REQUIRE_FALSE(ec);
        CHECK(w.op.message_count(w.patient, "INBOX") == 1);
    }

    TEST_CASE("one refused recipient among two: the other receives it and the refusal is reported")
    {
        world w;
        auto d = w.to_bernard();
        d.add_recipient(domain::recipient_field::to, named("nobody@national.mssante.test"));
        auto [ec, report] = w.send(d);
        REQUIRE_FALSE(ec);
        REQUIRE(report.recipients.size() == 2);
        CHECK(report.recipients[1].code == 550);
        CHECK(report.recipients[1].enhanced_code == "5.1.1");
        CHECK(w.op.message_count(w.bernard, "INBOX") == 1);
    }

    TEST_CASE("451 then 250: retried at its time, then sent once")
    {
        world w;
        w.op.set_recipient_policy([](const auto&) { return transport::simulated_reply{451, "4.3.0", "try later"}; });
        auto [ec, report] = w.send(w.to_bernard());
        CHECK(ec);
        CHECK(report.state == domain::outbox_state::retry);
        auto item = w.db.outbox_item_by_id(report.outbox_id).value().value();
        CHECK(item.next_attempt_at == t0 + 30s);
        CHECK(w.process() == 0);  // not due yet

        w.op.set_recipient_policy({});
        w.now += 31s;
        CHECK(w.process() == 1);
        item = w.db.outbox_item_by_id(report.outbox_id).value().value();
        CHECK(item.state == domain::outbox_state::sent);
        CHECK(item.attempts == 2);
        CHECK(w.op.message_count(w.bernard, "INBOX") == 1);
        CHECK(w.op.message_count(w.martin, "Sent") == 1);
    }

    TEST_CASE("550 for every recipient fails for good; retries are capped")
    {
        world w;
        w.op.set_recipient_policy([](const auto&) { return transport::simulated_reply{550, "5.7.1", "refused"}; });
        auto [ec, report] = w.send(w.to_bernard());
        CHECK(report.state == domain::outbox_state::failed);

        w.op.set_recipient_policy([](const auto&) { return transport::simulated_reply{452, "4.2.2", "full"}; });
        auto [ec2, again] = w.send(w.to_bernard());
        for (int i = 0; i < 5; ++i)
        {
            w.now += 1h;
            w.process();
        }
        const auto item = w.db.outbox_item_by_id(again.outbox_id).value().value();
        CHECK(item.state == domain::outbox_state::failed);
        CHECK(item.attempts == 3);
        CHECK(w.op.message_count(w.bernard, "INBOX") == 0);
    }

    TEST_CASE("a copy that could not be appended is retried alone, without sending again")
    {
        world w;
        flaky_access flaky(*w.access, 1, w.io.get_executor());
        auto [ec, report] = w.send(w.to_bernard(), &flaky);
        REQUIRE_FALSE(ec);
        CHECK(report.state == domain::outbox_state::sent);
        CHECK_FALSE(report.sent_uid.has_value());
        CHECK(w.db.pending_copies().value().size() == 1);
        CHECK(w.op.message_count(w.martin, "Sent") == 0);
        CHECK(w.process() == 1);
        CHECK(w.db.pending_copies().value().empty());
        CHECK(w.op.message_count(w.martin, "Sent") == 1);
        CHECK(w.op.submitted_count() == 1);
    }

    TEST_CASE("after a crash in sending, a message whose copy is in Sent is marked sent, not sent twice")
    {
        world w;
        diagnostics diag;
        auto rendered = service::render_message(w.to_bernard(), {"NIL", "crash@regional.mssante.test", t0, counter_random}, diag).value();
        store::outbox_item item{0, {domain::account_kind::person, "p-martin"}, "p-martin", rendered};
        item.id = w.db.enqueue(item).value();
        item.state = domain::outbox_state::sending;  // the process died here...
        item.attempts = 1;
        REQUIRE_FALSE(w.db.update_outbox(item));
        w.op.deliver(w.martin, "Sent", rendered.data, transport::message_flags::seen);  // ...after the copy was saved
        CHECK(w.process() == 1);
        CHECK(w.db.outbox_item_by_id(item.id).value()->state == domain::outbox_state::sent);
        CHECK(w.op.submitted_count() == 0);

        // Without a copy in Sent, the item is sent again (same Message-ID: a duplicate is recognisable).
        auto other = service::render_message(w.to_bernard(), {"NIL", "crash2@regional.mssante.test", t0, counter_random}, diag).value();
        store::outbox_item second{0, {domain::account_kind::person, "p-martin"}, "p-martin", other};
        second.id = w.db.enqueue(second).value();
        second.state = domain::outbox_state::sending;
        REQUIRE_FALSE(w.db.update_outbox(second));
        CHECK(w.process() == 1);
        CHECK(w.db.outbox_item_by_id(second.id).value()->state == domain::outbox_state::sent);
        CHECK(w.op.submitted_count() == 1);
    }
}
