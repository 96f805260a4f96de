// SPDX-License-Identifier: Apache-2.0
// The link flow end to end over the in-memory operator: the code really travels by mail into the
// mailbox and is read back from it, as a person would.
#include <mss/domain/errc.hpp>
#include <mss/service/link_service.hpp>
#include <mss/store/memory_store.hpp>
#include <mss/store/sqlite_store.hpp>
#include <mss/transport/in_memory_operator.hpp>

#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

using namespace mss;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

domain::email_address addr(std::string_view text) { return domain::email_address::parse(text).value(); }

domain::trust_space sandbox_space()
{
    domain::trust_space space;
    for (const char* d : {"regional.mssante.test", "national.mssante.test"})
        REQUIRE(space.add({d, "sandbox operator", "CN=sandbox", "", "", "", 0}));
    return space;
}

struct world
{
    asio::io_context io;
    transport::in_memory_operator op{io.get_executor()};
    domain::trust_space space = sandbox_space();
    domain::email_address platform = addr("liaison@regional.mssante.test");
    domain::email_address martin = addr("dr.martin@regional.mssante.test");
    domain::email_address cardio = addr("cardiologie.chu@regional.mssante.test");
    std::unique_ptr<transport::mail_submission> submission;
    std::chrono::sys_seconds now = std::chrono::sys_days(std::chrono::year(2026) / 11 / 26) + 9h;
    std::vector<service::link_event> events;

    world()
    {
        for (const auto& a : {platform, martin, cardio})
            op.add_mailbox(a);
        submission = op.submission(platform);
    }

    service::link_service make_service(store::store& db)
    {
        service::link_service_config config{platform, "SPICO", {}, {}};
        config.codes.hash_iterations = 1000;  // speed; the rules are the same
        service::link_service s(io.get_executor(), db, space, *submission, config, [this] { return now; });
        s.on_event([this](const service::link_event& e) { events.push_back(e); });
        return s;
    }

    service::link_request person_request(std::string person = "p-martin")
    {
        return {person, {domain::account_kind::person, "p-martin"}, {martin, domain::mailbox_type::per, "Medimail", ""}};
    }

    boost::system::error_code request(service::link_service& s, const service::link_request& r)
    {
        diagnostics diag;
        boost::system::error_code result = make_error_code(boost::system::errc::io_error);
        s.async_request_code(r, diag, [&](boost::system::error_code ec) { result = ec; });
        io.restart();
        io.run();
        return result;
    }

    // Reads the newest code mail in `box`, as the person would in their mail client.
    std::string read_code(const domain::email_address& box)
    {
        auto access = op.access(box);
        diagnostics diag;
        std::string body;
        const std::uint32_t uid = static_cast<std::uint32_t>(op.message_count(box, "INBOX"));
        access->async_fetch_message("INBOX", uid, diag, [&](auto ec, std::string bytes) {
            REQUIRE_FALSE(ec);
            body = std::move(bytes);
        });
        io.restart();
        io.run();
        std::smatch m;
        REQUIRE(std::regex_search(body, m, std::regex("Code à usage unique : ([0-9]{8})")));
        return m[1];
    }
};

}  // namespace

TEST_SUITE("link service")
{
    TEST_CASE("a person links a PER box with the code mailed into it, then unlinks it")
    {
        world w;
        store::memory_store db;
        auto s = w.make_service(db);
        const auto r = w.person_request();
        CHECK(s.state(r.account, w.martin.str()).value() == domain::link_state::not_linked);

        REQUIRE_FALSE(w.request(s, r));
        CHECK(s.state(r.account, w.martin.str()).value() == domain::link_state::code_sent);
        CHECK(w.op.message_count(w.martin, "INBOX") == 1);
        const std::string code = w.read_code(w.martin);

        w.now += 10min;
        REQUIRE_FALSE(s.confirm_code(r, code));
        CHECK(s.state(r.account, w.martin.str()).value() == domain::link_state::synchronising);
        REQUIRE_FALSE(s.mark_ready(r.account, w.martin.str()));
        CHECK(s.state(r.account, w.martin.str()).value() == domain::link_state::ready);
        CHECK_FALSE(s.check_access("p-martin", w.martin.str(), domain::mailbox_action::read));

        REQUIRE_FALSE(s.unlink("p-martin", r.account, w.martin.str()));
        CHECK(s.state(r.account, w.martin.str()).value() == domain::link_state::not_linked);
        CHECK(s.check_access("p-martin", w.martin.str(), domain::mailbox_action::read) == domain::errc::link_not_found);

        using k = service::link_event::kind;
        REQUIRE(w.events.size() == 4);
        CHECK(w.events[0].what == k::code_sent);
        CHECK(w.events[1].what == k::linked);
        CHECK(w.events[2].what == k::ready);
        CHECK(w.events[3].what == k::unlinked);

        // The audit trail names who acted and never holds the code.
        const auto trail = db.audit_of_mailbox(w.martin.str()).value();
        REQUIRE(trail.size() == 3);
        CHECK(trail[0].action == "link_code_sent");
        CHECK(trail[1].action == "linked");
        CHECK(trail[2].action == "unlinked");
        for (const auto& e : trail)
        {
            CHECK(e.person_id == "p-martin");
            CHECK(e.detail.find(code) == std::string::npos);
        }
    }

    TEST_CASE("the code message is in French, from the configured sender, and stored only as a hash")
    {
        world w;
        store::memory_store db;
        auto s = w.make_service(db);
        const auto r = w.person_request();
        REQUIRE_FALSE(w.request(s, r));
        const std::string code = w.read_code(w.martin);
        auto pending = db.pending_code(r.account, w.martin.str()).value();
        REQUIRE(pending.has_value());
        CHECK(pending->hash.find(code) == std::string::npos);
        CHECK(pending->salt.size() == 16);
        CHECK(pending->hash.size() == 32);
    }

    TEST_CASE("a code is valid at 59:59 and refused at 60:00")
    {
        world w;
        store::memory_store db;
        auto s = w.make_service(db);
        auto r = w.person_request();
        REQUIRE_FALSE(w.request(s, r));
        std::string code = w.read_code(w.martin);
        w.now += 60min;
        CHECK(s.confirm_code(r, code) == domain::errc::link_code_expired);

        w.now += 1min;
        REQUIRE_FALSE(w.request(s, r));
        code = w.read_code(w.martin);
        w.now += 59min + 59s;
        CHECK_FALSE(s.confirm_code(r, code));
    }

    TEST_CASE("five wrong codes void the code; a new code voids the old one")
    {
        world w;
        store::memory_store db;
        auto s = w.make_service(db);
        auto r = w.person_request();
        REQUIRE_FALSE(w.request(s, r));
        const std::string first = w.read_code(w.martin);
        const std::string wrong = first == "00000000" ? "11111111" : "00000000";
        for (int i = 0; i < 5; ++i)
            CHECK(s.confirm_code(r, wrong) == domain::errc::link_code_wrong);
        CHECK(s.confirm_code(r, first) == domain::errc::link_code_too_many_attempts);

        w.now += 2min;
        REQUIRE_FALSE(w.request(s, r));
        const std::string second = w.read_code(w.martin);
        w.now += 2min;
        REQUIRE_FALSE(w.request(s, r));
        const std::string third = w.read_code(w.martin);
        if (second != third)
            CHECK(s.confirm_code(r, second) == domain::errc::link_code_wrong);
        CHECK_FALSE(s.confirm_code(r, third));
    }

    TEST_CASE("codes are throttled: one a minute, five an hour")
    {
        world w;
        store::memory_store db;
        auto s = w.make_service(db);
        auto r = w.person_request();
        REQUIRE_FALSE(w.request(s, r));
        w.now += 30s;
        CHECK(w.request(s, r) == domain::errc::link_code_throttled);
        for (int i = 0; i < 4; ++i)
        {
            w.now += 61s;
            REQUIRE_FALSE(w.request(s, r));
        }
        w.now += 61s;
        CHECK(w.request(s, r) == domain::errc::link_code_throttled);
        CHECK(w.op.message_count(w.martin, "INBOX") == 5);  // refused requests sent nothing
    }

    TEST_CASE("every refusal before sending is distinct and sends nothing")
    {
        world w;
        store::memory_store db;
        auto s = w.make_service(db);

        auto outside = w.person_request();
        outside.mailbox.address = addr("dr.martin@gmail.com");
        CHECK(w.request(s, outside) == domain::errc::address_outside_trust_space);

        auto patient = w.person_request();
        patient.mailbox.address = addr("279035121518989@patient.mssante.fr");
        CHECK(w.request(s, patient) == domain::errc::address_outside_trust_space);

        auto wrong_type = w.person_request();
        wrong_type.mailbox.type = domain::mailbox_type::org;
        CHECK(w.request(s, wrong_type) == domain::errc::mailbox_type_not_allowed);

        auto someone_else = w.person_request("p-intruder");
        CHECK(w.request(s, someone_else) == domain::errc::access_not_allowed);

        CHECK(w.op.message_count(w.martin, "INBOX") == 0);
        CHECK(w.op.submitted_count() == 0);
    }

    TEST_CASE("a mailbox linked to one account cannot be linked to another, nor a second mailbox to it")
    {
        world w;
        store::memory_store db;
        auto s = w.make_service(db);
        auto r = w.person_request();
        REQUIRE_FALSE(w.request(s, r));
        REQUIRE_FALSE(s.confirm_code(r, w.read_code(w.martin)));

        service::link_request other{"p-other", {domain::account_kind::person, "p-other"}, r.mailbox};
        CHECK(w.request(s, other) == domain::errc::mailbox_linked_elsewhere);

        w.op.add_mailbox(addr("dr.martin2@regional.mssante.test"));
        auto second = r;
        second.mailbox.address = addr("dr.martin2@regional.mssante.test");
        w.now += 2min;
        CHECK(w.request(s, second) == domain::errc::account_already_linked);
    }

    TEST_CASE("a failed submission voids the code")
    {
        world w;
        store::memory_store db;
        auto s = w.make_service(db);
        w.op.set_recipient_policy([](const auto&) { return transport::simulated_reply{451, "4.3.0", "later"}; });
        auto r = w.person_request();
        CHECK(w.request(s, r));
        CHECK(s.state(r.account, w.martin.str()).value() == domain::link_state::not_linked);
        CHECK(s.confirm_code(r, "12345678") == domain::errc::link_code_missing);
    }

    TEST_CASE("a structure's administrator links its ORG box; delegates see it until revoked")
    {
        world w;
        store::memory_store db;
        auto s = w.make_service(db);
        REQUIRE_FALSE(s.grant_delegation({"s-chu", "p-admin", domain::delegate_role::administrator, w.now, "platform", {}, {}}));
        REQUIRE_FALSE(s.grant_delegation({"s-chu", "p-delegate", domain::delegate_role::delegate, w.now, "p-admin", {}, {}}));
        service::link_request r{"p-admin", {domain::account_kind::structure, "s-chu"},
                                {w.cardio, domain::mailbox_type::org, "Medimail", "Cardiologie CHU"}};

        // A mere delegate may not link the structure's mailbox.
        auto by_delegate = r;
        by_delegate.person_id = "p-delegate";
        CHECK(w.request(s, by_delegate) == domain::errc::access_reserved_to_administrators);

        REQUIRE_FALSE(w.request(s, r));
        REQUIRE_FALSE(s.confirm_code(r, w.read_code(w.cardio)));

        CHECK_FALSE(s.check_access("p-delegate", w.cardio.str(), domain::mailbox_action::read));
        CHECK_FALSE(s.check_access("p-delegate", w.cardio.str(), domain::mailbox_action::send));
        CHECK(s.mailboxes_of("p-delegate").value().size() == 1);
        CHECK(s.check_access("p-stranger", w.cardio.str(), domain::mailbox_action::read) ==
              domain::errc::access_not_allowed);
        CHECK(s.mailboxes_of("p-stranger").value().empty());

        REQUIRE_FALSE(s.revoke_delegation("s-chu", "p-delegate", "p-admin"));
        CHECK(s.check_access("p-delegate", w.cardio.str(), domain::mailbox_action::read) ==
              domain::errc::access_delegation_revoked);
        CHECK(s.mailboxes_of("p-delegate").value().empty());
        CHECK(s.mailboxes_of("p-admin").value().size() == 1);
    }

    TEST_CASE("with the SQLite store, a pending code and a link survive a restart")
    {
        const auto path = std::filesystem::temp_directory_path() / ("mss-link-" + std::to_string(::getpid()) + ".db");
        world w;
        const auto r = w.person_request();
        std::string code;
        {
            diagnostics diag;
            auto db = store::sqlite_store::open(path.string(), diag).value();
            auto s = w.make_service(*db);
            REQUIRE_FALSE(w.request(s, r));
            code = w.read_code(w.martin);
        }  // the process "restarts"
        {
            diagnostics diag;
            auto db = store::sqlite_store::open(path.string(), diag).value();
            auto s = w.make_service(*db);
            CHECK(s.state(r.account, w.martin.str()).value() == domain::link_state::code_sent);
            REQUIRE_FALSE(s.confirm_code(r, code));
        }
        {
            diagnostics diag;
            auto db = store::sqlite_store::open(path.string(), diag).value();
            auto s = w.make_service(*db);
            CHECK(s.state(r.account, w.martin.str()).value() == domain::link_state::synchronising);
            CHECK(db->integrity_check());
        }
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix);
    }
}
