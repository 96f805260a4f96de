// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::store::sqlite_database`: one SQLite file, opened the way every mss store uses it.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <span>
#include <string>
#include <string_view>

struct sqlite3;

namespace mss::store {

/** @brief An open SQLite database with the settings health data needs.
 *
 *  Opening sets: WAL journal (readers never block the writer), `synchronous = FULL` (a committed
 *  transaction survives a crash of the process or of the machine), `foreign_keys = ON` and a
 *  busy time-out, so that a second process waits instead of failing at once.
 *
 *  The schema is versioned: `migrate()` takes the ordered list of forward migrations the program
 *  knows, applies those not yet applied, each in its own transaction together with the version
 *  bump, and refuses a file whose version is newer than the program.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe (one connection per thread).
 */
class MSS_API sqlite_database
{
public:
    /** @brief Opens or creates `path`. `":memory:"` opens a private in-memory database.
     *  @par Errors
     *  `errc::open_failed` with SQLite's reason in `diag.client_message()`.
     */
    static boost::system::result<sqlite_database> open(const std::string& path, diagnostics& diag,
                                                       int busy_timeout_ms = 5000);

    sqlite_database(sqlite_database&& other) noexcept;
    sqlite_database& operator=(sqlite_database&& other) noexcept;
    sqlite_database(const sqlite_database&) = delete;
    sqlite_database& operator=(const sqlite_database&) = delete;
    /** @brief Closes the connection. */
    ~sqlite_database();

    /** @brief Runs one or more SQL statements that return no rows.
     *  @par Errors
     *  `errc::statement_failed` or `errc::busy`, with SQLite's message in `diag`.
     */
    boost::system::error_code execute(std::string_view sql, diagnostics& diag);

    /** @brief The schema version recorded in the file (0 for a new file). */
    boost::system::result<int> schema_version(diagnostics& diag);

    /** @brief Brings the schema up to `migrations.size()`.
     *
     *  `migrations[i]` moves the schema from version `i` to `i + 1`. Each step and its version bump
     *  commit together or not at all, so a failed step leaves the file at the previous version.
     *  @par Errors
     *  `errc::schema_too_new` when the file's version exceeds `migrations.size()`;
     *  `errc::migration_failed` (the failing step's index and SQLite's message in `diag`).
     */
    boost::system::error_code migrate(std::span<const std::string_view> migrations, diagnostics& diag);

    /** @brief The underlying handle, for the store implementations. */
    [[nodiscard]] sqlite3* native_handle() const noexcept { return db_; }

private:
    explicit sqlite_database(sqlite3* db) noexcept : db_(db) {}
    sqlite3* db_ = nullptr;
};

}  // namespace mss::store
