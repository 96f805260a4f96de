// SPDX-License-Identifier: Apache-2.0
#include <mss/directory/entry.hpp>
#include <mss/directory/errc.hpp>
#include <mss/directory/query.hpp>
#include <mss/directory/selection.hpp>
#include <mss/domain/person.hpp>

#include <doctest/doctest.h>

#include <string>

namespace dir = mss::directory;
using mss::domain::mailbox_type;

TEST_SUITE("directory query model")
{
    TEST_CASE(
        "a person with an RPPS or ADELI number searches the national directory, others the regional one")
    {
        mss::domain::person with_rpps;
        with_rpps.rpps_number = mss::domain::rpps::parse("10000000017").value();
        CHECK(dir::select_directory(with_rpps) == dir::directory_kind::national);

        mss::domain::person with_adeli;
        with_adeli.adeli_number = mss::domain::adeli::parse("751234567").value();
        CHECK(dir::select_directory(with_adeli) == dir::directory_kind::national);

        mss::domain::person neither;
        neither.profession = "Secrétaire médicale";
        CHECK(dir::select_directory(neither) == dir::directory_kind::regional);
        CHECK(dir::to_string(dir::directory_kind::regional) == "regional");
    }

    TEST_CASE(
        "a query is refused for a bad limit, an overlong text or a control character, naming the field only")
    {
        mss::diagnostics diag;
        dir::query q;
        CHECK_FALSE(dir::validate(q, diag));
        q.limit = 0;
        CHECK(dir::validate(q, diag) == dir::errc::invalid_query);
        q.limit = dir::query::max_limit + 1;
        CHECK(dir::validate(q, diag) == dir::errc::invalid_query);
        q.limit = 20;
        q.family_name = std::string(dir::query::max_text + 1, 'a');
        CHECK(dir::validate(q, diag) == dir::errc::invalid_query);
        CHECK(diag.client_message().find("family name") != std::string::npos);
        q.family_name = "MARTIN\r\nX-Injected: 1";
        CHECK(dir::validate(q, diag) == dir::errc::invalid_query);
        CHECK(diag.client_message().find("MARTIN") == std::string::npos);
    }

    TEST_CASE("an empty query has no criterion, paging aside")
    {
        dir::query q;
        q.limit = 5;
        q.cursor = "x";
        CHECK(dir::is_empty(q));
        q.mailbox_type = mailbox_type::org;
        CHECK_FALSE(dir::is_empty(q));
    }

    TEST_CASE("client-side exact criteria: type, codes, place, address, liste rouge never matches")
    {
        dir::entry e;
        e.address = "secretariat@chu-exemple.test.mssante.fr";
        e.type = mailbox_type::org;
        e.holder = dir::holder_of(e.type);
        e.profession = {"10", "Médecin"};
        e.postal_code = "33000";
        e.department = "33";
        CHECK(e.holder == dir::holder_kind::structure);
        CHECK(dir::holder_of(mailbox_type::cab) == dir::holder_kind::person);

        dir::query q;
        CHECK(dir::matches_exact_criteria(e, q));
        q.mailbox_type = mailbox_type::per;
        CHECK_FALSE(dir::matches_exact_criteria(e, q));
        q.mailbox_type = mailbox_type::org;
        q.department = "33";
        q.postal_code = " 33000 ";
        q.profession_code = "10";
        q.mailbox_address = "Secretariat@CHU-exemple.test.mssante.fr";
        CHECK(dir::matches_exact_criteria(e, q));
        q.department = "34";
        CHECK_FALSE(dir::matches_exact_criteria(e, q));
        q.department.clear();
        e.liste_rouge = true;
        CHECK_FALSE(dir::matches_exact_criteria(e, q));
    }

    TEST_CASE("directory errors have their own category and messages")
    {
        const auto ec = make_error_code(dir::errc::stale_cursor);
        CHECK(std::string(ec.category().name()) == "mss.directory");
        CHECK(ec.message().find("reloaded") != std::string::npos);
        CHECK_FALSE(make_error_code(dir::errc::http_server_error).message().empty());
    }
}
