// SPDX-License-Identifier: Apache-2.0
// The stores every store contract runs against: a fresh memory_store, and a fresh sqlite_store in
// a temporary file removed afterwards (with its WAL files). Shared by the *_contract_test files.
#pragma once

#include <mss/store/memory_store.hpp>
#include <mss/store/sqlite_store.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace store_contract
{

using namespace std::chrono_literals;

/** The reference instant of the fixtures' messages and events. */
inline const std::chrono::sys_seconds t0 = std::chrono::sys_days(std::chrono::year(2026) / 11 / 26) + 9h;

/** A database path nobody else uses: the process id and a counter keep parallel runs apart. */
inline std::filesystem::path temp_db()
{
    static std::atomic<int> counter{0};
    return std::filesystem::temp_directory_path() /
           ("mss-store-contract-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db");
}

/** Removes a database file and the WAL files SQLite keeps beside it. */
inline void remove_db(const std::filesystem::path& path)
{
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

struct memory_fixture
{
    mss::store::memory_store db;
    mss::store::store& get() { return db; }
};

struct sqlite_fixture
{
    std::filesystem::path path = temp_db();
    std::unique_ptr<mss::store::sqlite_store> db;
    sqlite_fixture()
    {
        mss::diagnostics diag;
        db = std::move(mss::store::sqlite_store::open(path.string(), diag).value());
    }
    ~sqlite_fixture()
    {
        db.reset();
        remove_db(path);
    }
    sqlite_fixture(const sqlite_fixture&) = delete;
    sqlite_fixture& operator=(const sqlite_fixture&) = delete;
    mss::store::store& get() { return *db; }
};

}  // namespace store_contract
