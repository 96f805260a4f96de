// SPDX-License-Identifier: Apache-2.0
// The offline index of the public extraction file: loading (columns by name, refused files,
// reported lines), searching (prefixes, accents, exact filters, order, paging) and reloading.
#include "extraction_fixture.hpp"

#include <mss/directory/errc.hpp>
#include <mss/directory/extraction_index.hpp>
#include <mss/directory/text_fold.hpp>
#include <mss/error.hpp>

#include <doctest/doctest.h>

#include <unistd.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace dir = mss::directory;
using namespace directory_test;
using mss::domain::mailbox_type;

namespace
{

std::shared_ptr<const dir::extraction_index> load_ok(const std::string& content, dir::load_report& report,
                                                     const dir::load_options& options = {})
{
    mss::diagnostics diag;
    auto index = dir::extraction_index::load(content, report, diag, options);
    REQUIRE_MESSAGE(index.has_value(), diag.client_message());
    return *index;
}

std::shared_ptr<const dir::extraction_index> sample_index()
{
    dir::load_report report;
    return load_ok(make_file(standard_columns(), sample_rows()), report);
}

std::vector<std::string> addresses(const dir::search_result& r)
{
    std::vector<std::string> out;
    for (const auto& e : r.entries) out.push_back(e.address);
    return out;
}

dir::search_result search(const dir::extraction_index& index, const dir::query& q)
{
    mss::diagnostics diag;
    auto r = index.search(q, diag);
    REQUIRE_MESSAGE(r.has_value(), diag.client_message());
    return *r;
}

class temp_file
{
public:
    explicit temp_file(const std::string& content)
        : path_(std::filesystem::temp_directory_path() / ("mss-directory-test-" + std::to_string(::getpid()) +
                                                          "-" + std::to_string(counter()++) + ".txt"))
    {
        write(content);
    }
    ~temp_file() { std::filesystem::remove(path_); }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;

    void write(const std::string& content) const
    {
        // Written beside, then renamed: a reader never sees half a file.
        const auto tmp = path_.string() + ".part";
        std::ofstream(tmp, std::ios::binary) << content;
        std::filesystem::rename(tmp, path_);
    }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    static int& counter()
    {
        static int n = 0;
        return n;
    }
    std::filesystem::path path_;
};

}  // namespace

TEST_SUITE("directory extraction index: loading")
{
    TEST_CASE("the sample file loads every row, and an entry carries every column")
    {
        dir::load_report report;
        const auto index = load_ok(make_file(standard_columns(), sample_rows()), report);
        CHECK(report.data_lines == 6);
        CHECK(report.loaded == 6);
        CHECK(report.malformed == 0);
        CHECK(report.problems.empty());
        CHECK(index->size() == 6);

        auto found = index->find("EMILIE.DAUBIGNE@medecin.test.mssante.fr");
        REQUIRE(found.has_value());
        const dir::entry& e = *found;
        CHECK(e.address == "emilie.daubigne@medecin.test.mssante.fr");
        CHECK(e.type == mailbox_type::per);
        CHECK(e.holder == dir::holder_kind::person);
        CHECK(e.civility == "DR");
        CHECK(e.family_name == "D'AUBIGNÉ");
        CHECK(e.given_name == "Émilie");
        CHECK(e.profession == dir::coded_value{"10", "Médecin"});
        CHECK(e.specialty == dir::coded_value{"SM26", "Qualifié en médecine générale"});
        CHECK(e.profession_category == dir::coded_value{"C", "Civil"});
        CHECK(e.organisation == "CABINET MEDICAL");
        CHECK(e.address_lines == std::vector<std::string>{"12 R DES LILAS", "75012 PARIS"});
        CHECK(e.postal_code == "75012");
        CHECK(e.city == "PARIS");
        CHECK(e.department == "75");
        CHECK(e.country == "FRANCE");
        CHECK(e.identifiers.person_kind == "8");
        CHECK(e.identifiers.person == rpps_with_key("1000000002"));
        CHECK(e.identifiers.national_person == "8" + rpps_with_key("1000000002"));
        CHECK_FALSE(e.liste_rouge);

        auto org = index->find("cardiologie@chu-exemple.test.mssante.fr");
        REQUIRE(org.has_value());
        CHECK(org->holder == dir::holder_kind::structure);
        CHECK(org->service == "Cardiologie");
        CHECK(org->identifiers.structure == "1330000001");
        CHECK(index->find("nobody@x.test.mssante.fr").error() == dir::errc::not_found);
    }

    TEST_CASE("columns are found by name: reordered, extra and differently accented columns load the same")
    {
        std::vector<std::string_view> columns = standard_columns();
        std::reverse(columns.begin(), columns.end());
        columns.insert(columns.begin() + 3, "Colonne inconnue");
        columns[columns.size() - 1] = "TYPE DE BAL";  // case and accents do not matter
        auto rows = sample_rows();
        for (auto& r : rows)
        {
            r["TYPE DE BAL"] = r["Type de BAL"];
            r["Colonne inconnue"] = "ignored";
        }
        dir::load_report report;
        const auto index = load_ok(make_file(columns, rows), report);
        CHECK(report.loaded == 6);
        dir::query q;
        q.family_name = "aubigne";
        const auto r = search(*index, q);
        REQUIRE(r.entries.size() == 1);
        CHECK(r.entries[0].given_name == "Émilie");
        CHECK(r.entries[0].type == mailbox_type::per);
    }

    TEST_CASE("a file without a required column is refused as a whole, naming the column")
    {
        std::vector<std::string_view> columns = standard_columns();
        columns.erase(std::find(columns.begin(), columns.end(), "Adresse BAL"));
        dir::load_report report;
        mss::diagnostics diag;
        auto index = dir::extraction_index::load(make_file(columns, sample_rows()), report, diag);
        REQUIRE(index.has_error());
        CHECK(index.error() == dir::errc::extraction_missing_column);
        CHECK(diag.client_message().find("Adresse BAL") != std::string::npos);
        CHECK(report.loaded == 0);
    }

    TEST_CASE("an empty file and a header naming a column twice are refused")
    {
        dir::load_report report;
        mss::diagnostics diag;
        CHECK(dir::extraction_index::load("", report, diag).error() == dir::errc::extraction_empty);
        CHECK(dir::extraction_index::load("\n\n", report, diag).error() == dir::errc::extraction_empty);
        std::vector<std::string_view> columns = standard_columns();
        columns.push_back("Nom d'exercice");
        CHECK(dir::extraction_index::load(make_file(columns, {}), report, diag).error() ==
              dir::errc::extraction_duplicate_column);
        dir::load_options small;
        small.max_bytes = 10;
        CHECK(dir::extraction_index::load(make_file(standard_columns(), {}), report, diag, small).error() ==
              dir::errc::extraction_too_large);
    }

    TEST_CASE("malformed lines are counted and reported with their line numbers, and the load goes on")
    {
        auto rows = sample_rows();
        std::string file = make_file(standard_columns(), rows);
        // Line 8: a field missing; line 9: an invalid address; line 10: an unknown type; line 11:
        // a repeated address (other case), line 12: blank, line 13: a valid row after all that.
        auto bad_address = rows[0];
        bad_address["Adresse BAL"] = "not-an-address";
        auto bad_type = rows[0];
        bad_type["Type de BAL"] = "XYZ";
        bad_type["Adresse BAL"] = "other@pharmacien.test.mssante.fr";
        auto duplicate = rows[0];
        duplicate["Adresse BAL"] = "marie.martin@PHARMACIEN.test.mssante.fr";
        duplicate["Nom d'exercice"] = "DOUBLON";
        auto last = rows[0];
        last["Adresse BAL"] = "last@pharmacien.test.mssante.fr";
        const std::string one_short = make_file(standard_columns(), {rows[0]});
        std::string short_line = one_short.substr(one_short.find('\n') + 1);
        short_line = short_line.substr(0, short_line.rfind('|')) + "\n";
        file += short_line;
        for (const auto& r : {bad_address, bad_type, duplicate})
        {
            const std::string f = make_file(standard_columns(), {r});
            file += f.substr(f.find('\n') + 1);
        }
        file += "\n";
        const std::string f = make_file(standard_columns(), {last});
        file += f.substr(f.find('\n') + 1);

        dir::load_report report;
        const auto index = load_ok(file, report);
        CHECK(report.data_lines == 11);
        CHECK(report.loaded == 7);
        CHECK(report.malformed == 3);
        CHECK(report.duplicates == 1);
        CHECK(report.blank_lines == 1);
        REQUIRE(report.problems.size() == 4);
        CHECK(report.problems[0].line == 8);
        CHECK(report.problems[0].error == dir::errc::extraction_bad_field_count);
        CHECK(report.problems[0].message.find("30 fields") != std::string::npos);
        CHECK(report.problems[1].line == 9);
        CHECK(report.problems[1].error == dir::errc::extraction_bad_address);
        CHECK(report.problems[1].message.find("not-an-address") == std::string::npos);
        CHECK(report.problems[2].line == 10);
        CHECK(report.problems[2].error == dir::errc::extraction_unknown_mailbox_type);
        CHECK(report.problems[3].line == 11);
        CHECK(report.problems[3].error == dir::errc::extraction_duplicate_address);
        // The first line of a repeated address wins.
        CHECK(index->find("marie.martin@pharmacien.test.mssante.fr")->family_name == "MARTIN");
        CHECK(index->find("last@pharmacien.test.mssante.fr").has_value());

        dir::load_options few;
        few.max_reported_problems = 2;
        dir::load_report limited;
        load_ok(file, limited, few);
        CHECK(limited.problems.size() == 2);
        CHECK(limited.problems_not_described == 2);
        CHECK(limited.malformed == 3);
    }

    TEST_CASE("a liste-rouge column, when present, keeps those boxes out")
    {
        std::vector<std::string_view> columns = standard_columns();
        columns.push_back("Liste rouge");
        auto rows = sample_rows();
        rows[1]["Liste rouge"] = "O";
        rows[3]["Liste rouge"] = "N";
        dir::load_report report;
        const auto index = load_ok(make_file(columns, rows), report);
        CHECK(report.liste_rouge == 1);
        CHECK(report.loaded == 5);
        CHECK(index->find("emilie.daubigne@medecin.test.mssante.fr").error() == dir::errc::not_found);
        dir::query q;
        q.text = "emilie";
        CHECK(search(*index, q).entries.empty());
    }

    TEST_CASE(
        "reading a file in blocks of any size gives the index of the whole content (BOM, CRLF, no final "
        "newline)")
    {
        std::string content = "\xEF\xBB\xBF" + make_file(standard_columns(), sample_rows(), "\r\n");
        content.resize(content.size() - 2);
        dir::load_report whole_report;
        const auto whole = load_ok(content, whole_report);
        temp_file file(content);
        for (const std::size_t block : {1u, 2u, 7u, 64u, 333u, 4096u})
        {
            CAPTURE(block);
            dir::load_options options;
            options.read_block = block;
            dir::load_report report;
            mss::diagnostics diag;
            auto index = dir::extraction_index::load_file(file.path(), report, diag, options);
            REQUIRE_MESSAGE(index.has_value(), diag.client_message());
            CHECK(report.loaded == 6);
            CHECK(report.malformed == 0);
            CHECK((*index)->fingerprint() == whole->fingerprint());
            dir::query q;
            q.limit = 10;
            CHECK(addresses(search(**index, q)) == addresses(search(*whole, q)));
        }
    }

    TEST_CASE("a line longer than the limit is reported and skipped, in memory and from a file")
    {
        auto rows = sample_rows();
        rows[2]["Service de rattachement"] = std::string(3000, 'x');
        const std::string content = make_file(standard_columns(), rows);
        dir::load_options options;
        options.max_line = 1000;
        options.read_block = 100;
        dir::load_report report;
        load_ok(content, report, options);
        CHECK(report.loaded == 5);
        REQUIRE(report.problems.size() == 1);
        CHECK(report.problems[0].line == 4);
        CHECK(report.problems[0].error == dir::errc::extraction_line_too_long);

        temp_file file(content);
        dir::load_report file_report;
        mss::diagnostics diag;
        auto index = dir::extraction_index::load_file(file.path(), file_report, diag, options);
        REQUIRE(index.has_value());
        CHECK(file_report.loaded == 5);
        REQUIRE(file_report.problems.size() == 1);
        CHECK(file_report.problems[0].line == 4);
        CHECK((*index)->find("jp.delafontaine@infirmier.test.mssante.fr").has_value());
    }

    TEST_CASE("an unreadable file is mss::errc::file_unreadable with its path")
    {
        dir::load_report report;
        mss::diagnostics diag;
        auto index = dir::extraction_index::load_file("/nonexistent/Extraction.txt", report, diag);
        REQUIRE(index.has_error());
        CHECK(index.error() == mss::errc::file_unreadable);
        CHECK(diag.client_message().find("/nonexistent/Extraction.txt") != std::string::npos);
    }
}

TEST_SUITE("directory extraction index: searching")
{
    TEST_CASE("results come persons first by family then given name, then structures")
    {
        const auto index = sample_index();
        dir::query q;
        q.limit = 10;
        CHECK(addresses(search(*index, q)) ==
              std::vector<std::string>{
                  "emilie.daubigne@medecin.test.mssante.fr",    // d aubigne
                  "jp.delafontaine@infirmier.test.mssante.fr",  // de la fontaine
                  "martin.durand@medecin.test.mssante.fr",      // durand
                  "marie.martin@pharmacien.test.mssante.fr",    // martin
                  "zoe.oeuvray@sagefemme.test.mssante.fr",      // oeuvray
                  "cardiologie@chu-exemple.test.mssante.fr",    // a structure
              });
    }

    TEST_CASE("names match by word prefix, without regard to accents, case or particles")
    {
        const auto index = sample_index();
        const auto family = [&](std::string text)
        {
            dir::query q;
            q.family_name = std::move(text);
            return addresses(search(*index, q));
        };
        const std::vector<std::string> emilie{"emilie.daubigne@medecin.test.mssante.fr"};
        const std::vector<std::string> fontaine{"jp.delafontaine@infirmier.test.mssante.fr"};
        CHECK(family("aub") == emilie);
        CHECK(family("AUBIGNÉ") == emilie);
        CHECK(family("d'aubigne") == emilie);
        CHECK(family("D\u2019Aubi") == emilie);
        CHECK(family("daub") == emilie);
        CHECK(family("fontaine") == fontaine);
        CHECK(family("de la font") == fontaine);
        CHECK(family("delaf") == fontaine);
        CHECK(family("lafon") == fontaine);
        CHECK(family("oeuv") == std::vector<std::string>{"zoe.oeuvray@sagefemme.test.mssante.fr"});
        CHECK(family("Œuvray") == std::vector<std::string>{"zoe.oeuvray@sagefemme.test.mssante.fr"});
        CHECK(family("ubign").empty());            // a prefix, not a substring
        CHECK(family("fontaine de") == fontaine);  // words in any order

        dir::query given;
        given.given_name = "EMI";
        CHECK(addresses(search(*index, given)) == emilie);
        given.given_name = "jean p";
        CHECK(addresses(search(*index, given)) == fontaine);
        given.given_name = "jean x";
        CHECK(search(*index, given).entries.empty());
    }

    TEST_CASE("free text looks in family, given and organisation names, every word somewhere")
    {
        const auto index = sample_index();
        dir::query q;
        q.text = "martin";
        CHECK(addresses(search(*index, q)) ==
              std::vector<std::string>{"martin.durand@medecin.test.mssante.fr",
                                       "marie.martin@pharmacien.test.mssante.fr"});
        q.text = "martin dur";
        CHECK(addresses(search(*index, q)) ==
              std::vector<std::string>{"martin.durand@medecin.test.mssante.fr"});
        q.text = "chu exemple";
        CHECK(addresses(search(*index, q)) ==
              std::vector<std::string>{"cardiologie@chu-exemple.test.mssante.fr"});
        dir::query org;
        org.organisation = "d'exemple";
        CHECK(search(*index, org).entries.size() == 1);
    }

    TEST_CASE("city prefixes come from the delivery line, exact filters compare whole values")
    {
        const auto index = sample_index();
        dir::query q;
        q.city = "par";
        CHECK(addresses(search(*index, q)) ==
              std::vector<std::string>{"emilie.daubigne@medecin.test.mssante.fr",
                                       "martin.durand@medecin.test.mssante.fr"});
        q.city = "cedex";
        CHECK(search(*index, q).entries.size() == 1);
        q.city = "lyon";
        q.profession_code = "60";
        CHECK(addresses(search(*index, q)) ==
              std::vector<std::string>{"jp.delafontaine@infirmier.test.mssante.fr"});
        q = {};
        q.profession_code = "1";  // exact, not a prefix of "10"
        CHECK(search(*index, q).entries.empty());
        q.profession_code = "10";
        q.specialty_code = "SM26";
        CHECK(search(*index, q).entries.size() == 2);
        q = {};
        q.postal_code = "69003";
        CHECK(search(*index, q).entries.size() == 2);
        q = {};
        q.department = "2A";
        CHECK(search(*index, q).entries.size() == 1);
        q = {};
        q.mailbox_type = mailbox_type::org;
        CHECK(addresses(search(*index, q)) ==
              std::vector<std::string>{"cardiologie@chu-exemple.test.mssante.fr"});
        q.mailbox_type = mailbox_type::app;
        CHECK(search(*index, q).entries.empty());
    }

    TEST_CASE("identifiers: an RPPS number, its idNat_PS, a structure id, addresses without regard to case")
    {
        const auto index = sample_index();
        dir::query q;
        q.identifier = rpps_with_key("1000000003");
        CHECK(addresses(search(*index, q)) ==
              std::vector<std::string>{"jp.delafontaine@infirmier.test.mssante.fr"});
        q.identifier = "8" + rpps_with_key("1000000003");
        CHECK(search(*index, q).entries.size() == 1);
        q.identifier = "1330000001";
        CHECK(addresses(search(*index, q)) ==
              std::vector<std::string>{"cardiologie@chu-exemple.test.mssante.fr"});
        q.identifier = "99999999999";
        CHECK(search(*index, q).entries.empty());
        q = {};
        q.mailbox_address = "Marie.Martin@Pharmacien.TEST.mssante.fr";
        CHECK(search(*index, q).entries.size() == 1);
        q.family_name = "durand";  // and the other criteria still apply
        CHECK(search(*index, q).entries.empty());
    }

    TEST_CASE("paging: limit, offset, and a cursor that continues until the last page")
    {
        const auto index = sample_index();
        dir::query q;
        q.limit = 2;
        const auto page1 = search(*index, q);
        CHECK(page1.entries.size() == 2);
        REQUIRE_FALSE(page1.next_cursor.empty());
        q.cursor = page1.next_cursor;
        const auto page2 = search(*index, q);
        CHECK(addresses(page2) == std::vector<std::string>{"martin.durand@medecin.test.mssante.fr",
                                                           "marie.martin@pharmacien.test.mssante.fr"});
        q.cursor = page2.next_cursor;
        const auto page3 = search(*index, q);
        CHECK(page3.entries.size() == 2);
        CHECK(page3.next_cursor.empty());

        dir::query offset;
        offset.limit = 3;
        offset.offset = 4;
        CHECK(addresses(search(*index, offset)) ==
              std::vector<std::string>{"zoe.oeuvray@sagefemme.test.mssante.fr",
                                       "cardiologie@chu-exemple.test.mssante.fr"});
        offset.offset = 40;
        CHECK(search(*index, offset).entries.empty());
    }

    TEST_CASE("a cursor from a reloaded index is stale, an altered one is invalid")
    {
        const auto index = sample_index();
        dir::query q;
        q.limit = 1;
        const auto first = search(*index, q);
        auto rows = sample_rows();
        rows.pop_back();
        dir::load_report report;
        const auto other = load_ok(make_file(standard_columns(), rows), report);
        q.cursor = first.next_cursor;
        mss::diagnostics diag;
        CHECK(other->search(q, diag).error() == dir::errc::stale_cursor);
        for (const char* bad :
             {"ix1-", "abc", "ix1-0123456789abcdef-", "ix1-0123456789abcdeg-1", "ix1-0123456789abcdef-1x"})
        {
            q.cursor = bad;
            CHECK(index->search(q, diag).error() == dir::errc::invalid_cursor);
        }
        q.cursor.clear();
        q.limit = 0;
        CHECK(index->search(q, diag).error() == dir::errc::invalid_query);
    }
}

namespace
{

// A brute-force model of the documented semantics, to check the planner's every path against.
struct model_row
{
    std::string address, family, given, company, city, profession, postal, department;
    mailbox_type type;
    std::size_t file_order;
};

// The searchable words of a value: its folded words and the joined tails of several words.
std::vector<std::string> model_words(const std::string& value)
{
    std::vector<std::string> words = dir::fold_words(value);
    const std::size_t n = std::min<std::size_t>(words.size(), 8);
    for (std::size_t i = 0; i + 1 < n; ++i)
    {
        std::string joined;
        for (std::size_t k = i; k < n; ++k) joined += words[k];
        words.push_back(joined);
    }
    return words;
}

using word_list = std::vector<std::string>;

// Every word of the query text begins some word of one of the fields.
bool text_matches(const std::vector<std::string>& query_words, std::initializer_list<const word_list*> fields)
{
    for (const auto& q : query_words)
    {
        const auto begins = [&q](const std::string& w) { return w.starts_with(q); };
        if (std::none_of(fields.begin(), fields.end(),
                         [&](const word_list* f) { return std::any_of(f->begin(), f->end(), begins); }))
            return false;
    }
    return true;
}

}  // namespace

TEST_SUITE("directory extraction index: against a brute-force model")
{
    TEST_CASE("random queries over 10,000 random rows give the model's first pages, in the model's order")
    {
        std::mt19937 rng(20260101);
        const std::vector<std::string> families = {
            "MARTIN",         "BERNARD", "DUBOIS",  "THOMAS",  "ROBERT",   "RICHARD", "PETIT",  "DURAND",
            "LEROY",          "MOREAU",  "SIMON",   "LAURENT", "LEFÈVRE",  "MICHEL",  "GARCIA", "D'AUBIGNÉ",
            "DE LA FONTAINE", "LE GALL", "N'DIAYE", "ÉTIENNE", "MARTINEZ", "MARCHAND"};
        const std::vector<std::string> givens = {"Marie", "Jean",  "Émilie", "Jean-Pierre",
                                                 "Anne",  "Luc",   "Hélène", "Martin",
                                                 "Zoé",   "Chloé", "Marc",   "Thomas"};
        const std::vector<std::pair<std::string, std::string>> places = {
            {"75012 PARIS", "75012"},    {"69003 LYON", "69003"},        {"13001 MARSEILLE", "13001"},
            {"33000 BORDEAUX", "33000"}, {"59000 LILLE", "59000"},       {"34000 MONTPELLIER", "34000"},
            {"75015 PARIS", "75015"},    {"69100 VILLEURBANNE", "69100"}};
        const std::vector<std::string> professions = {"10", "21", "40", "50", "60", "70"};
        const std::vector<std::string> companies = {"CHU DE LYON", "CLINIQUE SAINT-ÉLOI",
                                                    "PHARMACIE DU MARCHÉ", "CENTRE HOSPITALIER D'ARLES",
                                                    "EHPAD LES LILAS"};
        std::vector<row> rows;
        std::vector<model_row> model;
        const auto pick = [&](const auto& v) -> const auto&
        {
            return v[rng() % v.size()];
        };
        for (std::size_t i = 0; i < 10000; ++i)
        {
            const auto& place = pick(places);
            const std::string department = place.second.substr(0, 2);
            const std::string address = "box" + std::to_string(i) + "@test.mssante.fr";
            if (rng() % 7 == 0)
            {
                const std::string company = pick(companies);
                rows.push_back(organisation(address, company, "Accueil", "1" + std::to_string(100000000 + i),
                                            place.first, place.second, department));
                model.push_back({address, "", "", company, place.first.substr(6), "", place.second,
                                 department, mailbox_type::org, i});
            }
            else
            {
                const std::string family = pick(families);
                const std::string given = pick(givens);
                const std::string profession = pick(professions);
                rows.push_back(person(address, family, given, std::to_string(2000000000 + i), profession,
                                      "Profession", place.first, place.second, department));
                model.push_back({address, family, given, "CABINET MEDICAL", place.first.substr(6), profession,
                                 place.second, department, mailbox_type::per, i});
            }
        }
        dir::load_report report;
        const auto index = load_ok(make_file(standard_columns(), rows), report);
        REQUIRE(report.loaded == rows.size());

        // The documented order.
        std::vector<std::size_t> order(model.size());
        std::iota(order.begin(), order.end(), 0);
        std::vector<std::tuple<bool, std::string, std::string, std::string, std::string, std::string,
                               std::string, std::size_t>>
            keys;
        for (const auto& m : model)
            keys.emplace_back(m.family.empty(), dir::fold_text(m.family), m.family, dir::fold_text(m.given),
                              m.given, dir::fold_text(m.company), m.company, m.file_order);
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
        std::vector<std::array<word_list, 4>> words;
        for (const auto& m : model)
            words.push_back(
                {model_words(m.family), model_words(m.given), model_words(m.company), model_words(m.city)});

        const std::vector<std::string> prefixes = {"m",  "ma",  "mar", "mart", "d",  "de",   "dela",
                                                   "le", "n",   "e",   "et",   "em", "jean", "jean p",
                                                   "z",  "chu", "pa",  "ly",   "x",  "l"};
        for (int round = 0; round < 250; ++round)
        {
            dir::query q;
            q.limit = 1 + rng() % 30;
            const int kinds = 1 + static_cast<int>(rng() % 3);
            for (int k = 0; k < kinds; ++k)
            {
                switch (rng() % 7)
                {
                case 0:
                    q.text = pick(prefixes);
                    break;
                case 1:
                    q.family_name = pick(prefixes);
                    break;
                case 2:
                    q.given_name = pick(prefixes);
                    break;
                case 3:
                    q.city = pick(prefixes);
                    break;
                case 4:
                    q.profession_code = pick(professions);
                    break;
                case 5:
                    q.department = pick(places).second.substr(0, 2);
                    break;
                case 6:
                    q.mailbox_type = rng() % 2 ? mailbox_type::per : mailbox_type::org;
                    break;
                }
            }
            const auto text = dir::fold_words(q.text);
            const auto family = dir::fold_words(q.family_name);
            const auto given = dir::fold_words(q.given_name);
            const auto city = dir::fold_words(q.city);
            std::vector<std::string> expected;
            for (const std::size_t i : order)
            {
                const auto& m = model[i];
                const auto& w = words[i];
                const bool ok = text_matches(text, {&w[0], &w[1], &w[2]}) && text_matches(family, {&w[0]}) &&
                                text_matches(given, {&w[1]}) && text_matches(city, {&w[3]}) &&
                                (q.profession_code.empty() || q.profession_code == m.profession) &&
                                (q.department.empty() || q.department == m.department) &&
                                (!q.mailbox_type || *q.mailbox_type == m.type);
                if (ok)
                    expected.push_back(m.address);
            }
            CAPTURE(q.text);
            CAPTURE(q.family_name);
            CAPTURE(q.given_name);
            CAPTURE(q.city);
            CAPTURE(q.profession_code);
            CAPTURE(q.department);
            CAPTURE(q.limit);
            // Every page, following the cursors, until the listing ends (at most 5 pages).
            std::vector<std::string> got;
            bool ended = false;
            for (int page = 0; page < 5 && !ended; ++page)
            {
                const auto r = search(*index, q);
                const auto a = addresses(r);
                got.insert(got.end(), a.begin(), a.end());
                ended = r.next_cursor.empty();
                q.cursor = r.next_cursor;
            }
            if (!ended)
            {
                CHECK(got.size() == 5 * q.limit);
                expected.resize(std::min(expected.size(), got.size()));
            }
            CHECK(got == expected);
        }
    }
}

TEST_SUITE("directory live index")
{
    TEST_CASE("before a load, searches fail with no_index, a failed reload keeps the current index")
    {
        dir::live_index live;
        mss::diagnostics diag;
        CHECK(live.search({}, diag).error() == dir::errc::no_index);

        temp_file good(make_file(standard_columns(), sample_rows()));
        dir::load_report report;
        REQUIRE_FALSE(live.reload(good.path(), report, diag));
        CHECK(live.current()->size() == 6);

        std::vector<std::string_view> columns = standard_columns();
        columns.erase(columns.begin());
        temp_file bad(make_file(columns, sample_rows()));
        CHECK(live.reload(bad.path(), report, diag) == dir::errc::extraction_missing_column);
        CHECK(live.current()->size() == 6);
        CHECK(live.search({}, diag).has_value());
    }

    TEST_CASE("queries keep being answered, from one whole index or the other, while reloads swap them")
    {
        auto small_rows = sample_rows();
        small_rows.resize(3);
        auto big_rows = sample_rows();
        for (int i = 0; i < 3000; ++i)
            big_rows.push_back(person("extra" + std::to_string(i) + "@medecin.test.mssante.fr", "MARTINEZ",
                                      "Luc", std::to_string(3000000000 + i), "10", "Médecin", "75012 PARIS",
                                      "75012", "75"));
        temp_file file(make_file(standard_columns(), small_rows));
        dir::live_index live;
        dir::load_report report;
        mss::diagnostics diag;
        REQUIRE_FALSE(live.reload(file.path(), report, diag));

        std::atomic<bool> stop{false};
        std::atomic<long> queries{0};
        std::atomic<long> failures{0};
        std::vector<std::thread> readers;
        for (int t = 0; t < 3; ++t)
        {
            readers.emplace_back(
                [&]
                {
                    mss::diagnostics d;
                    dir::query q;
                    q.text = "mar";
                    q.limit = 50;
                    while (!stop.load())
                    {
                        auto r = live.search(q, d);
                        // "mar" is Marie Martin alone in the small file, and 51+ rows in the big one:
                        // anything else would be a half-swapped index.
                        if (!r || (r->entries.size() != 1 && r->entries.size() != 50))
                            ++failures;
                        ++queries;
                    }
                });
        }
        for (int reload = 0; reload < 10; ++reload)
        {
            file.write(make_file(standard_columns(), reload % 2 == 0 ? big_rows : small_rows));
            dir::load_report r;
            mss::diagnostics d;
            CHECK_FALSE(live.reload(file.path(), r, d));
        }
        stop = true;
        for (auto& t : readers) t.join();
        CHECK(failures.load() == 0);
        CHECK(queries.load() > 10);
        MESSAGE("queries answered during 10 reloads: " << queries.load());
    }
}
