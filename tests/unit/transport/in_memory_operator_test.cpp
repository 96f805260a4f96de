// SPDX-License-Identifier: Apache-2.0
// The transport front ends with three completion styles (callback, coroutine, future) over the
// in-memory operator, and the operator's synchronisation semantics.
#include <mss/error.hpp>
#include <mss/transport/in_memory_operator.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <doctest/doctest.h>

#include <thread>

using namespace mss::transport;
namespace asio = boost::asio;

namespace {

mss::domain::email_address addr(std::string_view text) { return mss::domain::email_address::parse(text).value(); }

std::string message(std::string_view id, std::string_view body = "Bonjour")
{
    return "From: dr.martin@regional.mssante.test\r\nTo: dr.bernard@national.mssante.test\r\nMessage-ID: <" +
           std::string(id) + ">\r\nSubject: test\r\n\r\n" + std::string(body) + "\r\n";
}

outgoing_message outgoing(std::string_view id, std::initializer_list<std::string_view> to)
{
    outgoing_message m{addr("dr.martin@regional.mssante.test"), {}, std::string(id), message(id)};
    for (auto r : to)
        m.recipients.push_back({addr(r)});
    return m;
}

struct fixture
{
    asio::io_context io;
    in_memory_operator op{io.get_executor()};
    mss::domain::email_address martin = addr("dr.martin@regional.mssante.test");
    mss::domain::email_address bernard = addr("dr.bernard@national.mssante.test");
    mss::domain::email_address durand = addr("infirmier.durand@regional.mssante.test");
    fixture()
    {
        op.add_mailbox(martin);
        op.add_mailbox(bernard);
        op.add_mailbox(durand);
    }
};

}  // namespace

TEST_SUITE("transport: in-memory operator")
{
    TEST_CASE_FIXTURE(fixture, "a callback receives per-recipient results and unknown recipients are refused")
    {
        auto submission = op.submission(martin);
        auto msg = outgoing("m1@test", {"dr.bernard@national.mssante.test", "nobody@national.mssante.test"});
        mss::diagnostics diag;
        bool called = false;
        submission->async_submit(msg, diag, [&](boost::system::error_code ec, submission_result result) {
            called = true;
            CHECK_FALSE(ec);
            REQUIRE(result.recipients.size() == 2);
            CHECK(result.recipients[0].accepted);
            CHECK_FALSE(result.recipients[1].accepted);
            CHECK(result.recipients[1].code == 550);
            CHECK(result.recipients[1].enhanced_code == "5.1.1");
            CHECK_FALSE(result.all_accepted());
        });
        CHECK_FALSE(called);  // never completes inline
        io.run();
        CHECK(called);
        CHECK(op.message_count(bernard, "INBOX") == 1);
        CHECK(op.submitted_count() == 1);
    }

    TEST_CASE_FIXTURE(fixture, "when every recipient is refused nothing is delivered")
    {
        op.set_recipient_policy([](const auto&) { return simulated_reply{451, "4.3.0", "try later"}; });
        auto submission = op.submission(martin);
        auto msg = outgoing("m2@test", {"dr.bernard@national.mssante.test"});
        mss::diagnostics diag;
        auto future = submission->async_submit(msg, diag, asio::use_future);
        io.run();
        CHECK_THROWS(future.get());
        CHECK(op.message_count(bernard, "INBOX") == 0);
    }

    TEST_CASE_FIXTURE(fixture, "a sender may only send as its own mailbox")
    {
        auto submission = op.submission(durand);
        auto msg = outgoing("m3@test", {"dr.bernard@national.mssante.test"});
        mss::diagnostics diag;
        boost::system::error_code result_ec;
        submission->async_submit(msg, diag, [&](auto ec, auto) { result_ec = ec; });
        io.run();
        CHECK(result_ec == mss::errc::unexpected_response);
        CHECK(diag.server_message().find("553") == 0);
        CHECK(op.message_count(bernard, "INBOX") == 0);
    }

    TEST_CASE_FIXTURE(fixture, "a coroutine sees new messages, flag changes and expunges incrementally")
    {
        for (int i = 0; i < 3; ++i)
            op.deliver(bernard, "INBOX", message("d" + std::to_string(i) + "@test"));
        auto access = op.access(bernard);
        bool finished = false;
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                mss::diagnostics diag;
                auto [ec, first] = co_await access->async_sync_folder("INBOX", {}, diag, asio::as_tuple(asio::use_awaitable));
                CHECK_FALSE(ec);
                CHECK(first.full_resync);
                CHECK(first.new_messages.size() == 3);
                CHECK(first.new_messages[0].header.find("Message-ID: <d0@test>") != std::string::npos);

                // Nothing changed: an empty answer.
                auto [ec2, none] = co_await access->async_sync_folder("INBOX", first.state, diag, asio::as_tuple(asio::use_awaitable));
                CHECK(none.empty());

                // Another client marks one read, expunges one, a new one arrives.
                auto [ec3] = co_await access->async_store_flags("INBOX", first.new_messages[0].uid, message_flags::seen,
                                                               message_flags::none, diag, asio::as_tuple(asio::use_awaitable));
                CHECK_FALSE(ec3);
                op.expunge(bernard, "INBOX", first.new_messages[1].uid);
                op.deliver(bernard, "INBOX", message("d3@test"));
                auto [ec4, delta] = co_await access->async_sync_folder("INBOX", first.state, diag, asio::as_tuple(asio::use_awaitable));
                CHECK_FALSE(delta.full_resync);
                REQUIRE(delta.flag_changes.size() == 1);
                CHECK(has(delta.flag_changes[0].flags, message_flags::seen));
                REQUIRE(delta.vanished.size() == 1);
                CHECK(delta.vanished[0] == first.new_messages[1].uid);
                REQUIRE(delta.new_messages.size() == 1);

                // The server renumbers the folder: the client is told to start again.
                op.renumber_folder(bernard, "INBOX");
                auto [ec5, again] = co_await access->async_sync_folder("INBOX", delta.state, diag, asio::as_tuple(asio::use_awaitable));
                CHECK(again.full_resync);
                CHECK(again.new_messages.size() == 3);
                finished = true;
            },
            asio::detached);
        io.run();
        CHECK(finished);
    }

    TEST_CASE_FIXTURE(fixture, "a copy appended to Sent is found again by its Message-ID")
    {
        auto access = op.access(martin);
        mss::diagnostics diag;
        const std::string bytes = message("sent-1@regional.mssante.test");
        std::uint32_t uid = 0;
        std::optional<std::uint32_t> found, missing;
        access->async_append("Sent", bytes, message_flags::seen, diag, [&](auto ec, std::uint32_t u) {
            CHECK_FALSE(ec);
            uid = u;
        });
        io.run();
        io.restart();
        const std::string id = "sent-1@regional.mssante.test", other = "other@x.test";
        access->async_find_message_id("Sent", id, diag, [&](auto, auto u) { found = u; });
        access->async_find_message_id("Sent", other, diag, [&](auto, auto u) { missing = u; });
        io.run();
        CHECK(uid != 0);
        CHECK(found == uid);
        CHECK_FALSE(missing.has_value());
    }

    TEST_CASE_FIXTURE(fixture, "waiting for changes wakes on delivery and times out otherwise")
    {
        auto access = op.access(bernard);
        mss::diagnostics diag;
        std::optional<bool> changed, quiet;
        access->async_wait_for_changes("INBOX", std::chrono::seconds(5), diag, [&](auto ec, bool c) {
            CHECK_FALSE(ec);
            changed = c;
        });
        auto other = op.access(durand);
        mss::diagnostics diag2;
        other->async_wait_for_changes("INBOX", std::chrono::milliseconds(20), diag2, [&](auto, bool c) { quiet = c; });
        asio::post(io, [&] { op.deliver(bernard, "INBOX", message("push@test")); });
        const auto start = std::chrono::steady_clock::now();
        io.run();
        CHECK(changed == true);
        CHECK(quiet == false);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    }

    TEST_CASE_FIXTURE(fixture, "an unknown folder is an error, not a crash")
    {
        auto access = op.access(bernard);
        mss::diagnostics diag;
        boost::system::error_code result;
        access->async_fetch_message("Nope", 1, diag, [&](auto ec, auto) { result = ec; });
        io.run();
        CHECK(result == mss::errc::unexpected_response);
    }
}
