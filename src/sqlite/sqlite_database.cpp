// SPDX-License-Identifier: Apache-2.0
#include <mss/store/errc.hpp>
#include <mss/store/sqlite_database.hpp>

#include <sqlite3.h>

#include <chrono>
#include <string>
#include <utility>

namespace mss::store {
namespace {

boost::system::error_code sqlite_failure(sqlite3* db, int rc, diagnostics& diag, std::string context)
{
    diag.set_client_message(std::move(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? errc::busy : errc::statement_failed;
}

}  // namespace

boost::system::result<sqlite_database> sqlite_database::open(const std::string& path, diagnostics& diag,
                                                             int busy_timeout_ms)
{
    diag.clear();
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    sqlite_database db(raw);  // closes the handle on every path below
    if (rc != SQLITE_OK)
    {
        diag.set_client_message("cannot open database " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
        return errc::open_failed;
    }
    sqlite3_busy_timeout(raw, busy_timeout_ms);
    sqlite3_extended_result_codes(raw, 1);
    // Several connections opening the same new file at once (a platform's worker threads or
    // processes starting together) race to switch it to WAL; SQLite may answer "database is locked"
    // to the losers at once, without waiting on the busy handler (seen with 4 threads opening a new
    // file: tests/unit/store/contract/threads_contract_test.cpp). The switch is made once for the
    // file, so retrying within the busy time-out lets them all open it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    boost::system::error_code configured;
    while ((configured = db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                                    diag)) == errc::busy &&
           std::chrono::steady_clock::now() < deadline)
        sqlite3_sleep(5);
    if (configured)
    {
        diag.set_client_message("cannot configure database " + path + ": " + diag.client_message());
        return errc::open_failed;
    }
    return db;
}

sqlite_database::sqlite_database(sqlite_database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

sqlite_database& sqlite_database::operator=(sqlite_database&& other) noexcept
{
    if (this != &other)
    {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
}

sqlite_database::~sqlite_database() { sqlite3_close_v2(db_); }

boost::system::error_code sqlite_database::execute(std::string_view sql, diagnostics& diag)
{
    // sqlite3_exec needs a NUL-terminated string.
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK)
        return {};
    diag.set_client_message(message ? message : sqlite3_errstr(rc));
    sqlite3_free(message);
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? errc::busy : errc::statement_failed;
}

boost::system::result<int> sqlite_database::schema_version(diagnostics& diag)
{
    // user_version lives in the file header: no table is needed and reading it cannot fail on a new file.
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &statement, nullptr);
    if (rc != SQLITE_OK)
        return sqlite_failure(db_, rc, diag, "cannot read the schema version");
    int version = 0;
    rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW)
        version = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    if (rc != SQLITE_ROW)
        return sqlite_failure(db_, rc, diag, "cannot read the schema version");
    return version;
}

boost::system::error_code sqlite_database::migrate(std::span<const std::string_view> migrations, diagnostics& diag)
{
    diag.clear();
    auto current = schema_version(diag);
    if (!current)
        return current.error();
    if (static_cast<std::size_t>(*current) > migrations.size())
    {
        diag.set_client_message("database schema version " + std::to_string(*current) +
                                " is newer than this program's " + std::to_string(migrations.size()));
        return errc::schema_too_new;
    }
    for (;;)
    {
        // BEGIN IMMEDIATE takes the write lock before the version is read again, so that two
        // processes migrating the same file cannot both run one step.
        if (auto ec = execute("BEGIN IMMEDIATE", diag))
            return ec;
        auto version = schema_version(diag);
        if (!version || static_cast<std::size_t>(*version) >= migrations.size())
        {
            diagnostics ignored;
            execute("COMMIT", ignored);
            if (!version)
                return version.error();
            break;
        }
        const auto step = static_cast<std::size_t>(*version);
        std::string script(migrations[step]);
        script += ";\nPRAGMA user_version = " + std::to_string(step + 1) + ";\nCOMMIT;";
        if (execute(script, diag))
        {
            diagnostics ignored;
            execute("ROLLBACK", ignored);
            diag.set_client_message("migration to schema version " + std::to_string(step + 1) +
                                    " failed: " + diag.client_message());
            return errc::migration_failed;
        }
    }
    return {};
}

}  // namespace mss::store
