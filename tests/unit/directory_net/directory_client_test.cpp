// SPDX-License-Identifier: Apache-2.0
// The Annuaire Santé FHIR client over a local HTTPS server: paging, HTTP errors, time-outs,
// malformed answers, TLS host-name checks, cancellation. Every person in the bundles is invented.
#include "https_fixture.hpp"

#include <mss/directory/errc.hpp>
#include <mss/error.hpp>
#include <mss/net/directory_client.hpp>

#include <common/test_data.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ssl/error.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>

using namespace directory_net_test;
namespace dir = mss::directory;
using mss::domain::mailbox_type;

namespace
{

const std::string api_key = "0000-test-api-key-0000";

std::string fixture(const std::string& name)
{
    return mss::test::read_file(std::string(MSS_TEST_DATA_DIR) + "/directory/" + name);
}

// The real API's page links, moved to the local server.
std::string relocated(std::string text, const std::string& base_url)
{
    const std::string production = "https://gateway.api.esante.gouv.fr/fhir/v2";
    for (std::size_t at = text.find(production); at != std::string::npos; at = text.find(production, at))
    {
        text.replace(at, production.size(), base_url);
        at += base_url.size();
    }
    return text;
}

mss::net::directory_client_config config_for(const https_server& server)
{
    mss::net::directory_client_config config;
    config.base_url = server.base_url();
    config.api_key = api_key;
    config.tls_options.ca_file = pki().ca_file();
    config.page_size = 2;
    config.include_roles = false;
    return config;
}

struct outcome
{
    boost::system::error_code ec;
    dir::search_result result;
};

outcome search(asio::io_context& io, mss::net::directory_client& client, const dir::query& q,
               mss::diagnostics& diag)
{
    std::optional<outcome> got;
    bool inside_initiation = true;
    client.async_search(q, diag,
                        [&](boost::system::error_code ec, dir::search_result r)
                        {
                            CHECK_FALSE(inside_initiation);
                            got = outcome{ec, std::move(r)};
                        });
    inside_initiation = false;
    run_until(io, [&] { return got.has_value(); });
    REQUIRE(got.has_value());
    return std::move(*got);
}

// Two pages: the first has three mailboxes and a next link, the second two.
https_server::responder two_pages(const std::string* base_url)
{
    return [base_url](const seen_request& r)
    {
        reply out;
        out.body = r.target.find("_getpages") == std::string::npos
                       ? relocated(fixture("practitioner_page1.json"), *base_url)
                       : relocated(fixture("practitioner_page2.json"), *base_url);
        return out;
    };
}

}  // namespace

TEST_SUITE("directory client (HTTPS)")
{
    TEST_CASE("a search follows the next link over two pages, on one kept connection, with the API key")
    {
        asio::io_context io;
        std::string base;
        https_server server(io, pki().server("localhost", "DNS:localhost,IP:127.0.0.1"), two_pages(&base));
        base = server.base_url();
        mss::net::directory_client client(io.get_executor(), config_for(server));

        dir::query q;
        q.family_name = "dup";
        q.limit = 10;
        mss::diagnostics diag;
        const auto got = search(io, client, q, diag);
        REQUIRE_MESSAGE(!got.ec, std::string(got.ec.message() + ": " + diag.client_message()));
        REQUIRE(got.result.entries.size() == 5);
        CHECK(got.result.entries[0].address == "jean-marie.dupont@medecin.test.mssante.fr");
        CHECK(got.result.entries[3].address == "loic.dupre@pharmacien.test.mssante.fr");
        CHECK(got.result.entries[4].given_name == "Zoé");
        CHECK(got.result.next_cursor.empty());

        REQUIRE(server.requests().size() == 2);
        CHECK(server.requests()[0].target == "/fhir/v2/Practitioner?family=dup&_count=2");
        CHECK(server.requests()[0].api_key == api_key);
        CHECK(server.requests()[0].host == "localhost:" + std::to_string(server.port()));
        CHECK(server.requests()[1].target.find("_getpages=5e1a7c&_getpagesoffset=2") != std::string::npos);
        CHECK(server.requests()[1].api_key == api_key);
        CHECK(server.connections() == 1);
    }

    TEST_CASE("a result page may stop inside a server page, its cursor resumes exactly there")
    {
        asio::io_context io;
        std::string base;
        https_server server(io, pki().server("localhost", "DNS:localhost"), two_pages(&base));
        base = server.base_url();
        mss::net::directory_client client(io.get_executor(), config_for(server));

        dir::query q;
        q.family_name = "dup";
        q.limit = 2;
        mss::diagnostics diag;
        auto first = search(io, client, q, diag);
        REQUIRE_FALSE(first.ec);
        REQUIRE(first.result.entries.size() == 2);
        REQUIRE_FALSE(first.result.next_cursor.empty());
        q.cursor = first.result.next_cursor;
        auto second = search(io, client, q, diag);
        REQUIRE_FALSE(second.ec);
        REQUIRE(second.result.entries.size() == 2);
        CHECK(second.result.entries[0].address == "cardiologie@chu-exemple.test.mssante.fr");
        CHECK(second.result.entries[1].address == "loic.dupre@pharmacien.test.mssante.fr");
        q.cursor = second.result.next_cursor;
        auto third = search(io, client, q, diag);
        REQUIRE_FALSE(third.ec);
        REQUIRE(third.result.entries.size() == 1);
        CHECK(third.result.next_cursor.empty());
    }

    TEST_CASE("criteria the server ignores are applied by the client: mailbox type, department")
    {
        asio::io_context io;
        std::string base;
        https_server server(io, pki().server("localhost", "DNS:localhost"), two_pages(&base));
        base = server.base_url();
        mss::net::directory_client client(io.get_executor(), config_for(server));
        dir::query q;
        q.family_name = "dup";
        q.department = "33";
        mss::diagnostics diag;
        auto got = search(io, client, q, diag);
        REQUIRE_FALSE(got.ec);
        REQUIRE(got.result.entries.size() == 2);  // the role and the organisation in Bordeaux
        q.mailbox_type = mailbox_type::org;
        got = search(io, client, q, diag);
        REQUIRE_FALSE(got.ec);
        REQUIRE(got.result.entries.size() == 1);
        CHECK(got.result.entries[0].type == mailbox_type::org);
    }

    TEST_CASE("HTTP 401 and 500 are directory errors, the status is ours to say, the outcome the server's")
    {
        asio::io_context io;
        unsigned status = 401;
        https_server server(io, pki().server("localhost", "DNS:localhost"),
                            [&](const seen_request&)
                            {
                                reply r;
                                r.status = status;
                                r.body = fixture("operation_outcome.json");
                                return r;
                            });
        mss::net::directory_client client(io.get_executor(), config_for(server));
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag;
        auto got = search(io, client, q, diag);
        CHECK(got.ec == dir::errc::http_unauthorized);
        CHECK(diag.client_message().find("401") != std::string::npos);
        CHECK(diag.client_message().find(api_key) == std::string::npos);
        CHECK(diag.server_message().find("famly") != std::string::npos);
        CHECK(got.result.entries.empty());

        status = 500;
        got = search(io, client, q, diag);
        CHECK(got.ec == dir::errc::http_server_error);
        CHECK(diag.client_message().find("500") != std::string::npos);
        status = 404;
        got = search(io, client, q, diag);
        CHECK(got.ec == dir::errc::http_client_error);
        status = 302;
        got = search(io, client, q, diag);
        CHECK(got.ec == dir::errc::http_unexpected_response);
    }

    TEST_CASE("malformed JSON is reported with its offset")
    {
        asio::io_context io;
        https_server server(io, pki().server("localhost", "DNS:localhost"),
                            [](const seen_request&)
                            {
                                reply r;
                                r.body = R"({"resourceType":"Bundle","type":"searchset","entry":[)";
                                return r;
                            });
        mss::net::directory_client client(io.get_executor(), config_for(server));
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag;
        auto got = search(io, client, q, diag);
        CHECK(got.ec == dir::errc::fhir_malformed_json);
        REQUIRE(diag.position().has_value());
    }

    TEST_CASE("a response larger than the limit is refused while it is read")
    {
        asio::io_context io;
        https_server server(io, pki().server("localhost", "DNS:localhost"),
                            [](const seen_request&)
                            {
                                reply r;
                                r.body = std::string(5000, ' ') +
                                         R"({"resourceType":"Bundle","type":"searchset"})";
                                return r;
                            });
        auto config = config_for(server);
        config.limits.max_bytes = 1000;
        mss::net::directory_client client(io.get_executor(), config);
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag;
        CHECK(search(io, client, q, diag).ec == dir::errc::fhir_too_large);
    }

    TEST_CASE("a slow server: the whole request's time limit ends the search")
    {
        asio::io_context io;
        https_server server(io, pki().server("localhost", "DNS:localhost"),
                            [](const seen_request&)
                            {
                                reply r;
                                r.delay = 3s;
                                r.body = R"({"resourceType":"Bundle","type":"searchset"})";
                                return r;
                            });
        auto config = config_for(server);
        config.timeouts.request = 300ms;
        mss::net::directory_client client(io.get_executor(), config);
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag;
        const auto start = std::chrono::steady_clock::now();
        auto got = search(io, client, q, diag);
        CHECK(got.ec == dir::errc::request_timeout);
        CHECK(std::chrono::steady_clock::now() - start < 2s);
    }

    TEST_CASE("a certificate for another host name is refused during the TLS handshake")
    {
        asio::io_context io;
        https_server server(io, pki().server("other.test", "DNS:other.test"),
                            [](const seen_request&) {
                                return reply{200, R"({"resourceType":"Bundle","type":"searchset"})"};
                            });
        mss::net::directory_client client(io.get_executor(), config_for(server));
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag;
        auto got = search(io, client, q, diag);
        REQUIRE(got.ec);
        CHECK(got.ec.category() == asio::error::get_ssl_category());
        CHECK(diag.client_message().find("hostname mismatch") != std::string::npos);
        CHECK(server.requests().empty());
    }

    TEST_CASE("a certificate from an untrusted CA is refused")
    {
        asio::io_context io;
        https_server server(io, pki().server("localhost", "DNS:localhost"),
                            [](const seen_request&) {
                                return reply{200, R"({"resourceType":"Bundle","type":"searchset"})"};
                            });
        auto config = config_for(server);
        config.tls_options.ca_file.clear();
        config.tls_options.use_system_trust_store = true;
        mss::net::directory_client client(io.get_executor(), config);
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag;
        auto got = search(io, client, q, diag);
        REQUIRE(got.ec);
        CHECK(server.requests().empty());
    }

    TEST_CASE("a kept connection the server closed while idle is reopened once")
    {
        asio::io_context io;
        https_server server(io, pki().server("localhost", "DNS:localhost"),
                            [](const seen_request&)
                            {
                                reply r;
                                r.body = R"({"resourceType":"Bundle","type":"searchset","total":0})";
                                r.silent_close = true;
                                return r;
                            });
        mss::net::directory_client client(io.get_executor(), config_for(server));
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag;
        REQUIRE_FALSE(search(io, client, q, diag).ec);
        auto again = search(io, client, q, diag);
        REQUIRE_MESSAGE(!again.ec, std::string(again.ec.message() + ": " + diag.client_message()));
        CHECK(server.connections() == 2);
        CHECK(server.requests().size() == 2);
    }

    TEST_CASE("terminal cancellation closes the connection and completes with operation_aborted")
    {
        asio::io_context io;
        https_server server(io, pki().server("localhost", "DNS:localhost"),
                            [](const seen_request&)
                            {
                                reply r;
                                r.delay = 5s;
                                return r;
                            });
        mss::net::directory_client client(io.get_executor(), config_for(server));
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag;
        asio::cancellation_signal signal;
        std::optional<boost::system::error_code> result;
        client.async_search(
            q, diag,
            asio::bind_cancellation_slot(
                signal.slot(), [&](boost::system::error_code ec, dir::search_result) { result = ec; }));
        run_until(io, [&] { return !server.requests().empty(); });
        REQUIRE_FALSE(result.has_value());
        signal.emit(asio::cancellation_type::terminal);
        run_until(io, [&] { return result.has_value(); });
        REQUIRE(result.has_value());
        CHECK(*result == asio::error::operation_aborted);
    }

    TEST_CASE("one search at a time, a cursor for another server is refused before any request")
    {
        asio::io_context io;
        https_server server(io, pki().server("localhost", "DNS:localhost"),
                            [](const seen_request&)
                            {
                                reply r;
                                r.delay = 200ms;
                                r.body = R"({"resourceType":"Bundle","type":"searchset"})";
                                return r;
                            });
        mss::net::directory_client client(io.get_executor(), config_for(server));
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag1;
        mss::diagnostics diag2;
        std::optional<boost::system::error_code> first;
        std::optional<boost::system::error_code> second;
        client.async_search(q, diag1, [&](boost::system::error_code ec, dir::search_result) { first = ec; });
        client.async_search(q, diag2, [&](boost::system::error_code ec, dir::search_result) { second = ec; });
        run_until(io, [&] { return first && second; });
        CHECK(*second == mss::errc::operation_in_progress);
        CHECK_FALSE(*first);

        q.cursor = "fhir1:0:https://attacker.example/fhir/v2?_getpages=x";
        mss::diagnostics diag;
        const std::size_t before = server.requests().size();
        CHECK(search(io, client, q, diag).ec == dir::errc::invalid_cursor);
        q.cursor = "ix1-0000000000000000-1";
        CHECK(search(io, client, q, diag).ec == dir::errc::invalid_cursor);
        CHECK(server.requests().size() == before);
    }

    TEST_CASE("the client may be destroyed during a search, which then completes as aborted")
    {
        asio::io_context io;
        https_server server(io, pki().server("localhost", "DNS:localhost"),
                            [](const seen_request&)
                            {
                                reply r;
                                r.delay = 5s;
                                return r;
                            });
        std::optional<boost::system::error_code> result;
        auto client = std::make_unique<mss::net::directory_client>(io.get_executor(), config_for(server));
        dir::query q;
        q.family_name = "dup";
        mss::diagnostics diag;
        client->async_search(q, diag, [&](boost::system::error_code ec, dir::search_result) { result = ec; });
        run_until(io, [&] { return !server.requests().empty(); });
        client.reset();
        run_until(io, [&] { return result.has_value(); });
        REQUIRE(result.has_value());
        CHECK(*result == asio::error::operation_aborted);
    }
}
