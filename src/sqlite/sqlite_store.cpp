// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/errc.hpp>
#include <mss/store/errc.hpp>
#include <mss/store/sqlite_database.hpp>
#include <mss/store/sqlite_store.hpp>

#include "sqlite/statement.hpp"

#include <array>
#include <map>
#include <mutex>

namespace mss::store {
namespace {

// Forward migrations: index i moves the schema from version i to i + 1. Never edit a released
// step; add a new one.
constexpr std::array<std::string_view, 1> migrations = {
    R"sql(
    CREATE TABLE mailbox_link (
        account_kind INTEGER NOT NULL, account_id TEXT NOT NULL,
        address TEXT NOT NULL UNIQUE, type TEXT NOT NULL, operator_name TEXT NOT NULL,
        display_label TEXT NOT NULL, state INTEGER NOT NULL, linked_at INTEGER NOT NULL,
        PRIMARY KEY (account_kind, account_id, address));
    CREATE TABLE pending_code (
        account_kind INTEGER NOT NULL, account_id TEXT NOT NULL, address TEXT NOT NULL,
        salt BLOB NOT NULL, hash BLOB NOT NULL, issued_at INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL, is_void INTEGER NOT NULL,
        PRIMARY KEY (account_kind, account_id, address));
    CREATE TABLE code_request (
        account_kind INTEGER NOT NULL, account_id TEXT NOT NULL, address TEXT NOT NULL, at INTEGER NOT NULL);
    CREATE INDEX code_request_key ON code_request (account_kind, account_id, address, at);
    CREATE TABLE delegation (
        id INTEGER PRIMARY KEY, structure_id TEXT NOT NULL, person_id TEXT NOT NULL, role INTEGER NOT NULL,
        granted_at INTEGER NOT NULL, granted_by TEXT NOT NULL, revoked_at INTEGER, revoked_by TEXT NOT NULL DEFAULT '');
    CREATE INDEX delegation_structure ON delegation (structure_id);
    CREATE INDEX delegation_person ON delegation (person_id);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL, person_id TEXT NOT NULL, account_kind INTEGER NOT NULL,
        account_id TEXT NOT NULL, mailbox TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
    CREATE INDEX audit_mailbox ON audit (mailbox, id);
    )sql",
};

std::int64_t seconds(std::chrono::sys_seconds t) { return t.time_since_epoch().count(); }
std::chrono::sys_seconds time_of(std::int64_t s) { return std::chrono::sys_seconds(std::chrono::seconds(s)); }

boost::system::error_code step_error(int rc)
{
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? errc::busy : errc::statement_failed;
}

}  // namespace

struct sqlite_store::impl
{
    explicit impl(sqlite_database database) : db(std::move(database)) {}

    sqlite_database db;
    std::mutex mutex;
    std::map<const char*, std::unique_ptr<detail::statement>> statements;

    // Statements are prepared once and kept, keyed by their (static) SQL text.
    detail::statement* prepare(const char* sql)
    {
        auto& slot = statements[sql];
        if (!slot)
            slot = std::make_unique<detail::statement>(db.native_handle(), sql);
        return slot->prepared() ? &slot->reset() : nullptr;
    }

    // Runs a statement that returns no rows.
    boost::system::error_code run(detail::statement* s)
    {
        if (!s)
            return errc::statement_failed;
        const int rc = s->step();
        return rc == SQLITE_DONE ? boost::system::error_code() : step_error(rc);
    }

    boost::system::error_code exec(std::string_view sql)
    {
        diagnostics ignored;
        return db.execute(sql, ignored);
    }

    int changes() const { return sqlite3_changes(db.native_handle()); }
};

namespace {

// BEGIN IMMEDIATE ... COMMIT, rolled back unless committed.
class transaction
{
public:
    explicit transaction(sqlite_store::impl& i) : impl_(i) { ec_ = impl_.exec("BEGIN IMMEDIATE"); }
    ~transaction()
    {
        if (!ec_ && !done_)
            impl_.exec("ROLLBACK");
    }
    [[nodiscard]] boost::system::error_code begun() const { return ec_; }
    boost::system::error_code commit()
    {
        done_ = true;
        return impl_.exec("COMMIT");
    }

private:
    sqlite_store::impl& impl_;
    boost::system::error_code ec_;
    bool done_ = false;
};

// Columns: account_kind, account_id, address, type, operator_name, display_label, state, linked_at
constexpr const char* link_columns =
    "SELECT account_kind, account_id, address, type, operator_name, display_label, state, linked_at FROM mailbox_link ";

boost::system::result<domain::mailbox_link> read_link(const detail::statement& s)
{
    auto address = domain::email_address::parse(s.text(2));
    auto type = domain::parse_mailbox_type(s.text(3));
    if (!address || !type)
        return errc::statement_failed;  // the file was edited by hand: never guess
    return domain::mailbox_link{{static_cast<domain::account_kind>(s.integer(0)), s.text(1)},
                                {std::move(*address), *type, s.text(4), s.text(5)},
                                static_cast<domain::link_state>(s.integer(6)),
                                time_of(s.integer(7))};
}

template <class Read>
auto collect(detail::statement* s, Read read) -> boost::system::result<std::vector<typename decltype(read(*s))::value_type>>
{
    using value = typename decltype(read(*s))::value_type;
    std::vector<value> out;
    if (!s)
        return errc::statement_failed;
    int rc;
    while ((rc = s->step()) == SQLITE_ROW)
    {
        auto item = read(*s);
        if (!item)
            return item.error();
        out.push_back(std::move(*item));
    }
    if (rc != SQLITE_DONE)
        return step_error(rc);
    return out;
}

boost::system::result<domain::delegation> read_delegation(const detail::statement& s)
{
    domain::delegation d;
    d.structure_id = s.text(0);
    d.person_id = s.text(1);
    d.role = static_cast<domain::delegate_role>(s.integer(2));
    d.granted_at = time_of(s.integer(3));
    d.granted_by = s.text(4);
    if (!s.is_null(5))
        d.revoked_at = time_of(s.integer(5));
    d.revoked_by = s.text(6);
    return d;
}

constexpr const char* delegation_columns =
    "SELECT structure_id, person_id, role, granted_at, granted_by, revoked_at, revoked_by FROM delegation ";

}  // namespace

boost::system::result<std::unique_ptr<sqlite_store>> sqlite_store::open(const std::string& path, diagnostics& diag)
{
    auto db = sqlite_database::open(path, diag);
    if (!db)
        return db.error();
    if (auto ec = db->migrate(migrations, diag))
        return ec;
    return std::unique_ptr<sqlite_store>(new sqlite_store(std::make_unique<impl>(std::move(*db))));
}

sqlite_store::sqlite_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
sqlite_store::~sqlite_store() = default;

boost::system::error_code sqlite_store::save_link(const domain::mailbox_link& link)
{
    std::lock_guard lock(impl_->mutex);
    transaction tx(*impl_);
    if (auto ec = tx.begun())
        return ec;
    auto* owner = impl_->prepare("SELECT account_kind, account_id FROM mailbox_link WHERE address = ?");
    if (!owner)
        return errc::statement_failed;
    owner->bind(link.box.address.str());
    if (owner->step() == SQLITE_ROW &&
        (owner->integer(0) != static_cast<std::int64_t>(link.account.kind) || owner->text(1) != link.account.id))
        return domain::errc::mailbox_linked_elsewhere;
    auto* upsert = impl_->prepare(
        "INSERT OR REPLACE INTO mailbox_link (account_kind, account_id, address, type, operator_name, display_label, "
        "state, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!upsert)
        return errc::statement_failed;
    upsert->bind(static_cast<std::int64_t>(link.account.kind))
        .bind(link.account.id)
        .bind(link.box.address.str())
        .bind(domain::to_code(link.box.type))
        .bind(link.box.operator_name)
        .bind(link.box.display_label)
        .bind(static_cast<std::int64_t>(link.state))
        .bind(seconds(link.linked_at));
    if (auto ec = impl_->run(upsert))
        return ec;
    return tx.commit();
}

boost::system::result<std::vector<domain::mailbox_link>> sqlite_store::links_of(const domain::account_ref& account)
{
    std::lock_guard lock(impl_->mutex);
    static const std::string sql = std::string(link_columns) + "WHERE account_kind = ? AND account_id = ?";
    auto* s = impl_->prepare(sql.c_str());
    if (s)
        s->bind(static_cast<std::int64_t>(account.kind)).bind(account.id);
    return collect(s, read_link);
}

boost::system::result<std::optional<domain::mailbox_link>> sqlite_store::link_of_mailbox(std::string_view address)
{
    std::lock_guard lock(impl_->mutex);
    static const std::string sql = std::string(link_columns) + "WHERE address = ?";
    auto* s = impl_->prepare(sql.c_str());
    if (s)
        s->bind(address);
    auto all = collect(s, read_link);
    if (!all)
        return all.error();
    if (all->empty())
        return std::optional<domain::mailbox_link>();
    return std::optional<domain::mailbox_link>(std::move(all->front()));
}

boost::system::result<std::vector<domain::mailbox_link>> sqlite_store::all_links()
{
    std::lock_guard lock(impl_->mutex);
    static const std::string sql = std::string(link_columns) + "ORDER BY rowid";
    return collect(impl_->prepare(sql.c_str()), read_link);
}

boost::system::error_code sqlite_store::delete_link(const domain::account_ref& account, std::string_view address)
{
    std::lock_guard lock(impl_->mutex);
    transaction tx(*impl_);
    if (auto ec = tx.begun())
        return ec;
    auto* del = impl_->prepare("DELETE FROM mailbox_link WHERE account_kind = ? AND account_id = ? AND address = ?");
    if (!del)
        return errc::statement_failed;
    del->bind(static_cast<std::int64_t>(account.kind)).bind(account.id).bind(address);
    if (auto ec = impl_->run(del))
        return ec;
    if (impl_->changes() == 0)
        return domain::errc::link_not_found;
    auto* codes = impl_->prepare("DELETE FROM pending_code WHERE account_kind = ? AND account_id = ? AND address = ?");
    if (!codes)
        return errc::statement_failed;
    codes->bind(static_cast<std::int64_t>(account.kind)).bind(account.id).bind(address);
    if (auto ec = impl_->run(codes))
        return ec;
    return tx.commit();
}

boost::system::error_code sqlite_store::save_pending_code(const domain::pending_link_code& code)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "INSERT OR REPLACE INTO pending_code (account_kind, account_id, address, salt, hash, issued_at, "
        "failed_attempts, is_void) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s)
        return errc::statement_failed;
    s->bind(static_cast<std::int64_t>(code.account.kind))
        .bind(code.account.id)
        .bind(code.mailbox)
        .bind_blob(code.salt)
        .bind_blob(code.hash)
        .bind(seconds(code.issued_at))
        .bind(static_cast<std::int64_t>(code.failed_attempts))
        .bind(static_cast<std::int64_t>(code.is_void));
    return impl_->run(s);
}

boost::system::result<std::optional<domain::pending_link_code>> sqlite_store::pending_code(
    const domain::account_ref& account, std::string_view address)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "SELECT salt, hash, issued_at, failed_attempts, is_void FROM pending_code "
        "WHERE account_kind = ? AND account_id = ? AND address = ?");
    if (!s)
        return errc::statement_failed;
    s->bind(static_cast<std::int64_t>(account.kind)).bind(account.id).bind(address);
    const int rc = s->step();
    if (rc == SQLITE_DONE)
        return std::optional<domain::pending_link_code>();
    if (rc != SQLITE_ROW)
        return step_error(rc);
    domain::pending_link_code code;
    code.account = account;
    code.mailbox = std::string(address);
    code.salt = s->blob(0);
    code.hash = s->blob(1);
    code.issued_at = time_of(s->integer(2));
    code.failed_attempts = static_cast<unsigned>(s->integer(3));
    code.is_void = s->integer(4) != 0;
    return std::optional<domain::pending_link_code>(std::move(code));
}

boost::system::error_code sqlite_store::delete_pending_code(const domain::account_ref& account,
                                                            std::string_view address)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare("DELETE FROM pending_code WHERE account_kind = ? AND account_id = ? AND address = ?");
    if (!s)
        return errc::statement_failed;
    s->bind(static_cast<std::int64_t>(account.kind)).bind(account.id).bind(address);
    return impl_->run(s);
}

boost::system::error_code sqlite_store::record_code_request(const domain::account_ref& account,
                                                            std::string_view address, std::chrono::sys_seconds at)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare("INSERT INTO code_request (account_kind, account_id, address, at) VALUES (?, ?, ?, ?)");
    if (!s)
        return errc::statement_failed;
    s->bind(static_cast<std::int64_t>(account.kind)).bind(account.id).bind(address).bind(seconds(at));
    return impl_->run(s);
}

boost::system::result<std::vector<std::chrono::sys_seconds>> sqlite_store::code_requests(
    const domain::account_ref& account, std::string_view address, std::chrono::sys_seconds since)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "SELECT at FROM code_request WHERE account_kind = ? AND account_id = ? AND address = ? AND at >= ? ORDER BY at");
    if (s)
        s->bind(static_cast<std::int64_t>(account.kind)).bind(account.id).bind(address).bind(seconds(since));
    return collect(s, [](const detail::statement& st) -> boost::system::result<std::chrono::sys_seconds> {
        return time_of(st.integer(0));
    });
}

boost::system::error_code sqlite_store::save_delegation(const domain::delegation& d)
{
    std::lock_guard lock(impl_->mutex);
    detail::statement* s = nullptr;
    if (d.revoked_at)
    {
        s = impl_->prepare(
            "UPDATE delegation SET revoked_at = ?, revoked_by = ? "
            "WHERE structure_id = ? AND person_id = ? AND revoked_at IS NULL");
        if (s)
            s->bind(seconds(*d.revoked_at)).bind(d.revoked_by).bind(d.structure_id).bind(d.person_id);
    }
    else
    {
        s = impl_->prepare(
            "INSERT INTO delegation (structure_id, person_id, role, granted_at, granted_by) VALUES (?, ?, ?, ?, ?)");
        if (s)
            s->bind(d.structure_id)
                .bind(d.person_id)
                .bind(static_cast<std::int64_t>(d.role))
                .bind(seconds(d.granted_at))
                .bind(d.granted_by);
    }
    return impl_->run(s);
}

boost::system::result<std::vector<domain::delegation>> sqlite_store::delegations_of_structure(
    std::string_view structure_id)
{
    std::lock_guard lock(impl_->mutex);
    static const std::string sql = std::string(delegation_columns) + "WHERE structure_id = ? ORDER BY id";
    auto* s = impl_->prepare(sql.c_str());
    if (s)
        s->bind(structure_id);
    return collect(s, read_delegation);
}

boost::system::result<std::vector<domain::delegation>> sqlite_store::delegations_of_person(std::string_view person_id)
{
    std::lock_guard lock(impl_->mutex);
    static const std::string sql = std::string(delegation_columns) + "WHERE person_id = ? ORDER BY id";
    auto* s = impl_->prepare(sql.c_str());
    if (s)
        s->bind(person_id);
    return collect(s, read_delegation);
}

boost::system::error_code sqlite_store::append_audit(const domain::audit_entry& e)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "INSERT INTO audit (at, person_id, account_kind, account_id, mailbox, action, detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!s)
        return errc::statement_failed;
    s->bind(seconds(e.at))
        .bind(e.person_id)
        .bind(static_cast<std::int64_t>(e.account.kind))
        .bind(e.account.id)
        .bind(e.mailbox)
        .bind(e.action)
        .bind(e.detail);
    return impl_->run(s);
}

boost::system::result<std::vector<domain::audit_entry>> sqlite_store::audit_of_mailbox(std::string_view address)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "SELECT at, person_id, account_kind, account_id, mailbox, action, detail FROM audit WHERE mailbox = ? ORDER BY id");
    if (s)
        s->bind(address);
    return collect(s, [](const detail::statement& st) -> boost::system::result<domain::audit_entry> {
        return domain::audit_entry{time_of(st.integer(0)), st.text(1),
                                   {static_cast<domain::account_kind>(st.integer(2)), st.text(3)},
                                   st.text(4), st.text(5), st.text(6)};
    });
}

bool sqlite_store::integrity_check()
{
    std::lock_guard lock(impl_->mutex);
    detail::statement s(impl_->db.native_handle(), "PRAGMA integrity_check");
    return s.prepared() && s.step() == SQLITE_ROW && s.text(0) == "ok";
}

}  // namespace mss::store
