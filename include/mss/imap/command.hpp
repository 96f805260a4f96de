// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief IMAP4rev1 command serialisers: `mss::imap::command` and the `serialize_*` family.
 *
 *  Each `serialize_*` function appends one complete command (tag, arguments, CRLF) to a
 *  `command`. Arguments are written in the safest form the grammar allows: an atom when every
 *  character permits it, a quoted string when it holds no CR, LF, NUL or (unless UTF-8 is on)
 *  8-bit byte, a literal otherwise. Arguments that cannot be literals (tags, flags, sections,
 *  keywords) are checked instead: a CR, LF, NUL or other forbidden character makes the function
 *  fail with `mss::errc::invalid_argument` and leaves the `command` exactly as it was, so that no
 *  injected command can reach the wire.
 *
 *  A synchronising literal (`{n}`) obliges the client to wait for the server's `+` before sending
 *  the octets: its position is recorded in `command::sync_points`, and the command FSM sends the
 *  bytes in segments. With `LITERAL+` (or `LITERAL-` for small ones) literals are sent as `{n+}`
 *  in one go. AUTHENTICATE without SASL-IR uses the same mechanism for its one response.
 *
 *  Credentials are recorded in `command::secrets`, so that a protocol trace can replace them
 *  (MailKit's secret detectors, done at the source instead of by pattern matching).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/imap/capabilities.hpp>
#include <mss/imap/date_time.hpp>
#include <mss/imap/sequence_set.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mss::imap {

/** @brief A byte range of `command::bytes` that holds a credential. */
struct secret_range
{
    /** @brief Offset of the first secret byte. */
    std::size_t offset = 0;
    /** @brief Number of secret bytes. */
    std::size_t length = 0;

    friend bool operator==(const secret_range&, const secret_range&) = default;
};

/** @brief Serialised command bytes with what the sender and a tracer must know about them.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
struct command
{
    /** @brief The bytes to send (one or more complete commands). */
    std::string bytes;
    /** @brief The tag of the last command appended (empty for `DONE`). */
    std::string tag;
    /** @brief Offsets into `bytes` where the client must stop and wait for a `+` continuation
     *         before sending what follows (synchronising literals, AUTHENTICATE responses). */
    std::vector<std::size_t> sync_points;
    /** @brief Ranges of `bytes` holding credentials, to be redacted in traces. */
    std::vector<secret_range> secrets;
    /** @brief True for AUTHENTICATE: a `+` after everything was sent is a server challenge (e.g.
     *         an XOAUTH2 error report) that the client answers with an empty line. */
    bool authenticate = false;
    /** @brief True for LOGOUT: the server's `* BYE` is the expected answer, not a failure. */
    bool expect_bye = false;

    /** @brief Empties the command, keeping storage. */
    void clear() noexcept
    {
        bytes.clear();
        tag.clear();
        sync_points.clear();
        secrets.clear();
        authenticate = false;
        expect_bye = false;
    }

    /** @brief `bytes` with every secret range replaced by `***` (for traces). */
    [[nodiscard]] MSS_API std::string redacted() const;
};

/** @brief How arguments may be written, derived from the server's capabilities. */
struct command_options
{
    /** @brief `LITERAL+`: every literal may be non-synchronising. */
    bool literal_plus = false;
    /** @brief `LITERAL-`: literals up to 4096 octets may be non-synchronising. */
    bool literal_minus = false;
    /** @brief UTF8=ACCEPT is enabled: mailbox names are sent as UTF-8 (not modified UTF-7) and
     *         quoted strings may hold UTF-8. */
    bool utf8 = false;
    /** @brief `BINARY`: an APPEND message holding NUL bytes is sent as a `~{n}` literal. */
    bool binary = false;

    /** @brief The options a server with `caps` allows (`utf8_enabled`: after ENABLE UTF8=ACCEPT). */
    [[nodiscard]] static command_options from(const capability_set& caps, bool utf8_enabled = false) noexcept
    {
        command_options o;
        o.literal_plus = caps.literal_plus();
        o.literal_minus = caps.literal_minus();
        o.utf8 = utf8_enabled;
        o.binary = caps.binary();
        return o;
    }
};

/** @brief Generates command tags `A1`, `A2`, ... (prefix configurable).
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API tag_generator
{
public:
    /** @brief Tags will be `prefix` followed by a counter from 1; `prefix` must be 1–8 letters. */
    explicit tag_generator(std::string_view prefix = "A");
    /** @brief The next tag. */
    [[nodiscard]] std::string next();

private:
    std::string prefix_;
    std::uint64_t counter_ = 0;
};

/** @brief SELECT/EXAMINE with QRESYNC (RFC 7162 §3.2.5): what the client already knows. */
struct qresync_params
{
    /** @brief The UIDVALIDITY of the cached state. */
    std::uint32_t uidvalidity = 0;
    /** @brief The HIGHESTMODSEQ of the cached state. */
    std::uint64_t modseq = 0;
    /** @brief The UIDs the client knows (optional: empty to leave out). */
    sequence_set known_uids;
};

/** @brief Arguments of SELECT / EXAMINE. */
struct select_params
{
    /** @brief Mailbox name in UTF-8 (encoded to modified UTF-7 unless `command_options::utf8`). */
    std::string_view mailbox;
    /** @brief EXAMINE instead of SELECT. */
    bool read_only = false;
    /** @brief Add `(CONDSTORE)`. Ignored when `qresync` is set (QRESYNC implies it). */
    bool condstore = false;
    /** @brief Add `(QRESYNC (...))`. QRESYNC must have been ENABLEd. */
    std::optional<qresync_params> qresync;
};

/** @brief A few UID SEARCH keys, combined with AND. All unset means `ALL`. */
struct search_criteria
{
    /** @brief `ALL`. */
    bool all = false;
    /** @brief `UNSEEN`. */
    bool unseen = false;
    /** @brief `SINCE date` (internal date). */
    std::optional<date> since;
    /** @brief `HEADER name value` when `header_name` is not empty (e.g. `Message-ID`). */
    std::string_view header_name;
    /** @brief The value searched in `header_name` (substring match). */
    std::string_view header_value;
    /** @brief `MODSEQ n` (CONDSTORE): changed since modification sequence n. */
    std::optional<std::uint64_t> modseq;
    /** @brief `UID set` when not empty. */
    sequence_set uids;
};

/** @brief Arguments of UID FETCH. */
struct fetch_params
{
    /** @brief The UIDs to fetch (must not be empty). */
    sequence_set uids;
    /** @brief Items: bitwise or of `fetch_item` values `uid`, `flags`, `internal_date`,
     *         `rfc822_size`, `modseq`, `envelope`, `body_structure` (the others are ignored). */
    std::uint32_t items = 0;
    /** @brief Sections fetched as `BODY.PEEK[section]` (does not set `\Seen`): `""` for the whole
     *         message, `"HEADER"`, `"1.2"`, `"HEADER.FIELDS (Message-ID)"`. */
    std::span<const std::string_view> body_sections;
    /** @brief Sections fetched as `BINARY.PEEK[section]` (decoded by the server; needs BINARY). */
    std::span<const std::string_view> binary_sections;
    /** @brief `(CHANGEDSINCE n)` (CONDSTORE). */
    std::optional<std::uint64_t> changed_since;
    /** @brief Add `VANISHED` to CHANGEDSINCE (QRESYNC): report expunged UIDs as VANISHED (EARLIER). */
    bool vanished = false;
};

/** @brief How UID STORE changes flags. */
enum class store_mode : std::uint8_t
{
    /** @brief `+FLAGS`. */
    add,
    /** @brief `-FLAGS`. */
    remove,
    /** @brief `FLAGS` (replace). */
    replace,
};

/** @brief Arguments of UID STORE. */
struct store_params
{
    /** @brief The UIDs (must not be empty). */
    sequence_set uids;
    /** @brief Add, remove or replace. */
    store_mode mode = store_mode::add;
    /** @brief Flags such as `\Seen` or keywords such as `$Forwarded`. */
    std::span<const std::string_view> flags;
    /** @brief `.SILENT`: no untagged FETCH with the new flags. */
    bool silent = true;
    /** @brief `(UNCHANGEDSINCE n)` (CONDSTORE): store only where MODSEQ <= n. */
    std::optional<std::uint64_t> unchanged_since;
};

/** @brief Arguments of APPEND. */
struct append_params
{
    /** @brief Target mailbox (UTF-8). */
    std::string_view mailbox;
    /** @brief The RFC 5322 message, CRLF line ends. */
    std::string_view message;
    /** @brief Flags to set (e.g. `\Seen` for a copy in Sent). */
    std::span<const std::string_view> flags;
    /** @brief Internal date; the server's clock when absent. */
    std::optional<date_time> internal_date;
};

/** @brief Appends `tag CAPABILITY`.
 *  @par Errors
 *  `mss::errc::invalid_argument` for a malformed tag (for every function of this family).
 *  @par Thread safety
 *  Reentrant (for every function of this family).
 */
MSS_API boost::system::error_code serialize_capability(command& out, std::string_view tag);
/** @brief Appends `tag NOOP`. */
MSS_API boost::system::error_code serialize_noop(command& out, std::string_view tag);
/** @brief Appends `tag LOGOUT`. */
MSS_API boost::system::error_code serialize_logout(command& out, std::string_view tag);
/** @brief Appends `tag STARTTLS`. */
MSS_API boost::system::error_code serialize_starttls(command& out, std::string_view tag);
/** @brief Appends `tag CLOSE`. */
MSS_API boost::system::error_code serialize_close(command& out, std::string_view tag);
/** @brief Appends `tag IDLE`. */
MSS_API boost::system::error_code serialize_idle(command& out, std::string_view tag);
/** @brief Appends `DONE`, the end of IDLE (untagged). */
MSS_API void serialize_done(command& out);

/** @brief Appends `tag LOGIN user password`; both are marked secret.
 *  @par Errors
 *  `mss::errc::invalid_argument` when either holds NUL (not representable in IMAP) or is empty.
 */
MSS_API boost::system::error_code serialize_login(command& out, std::string_view tag, std::string_view user,
                                                  std::string_view password, const command_options& opts = {});

/** @brief Appends `tag AUTHENTICATE PLAIN` (RFC 4616) with the response on the same line when
 *         `sasl_ir` (the server's SASL-IR), else after a sync point. The response is secret.
 *  @par Errors
 *  `mss::errc::invalid_argument` when a field holds NUL or `user`/`password` is empty.
 */
MSS_API boost::system::error_code serialize_authenticate_plain(command& out, std::string_view tag,
                                                               std::string_view user, std::string_view password,
                                                               bool sasl_ir, std::string_view authzid = {});

/** @brief Appends `tag AUTHENTICATE XOAUTH2` with an OAuth 2.0 bearer token (Pro Santé Connect),
 *         on the same line when `sasl_ir`, else after a sync point. The response is secret.
 *  @par Errors
 *  `mss::errc::invalid_argument` when `user` or `token` is empty or holds a control character.
 */
MSS_API boost::system::error_code serialize_authenticate_xoauth2(command& out, std::string_view tag,
                                                                 std::string_view user, std::string_view token,
                                                                 bool sasl_ir);

/** @brief Appends `tag ENABLE cap...` (e.g. `QRESYNC`, `UTF8=ACCEPT`).
 *  @par Errors
 *  `mss::errc::invalid_argument` when `capabilities` is empty or one is not an atom.
 */
MSS_API boost::system::error_code serialize_enable(command& out, std::string_view tag,
                                                   std::span<const std::string_view> capabilities);

/** @brief Appends `tag LIST reference pattern [RETURN (SPECIAL-USE)]`.
 *  @par Errors
 *  `mss::errc::invalid_argument` when a name is not valid UTF-8 or holds NUL.
 */
MSS_API boost::system::error_code serialize_list(command& out, std::string_view tag, std::string_view reference,
                                                 std::string_view pattern, bool return_special_use,
                                                 const command_options& opts = {});

/** @brief Appends `tag SELECT|EXAMINE mailbox [(CONDSTORE) | (QRESYNC (...))]`.
 *  @par Errors
 *  `mss::errc::invalid_argument` for an invalid name, or a QRESYNC with uidvalidity or modseq 0.
 */
MSS_API boost::system::error_code serialize_select(command& out, std::string_view tag, const select_params& params,
                                                   const command_options& opts = {});

/** @brief Appends `tag STATUS mailbox (items)`; `items` is a bitwise or of `status_item` values.
 *  @par Errors
 *  `mss::errc::invalid_argument` for an invalid name or no item.
 */
MSS_API boost::system::error_code serialize_status(command& out, std::string_view tag, std::string_view mailbox,
                                                   std::uint32_t items, const command_options& opts = {});

/** @brief Appends `tag UID SEARCH [CHARSET UTF-8] keys`.
 *  @par Errors
 *  `mss::errc::invalid_argument` for an invalid date or header name, or a NUL in the value.
 */
MSS_API boost::system::error_code serialize_uid_search(command& out, std::string_view tag,
                                                       const search_criteria& criteria,
                                                       const command_options& opts = {});

/** @brief Appends `tag UID FETCH set (items) [(CHANGEDSINCE n [VANISHED])]`.
 *  @par Errors
 *  `mss::errc::invalid_argument` for an empty set, no item, a section holding `]` or a control
 *  character, or VANISHED without CHANGEDSINCE.
 */
MSS_API boost::system::error_code serialize_uid_fetch(command& out, std::string_view tag,
                                                      const fetch_params& params);

/** @brief Appends `tag UID STORE set [(UNCHANGEDSINCE n)] ±FLAGS[.SILENT] (flags)`.
 *  @par Errors
 *  `mss::errc::invalid_argument` for an empty set or a flag that is not a (backslash) atom.
 */
MSS_API boost::system::error_code serialize_uid_store(command& out, std::string_view tag,
                                                      const store_params& params);

/** @brief Appends `tag APPEND mailbox [(flags)] ["date-time"] literal`; synchronising unless
 *         LITERAL+ (or LITERAL- and at most 4096 octets).
 *  @par Errors
 *  `mss::errc::invalid_argument` for an invalid name, flag or date, an empty message, or a NUL
 *  in the message when `opts.binary` is off.
 */
MSS_API boost::system::error_code serialize_append(command& out, std::string_view tag, const append_params& params,
                                                   const command_options& opts = {});

/** @brief Appends `tag UID MOVE set mailbox` (RFC 6851).
 *  @par Errors
 *  `mss::errc::invalid_argument` for an empty set or an invalid name.
 */
MSS_API boost::system::error_code serialize_uid_move(command& out, std::string_view tag, const sequence_set& uids,
                                                     std::string_view mailbox, const command_options& opts = {});

/** @brief Appends `tag UID COPY set mailbox`.
 *  @par Errors
 *  As `serialize_uid_move`.
 */
MSS_API boost::system::error_code serialize_uid_copy(command& out, std::string_view tag, const sequence_set& uids,
                                                     std::string_view mailbox, const command_options& opts = {});

/** @brief Appends `tag UID EXPUNGE set` (UIDPLUS): expunges only these `\Deleted` messages.
 *  @par Errors
 *  `mss::errc::invalid_argument` for an empty set.
 */
MSS_API boost::system::error_code serialize_uid_expunge(command& out, std::string_view tag,
                                                        const sequence_set& uids);

}  // namespace mss::imap
