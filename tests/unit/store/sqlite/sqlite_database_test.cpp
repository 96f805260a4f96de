// SPDX-License-Identifier: Apache-2.0
#include <mss/store/errc.hpp>
#include <mss/store/sqlite_database.hpp>

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <string>

namespace {

struct temp_file
{
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("mss-sqlite-test-" + std::to_string(::getpid()) + ".db");
    temp_file() { remove(); }
    ~temp_file() { remove(); }
    void remove()
    {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix);
    }
};

constexpr std::array<std::string_view, 2> schema = {
    "CREATE TABLE link (account TEXT PRIMARY KEY, mailbox TEXT NOT NULL)",
    "ALTER TABLE link ADD COLUMN state TEXT NOT NULL DEFAULT 'code_sent'",
};

}  // namespace

TEST_SUITE("sqlite database")
{
    TEST_CASE("a new file is opened in WAL mode and migrated to the latest version")
    {
        temp_file file;
        mss::diagnostics diag;
        auto db = mss::store::sqlite_database::open(file.path.string(), diag);
        REQUIRE_MESSAGE(db.has_value(), diag.client_message());
        CHECK(db->schema_version(diag).value() == 0);
        REQUIRE_FALSE(db->migrate(schema, diag));
        CHECK(db->schema_version(diag).value() == 2);
        CHECK_FALSE(db->execute("INSERT INTO link(account, mailbox) VALUES ('p1', 'a@b.fr')", diag));
        CHECK(std::filesystem::exists(file.path.string() + "-wal"));
    }

    TEST_CASE("reopening keeps the data and applies only the missing steps")
    {
        temp_file file;
        mss::diagnostics diag;
        {
            auto db = mss::store::sqlite_database::open(file.path.string(), diag);
            REQUIRE(db.has_value());
            REQUIRE_FALSE(db->migrate(std::span(schema).first(1), diag));
            REQUIRE_FALSE(db->execute("INSERT INTO link VALUES ('p1', 'a@b.fr')", diag));
        }
        auto db = mss::store::sqlite_database::open(file.path.string(), diag);
        REQUIRE(db.has_value());
        CHECK(db->schema_version(diag).value() == 1);
        REQUIRE_FALSE(db->migrate(schema, diag));
        CHECK(db->schema_version(diag).value() == 2);
        // The row written before the second step survives it, with the new column's default.
        CHECK_FALSE(db->execute("UPDATE link SET state = 'linked' WHERE account = 'p1' AND state = 'code_sent'", diag));
        CHECK(sqlite3_changes(db->native_handle()) == 1);
    }

    TEST_CASE("a failing step leaves the file at the previous version with nothing half-applied")
    {
        temp_file file;
        mss::diagnostics diag;
        auto db = mss::store::sqlite_database::open(file.path.string(), diag);
        REQUIRE(db.has_value());
        constexpr std::array<std::string_view, 2> broken = {
            "CREATE TABLE a (x INTEGER)",
            "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1); THIS IS NOT SQL",
        };
        CHECK(db->migrate(broken, diag) == mss::store::errc::migration_failed);
        CHECK(diag.client_message().find("version 2") != std::string::npos);
        CHECK(db->schema_version(diag).value() == 1);
        // Table b and the row in a were rolled back with the failing step.
        CHECK(db->execute("SELECT * FROM b", diag) == mss::store::errc::statement_failed);
        CHECK(db->execute("INSERT INTO b VALUES (1)", diag) == mss::store::errc::statement_failed);
    }

    TEST_CASE("a file from a newer program is refused")
    {
        temp_file file;
        mss::diagnostics diag;
        auto db = mss::store::sqlite_database::open(file.path.string(), diag);
        REQUIRE(db.has_value());
        REQUIRE_FALSE(db->migrate(schema, diag));
        CHECK(db->migrate(std::span(schema).first(1), diag) == mss::store::errc::schema_too_new);
    }

    TEST_CASE("a path that cannot be created is reported")
    {
        mss::diagnostics diag;
        auto db = mss::store::sqlite_database::open("/nonexistent-dir/x.db", diag);
        REQUIRE(db.has_error());
        CHECK(db.error() == mss::store::errc::open_failed);
        CHECK(diag.client_message().find("/nonexistent-dir/x.db") != std::string::npos);
    }
}
