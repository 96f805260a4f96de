// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/errc.hpp>
#include <mss/store/errc.hpp>
#include <mss/store/sqlite_database.hpp>
#include <mss/store/sqlite_store.hpp>

#include "sqlite/statement.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>

namespace mss::store {
namespace {

// Forward migrations: index i moves the schema from version i to i + 1. Never edit a released
// step; add a new one.
constexpr std::array<std::string_view, 5> migrations = {
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
    // Version 2: inbox settings, the message index, unread counters kept by triggers, sync state.
    R"sql(
    CREATE TABLE inbox_settings (
        account_kind INTEGER NOT NULL, account_id TEXT NOT NULL, platform_discussions INTEGER NOT NULL,
        mssante_professional INTEGER NOT NULL, mssante_patient INTEGER NOT NULL,
        PRIMARY KEY (account_kind, account_id));
    CREATE TABLE sync_state (
        mailbox TEXT NOT NULL, folder TEXT NOT NULL, uid_validity INTEGER NOT NULL, uid_next INTEGER NOT NULL,
        highest_modseq INTEGER NOT NULL, PRIMARY KEY (mailbox, folder));
    CREATE TABLE message (
        seq INTEGER PRIMARY KEY, mailbox TEXT NOT NULL, folder TEXT NOT NULL, uid_validity INTEGER NOT NULL,
        uid INTEGER NOT NULL, message_id TEXT NOT NULL, subject TEXT NOT NULL, sender TEXT NOT NULL,
        date INTEGER NOT NULL, size INTEGER NOT NULL, seen INTEGER NOT NULL, modseq INTEGER NOT NULL,
        direction INTEGER NOT NULL, exchange INTEGER NOT NULL, counterpart TEXT NOT NULL, in_inbox INTEGER NOT NULL,
        UNIQUE (mailbox, folder, uid));
    -- One index per shape of listing, each in listing order, so that a page reads 50 index entries.
    CREATE INDEX message_all ON message (mailbox, date DESC, seq DESC);
    CREATE INDEX message_exchange ON message (mailbox, exchange, date DESC, seq DESC);
    CREATE INDEX message_exchange_direction ON message (mailbox, exchange, direction, date DESC, seq DESC);
    CREATE INDEX message_unread ON message (mailbox, date DESC, seq DESC) WHERE direction = 0 AND seen = 0;
    CREATE INDEX message_inbox ON message (mailbox, date DESC, seq DESC) WHERE in_inbox = 1;
    -- Unread received messages per (mailbox, exchange, in_inbox): counts never scan the index.
    CREATE TABLE unread (
        mailbox TEXT NOT NULL, exchange INTEGER NOT NULL, in_inbox INTEGER NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (mailbox, exchange, in_inbox)) WITHOUT ROWID;
    CREATE TRIGGER unread_insert AFTER INSERT ON message WHEN NEW.direction = 0 AND NEW.seen = 0 BEGIN
        INSERT INTO unread VALUES (NEW.mailbox, NEW.exchange, NEW.in_inbox, 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER unread_delete AFTER DELETE ON message WHEN OLD.direction = 0 AND OLD.seen = 0 BEGIN
        UPDATE unread SET n = n - 1 WHERE mailbox = OLD.mailbox AND exchange = OLD.exchange AND in_inbox = OLD.in_inbox;
    END;
    CREATE TRIGGER unread_read AFTER UPDATE OF seen ON message
        WHEN OLD.direction = 0 AND OLD.seen = 0 AND NEW.seen = 1 BEGIN
        UPDATE unread SET n = n - 1 WHERE mailbox = OLD.mailbox AND exchange = OLD.exchange AND in_inbox = OLD.in_inbox;
    END;
    CREATE TRIGGER unread_unread AFTER UPDATE OF seen ON message
        WHEN NEW.direction = 0 AND OLD.seen = 1 AND NEW.seen = 0 BEGIN
        INSERT INTO unread VALUES (NEW.mailbox, NEW.exchange, NEW.in_inbox, 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    )sql",
    // Version 3: the outbox. The message is stored whole before the first attempt.
    R"sql(
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY, account_kind INTEGER NOT NULL, account_id TEXT NOT NULL, person_id TEXT NOT NULL,
        sender TEXT NOT NULL, recipients TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE, data BLOB NOT NULL,
        eight_bit INTEGER NOT NULL, smtputf8 INTEGER NOT NULL, state INTEGER NOT NULL, attempts INTEGER NOT NULL,
        created_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, results TEXT NOT NULL,
        last_error TEXT NOT NULL, copy_pending INTEGER NOT NULL);
    CREATE INDEX outbox_state ON outbox (state, next_attempt_at);
    )sql",
    // Version 4: read receipts, keyed as they are looked up (the sent message's mailbox and
    // Message-ID); one per reader and disposition, the first one recorded stays.
    R"sql(
    CREATE TABLE read_receipt (
        mailbox TEXT NOT NULL, original_message_id TEXT NOT NULL, reader TEXT NOT NULL, disposition TEXT NOT NULL,
        date INTEGER NOT NULL, folder TEXT NOT NULL, uid_validity INTEGER NOT NULL, uid INTEGER NOT NULL,
        PRIMARY KEY (mailbox, original_message_id, reader, disposition)) WITHOUT ROWID;
    )sql",
    // Version 5: messages per (mailbox, exchange, direction, in_inbox, seen), kept by triggers like
    // the unread counters: every folder's total is a sum over a few rows of one mailbox, never a
    // scan of the index. Counted from the index as it stands when migrating.
    R"sql(
    CREATE TABLE message_total (
        mailbox TEXT NOT NULL, exchange INTEGER NOT NULL, direction INTEGER NOT NULL, in_inbox INTEGER NOT NULL,
        seen INTEGER NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (mailbox, exchange, direction, in_inbox, seen)) WITHOUT ROWID;
    INSERT INTO message_total
        SELECT mailbox, exchange, direction, in_inbox, seen, COUNT(*) FROM message
        GROUP BY mailbox, exchange, direction, in_inbox, seen;
    CREATE TRIGGER message_total_insert AFTER INSERT ON message BEGIN
        INSERT INTO message_total VALUES (NEW.mailbox, NEW.exchange, NEW.direction, NEW.in_inbox, NEW.seen, 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER message_total_delete AFTER DELETE ON message BEGIN
        UPDATE message_total SET n = n - 1 WHERE mailbox = OLD.mailbox AND exchange = OLD.exchange
            AND direction = OLD.direction AND in_inbox = OLD.in_inbox AND seen = OLD.seen;
    END;
    CREATE TRIGGER message_total_update AFTER UPDATE OF mailbox, exchange, direction, in_inbox, seen ON message
        WHEN OLD.mailbox IS NOT NEW.mailbox OR OLD.exchange IS NOT NEW.exchange OR OLD.direction IS NOT NEW.direction
          OR OLD.in_inbox IS NOT NEW.in_inbox OR OLD.seen IS NOT NEW.seen BEGIN
        UPDATE message_total SET n = n - 1 WHERE mailbox = OLD.mailbox AND exchange = OLD.exchange
            AND direction = OLD.direction AND in_inbox = OLD.in_inbox AND seen = OLD.seen;
        INSERT INTO message_total VALUES (NEW.mailbox, NEW.exchange, NEW.direction, NEW.in_inbox, NEW.seen, 1)
            ON CONFLICT DO UPDATE SET n = n + 1;
    END;
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
    for (const char* sql : {"DELETE FROM message WHERE mailbox = ?", "DELETE FROM sync_state WHERE mailbox = ?",
                            "DELETE FROM unread WHERE mailbox = ?", "DELETE FROM read_receipt WHERE mailbox = ?",
                            "DELETE FROM message_total WHERE mailbox = ?"})
    {
        auto* s = impl_->prepare(sql);
        if (!s)
            return errc::statement_failed;
        s->bind(address);
        if (auto ec = impl_->run(s))
            return ec;
    }
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

namespace {

constexpr const char* message_columns =
    "SELECT seq, mailbox, folder, uid_validity, uid, message_id, subject, sender, date, size, seen, modseq, "
    "direction, exchange, counterpart, in_inbox FROM message ";

boost::system::result<domain::indexed_message> read_message(const detail::statement& s)
{
    domain::indexed_message m;
    m.sequence = s.integer(0);
    m.key = {s.text(1), s.text(2), static_cast<std::uint32_t>(s.integer(3)), static_cast<std::uint32_t>(s.integer(4))};
    m.message_id = s.text(5);
    m.subject = s.text(6);
    m.from = s.text(7);
    m.date = time_of(s.integer(8));
    m.size = static_cast<std::uint64_t>(s.integer(9));
    m.seen = s.integer(10) != 0;
    m.modseq = static_cast<std::uint64_t>(s.integer(11));
    m.classification.direction = static_cast<domain::message_direction>(s.integer(12));
    m.classification.exchange = static_cast<domain::exchange_kind>(s.integer(13));
    m.classification.counterpart = s.text(14);
    m.in_inbox = s.integer(15) != 0;
    return m;
}

// The WHERE clause of a virtual folder, written for the indexes of migration 2.
const char* folder_condition(domain::virtual_folder f)
{
    using domain::virtual_folder;
    switch (f)
    {
    case virtual_folder::professionals: return "exchange = 0";
    case virtual_folder::professionals_received: return "exchange = 0 AND direction = 0";
    case virtual_folder::professionals_sent: return "exchange = 0 AND direction = 1";
    case virtual_folder::patients: return "exchange = 1";
    case virtual_folder::patients_received: return "exchange = 1 AND direction = 0";
    case virtual_folder::patients_sent: return "exchange = 1 AND direction = 1";
    case virtual_folder::all: return "1";
    case virtual_folder::unread: return "direction = 0 AND seen = 0";
    case virtual_folder::inbox: return "in_inbox = 1";
    }
    return "0";
}

}  // namespace

boost::system::result<domain::inbox_settings> sqlite_store::inbox_settings_of(const domain::account_ref& account)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "SELECT platform_discussions, mssante_professional, mssante_patient FROM inbox_settings "
        "WHERE account_kind = ? AND account_id = ?");
    if (!s)
        return errc::statement_failed;
    s->bind(static_cast<std::int64_t>(account.kind)).bind(account.id);
    const int rc = s->step();
    if (rc == SQLITE_DONE)
        return domain::inbox_settings{};
    if (rc != SQLITE_ROW)
        return step_error(rc);
    return domain::inbox_settings{s->integer(0) != 0, s->integer(1) != 0, s->integer(2) != 0};
}

boost::system::error_code sqlite_store::save_inbox_settings(const domain::account_ref& account,
                                                            const domain::inbox_settings& settings)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare("INSERT OR REPLACE INTO inbox_settings VALUES (?, ?, ?, ?, ?)");
    if (!s)
        return errc::statement_failed;
    s->bind(static_cast<std::int64_t>(account.kind))
        .bind(account.id)
        .bind(static_cast<std::int64_t>(settings.platform_discussions))
        .bind(static_cast<std::int64_t>(settings.mssante_professional))
        .bind(static_cast<std::int64_t>(settings.mssante_patient));
    return impl_->run(s);
}

boost::system::result<transport::folder_sync_state> sqlite_store::sync_state(std::string_view mailbox,
                                                                             std::string_view folder)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "SELECT uid_validity, uid_next, highest_modseq FROM sync_state WHERE mailbox = ? AND folder = ?");
    if (!s)
        return errc::statement_failed;
    s->bind(mailbox).bind(folder);
    const int rc = s->step();
    if (rc == SQLITE_DONE)
        return transport::folder_sync_state{};
    if (rc != SQLITE_ROW)
        return step_error(rc);
    return transport::folder_sync_state{static_cast<std::uint32_t>(s->integer(0)),
                                        static_cast<std::uint32_t>(s->integer(1)),
                                        static_cast<std::uint64_t>(s->integer(2))};
}

boost::system::error_code sqlite_store::apply(const folder_update& u)
{
    std::lock_guard lock(impl_->mutex);
    transaction tx(*impl_);
    if (auto ec = tx.begun())
        return ec;
    if (u.full_resync)
    {
        auto* s = impl_->prepare("DELETE FROM message WHERE mailbox = ? AND folder = ?");
        if (!s)
            return errc::statement_failed;
        s->bind(u.mailbox).bind(u.folder);
        if (auto ec = impl_->run(s))
            return ec;
    }
    for (auto uid : u.vanished)
    {
        auto* s = impl_->prepare("DELETE FROM message WHERE mailbox = ? AND folder = ? AND uid = ?");
        if (!s)
            return errc::statement_failed;
        s->bind(u.mailbox).bind(u.folder).bind(static_cast<std::int64_t>(uid));
        if (auto ec = impl_->run(s))
            return ec;
    }
    for (const auto& c : u.seen_changes)
    {
        auto* s = impl_->prepare("UPDATE message SET seen = ?, modseq = ? WHERE mailbox = ? AND folder = ? AND uid = ?");
        if (!s)
            return errc::statement_failed;
        s->bind(static_cast<std::int64_t>(c.seen))
            .bind(static_cast<std::int64_t>(c.modseq))
            .bind(u.mailbox)
            .bind(u.folder)
            .bind(static_cast<std::int64_t>(c.uid));
        if (auto ec = impl_->run(s))
            return ec;
    }
    for (const auto& m : u.added)
    {
        // OR IGNORE: a message already indexed (same folder and UID) is never duplicated.
        auto* s = impl_->prepare(
            "INSERT OR IGNORE INTO message (mailbox, folder, uid_validity, uid, message_id, subject, sender, date, "
            "size, seen, modseq, direction, exchange, counterpart, in_inbox) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!s)
            return errc::statement_failed;
        s->bind(u.mailbox)
            .bind(u.folder)
            .bind(static_cast<std::int64_t>(m.key.uid_validity))
            .bind(static_cast<std::int64_t>(m.key.uid))
            .bind(m.message_id)
            .bind(m.subject)
            .bind(m.from)
            .bind(seconds(m.date))
            .bind(static_cast<std::int64_t>(m.size))
            .bind(static_cast<std::int64_t>(m.seen))
            .bind(static_cast<std::int64_t>(m.modseq))
            .bind(static_cast<std::int64_t>(m.classification.direction))
            .bind(static_cast<std::int64_t>(m.classification.exchange))
            .bind(m.classification.counterpart)
            .bind(static_cast<std::int64_t>(m.in_inbox));
        if (auto ec = impl_->run(s))
            return ec;
    }
    for (const auto& r : u.receipts)
    {
        // OR IGNORE: the same receipt seen again (a resync, a second copy) keeps its first date.
        auto* s = impl_->prepare("INSERT OR IGNORE INTO read_receipt VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        if (!s)
            return errc::statement_failed;
        s->bind(r.mailbox)
            .bind(r.original_message_id)
            .bind(r.reader)
            .bind(r.disposition)
            .bind(seconds(r.date))
            .bind(r.notification.folder)
            .bind(static_cast<std::int64_t>(r.notification.uid_validity))
            .bind(static_cast<std::int64_t>(r.notification.uid));
        if (auto ec = impl_->run(s))
            return ec;
    }
    auto* state = impl_->prepare("INSERT OR REPLACE INTO sync_state VALUES (?, ?, ?, ?, ?)");
    if (!state)
        return errc::statement_failed;
    state->bind(u.mailbox)
        .bind(u.folder)
        .bind(static_cast<std::int64_t>(u.state.uid_validity))
        .bind(static_cast<std::int64_t>(u.state.uid_next))
        .bind(static_cast<std::int64_t>(u.state.highest_modseq));
    if (auto ec = impl_->run(state))
        return ec;
    return tx.commit();
}

boost::system::error_code sqlite_store::set_seen(const domain::message_key& key, bool seen)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "UPDATE message SET seen = ? WHERE mailbox = ? AND folder = ? AND uid_validity = ? AND uid = ?");
    if (!s)
        return errc::statement_failed;
    s->bind(static_cast<std::int64_t>(seen))
        .bind(key.mailbox)
        .bind(key.folder)
        .bind(static_cast<std::int64_t>(key.uid_validity))
        .bind(static_cast<std::int64_t>(key.uid));
    return impl_->run(s);
}

boost::system::result<std::optional<domain::indexed_message>> sqlite_store::find_message(const domain::message_key& key)
{
    std::lock_guard lock(impl_->mutex);
    static const std::string sql =
        std::string(message_columns) + "WHERE mailbox = ? AND folder = ? AND uid_validity = ? AND uid = ?";
    auto* s = impl_->prepare(sql.c_str());
    if (s)
        s->bind(key.mailbox).bind(key.folder).bind(static_cast<std::int64_t>(key.uid_validity)).bind(
            static_cast<std::int64_t>(key.uid));
    auto found = collect(s, read_message);
    if (!found)
        return found.error();
    if (found->empty())
        return std::optional<domain::indexed_message>();
    return std::optional<domain::indexed_message>(std::move(found->front()));
}

boost::system::result<message_page> sqlite_store::list(const folder_query& query)
{
    std::lock_guard lock(impl_->mutex);
    // One indexed query per mailbox (each reads at most `limit + 1` index entries in order), merged
    // here: an IN (...) over several mailboxes would make SQLite sort the whole folder.
    static std::array<std::array<std::string, 2>, domain::all_virtual_folders.size()> sql_first;
    static std::array<std::array<std::string, 2>, domain::all_virtual_folders.size()> sql_after;
    const auto f = static_cast<std::size_t>(query.folder);
    const std::size_t p = query.patients_allowed ? 1 : 0;
    auto& text = query.after ? sql_after[f][p] : sql_first[f][p];
    if (text.empty())
    {
        text = std::string(message_columns) + "WHERE mailbox = ? AND " + folder_condition(query.folder) +
               (query.patients_allowed ? "" : " AND exchange = 0") +
               (query.after ? " AND (date < ? OR (date = ? AND seq < ?))" : "") +
               " ORDER BY date DESC, seq DESC LIMIT ?";
    }
    std::vector<domain::indexed_message> merged;
    for (const auto& mailbox : query.mailboxes)
    {
        auto* s = impl_->prepare(text.c_str());
        if (!s)
            return errc::statement_failed;
        s->bind(mailbox);
        if (query.after)
            s->bind(seconds(query.after->date)).bind(seconds(query.after->date)).bind(query.after->sequence);
        s->bind(static_cast<std::int64_t>(query.limit + 1));
        auto rows = collect(s, read_message);
        if (!rows)
            return rows.error();
        merged.insert(merged.end(), std::make_move_iterator(rows->begin()), std::make_move_iterator(rows->end()));
    }
    std::sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) {
        return std::pair(a.date, a.sequence) > std::pair(b.date, b.sequence);
    });
    message_page page;
    const bool more = merged.size() > query.limit;
    merged.resize(std::min(merged.size(), query.limit));
    page.messages = std::move(merged);
    if (more)
        page.next = message_cursor{page.messages.back().date, page.messages.back().sequence};
    return page;
}

boost::system::result<std::vector<receipt_record>> sqlite_store::receipts_for(std::string_view mailbox,
                                                                                std::string_view message_id)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "SELECT mailbox, original_message_id, reader, disposition, date, folder, uid_validity, uid FROM read_receipt "
        "WHERE mailbox = ? AND original_message_id = ? ORDER BY date, reader, disposition");
    if (s)
        s->bind(mailbox).bind(message_id);
    return collect(s, [](const detail::statement& st) -> boost::system::result<receipt_record> {
        return receipt_record{st.text(0),
                              st.text(1),
                              st.text(2),
                              st.text(3),
                              time_of(st.integer(4)),
                              {st.text(0), st.text(5), static_cast<std::uint32_t>(st.integer(6)),
                               static_cast<std::uint32_t>(st.integer(7))}};
    });
}

boost::system::result<unread_counts> sqlite_store::count_unread(const std::vector<std::string>& mailboxes,
                                                                bool patients_allowed)
{
    std::lock_guard lock(impl_->mutex);
    // unread[exchange][in_inbox]
    std::size_t n[2][2] = {};
    for (const auto& mailbox : mailboxes)
    {
        auto* s = impl_->prepare("SELECT exchange, in_inbox, n FROM unread WHERE mailbox = ?");
        if (!s)
            return errc::statement_failed;
        s->bind(mailbox);
        int rc;
        while ((rc = s->step()) == SQLITE_ROW)
            n[s->integer(0) != 0][s->integer(1) != 0] += static_cast<std::size_t>(s->integer(2));
        if (rc != SQLITE_DONE)
            return step_error(rc);
    }
    const std::size_t professional = n[0][0] + n[0][1];
    const std::size_t patient = patients_allowed ? n[1][0] + n[1][1] : 0;
    const std::size_t inbox = n[0][1] + (patients_allowed ? n[1][1] : 0);
    using domain::virtual_folder;
    unread_counts counts{};
    counts[static_cast<std::size_t>(virtual_folder::professionals)] = professional;
    counts[static_cast<std::size_t>(virtual_folder::professionals_received)] = professional;
    counts[static_cast<std::size_t>(virtual_folder::patients)] = patient;
    counts[static_cast<std::size_t>(virtual_folder::patients_received)] = patient;
    counts[static_cast<std::size_t>(virtual_folder::all)] = professional + patient;
    counts[static_cast<std::size_t>(virtual_folder::unread)] = professional + patient;
    counts[static_cast<std::size_t>(virtual_folder::inbox)] = inbox;
    return counts;
}

boost::system::result<message_counts> sqlite_store::count_messages(const std::vector<std::string>& mailboxes,
                                                                   bool patients_allowed)
{
    std::lock_guard lock(impl_->mutex);
    // One row per kind of message present in the mailbox (at most 16, through the primary key);
    // each kind counts in the folders the domain's own rule puts it in.
    message_counts counts{};
    for (const auto& mailbox : mailboxes)
    {
        auto* s = impl_->prepare("SELECT exchange, direction, in_inbox, seen, n FROM message_total WHERE mailbox = ?");
        if (!s)
            return errc::statement_failed;
        s->bind(mailbox);
        int rc;
        while ((rc = s->step()) == SQLITE_ROW)
        {
            domain::folder_facts facts;
            facts.classification.exchange = static_cast<domain::exchange_kind>(s->integer(0));
            facts.classification.direction = static_cast<domain::message_direction>(s->integer(1));
            facts.in_inbox = s->integer(2) != 0;
            facts.seen = s->integer(3) != 0;
            const auto n = static_cast<std::size_t>(s->integer(4));
            for (std::size_t f = 0; f < counts.size(); ++f)
                if (domain::belongs_to(domain::all_virtual_folders[f], facts, patients_allowed))
                    counts[f] += n;
        }
        if (rc != SQLITE_DONE)
            return step_error(rc);
    }
    return counts;
}

namespace {

// Tabs and newlines separate fields and rows in the serialised lists: keep them out of values.
std::string flat(std::string_view text)
{
    std::string out(text);
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return out;
}

std::vector<std::vector<std::string>> rows_of(std::string_view text)
{
    std::vector<std::vector<std::string>> rows;
    std::size_t start = 0;
    while (start < text.size())
    {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::vector<std::string> fields;
        std::size_t f = start;
        for (;;)
        {
            const auto tab = text.find('\t', f);
            if (tab == std::string_view::npos || tab > end)
            {
                fields.emplace_back(text.substr(f, end - f));
                break;
            }
            fields.emplace_back(text.substr(f, tab - f));
            f = tab + 1;
        }
        rows.push_back(std::move(fields));
        start = end + 1;
    }
    return rows;
}

std::string serialise_recipients(const std::vector<transport::envelope_recipient>& recipients)
{
    std::string out;
    for (const auto& r : recipients)
        out += r.address.str() + "\t" + std::to_string(static_cast<unsigned>(r.notify)) + "\n";
    return out;
}

std::string serialise_results(const std::vector<transport::recipient_result>& results)
{
    std::string out;
    for (const auto& r : results)
        out += r.recipient.str() + "\t" + (r.accepted ? "1" : "0") + "\t" + std::to_string(r.code) + "\t" +
               flat(r.enhanced_code) + "\t" + flat(r.text) + "\n";
    return out;
}

constexpr const char* outbox_columns =
    "SELECT id, account_kind, account_id, person_id, sender, recipients, message_id, data, eight_bit, smtputf8, "
    "state, attempts, created_at, next_attempt_at, results, last_error, copy_pending FROM outbox ";

boost::system::result<outbox_item> read_outbox(const detail::statement& s)
{
    auto sender = domain::email_address::parse(s.text(4));
    if (!sender)
        return errc::statement_failed;
    outbox_item item{s.integer(0),
                     {static_cast<domain::account_kind>(s.integer(1)), s.text(2)},
                     s.text(3),
                     {*sender, {}, s.text(6), s.blob(7), s.integer(8) != 0, s.integer(9) != 0}};
    for (const auto& row : rows_of(s.text(5)))
    {
        auto address = domain::email_address::parse(row[0]);
        if (!address || row.size() != 2)
            return errc::statement_failed;
        item.message.recipients.push_back(
            {*address, static_cast<transport::dsn_notify>(std::stoul(row[1]))});
    }
    item.state = static_cast<domain::outbox_state>(s.integer(10));
    item.attempts = static_cast<unsigned>(s.integer(11));
    item.created_at = time_of(s.integer(12));
    item.next_attempt_at = time_of(s.integer(13));
    for (const auto& row : rows_of(s.text(14)))
    {
        auto address = domain::email_address::parse(row[0]);
        if (!address || row.size() != 5)
            return errc::statement_failed;
        item.results.push_back({*address, row[1] == "1", std::stoi(row[2]), row[3], row[4]});
    }
    item.last_error = s.text(15);
    item.copy_pending = s.integer(16) != 0;
    return item;
}

}  // namespace

boost::system::result<std::int64_t> sqlite_store::enqueue(const outbox_item& item)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "INSERT INTO outbox (account_kind, account_id, person_id, sender, recipients, message_id, data, eight_bit, "
        "smtputf8, state, attempts, created_at, next_attempt_at, results, last_error, copy_pending) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, '', '', 0)");
    if (!s)
        return errc::statement_failed;
    s->bind(static_cast<std::int64_t>(item.account.kind))
        .bind(item.account.id)
        .bind(item.person_id)
        .bind(item.message.envelope_sender.str())
        .bind(serialise_recipients(item.message.recipients))
        .bind(item.message.message_id)
        .bind_blob(item.message.data)
        .bind(static_cast<std::int64_t>(item.message.eight_bit))
        .bind(static_cast<std::int64_t>(item.message.needs_smtputf8))
        .bind(seconds(item.created_at))
        .bind(seconds(item.next_attempt_at));
    if (auto ec = impl_->run(s))
        return ec;
    return sqlite3_last_insert_rowid(impl_->db.native_handle());
}

boost::system::result<std::optional<outbox_item>> sqlite_store::outbox_item_by_id(std::int64_t id)
{
    std::lock_guard lock(impl_->mutex);
    static const std::string sql = std::string(outbox_columns) + "WHERE id = ?";
    auto* s = impl_->prepare(sql.c_str());
    if (s)
        s->bind(id);
    auto rows = collect(s, read_outbox);
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<outbox_item>();
    return std::optional<outbox_item>(std::move(rows->front()));
}

boost::system::result<std::optional<outbox_item>> sqlite_store::outbox_item_by_message_id(std::string_view mailbox,
                                                                                          std::string_view message_id)
{
    std::lock_guard lock(impl_->mutex);
    // message_id is UNIQUE: the lookup goes through its index.
    static const std::string sql = std::string(outbox_columns) + "WHERE message_id = ? AND sender = ?";
    auto* s = impl_->prepare(sql.c_str());
    if (s)
        s->bind(message_id).bind(mailbox);
    auto rows = collect(s, read_outbox);
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<outbox_item>();
    return std::optional<outbox_item>(std::move(rows->front()));
}

boost::system::error_code sqlite_store::update_outbox(const outbox_item& item)
{
    std::lock_guard lock(impl_->mutex);
    auto* s = impl_->prepare(
        "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, results = ?, last_error = ?, "
        "copy_pending = ? WHERE id = ?");
    if (!s)
        return errc::statement_failed;
    s->bind(static_cast<std::int64_t>(item.state))
        .bind(static_cast<std::int64_t>(item.attempts))
        .bind(seconds(item.next_attempt_at))
        .bind(serialise_results(item.results))
        .bind(item.last_error)
        .bind(static_cast<std::int64_t>(item.copy_pending))
        .bind(item.id);
    if (auto ec = impl_->run(s))
        return ec;
    return impl_->changes() == 1 ? boost::system::error_code() : boost::system::error_code(errc::statement_failed);
}

boost::system::result<std::vector<outbox_item>> sqlite_store::due_outbox(std::chrono::sys_seconds now)
{
    std::lock_guard lock(impl_->mutex);
    static const std::string sql =
        std::string(outbox_columns) + "WHERE state IN (0, 1) OR (state = 3 AND next_attempt_at <= ?) ORDER BY id";
    auto* s = impl_->prepare(sql.c_str());
    if (s)
        s->bind(seconds(now));
    return collect(s, read_outbox);
}

boost::system::result<std::vector<outbox_item>> sqlite_store::pending_copies()
{
    std::lock_guard lock(impl_->mutex);
    static const std::string sql = std::string(outbox_columns) + "WHERE state = 2 AND copy_pending = 1 ORDER BY id";
    return collect(impl_->prepare(sql.c_str()), read_outbox);
}

}  // namespace mss::store
