// SPDX-License-Identifier: Apache-2.0
// The Annuaire Santé FHIR API without I/O: search URLs, and Bundles decoded into entries. The
// bundles in tests/data/directory follow the real API's shape; every person in them is invented.
#include <mss/directory/errc.hpp>
#include <mss/directory/fhir.hpp>

#include <common/test_data.hpp>

#include <doctest/doctest.h>

#include <string>

namespace dir = mss::directory;
namespace fhir = mss::directory::fhir;
using mss::domain::mailbox_type;

namespace
{

std::string fixture(const std::string& name)
{
    return mss::test::read_file(std::string(MSS_TEST_DATA_DIR) + "/directory/" + name);
}

std::string url_of(const dir::query& q, fhir::url_options options = {})
{
    mss::diagnostics diag;
    auto url = fhir::search_url(fhir::production_base_url, q, options, diag);
    REQUIRE_MESSAGE(url.has_value(), diag.client_message());
    return *url;
}

}  // namespace

TEST_SUITE("directory FHIR search URLs")
{
    TEST_CASE("a person's search: family, given, city, count, roles, every value percent-encoded")
    {
        dir::query q;
        q.family_name = "D'Aubigné";
        q.given_name = "Jean Pierre";
        q.city = "Saint-Étienne";
        fhir::url_options options;
        options.count = 20;
        CHECK(url_of(q, options) ==
              "https://gateway.api.esante.gouv.fr/fhir/v2/"
              "Practitioner?family=D%27Aubign%C3%A9&given=Jean%20Pierre"
              "&address-city=Saint-%C3%89tienne&_count=20&_revinclude=PractitionerRole%3Apractitioner");
        options.include_roles = false;
        CHECK(url_of(q, options).ends_with("&_count=20"));
    }

    TEST_CASE("an RPPS number is searched as its idNat_PS, codes go to qualification-code")
    {
        dir::query q;
        q.identifier = "10003456786";
        q.profession_code = "10";
        q.specialty_code = "SM26";
        q.mailbox_address = "a&b=c@x.test.mssante.fr";
        fhir::url_options options;
        options.include_roles = false;
        CHECK(url_of(q, options) ==
              "https://gateway.api.esante.gouv.fr/fhir/v2/"
              "Practitioner?qualification-code=10&qualification-code=SM26"
              "&identifier=810003456786&mailbox-mss:exact=a%26b%3Dc%40x.test.mssante.fr&_count=50");
        q = {};
        q.identifier = "810003456786";
        CHECK(url_of(q, options).find("identifier=810003456786&") != std::string::npos);
    }

    TEST_CASE("an organisation's search goes to Organization")
    {
        dir::query q;
        q.organisation = "CHU d'Exemple";
        q.postal_code = "33000";
        q.mailbox_type = mailbox_type::org;
        CHECK(url_of(q) ==
              "https://gateway.api.esante.gouv.fr/fhir/v2/Organization?name=CHU%20d%27Exemple"
              "&address-postalcode=33000&_count=50");
    }

    TEST_CASE("a bad base URL or query is refused, a trailing slash is fine")
    {
        mss::diagnostics diag;
        dir::query q;
        q.family_name = "x";
        CHECK(fhir::search_url("http://gateway.example/fhir", q, {}, diag).error() ==
              dir::errc::invalid_query);
        CHECK(fhir::search_url("https://gateway.example/fhir?x=1", q, {}, diag).error() ==
              dir::errc::invalid_query);
        CHECK(fhir::search_url("https://gateway.example/fh ir", q, {}, diag).error() ==
              dir::errc::invalid_query);
        CHECK(fhir::search_url("https://gateway.example/fhir/", q, {}, diag)
                  .value()
                  .starts_with("https://gateway.example/fhir/Practitioner?family=x"));
        q.family_name = "x\r\nHost: evil";
        CHECK(fhir::search_url(fhir::production_base_url, q, {}, diag).error() == dir::errc::invalid_query);
    }

    TEST_CASE("percent-encoding leaves only unreserved characters")
    {
        CHECK(fhir::percent_encode("AZaz09-._~") == "AZaz09-._~");
        CHECK(fhir::percent_encode(" !#$&'()*+,/:;=?@[]%") ==
              "%20%21%23%24%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D%25");
        CHECK(fhir::percent_encode("Œ") == "%C5%92");
    }

    TEST_CASE("departments from postal codes: two digits, Corsica, overseas")
    {
        CHECK(fhir::department_of_postal_code("75012") == "75");
        CHECK(fhir::department_of_postal_code("01000") == "01");
        CHECK(fhir::department_of_postal_code("20000") == "2A");
        CHECK(fhir::department_of_postal_code("20200") == "2B");
        CHECK(fhir::department_of_postal_code("97400") == "974");
        CHECK(fhir::department_of_postal_code("7501").empty());
        CHECK(fhir::department_of_postal_code("ABCDE").empty());
    }
}

TEST_SUITE("directory FHIR bundles")
{
    TEST_CASE("a page of practitioners, roles and organisations gives their MSSanté mailboxes")
    {
        mss::diagnostics diag;
        auto page = fhir::decode_bundle(fixture("practitioner_page1.json"), diag);
        REQUIRE_MESSAGE(page.has_value(), diag.client_message());
        CHECK(page->total == 4u);
        CHECK(page->next_url ==
              "https://gateway.api.esante.gouv.fr/fhir/"
              "v2?_getpages=5e1a7c&_getpagesoffset=2&_count=2&_pretty=true"
              "&_bundletype=searchset");
        CHECK(page->liste_rouge == 1);
        CHECK(page->invalid == 3);  // an unknown type, no type, an invalid address
        REQUIRE(page->entries.size() == 3);

        const dir::entry& dupont = page->entries[0];
        CHECK(dupont.address == "jean-marie.dupont@medecin.test.mssante.fr");
        CHECK(dupont.type == mailbox_type::per);
        CHECK(dupont.holder == dir::holder_kind::person);
        CHECK(dupont.civility == "DR");
        CHECK(dupont.family_name == "DUPONT");  // the usual name, the name of practice
        CHECK(dupont.given_name == "Jean-Marie");
        CHECK(dupont.profession == dir::coded_value{"10", "Médecin"});
        CHECK(dupont.profession_category == dir::coded_value{"C", "Civil"});
        CHECK(dupont.specialty == dir::coded_value{"SM26", "Qualifié en médecine générale"});
        CHECK(dupont.identifiers.national_person == "810003456786");
        CHECK(dupont.identifiers.person == "10003456786");
        CHECK(dupont.identifiers.person_kind == "8");
        CHECK(dupont.description == "BAL personnelle");
        CHECK_FALSE(dupont.liste_rouge);

        const dir::entry& role = page->entries[1];
        CHECK(role.address == "emilie.dupuis@chu-exemple.test.mssante.fr");
        CHECK(role.family_name == "DUPUIS");
        CHECK(role.given_name == "Émilie");
        CHECK(role.civility == "MME");
        CHECK(role.profession == dir::coded_value{"60", "Infirmier"});
        CHECK(role.identifiers.person == "10007654329");  // from the idNat_PS
        CHECK(role.service == "Cardiologie");
        CHECK(role.organisation == "CHU D'EXEMPLE");
        CHECK(role.trade_name == "HÔPITAL EXEMPLE SUD");
        CHECK(role.address_lines ==
              std::vector<std::string>{"BATIMENT A", "12 RUE DES LILAS", "33000 BORDEAUX"});
        CHECK(role.postal_code == "33000");
        CHECK(role.city == "BORDEAUX");
        CHECK(role.department == "33");
        CHECK(role.identifiers.structure == "1330000001");
        CHECK(role.identifiers.structure_kind == "1");

        const dir::entry& org = page->entries[2];
        CHECK(org.address == "cardiologie@chu-exemple.test.mssante.fr");
        CHECK(org.type == mailbox_type::org);
        CHECK(org.holder == dir::holder_kind::structure);
        CHECK(org.family_name.empty());
        CHECK(org.description == "Secrétariat de cardiologie");
        CHECK(org.responsible == "Cadre de santé, poste 1234");
        CHECK(org.phone == "0500000000");
        CHECK(org.city == "BORDEAUX");
    }

    TEST_CASE("the last page has no next link")
    {
        mss::diagnostics diag;
        auto page = fhir::decode_bundle(fixture("practitioner_page2.json"), diag);
        REQUIRE(page.has_value());
        CHECK(page->next_url.empty());
        REQUIRE(page->entries.size() == 2);
        CHECK(page->entries[0].family_name == "DUPRÉ");
        CHECK(page->entries[1].given_name == "Zoé");
    }

    TEST_CASE("an empty searchset is an empty page")
    {
        mss::diagnostics diag;
        auto page = fhir::decode_bundle(R"({"resourceType":"Bundle","type":"searchset","total":0})", diag);
        REQUIRE(page.has_value());
        CHECK(page->entries.empty());
        CHECK(page->total == 0u);
    }

    TEST_CASE("malformed JSON is an error with the byte offset where parsing stopped")
    {
        mss::diagnostics diag;
        const std::string text = R"({"resourceType":"Bundle","type":"searchset","entry":[{"resource":})";
        auto page = fhir::decode_bundle(text, diag);
        REQUIRE(page.has_error());
        CHECK(page.error() == dir::errc::fhir_malformed_json);
        REQUIRE(diag.position().has_value());
        CHECK(diag.position()->offset == text.size() - 1);
        CHECK(diag.client_message().find("byte " + std::to_string(text.size() - 1)) != std::string::npos);

        CHECK(fhir::decode_bundle("", diag).error() == dir::errc::fhir_malformed_json);
        CHECK(fhir::decode_bundle("{} trailing", diag).error() == dir::errc::fhir_malformed_json);
        CHECK(fhir::decode_bundle("<html>502 Bad Gateway</html>", diag).error() ==
              dir::errc::fhir_malformed_json);
        CHECK(diag.position()->offset == 0);
    }

    TEST_CASE("bounded: a body too large or nested too deep is refused")
    {
        mss::diagnostics diag;
        fhir::decode_options small;
        small.max_bytes = 100;
        CHECK(fhir::decode_bundle(fixture("practitioner_page2.json"), diag, small).error() ==
              dir::errc::fhir_too_large);
        const std::string deep = std::string(100, '[') + std::string(100, ']');
        CHECK(fhir::decode_bundle(deep, diag).error() == dir::errc::fhir_malformed_json);
    }

    TEST_CASE("JSON that is not a searchset Bundle is refused, an OperationOutcome's text is the server's")
    {
        mss::diagnostics diag;
        CHECK(fhir::decode_bundle("[1,2]", diag).error() == dir::errc::fhir_not_a_bundle);
        CHECK(fhir::decode_bundle(R"({"resourceType":"Practitioner"})", diag).error() ==
              dir::errc::fhir_not_a_bundle);
        CHECK(fhir::decode_bundle(R"({"resourceType":"Bundle","type":"transaction"})", diag).error() ==
              dir::errc::fhir_not_a_bundle);
        CHECK(
            fhir::decode_bundle(R"({"resourceType":"Bundle","type":"searchset","entry":{}})", diag).error() ==
            dir::errc::fhir_not_a_bundle);
        CHECK(fhir::decode_bundle(R"({"resourceType":"Bundle","type":"searchset","entry":[{"fullUrl":"x"}]})",
                                  diag)
                  .error() == dir::errc::fhir_not_a_bundle);
        CHECK(fhir::decode_bundle(fixture("operation_outcome.json"), diag).error() ==
              dir::errc::fhir_not_a_bundle);
        CHECK(diag.server_message().find("famly") != std::string::npos);
        CHECK(diag.client_message().find("famly") == std::string::npos);
    }

    TEST_CASE("members of unexpected types are ignored, not fatal")
    {
        mss::diagnostics diag;
        auto page = fhir::decode_bundle(
            R"({"resourceType":"Bundle","type":"searchset","total":"many","link":[{"relation":"next","url":7}],
                "entry":[{"resource":{"resourceType":"Practitioner","name":"x","telecom":[1,{"system":"email",
                "value":"a@b.test","extension":"no"}]}}]})",
            diag);
        REQUIRE_MESSAGE(page.has_value(), diag.client_message());
        CHECK(page->entries.empty());
        CHECK_FALSE(page->total.has_value());
        CHECK(page->next_url.empty());
    }
}
