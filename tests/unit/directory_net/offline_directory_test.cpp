// SPDX-License-Identifier: Apache-2.0
// The offline directory as a transport: any completion token, completion outside the initiating
// call, errors as values, and a reload seen by the next search.
#include <mss/directory/errc.hpp>
#include <mss/transport/offline_directory.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <doctest/doctest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace asio = boost::asio;
namespace dir = mss::directory;

namespace
{

constexpr std::string_view header =
    "Type de BAL|Adresse BAL|Type Identifiant PP|Identifiant PP|Identification nationale PP|"
    "Type identifiant structure|Identification Structure|Service de rattachement|Civilité d'exercice|"
    "Nom d'exercice|Prénom d'exercice|Catégorie profession|Libellé de catégorie profession|Code Profession|"
    "Libellé Profession|Code savoir-faire|Libellé savoir-faire|Dématérialisation|Raison Sociale structure "
    "BAL|"
    "Enseigne commerciale structure BAL|L2COMPLEMENTLOCALISATION structure BAL|"
    "L3COMPLEMENTDISTRIBUTION structure BAL|L4NUMEROVOIE structure BAL|L4COMPLEMENTNUMEROVOIE structure BAL|"
    "NL4TYPEVOIE structure BAL|L4LIBELLEVOIE structure BAL|L5LIEUDITMENTION structure BAL|"
    "L6LIGNEACHEMINEMENT structure BAL|Code postal structure BAL|Département structure BAL|Pays structure "
    "BAL\n";

// A synthetic person's line: RPPS 10000000017 (valid Luhn key).
std::string line(const std::string& address, const std::string& family)
{
    return "PER|" + address + "|8|10000000017|810000000017||||DR|" + family +
           "|Émilie|C|Civil|10|Médecin|SM26|Qualifié en médecine générale||CABINET||||12||R|DES LILAS||"
           "75012 PARIS|75012|75|FRANCE\n";
}

class temp_file
{
public:
    explicit temp_file(const std::string& content)
        : path_(std::filesystem::temp_directory_path() /
                ("mss-offline-directory-" + std::to_string(::getpid())))
    {
        write(content);
    }
    ~temp_file() { std::filesystem::remove(path_); }
    void write(const std::string& content) const { std::ofstream(path_, std::ios::binary) << content; }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace

TEST_SUITE("offline directory transport")
{
    TEST_CASE("a callback search completes later, with the page, a reload is seen by the next search")
    {
        temp_file file(std::string(header) + line("emilie.daubigne@medecin.test.mssante.fr", "D'AUBIGNÉ"));
        auto index = std::make_shared<dir::live_index>();
        asio::io_context io;
        mss::transport::offline_directory directory(io.get_executor(), index, dir::directory_kind::national);
        CHECK(directory.kind() == dir::directory_kind::national);

        dir::query q;
        q.family_name = "aubigne";
        mss::diagnostics diag;
        std::optional<boost::system::error_code> ec;
        dir::search_result page;
        directory.async_search(q, diag,
                               [&](boost::system::error_code e, dir::search_result r)
                               {
                                   ec = e;
                                   page = std::move(r);
                               });
        CHECK_FALSE(ec.has_value());  // never inside the initiating call
        io.run();
        REQUIRE(ec.has_value());
        CHECK(*ec == dir::errc::no_index);

        dir::load_report report;
        REQUIRE_FALSE(index->reload(file.path(), report, diag));
        ec.reset();
        directory.async_search(q, diag,
                               [&](boost::system::error_code e, dir::search_result r)
                               {
                                   ec = e;
                                   page = std::move(r);
                               });
        io.restart();
        io.run();
        REQUIRE(ec.has_value());
        CHECK_FALSE(*ec);
        REQUIRE(page.entries.size() == 1);
        CHECK(page.entries[0].given_name == "Émilie");

        file.write(std::string(header) + line("emilie.daubigne@medecin.test.mssante.fr", "D'AUBIGNÉ") +
                   line("autre.daubigne@medecin.test.mssante.fr", "D'AUBIGNÉ-MARTIN"));
        REQUIRE_FALSE(index->reload(file.path(), report, diag));
        ec.reset();
        directory.async_search(q, diag,
                               [&](boost::system::error_code e, dir::search_result r)
                               {
                                   ec = e;
                                   page = std::move(r);
                               });
        io.restart();
        io.run();
        CHECK(page.entries.size() == 2);
    }

    TEST_CASE("awaitable with as_tuple(deferred): errors are values")
    {
        temp_file file(std::string(header) + line("emilie.daubigne@medecin.test.mssante.fr", "D'AUBIGNÉ"));
        auto index = std::make_shared<dir::live_index>();
        dir::load_report report;
        mss::diagnostics load_diag;
        REQUIRE_FALSE(index->reload(file.path(), report, load_diag));
        asio::io_context io;
        mss::transport::offline_directory directory(io.get_executor(), index, dir::directory_kind::regional);
        bool done = false;
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void>
            {
                mss::diagnostics diag;
                dir::query q;
                q.city = "par";
                auto [ec, page] = co_await directory.async_search(q, diag, asio::as_tuple(asio::deferred));
                CHECK_FALSE(ec);
                CHECK(page.entries.size() == 1);
                q.limit = 0;
                auto [bad, none] = co_await directory.async_search(q, diag, asio::as_tuple(asio::deferred));
                CHECK(bad == dir::errc::invalid_query);
                CHECK(none.entries.empty());
                done = true;
            },
            asio::detached);
        io.run();
        CHECK(done);
    }
}
