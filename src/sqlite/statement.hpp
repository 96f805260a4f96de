// SPDX-License-Identifier: Apache-2.0
// A prepared SQLite statement: bind by position, step, read columns. Private to mss::sqlite.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace mss::store::detail {

class statement
{
public:
    statement() = default;
    statement(sqlite3* db, std::string_view sql) { rc_ = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr); }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement() { sqlite3_finalize(stmt_); }

    [[nodiscard]] bool prepared() const noexcept { return rc_ == SQLITE_OK && stmt_; }

    // Clears the bindings of an earlier use; every user calls it first.
    statement& reset() noexcept
    {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        index_ = 0;
        return *this;
    }
    statement& bind(std::string_view text)
    {
        sqlite3_bind_text(stmt_, ++index_, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    statement& bind_blob(std::string_view bytes)
    {
        sqlite3_bind_blob(stmt_, ++index_, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
        return *this;
    }
    statement& bind(std::int64_t value)
    {
        sqlite3_bind_int64(stmt_, ++index_, value);
        return *this;
    }
    statement& bind_null()
    {
        sqlite3_bind_null(stmt_, ++index_);
        return *this;
    }

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() noexcept { return sqlite3_step(stmt_); }

    [[nodiscard]] std::string text(int column) const
    {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
    }
    [[nodiscard]] std::string blob(int column) const
    {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
    }
    [[nodiscard]] std::int64_t integer(int column) const noexcept { return sqlite3_column_int64(stmt_, column); }
    [[nodiscard]] bool is_null(int column) const noexcept { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_ERROR;
    int index_ = 0;
};

}  // namespace mss::store::detail
