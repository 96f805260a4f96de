// SPDX-License-Identifier: Apache-2.0
// With the protocol trace on, against the real sandbox operator (Postfix + Dovecot, private CA):
// the link service mails a one-time code through mss::net::smtp_client, Dovecot delivers it, and
// mss::net::imap_client reads it back. The code must be in the mailbox (it links the box) and
// nowhere in either trace or in any error message; neither may the passwords, right or wrong,
// whatever the SASL mechanism. Settings from `eval "$(scripts/sandbox env)"`.
#include <mss/error.hpp>
#include <mss/net/imap_client.hpp>
#include <mss/net/smtp_client.hpp>
#include <mss/service/link_service.hpp>
#include <mss/smtp/errc.hpp>
#include <mss/store/memory_store.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/detail/base64.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <regex>
#include <string>

#include "sandbox_env.hpp"

namespace
{

using namespace sandbox_test;

namespace asio = boost::asio;
using boost::system::error_code;
using namespace std::chrono_literals;

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

std::string base64(std::string_view in)
{
    std::string out(boost::beast::detail::base64::encoded_size(in.size()), '\0');
    out.resize(boost::beast::detail::base64::encode(out.data(), in.data(), in.size()));
    return out;
}

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

// Everything a run let out: both traces and every diagnostic.
struct observed
{
    std::string trace;
    std::string messages;

    mss::net::trace_hook hook(std::string_view who)
    {
        return [this, who = std::string(who)](mss::net::trace_direction d, std::string_view bytes)
        {
            trace += who + (d == mss::net::trace_direction::sent ? " C: " : " S: ");
            trace += bytes;
        };
    }

    void add(const mss::diagnostics& diag) { messages += diag.client_message() + "\n" + diag.server_message() + "\n"; }

    void check_hidden(const std::string& secret) const
    {
        REQUIRE(!secret.empty());
        CHECK_MESSAGE(!contains(trace, secret), "leaked into the trace: " << secret);
        CHECK_MESSAGE(!contains(messages, secret), "leaked into a message: " << secret);
        CHECK_FALSE(contains(trace, base64(secret)));
        CHECK_FALSE(contains(messages, base64(secret)));
    }
};

// The sandbox's settings for `key`, with the trace recorded into `seen`.
mss::net::smtp_client_config traced_smtp_config(const std::string& key, observed& seen)
{
    auto c = smtp_config(key);
    c.ehlo_domain = "platform.regional.mssante.test";
    c.trace = seen.hook("smtp");
    return c;
}

mss::net::imap_client_config traced_imap_config(const std::string& key, observed& seen)
{
    auto c = imap_config(key);
    c.trace = seen.hook("imap");
    return c;
}

template <class Body>
void run(asio::io_context& io, Body body)
{
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, body(),
                   [&](std::exception_ptr e)
                   {
                       failure = e;
                       done = true;
                   });
    io.run_for(90s);
    REQUIRE_MESSAGE(done, "the test did not finish within 90 s");
    if (failure)
        std::rethrow_exception(failure);
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(tuple_awaitable);
}

}  // namespace

TEST_SUITE("integration: the trace hides credentials and one-time codes")
{
    TEST_CASE("a link code mailed by the link service and read back over IMAP shows in no trace and no message")
    {
        asio::io_context io;
        observed seen;
        const std::string to = env("MSS_SANDBOX_DR_BERNARD_ADDRESS");
        mss::net::smtp_client sender(io.get_executor(), traced_smtp_config("LIAISON", seen));
        mss::net::imap_client reader(io.get_executor(), traced_imap_config("DR_BERNARD", seen));

        mss::domain::trust_space space;
        for (const char* d : {"regional.mssante.test", "national.mssante.test"})
            REQUIRE(space.add({d, "sandbox operator", "CN=sandbox", "", "", "", 0}));
        mss::store::memory_store db;
        mss::service::link_service_config link_config{
            mss::domain::email_address::parse(env("MSS_SANDBOX_LIAISON_ADDRESS")).value(), "SPICO", {}, {}};
        link_config.codes.hash_iterations = 1000;  // speed; the rules are the same
        mss::service::link_service links(io.get_executor(), db, space, sender, link_config);
        const mss::service::link_request request{
            "p-bernard",
            {mss::domain::account_kind::person, "p-bernard"},
            {mss::domain::email_address::parse(to).value(), mss::domain::mailbox_type::per, "sandbox", ""}};

        std::string body;
        run(io,
            [&]() -> asio::awaitable<void>
            {
                mss::diagnostics diag;
                // Where the inbox stands before the code is sent: only newer messages are looked at.
                auto [ec, before] = co_await reader.async_sync_folder("INBOX", {}, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                seen.add(diag);

                std::tie(ec) = co_await links.async_request_code(request, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!ec, ec.message() << ": " << diag.client_message());
                seen.add(diag);

                std::uint32_t uid = 0;
                mss::transport::folder_sync_state state = before.state;
                for (int attempt = 0; attempt < 100 && uid == 0; ++attempt)
                {
                    auto [sync_ec, changes] = co_await reader.async_sync_folder("INBOX", state, diag, tuple_awaitable);
                    REQUIRE_MESSAGE(!sync_ec, sync_ec.message() << ": " << diag.client_message());
                    seen.add(diag);
                    state = changes.state;
                    for (const auto& m : changes.new_messages)
                    {
                        if (contains(m.header, "Auto-Submitted: auto-generated") &&
                            contains(m.header, env("MSS_SANDBOX_LIAISON_ADDRESS")))
                            uid = m.uid;
                    }
                    if (uid == 0)
                        co_await sleep_for(200ms);
                }
                REQUIRE_MESSAGE(uid != 0, "the code message was not delivered within 20 s");
                auto [fetch_ec, fetched] = co_await reader.async_fetch_message("INBOX", uid, diag, tuple_awaitable);
                REQUIRE_MESSAGE(!fetch_ec, fetch_ec.message() << ": " << diag.client_message());
                seen.add(diag);
                body = std::move(fetched);
                co_await sender.async_quit(tuple_awaitable);
                co_await reader.async_logout(tuple_awaitable);
            });

        std::smatch match;
        REQUIRE_MESSAGE(std::regex_search(body, match, std::regex("Code \xC3\xA0 usage unique : ([0-9]+)")), body);
        const std::string code = match[1];
        // The code read back is the real one: it links the box.
        CHECK_FALSE(links.confirm_code(request, code));
        CHECK(links.state(request.account, to).value() == mss::domain::link_state::synchronising);

        seen.check_hidden(code);
        seen.check_hidden(env("MSS_SANDBOX_LIAISON_PASSWORD"));
        seen.check_hidden(env("MSS_SANDBOX_DR_BERNARD_PASSWORD"));
        // The exchange itself is there: a trace that shows nothing would pass the checks above.
        CHECK(contains(seen.trace, "smtp C: MAIL FROM:<" + env("MSS_SANDBOX_LIAISON_ADDRESS") + ">"));
        CHECK(contains(seen.trace, "354 End data"));
        CHECK(contains(seen.trace, "smtp C: <redacted>\r\n.\r\n"));
        CHECK(contains(seen.trace, "smtp S: 250 2.0.0 Ok: queued"));
        CHECK(contains(seen.trace, "imap C: A"));
        CHECK(contains(seen.trace, "BODY[] {"));
        CHECK(contains(seen.trace, "<redacted>"));
    }

    TEST_CASE("wrong passwords, over PLAIN and LOGIN, in SMTP and IMAP, show in no trace and no message")
    {
        const std::string wrong = "Wr0ng-Passw0rd-for-the-trace-test";
        for (const auto mechanism : {mss::smtp::auth_mechanism::plain, mss::smtp::auth_mechanism::login})
        {
            CAPTURE(static_cast<int>(mechanism));
            asio::io_context io;
            observed seen;
            auto config = traced_smtp_config("DR_MARTIN", seen);
            config.credentials.secret = wrong;
            config.credentials.mechanism = mechanism;
            mss::net::smtp_client client(io.get_executor(), config);
            mss::transport::outgoing_message m{
                mss::domain::email_address::parse(config.credentials.user).value(), {}, {}, {}, false, false};
            m.recipients.push_back({mss::domain::email_address::parse(env("MSS_SANDBOX_DR_BERNARD_ADDRESS")).value(),
                                    mss::transport::dsn_notify::server_default});
            m.message_id = "trace-test@regional.mssante.test";
            m.data = "Subject: never sent\r\n\r\nnever sent\r\n";
            run(io,
                [&]() -> asio::awaitable<void>
                {
                    mss::diagnostics diag;
                    auto [ec, result] = co_await client.async_submit(m, diag, tuple_awaitable);
                    CHECK(ec == mss::smtp::errc::auth_failed);
                    seen.add(diag);
                });
            seen.check_hidden(wrong);
            CHECK(contains(seen.trace, "<redacted>"));
            CHECK(contains(seen.trace, "smtp S: 535 "));
        }
        asio::io_context io;
        observed seen;
        auto config = traced_imap_config("DR_MARTIN", seen);
        config.credentials.password = wrong;
        mss::net::imap_client client(io.get_executor(), config);
        run(io,
            [&]() -> asio::awaitable<void>
            {
                mss::diagnostics diag;
                auto [ec, folders] = co_await client.async_list_folders(diag, tuple_awaitable);
                CHECK(ec);
                CHECK_FALSE(client.is_connected());
                seen.add(diag);
            });
        seen.check_hidden(wrong);
        CHECK(contains(seen.trace, "<redacted>"));
        CHECK(contains(seen.trace, "AUTHENTICATIONFAILED"));
    }
}
