// SPDX-License-Identifier: Apache-2.0
// Searching the MSSanté directories: by name, by profession, by city; the national directory for
// professionals with an RPPS or ADELI number, the operator's regional one for the others.
//
//   directory_search
//
// The two directories are the small synthetic files of examples/data, in the format of ANS's
// public extraction (Extraction_Correspondance_MSSante_<date>.txt, which loads the same way: the
// counts checked below are those of the example files). No server is needed: the search runs in
// memory over an index of the file. (Online, mss::net::directory_client searches the Annuaire Santé
// FHIR API through the same mss::transport::directory_search interface.)
#include "common/helpers.hpp"

#include <mss/directory/selection.hpp>
#include <mss/transport/offline_directory.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace asio = boost::asio;
using namespace mss;
using example::check;
using example::check_ok;
constexpr auto await = asio::as_tuple(asio::use_awaitable);

namespace {

const domain::person martin{
    "p-martin", "Dr Jean Martin", domain::rpps::parse("10000000009").value(), {}, "Médecin"};
const domain::person durand{"p-durand", "Paul Durand", {}, {}, "Infirmier"};  // no RPPS, no ADELI

// Loads an extraction file into a directory that can be searched (and reloaded daily).
transport::offline_directory load(asio::io_context& io, const std::filesystem::path& file,
                                  directory::directory_kind kind)
{
    auto index = std::make_shared<directory::live_index>();
    directory::load_report report;
    diagnostics diag;
    check_ok(index->reload(file, report, diag), diag, "cannot load " + file.string());
    check(report.loaded > 0, std::string(directory::to_string(kind)) +
                                 " directory loaded: " + std::to_string(report.loaded) + " mailboxes, " +
                                 std::to_string(report.malformed) + " malformed lines");
    return transport::offline_directory(io.get_executor(), std::move(index), kind);
}

// Runs one query, prints what it found, returns the page.
asio::awaitable<directory::search_result> search(transport::directory_search& where,
                                                 const directory::query& q, const char* what)
{
    std::cout << "\n" << what << '\n';
    diagnostics diag;
    auto [ec, page] = co_await where.async_search(q, diag, await);
    check_ok(ec, diag, "the search failed");
    for (const auto& e : page.entries)
    {
        if (e.holder == directory::holder_kind::person)
            std::cout << "    " << e.civility << ' ' << e.given_name << ' ' << e.family_name << " — "
                      << e.profession.label << (e.specialty.label.empty() ? "" : ", " + e.specialty.label);
        else
            std::cout << "    " << e.organisation << " — " << e.service;
        std::cout << ", " << e.city << " <" << e.address << ">\n";
    }
    co_return page;
}

asio::awaitable<void> directory_search(asio::io_context& io, std::filesystem::path national_file,
                                       std::filesystem::path regional_file)
{
    std::cout << "Loading the directories\n";
    auto national = load(io, national_file, directory::directory_kind::national);
    auto regional = load(io, regional_file, directory::directory_kind::regional);

    // Which directory a user searches follows from who they are.
    check(directory::select_directory(martin) == directory::directory_kind::national,
          martin.display_name + " (RPPS) searches the national directory");
    check(directory::select_directory(durand) == directory::directory_kind::regional,
          durand.display_name + " (nurse without RPPS) searches the regional directory");

    directory::query by_name;
    by_name.text = "bernard";  // family name, given name or organisation; word prefixes
    auto page = co_await search(national, by_name, "By name: « bernard »");
    check(page.entries.size() == 2, "two people named Bernard");

    directory::query by_profession = by_name;
    by_profession.profession_code = "10";  // Médecin (TRE_G15); "21" Pharmacien, "60" Infirmier
    page = co_await search(national, by_profession, "By name and profession: « bernard », Médecin");
    check(page.entries.size() == 1 && page.entries[0].given_name == "Anne", "only the physician");

    directory::query accents;
    accents.family_name = "daub";  // case, accents and the apostrophe of « D'AUBIGNÉ » do not matter
    page = co_await search(national, accents, "Accents and particles: « daub »");
    check(page.entries.size() == 1, "D'AUBIGNÉ found");

    directory::query by_city;
    by_city.city = "lyon";
    page = co_await search(national, by_city, "By city: « lyon »");
    check(page.entries.size() == 2, "two mailboxes in Lyon");

    directory::query pharmacist_in_lyon = by_city;
    pharmacist_in_lyon.profession_code = "21";
    page = co_await search(national, pharmacist_in_lyon, "By city and profession: pharmacists in Lyon");
    check(page.entries.size() == 1, "one pharmacist in Lyon");

    directory::query nurse;
    nurse.text = "durand";
    page = co_await search(national, nurse, "National vs regional: « durand » in the national directory");
    check(page.entries.empty(), "the nurse without RPPS is not in the national directory");
    page = co_await search(regional, nurse, "... and in the regional one");
    check(page.entries.size() == 1, "the regional directory lists his box");

    directory::query department;
    department.mailbox_type = domain::mailbox_type::org;  // a structure's box (ORG)
    department.city = "lyon";
    page = co_await search(regional, department, "Organisational boxes (ORG) in Lyon, regional directory");
    check(page.entries.size() == 1, "the cardiology department's box");

    directory::query all;  // no criterion: the whole directory, page by page
    all.limit = 4;
    page = co_await search(national, all, "Paging: the national directory, 4 at a time");
    check(page.entries.size() == 4 && !page.next_cursor.empty(), "first page, and a cursor for the next one");
    all.cursor = page.next_cursor;
    page = co_await search(national, all, "... next page");
    check(page.entries.size() == 2 && page.next_cursor.empty(), "last page");
}

}  // namespace

int main()
{
    const std::filesystem::path national = example::data_file("national_directory.txt");
    const std::filesystem::path regional = example::data_file("regional_directory.txt");
    asio::io_context io;
    return example::run(io, directory_search(io, national, regional), "Every search found what it should.");
}
