// SPDX-License-Identifier: Apache-2.0
// mss::net::imap_client against the real sandbox operator (Dovecot 2.3 behind STARTTLS / implicit
// TLS, private CA; Postfix submission delivering over LMTP), started by `scripts/sandbox up`. The
// settings come from the environment that `eval "$(scripts/sandbox env)"` sets; a missing
// variable fails the test, it never skips it.
//
// Mailboxes are filled with `doveadm import` (thousands of messages in a second), and each test
// works in folders of its own, named with a unique token and deleted at the end, so that tests
// and other users of the sandbox do not see each other's messages. The folder-level results are
// compared with what transport::in_memory_operator reports for the same changes.
#include <mss/domain/email_address.hpp>
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>
#include <mss/net/imap_client.hpp>
#include <mss/net/smtp_client.hpp>
#include <mss/transport/in_memory_operator.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "sandbox_env.hpp"

namespace
{

using namespace sandbox_test;

namespace asio = boost::asio;
using boost::system::error_code;
using mss::transport::folder_changes;
using mss::transport::folder_role;
using mss::transport::folder_sync_state;
using mss::transport::message_flags;
using namespace std::chrono_literals;

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// The mailbox most tests use: nobody else's tests deliver to it.
const char* const user_key = "CARDIOLOGIE_CHU";

std::string user_address(const std::string& key = user_key)
{
    return account(key, "ADDRESS");
}

mss::net::imap_client_config config(const std::string& key = user_key, bool implicit = false)
{
    return imap_config(key, implicit);
}

// ---------------------------------------------------------------------------------------------
// doveadm: fill, change and delete folders behind the client's back.

int shell(const std::string& command)
{
    return std::system((command + " >/dev/null 2>&1").c_str());
}

std::string doveadm()
{
    return "doveadm -c '" + env("MSS_SANDBOX_DOVECOT_CONF") + "' ";
}

std::string realistic_message(int i, const std::string& token, std::size_t body_size = 1500)
{
    std::string m =
        "Return-Path: <dr.martin@regional.mssante.test>\r\n"
        "From: Dr Jean Martin <dr.martin@regional.mssante.test>\r\n"
        "To: Cardiologie CHU <cardiologie.chu@regional.mssante.test>\r\n"
        "Subject: =?UTF-8?Q?Compte_rendu_n=C2=B0_" +
        std::to_string(i) +
        "?=\r\n"
        "Date: Mon, 6 Jan 2025 09:15:" +
        std::to_string(10 + i % 50) +
        " +0100\r\n"
        "Message-ID: <" +
        token + "-" + std::to_string(i) +
        "@regional.mssante.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n";
    while (m.size() < body_size)
        m += "Patient vu en consultation ce jour, examen clinique sans particularite.\r\n";
    return m;
}

// A folder of its own, filled with `count` messages by doveadm import; deleted by the destructor.
class scratch_folder
{
public:
    scratch_folder(const std::string& user, std::string name, int count,
                   std::vector<std::string>* messages = nullptr)
        : user_(user), name_(std::move(name))
    {
        const std::filesystem::path source =
            std::filesystem::temp_directory_path() / ("mss-imap-it-" + name_);
        std::filesystem::remove_all(source);
        const auto dir = source / ("." + name_);
        for (const char* sub : {"cur", "new", "tmp"}) std::filesystem::create_directories(dir / sub);
        for (int i = 1; i <= count; ++i)
        {
            const std::string m = realistic_message(i, name_);
            // Maildir file names sort in delivery order: UIDs follow i.
            char file[64];
            std::snprintf(file, sizeof file, "%010d.M%dP1.mss", 1700000000 + i, i);
            std::ofstream(dir / "new" / file, std::ios::binary) << m;
            if (messages)
                messages->push_back(m);
        }
        REQUIRE(shell("chown -R mss-vmail:mss-vmail '" + source.string() + "'") == 0);
        if (count > 0)
            REQUIRE(shell(doveadm() + "import -u '" + user_ + "' maildir:'" + source.string() +
                          "' '' mailbox '" + name_ + "'") == 0);
        else
            REQUIRE(shell(doveadm() + "mailbox create -u '" + user_ + "' '" + name_ + "'") == 0);
        std::filesystem::remove_all(source);
    }

    ~scratch_folder() { shell(doveadm() + "mailbox delete -u '" + user_ + "' '" + name_ + "'"); }

    scratch_folder(const scratch_folder&) = delete;
    scratch_folder& operator=(const scratch_folder&) = delete;

    const std::string& name() const { return name_; }

private:
    std::string user_;
    std::string name_;
};

template <class Body>
void run(Body body, std::chrono::seconds limit = 120s)
{
    asio::io_context io;
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, body(io),
                   [&](std::exception_ptr e)
                   {
                       failure = e;
                       done = true;
                   });
    io.run_for(limit);
    REQUIRE_MESSAGE(done, "the test did not finish in time");
    if (failure)
        std::rethrow_exception(failure);
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(tuple_awaitable);
}

std::vector<std::uint32_t> uids_of(const std::vector<mss::transport::message_summary>& messages)
{
    std::vector<std::uint32_t> out;
    for (const auto& m : messages) out.push_back(m.uid);
    return out;
}

}  // namespace

TEST_SUITE("integration: imap client and the sandbox Dovecot")
{
    TEST_CASE("STARTTLS, AUTHENTICATE PLAIN, then LIST gives INBOX, Sent, Drafts and Trash their roles")
    {
        std::string trace;
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                auto c = config();
                c.trace = [&](mss::net::trace_direction d, std::string_view bytes)
                {
                    trace += d == mss::net::trace_direction::sent ? "C: " : "S: ";
                    trace += bytes;
                };
                mss::net::imap_client client(io.get_executor(), c);
                mss::diagnostics diag;
                auto [ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(client.is_connected());
                CHECK(client.server_capabilities().qresync());
                auto role_of = [&](const std::string& name)
                {
                    for (const auto& f : folders)
                    {
                        if (f.name == name)
                            return f.role;
                    }
                    FAIL("no folder " << name);
                    return folder_role::other;
                };
                CHECK(role_of("INBOX") == folder_role::inbox);
                CHECK(role_of("Sent") == folder_role::sent);
                CHECK(role_of("Drafts") == folder_role::drafts);
                CHECK(role_of("Trash") == folder_role::trash);
                CHECK(role_of("Junk") == folder_role::junk);
                auto [logout_ec] = co_await client.async_logout(tuple_awaitable);
                CHECK_FALSE(logout_ec);
                CHECK_FALSE(client.is_connected());
            });
        // STARTTLS before any credential; the password never in the trace.
        const auto starttls = trace.find(" STARTTLS\r\n");
        const auto auth = trace.find(" AUTHENTICATE PLAIN");
        REQUIRE(starttls != std::string::npos);
        REQUIRE(auth != std::string::npos);
        CHECK(starttls < auth);
        CHECK(trace.find("<redacted>") != std::string::npos);
        CHECK(trace.find(env("MSS_SANDBOX_CARDIOLOGIE_CHU_PASSWORD")) == std::string::npos);
        CHECK(trace.find(" ENABLE QRESYNC CONDSTORE") != std::string::npos);
        CHECK(trace.find("RETURN (SPECIAL-USE)") != std::string::npos);
    }

    TEST_CASE("implicit TLS works too, and a wrong password is auth_failed without breaking the next login")
    {
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                auto c = config(user_key, true);
                const std::string good = c.credentials.password;
                c.credentials.password = "not-the-password";
                mss::net::imap_client client(io.get_executor(), c);
                mss::diagnostics diag;
                auto [ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                CHECK(ec == mss::imap::errc::auth_failed);
                CHECK(diag.client_message().find("AUTHENTICATIONFAILED") != std::string::npos);
                CHECK_FALSE(client.is_connected());
                client.set_credentials({c.credentials.user, good, {}});
                std::tie(ec, folders) = co_await client.async_list_folders(diag, tuple_awaitable);
                CHECK_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(folders.size() >= 5);
            });
    }

    TEST_CASE("a full synchronisation of 2,000 messages returns them all with their headers, then nothing")
    {
        const std::string name = unique_token() + "-full";
        std::vector<std::string> originals;
        scratch_folder folder(user_address(), name, 2000, &originals);
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                mss::net::imap_client client(io.get_executor(), config());
                mss::diagnostics diag;
                const auto started = std::chrono::steady_clock::now();
                auto [ec, changes] =
                    co_await client.async_sync_folder(name, folder_sync_state{}, diag, tuple_awaitable);
                const auto elapsed = std::chrono::steady_clock::now() - started;
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                MESSAGE("full sync of 2,000 messages: "
                        << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms");
                CHECK(changes.full_resync);
                REQUIRE(changes.new_messages.size() == 2000);
                CHECK(changes.flag_changes.empty());
                CHECK(changes.vanished.empty());
                CHECK(changes.state.uid_validity != 0);
                CHECK(changes.state.uid_next == 2001);
                CHECK(changes.state.highest_modseq > 0);
                for (std::size_t i = 0; i < changes.new_messages.size(); ++i)
                {
                    const auto& m = changes.new_messages[i];
                    const std::string& original = originals[i];
                    const auto header_end = original.find("\r\n\r\n") + 2;
                    if (m.uid != i + 1 || m.header != original.substr(0, header_end) ||
                        m.size != original.size() || m.flags != message_flags::none || m.modseq == 0 ||
                        m.internal_date.time_since_epoch().count() == 0)
                    {
                        FAIL_CHECK("message " << i + 1 << " differs: uid " << m.uid << ", size " << m.size);
                        break;
                    }
                }
                // Nothing changed since: one SELECT, nothing to report.
                const auto state = changes.state;
                std::tie(ec, changes) = co_await client.async_sync_folder(name, state, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(changes.empty());
                CHECK(changes.state == state);
            });
    }

    TEST_CASE(
        "flags set, messages expunged and appended by another client: the incremental sync reports exactly "
        "those changes, as the in-memory operator does")
    {
        const std::string name = unique_token() + "-incr";
        std::vector<std::string> originals;
        scratch_folder folder(user_address(), name, 20, &originals);
        const std::string appended_1 = realistic_message(101, name);
        const std::string appended_2 = realistic_message(102, name);

        // The reference: the same history on the in-memory operator.
        folder_changes expected;
        {
            run(
                [&](asio::io_context& io) -> asio::awaitable<void>
                {
                    mss::transport::in_memory_operator op(io.get_executor());
                    const auto user = address(user_address());
                    op.add_mailbox(user);
                    for (const auto& m : originals) op.deliver(user, name, m);
                    auto access = op.access(user);
                    mss::diagnostics diag;
                    auto [ec, first] = co_await access->async_sync_folder(name, {}, diag, tuple_awaitable);
                    REQUIRE(!ec);
                    co_await access->async_store_flags(name, 3, message_flags::seen, message_flags::none,
                                                       diag, tuple_awaitable);
                    co_await access->async_store_flags(name, 5,
                                                       message_flags::flagged | message_flags::answered,
                                                       message_flags::none, diag, tuple_awaitable);
                    op.expunge(user, name, 7);
                    op.expunge(user, name, 8);
                    co_await access->async_append(name, appended_1, message_flags::seen, diag,
                                                  tuple_awaitable);
                    co_await access->async_append(name, appended_2, message_flags::none, diag,
                                                  tuple_awaitable);
                    std::tie(ec, expected) =
                        co_await access->async_sync_folder(name, first.state, diag, tuple_awaitable);
                    REQUIRE(!ec);
                });
        }

        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                mss::net::imap_client client(io.get_executor(), config());
                mss::net::imap_client other(io.get_executor(), config());
                mss::diagnostics diag;
                auto [ec, first] = co_await client.async_sync_folder(name, {}, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                REQUIRE(first.new_messages.size() == 20);

                std::tie(ec) = co_await other.async_store_flags(name, 3, message_flags::seen,
                                                                message_flags::none, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                std::tie(ec) = co_await other.async_store_flags(
                    name, 5, message_flags::flagged | message_flags::answered, message_flags::none, diag,
                    tuple_awaitable);
                REQUIRE(!ec);
                mss::imap::sequence_set gone;
                gone.add_range(7, 8);
                std::tie(ec) = co_await other.async_expunge(name, gone, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                std::uint32_t uid = 0;
                std::tie(ec, uid) =
                    co_await other.async_append(name, appended_1, message_flags::seen, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(uid == 21);
                std::tie(ec, uid) =
                    co_await other.async_append(name, appended_2, message_flags::none, diag, tuple_awaitable);
                REQUIRE(!ec);
                CHECK(uid == 22);

                auto [sync_ec, changes] =
                    co_await client.async_sync_folder(name, first.state, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!sync_ec, sync_ec.message() << ": " << diag.client_message());
                CHECK_FALSE(changes.full_resync);
                CHECK(changes.state.uid_validity == first.state.uid_validity);
                CHECK(changes.state.uid_next == 23);
                CHECK(changes.state.highest_modseq > first.state.highest_modseq);

                // Same shape as the in-memory operator's answer (MODSEQs and dates are the server's).
                CHECK(changes.full_resync == expected.full_resync);
                CHECK(uids_of(changes.new_messages) == uids_of(expected.new_messages));
                REQUIRE(changes.new_messages.size() == expected.new_messages.size());
                for (std::size_t i = 0; i < changes.new_messages.size(); ++i)
                {
                    CHECK(changes.new_messages[i].flags == expected.new_messages[i].flags);
                    CHECK(changes.new_messages[i].header == expected.new_messages[i].header);
                    CHECK(changes.new_messages[i].size == expected.new_messages[i].size);
                    CHECK(changes.new_messages[i].modseq > first.state.highest_modseq);
                }
                REQUIRE(changes.flag_changes.size() == expected.flag_changes.size());
                for (std::size_t i = 0; i < changes.flag_changes.size(); ++i)
                {
                    CHECK(changes.flag_changes[i].uid == expected.flag_changes[i].uid);
                    CHECK(changes.flag_changes[i].flags == expected.flag_changes[i].flags);
                    CHECK(changes.flag_changes[i].modseq > first.state.highest_modseq);
                }
                CHECK(changes.vanished == expected.vanished);
                CHECK(changes.vanished == std::vector<std::uint32_t>{7, 8});

                // And the next sync finds nothing new.
                const auto state = changes.state;
                std::tie(sync_ec, changes) =
                    co_await client.async_sync_folder(name, state, diag, tuple_awaitable);
                REQUIRE(!sync_ec);
                CHECK(changes.empty());
                co_await client.async_logout(tuple_awaitable);
                co_await other.async_logout(tuple_awaitable);
            });
    }

    TEST_CASE("a changed UIDVALIDITY gives a full resynchronisation with every message")
    {
        const std::string name = unique_token() + "-uidv";
        scratch_folder folder(user_address(), name, 5);
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                mss::net::imap_client client(io.get_executor(), config());
                mss::diagnostics diag;
                auto [ec, first] = co_await client.async_sync_folder(name, {}, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                co_await client.async_logout(tuple_awaitable);  // doveadm cannot renumber a selected folder
                const std::uint32_t renumbered = first.state.uid_validity + 1000;
                REQUIRE(shell(doveadm() + "mailbox update -u '" + user_address() + "' --uid-validity " +
                              std::to_string(renumbered) + " '" + name + "'") == 0);
                auto [sync_ec, changes] =
                    co_await client.async_sync_folder(name, first.state, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!sync_ec, sync_ec.message() << ": " << diag.client_message());
                CHECK(changes.full_resync);
                CHECK(changes.state.uid_validity == renumbered);
                CHECK(changes.new_messages.size() == 5);
                CHECK(changes.vanished.empty());
                CHECK(changes.flag_changes.empty());
            });
    }

    TEST_CASE("APPEND to Sent returns the new UID; find_message_id finds it; fetch_message returns it intact")
    {
        const std::string token = unique_token();
        const std::string message_id = token + "@regional.mssante.test";
        std::string message = "From: Cardiologie CHU <" + user_address() +
                              ">\r\nTo: <dr.martin@regional.mssante.test>\r\n"
                              "Subject: copie envoyee " +
                              token + "\r\nMessage-ID: <" + message_id +
                              ">\r\n"
                              "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
        // Over 1 MiB: the body is streamed from the socket into the result.
        while (message.size() < 1536 * 1024)
            message += "Ligne de compte rendu, assez longue pour faire un message volumineux a streamer.\r\n";
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                mss::net::imap_client client(io.get_executor(), config());
                mss::diagnostics diag;
                auto [ec, uid] =
                    co_await client.async_append("Sent", message, message_flags::seen, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                CHECK(uid > 0);
                auto [find_ec, found] =
                    co_await client.async_find_message_id("Sent", message_id, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!find_ec, find_ec.message() << ": " << diag.client_message());
                REQUIRE(found.has_value());
                CHECK(*found == uid);
                std::tie(find_ec, found) = co_await client.async_find_message_id(
                    "Sent", "absent-" + message_id, diag, tuple_awaitable);
                CHECK(!find_ec);
                CHECK_FALSE(found.has_value());
                auto [fetch_ec, bytes] =
                    co_await client.async_fetch_message("Sent", uid, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!fetch_ec, fetch_ec.message() << ": " << diag.client_message());
                CHECK(bytes.size() == message.size());
                CHECK(bytes == message);
                std::tie(fetch_ec, bytes) =
                    co_await client.async_fetch_message("Sent", 4000000000u, diag, tuple_awaitable);
                CHECK(fetch_ec == mss::errc::unexpected_response);
                CHECK(client.is_connected());  // a missing UID is no reason to drop the session
                // Clean up: the copy goes for good.
                mss::imap::sequence_set set;
                set.add(uid);
                auto [expunge_ec] = co_await client.async_expunge("Sent", set, diag, tuple_awaitable);
                CHECK_MESSAGE(!expunge_ec, expunge_ec.message() << ": " << diag.client_message());
                std::tie(find_ec, found) =
                    co_await client.async_find_message_id("Sent", message_id, diag, tuple_awaitable);
                CHECK_FALSE(found.has_value());
            });
    }

    TEST_CASE("an IDLE wait sees a message delivered through Postfix within 2 s")
    {
        const std::string key = "INFIRMIER_DURAND";
        const std::string token = unique_token();
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                mss::net::imap_client client(io.get_executor(), config(key));
                mss::diagnostics diag;
                auto [ec, first] = co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());

                std::optional<std::chrono::steady_clock::time_point> woken;
                bool changed = false;
                error_code wait_ec;
                mss::diagnostics wait_diag;
                asio::co_spawn(io, client.async_wait_for_changes("INBOX", 30s, wait_diag, tuple_awaitable),
                               [&](std::exception_ptr, std::tuple<error_code, bool> r)
                               {
                                   std::tie(wait_ec, changed) = r;
                                   woken = std::chrono::steady_clock::now();
                               });
                co_await sleep_for(300ms);  // IDLE is running
                CHECK_FALSE(woken.has_value());

                const auto sc = smtp_config("DR_MARTIN");
                mss::net::smtp_client smtp(io.get_executor(), sc);
                mss::transport::outgoing_message m{
                    address(sc.credentials.user), {}, token + "@regional.mssante.test", {}, false, false};
                m.recipients.push_back(
                    {address(user_address(key)), mss::transport::dsn_notify::server_default});
                m.data = "From: <" + sc.credentials.user + ">\r\nTo: <" + user_address(key) +
                         ">\r\nSubject: idle " + token + "\r\nMessage-ID: <" + m.message_id +
                         ">\r\n\r\nBonjour\r\n";
                mss::diagnostics smtp_diag;
                auto [submit_ec, result] = co_await smtp.async_submit(m, smtp_diag, tuple_awaitable);
                REQUIRE_MESSAGE(!submit_ec, submit_ec.message() << ": " << smtp_diag.client_message());
                const auto submitted = std::chrono::steady_clock::now();
                co_await smtp.async_quit(tuple_awaitable);
                for (int i = 0; i < 100 && !woken; ++i) co_await sleep_for(50ms);
                REQUIRE_MESSAGE(woken.has_value(), "IDLE did not report the delivery within 5 s");
                CHECK_MESSAGE(!wait_ec, wait_ec.message() << ": " << wait_diag.client_message());
                CHECK(changed);
                const auto latency =
                    std::chrono::duration_cast<std::chrono::milliseconds>(*woken - submitted);
                MESSAGE("IDLE saw the delivery " << latency.count() << " ms after the submission");
                CHECK(latency < 2s);

                // The sync that follows has the message.
                auto [sync_ec, changes] =
                    co_await client.async_sync_folder("INBOX", first.state, diag, tuple_awaitable);
                REQUIRE(!sync_ec);
                REQUIRE_FALSE(changes.new_messages.empty());
                CHECK(changes.new_messages.back().header.find(token) != std::string::npos);
                // Leave the mailbox as it was.
                mss::imap::sequence_set delivered;
                delivered.add(changes.new_messages.back().uid);
                auto [expunge_ec] = co_await client.async_expunge("INBOX", delivered, diag, tuple_awaitable);
                CHECK_MESSAGE(!expunge_ec, expunge_ec.message() << ": " << diag.client_message());
            });
    }

    TEST_CASE("IDLE is renewed with DONE within the wait, and a wait without change ends with false")
    {
        std::string trace;
        run(
            [&](asio::io_context& io) -> asio::awaitable<void>
            {
                auto c = config("PATIENT_2");
                c.idle_refresh = 300ms;
                c.trace = [&](mss::net::trace_direction d, std::string_view bytes)
                {
                    if (d == mss::net::trace_direction::sent)
                        trace += bytes;
                };
                mss::net::imap_client client(io.get_executor(), c);
                mss::diagnostics diag;
                auto [ec, first] = co_await client.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                REQUIRE(!ec);
                const auto started = std::chrono::steady_clock::now();
                auto [wait_ec, changed] =
                    co_await client.async_wait_for_changes("INBOX", 1000ms, diag, tuple_awaitable);
                const auto elapsed = std::chrono::steady_clock::now() - started;
                CHECK_MESSAGE(!wait_ec, wait_ec.message() << ": " << diag.client_message());
                CHECK_FALSE(changed);
                CHECK(elapsed >= 1000ms);
                CHECK(elapsed < 3s);
                CHECK(client.is_connected());
                // And a cancelled wait closes the connection and says operation_aborted.
                asio::cancellation_signal signal;
                bool done = false;
                error_code cancelled_ec;
                asio::co_spawn(
                    io,
                    client.async_wait_for_changes(
                        "INBOX", 30s, diag, asio::bind_cancellation_slot(signal.slot(), tuple_awaitable)),
                    [&](std::exception_ptr, std::tuple<error_code, bool> r)
                    {
                        cancelled_ec = std::get<0>(r);
                        done = true;
                    });
                co_await sleep_for(200ms);
                signal.emit(asio::cancellation_type::terminal);
                for (int i = 0; i < 40 && !done; ++i) co_await sleep_for(25ms);
                CHECK(done);
                CHECK(cancelled_ec == asio::error::operation_aborted);
                CHECK_FALSE(client.is_connected());
            });
        std::size_t idles = 0;
        for (auto at = trace.find(" IDLE\r\n"); at != std::string::npos; at = trace.find(" IDLE\r\n", at + 1))
            ++idles;
        CHECK(idles >= 4);  // 1 s in 300 ms rounds, and the cancelled one
        CHECK(trace.find("DONE\r\n") != std::string::npos);
    }
}
