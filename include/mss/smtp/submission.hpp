// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief The SMTP submission state machines: `session_fsm` (greeting, STARTTLS, AUTH),
 *         `send_fsm` (one message), `reset_fsm` (RSET) and `quit_fsm` (QUIT).
 *
 *  Theory of operation
 *  -------------------
 *  Each state machine is sans-I/O (after Boost.MySQL's algorithms and h11): it never touches a
 *  socket, a clock or TLS. `resume(io_ec, received)` takes the outcome of the previous step and
 *  returns the next `mss::sansio::action`: write bytes, read, start TLS, or done. The first call
 *  is `resume({}, {})`. `received` is read only after a `read` action; `io_ec` (any non-empty
 *  error of the previous step) ends the machine with that same error. Once `done` has been
 *  returned, every further call returns the same `done` again: nothing is ever sent after an
 *  error.
 *
 *  A connection goes through the machines in order:
 *
 *      session_fsm --ready--> send_fsm --> (reset_fsm) --> send_fsm ... --> quit_fsm
 *
 *  The session machine establishes a protected, authenticated session and hands over the
 *  post-TLS `capabilities`; each send machine submits one message over it. Bytes are never
 *  carried from one machine to the next: a machine that finds bytes after the last reply it
 *  expects ends with `mss::errc::unexpected_response` (the server answered something that was
 *  not asked, which is how response injection looks).
 *
 *  Session (the state the machine waits in, and what moves it on):
 *
 *  | state       | event                                  | action, next state                    |
 *  |-------------|----------------------------------------|---------------------------------------|
 *  | start       | `resume({}, {})`                       | read, greeting                        |
 *  | greeting    | 220                                    | write EHLO, ehlo                      |
 *  | greeting    | 4yz/5yz (554: no service)              | done(reply code)                      |
 *  | ehlo        | 250, STARTTLS mode, still in clear     | STARTTLS offered: write STARTTLS,     |
 *  |             |                                        | starttls; else done(starttls_not_offered) |
 *  | ehlo        | 250, TLS active                        | choose SASL: write AUTH, auth;        |
 *  |             |                                        | `none`: done(success)                 |
 *  | starttls    | 220, no byte after it                  | start_tls, handshake                  |
 *  | starttls    | 220, bytes after it in the buffer      | done(starttls_injection)              |
 *  | handshake   | success                                | write EHLO, ehlo (old capabilities    |
 *  |             |                                        | discarded)                            |
 *  | auth        | 235                                    | done(success): ready                  |
 *  | auth        | 334 (LOGIN)                            | write base64 user, then password      |
 *  | auth        | 334 (XOAUTH2 error challenge)          | write empty line, auth_error          |
 *  | auth        | 535, or another 5yz                    | done(auth_failed)                     |
 *  | auth        | 504, 534                               | done(auth_mechanism_unavailable)      |
 *  | auth        | 4yz (454: temporary failure)           | done(reply code)                      |
 *  | auth_error  | any reply                              | done(auth_failed, or 4yz reply code)  |
 *  | any         | I/O error                              | done(that error)                      |
 *  | any         | malformed reply, limit                 | done(malformed_response / limit_exceeded) |
 *  | any         | code that does not fit the command     | done(unexpected_response)             |
 *
 *  AUTH is reachable only through "TLS active" (implicit TLS, or after the STARTTLS handshake),
 *  so credentials are never sent in clear. The mechanism:
 *  - an explicit `auth_mechanism` must be offered by the server, else
 *    done(`smtp::errc::auth_mechanism_unavailable`) — never a silent downgrade;
 *  - `automatic`: a bearer token (`secret_kind::bearer_token`) uses XOAUTH2 and nothing else; a
 *    password uses PLAIN, or LOGIN when only LOGIN is offered; an empty secret uses EXTERNAL
 *    (the TLS client certificate). Otherwise done(`auth_mechanism_unavailable`).
 *
 *  Message (`send_fsm`), after the checks that need no round trip (recipients present, SIZE
 *  limit, 8BITMIME, SMTPUTF8, arguments: any failure ends the machine before the first write):
 *
 *  | state       | event                                  | action, next state                    |
 *  |-------------|----------------------------------------|---------------------------------------|
 *  | start       | PIPELINING                             | write MAIL + every RCPT + DATA, mail  |
 *  | start       | no PIPELINING                          | write MAIL, mail                      |
 *  | mail        | 250                                    | (no PIPELINING: write RCPT 1) rcpt    |
 *  | mail        | 4yz/5yz, no PIPELINING                 | done(reply code; 552: message_too_large) |
 *  | rcpt        | 2yz / 4yz / 5yz                        | accepted / refused (kept in result);  |
 *  |             |                                        | next RCPT, then DATA (no PIPELINING:  |
 *  |             |                                        | one write each)                       |
 *  | rcpt        | last one, none accepted, no PIPELINING | write RSET, rset                      |
 *  | data        | 354, MAIL ok and a recipient accepted  | write message (dot-stuffed), body     |
 *  | data        | 354 otherwise (broken server)          | write `.`, abort, then RSET           |
 *  | data        | 4yz/5yz                                | MAIL was accepted: write RSET, rset;  |
 *  |             |                                        | else done(MAIL's error)               |
 *  | body        | 250                                    | done(success); result() complete      |
 *  | body        | 4yz/5yz                                | done(reply code; 552: message_too_large) |
 *  | rset        | any reply                              | done(the error that led to RSET:      |
 *  |             |                                        | all_recipients_refused or DATA's code) |
 *
 *  Success with some recipients refused is a partial delivery: `result()` lists every
 *  recipient's code. With PIPELINING a refused MAIL FROM still lets every pipelined reply be
 *  read before the machine ends, so that the connection stays in step.
 *
 *  Diagnostics: each machine fills its own `mss::diagnostics` on error, with the server's text
 *  as `server_message()` (it may hold personal data) and the library's explanation, reply code
 *  and enhanced code as `client_message()`. Credentials never appear in either.
 *
 *  Object lifetimes: the bytes of a `write` action belong to the machine and stay valid until
 *  the next `resume()`; do not move or destroy a machine while an action is being executed.
 *  `send_params::message` is not copied: it must stay alive until `send_fsm` is done.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/email_address.hpp>
#include <mss/sansio/action.hpp>
#include <mss/smtp/capabilities.hpp>
#include <mss/smtp/command.hpp>
#include <mss/smtp/dot_stuffer.hpp>
#include <mss/smtp/reply.hpp>
#include <mss/smtp/reply_parser.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mss::smtp {

/** @brief How the connection gets TLS. There is no clear-text mode. */
enum class tls_mode
{
    /** @brief Port 587: the session runs STARTTLS, and fails if the server does not offer it. */
    starttls,
    /** @brief Port 465: the I/O layer did the TLS handshake before the greeting. */
    implicit,
};

/** @brief The SASL mechanism to authenticate with. */
enum class auth_mechanism
{
    /** @brief Chosen from the credentials and the server's offer (see the file comment). */
    automatic,
    /** @brief XOAUTH2 with a bearer token (Pro Santé Connect access token). */
    xoauth2,
    /** @brief PLAIN (RFC 4616) with a password. */
    plain,
    /** @brief LOGIN (obsolete, two base64 round trips) with a password. */
    login,
    /** @brief EXTERNAL (RFC 4422): the identity of the TLS client certificate. */
    external,
    /** @brief No AUTH command (the server identifies the client otherwise). */
    none,
};

/** @brief What `credentials::secret` holds. */
enum class secret_kind
{
    /** @brief A password (PLAIN, LOGIN). */
    password,
    /** @brief An OAuth 2.0 bearer access token (XOAUTH2). */
    bearer_token,
};

/** @brief Who the client authenticates as. The secret is never copied into diagnostics. */
struct credentials
{
    /** @brief The mechanism; `automatic` by default. */
    auth_mechanism mechanism = auth_mechanism::automatic;
    /** @brief The user name (usually the mailbox address); unused by EXTERNAL. */
    std::string user;
    /** @brief The password or the bearer token; empty for EXTERNAL. */
    std::string secret;
    /** @brief What `secret` is. */
    secret_kind kind = secret_kind::password;
};

/** @brief Arguments of `session_fsm`. */
struct session_params
{
    /** @brief The client's name in EHLO: a host name or an address literal (`[192.0.2.1]`). */
    std::string ehlo_domain;
    /** @brief STARTTLS (default) or implicit TLS. */
    tls_mode tls = tls_mode::starttls;
    /** @brief The credentials. */
    credentials auth;
    /** @brief Limits of the reply parser. */
    reply_parser_options parser;
};

/** @brief Opens a submission session: greeting, EHLO, STARTTLS, EHLO again, AUTH.
 *
 *  @code
 *  mss::smtp::session_fsm session({.ehlo_domain = "client.example", .auth = {...}});
 *  auto act = session.resume({}, {});
 *  // ... run the actions (see mss/sansio/action.hpp) until act.type() == done ...
 *  if (!act.error()) use(session.server_capabilities());
 *  @endcode
 *
 *  @par Errors
 *  I/O errors as given; `mss::errc::starttls_not_offered`, `starttls_injection`,
 *  `malformed_response`, `limit_exceeded`, `unexpected_response`, `invalid_argument` (EHLO
 *  domain or credentials that cannot be written; detected before the first write);
 *  `smtp::errc::auth_failed`, `auth_mechanism_unavailable`; other negative replies as
 *  `smtp::reply_category()` errors whose value is the reply code.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API session_fsm
{
public:
    /** @brief Prepares a session; nothing happens before the first `resume()`. */
    explicit session_fsm(session_params params);

    /** @brief Advances the machine with the outcome of the previous action (see the file comment). */
    sansio::action resume(boost::system::error_code io_ec, std::string_view received);

    /** @brief Tells whether the session is established (done with success). */
    [[nodiscard]] bool ready() const noexcept { return ready_; }

    /** @brief The server's capabilities from the last EHLO (after TLS once the session is ready). */
    [[nodiscard]] const capabilities& server_capabilities() const noexcept { return caps_; }

    /** @brief The mechanism actually used (`none` before AUTH or when no AUTH was sent). */
    [[nodiscard]] auth_mechanism used_mechanism() const noexcept { return used_mechanism_; }

    /** @brief The bytes of the current `write` action that hold credentials, as offsets into
     *         `action::bytes()`; empty for writes without credentials. For redacting traces.
     */
    [[nodiscard]] const std::vector<secret_range>& secrets() const noexcept { return secrets_; }

    /** @brief The negative or unexpected reply that ended the machine, if one did. */
    [[nodiscard]] const std::optional<reply>& failed_reply() const noexcept { return failed_reply_; }

    /** @brief Details of the error that ended the machine. */
    [[nodiscard]] const diagnostics& diag() const noexcept { return diag_; }

private:
    enum class step
    {
        start,
        greeting,
        ehlo,
        starttls,
        handshake,
        auth,
        auth_login_user,
        auth_login_password,
        auth_error,
        done,
    };

    sansio::action on_reply(const reply& r);
    sansio::action on_ehlo(const reply& r);
    sansio::action on_auth_reply(const reply& r);
    sansio::action start_auth();
    sansio::action send_ehlo();
    sansio::action write(step next);
    sansio::action finish(boost::system::error_code ec);
    sansio::action fail(boost::system::error_code ec, std::string message);
    sansio::action fail_reply(boost::system::error_code ec, const reply& r, std::string_view what);
    void wipe_output() noexcept;
    void wipe_secret() noexcept;

    session_params params_;
    step step_ = step::start;
    bool awaiting_write_ = false;
    bool tls_active_;
    bool ready_ = false;
    auth_mechanism used_mechanism_ = auth_mechanism::none;
    boost::system::error_code result_;
    reply_parser parser_;
    std::string input_;
    std::string out_;
    std::vector<secret_range> secrets_;
    capabilities caps_;
    std::optional<reply> failed_reply_;
    std::string challenge_;  // XOAUTH2 error challenge, decoded, for diagnostics
    diagnostics diag_;
};

/** @brief One envelope recipient. */
struct recipient
{
    /** @brief A recipient with optional DSN settings; implicit, so that a list of addresses
     *         converts to a list of recipients.
     */
    recipient(domain::email_address address_, dsn_notify notify_ = dsn_notify::none,
        std::optional<domain::email_address> original_ = std::nullopt)
        : address(std::move(address_)), notify(notify_), original(std::move(original_))
    {
    }

    /** @brief The address. */
    domain::email_address address;
    /** @brief DSN `NOTIFY=` (sent only when the server offers DSN). */
    dsn_notify notify = dsn_notify::none;
    /** @brief DSN `ORCPT=` (sent only when the server offers DSN); must be ASCII. */
    std::optional<domain::email_address> original;
};

/** @brief Arguments of `send_fsm`. */
struct send_params
{
    /** @brief The envelope sender; empty for the null reverse-path `<>`. */
    std::optional<domain::email_address> sender;
    /** @brief The envelope recipients, at least one. Duplicates are sent as given. */
    std::vector<recipient> recipients;
    /** @brief The whole message (RFC 5322 headers and body), any line endings. Not copied:
     *         it must outlive the machine's run.
     */
    std::string_view message;
    /** @brief Size announced with `SIZE=` and checked against the server's limit; the size of
     *         `message` when empty.
     */
    std::optional<std::uint64_t> size_hint;
    /** @brief The message has 8-bit content: `BODY=8BITMIME`, fails without 8BITMIME. */
    bool eight_bit = false;
    /** @brief The message needs SMTPUTF8 (UTF-8 headers). Also turned on by any address with a
     *         UTF-8 local part; fails when the server lacks SMTPUTF8.
     */
    bool smtputf8 = false;
    /** @brief DSN `RET=` (sent only when the server offers DSN). */
    dsn_return ret = dsn_return::unspecified;
    /** @brief DSN `ENVID=` (sent only when the server offers DSN); empty for none. */
    std::string envid;
    /** @brief Limits of the reply parser. */
    reply_parser_options parser;
};

/** @brief The server's answer for one recipient. */
struct recipient_result
{
    /** @brief The recipient, as in `send_params`. */
    domain::email_address recipient;
    /** @brief Whether RCPT TO was accepted (2yz). */
    bool accepted = false;
    /** @brief The RCPT TO reply code (250, 452, 550, ...); 0 when no reply was read. */
    int code = 0;
    /** @brief The enhanced status code, when the server sent one. */
    std::optional<enhanced_status_code> enhanced_code;
    /** @brief The server's text (may contain personal data: do not log it by default). */
    std::string text;
};

/** @brief The outcome of `send_fsm`. */
struct send_result
{
    /** @brief One entry per recipient, in envelope order. */
    std::vector<recipient_result> recipients;
    /** @brief The reply code after the data (250 on success); 0 when not reached. */
    int final_code = 0;
    /** @brief The text of that reply; often holds the server's queue id. */
    std::string final_reply;

    /** @brief How many recipients were accepted. */
    [[nodiscard]] std::size_t accepted_count() const noexcept
    {
        std::size_t n = 0;
        for (const auto& r : recipients)
            n += r.accepted ? 1 : 0;
        return n;
    }
};

/** @brief Submits one message over a ready session.
 *
 *  @par Errors
 *  Before anything is sent: `mss::errc::invalid_argument` (no recipient, an argument the
 *  serialisers refuse), `smtp::errc::message_too_large`, `eight_bit_not_supported`,
 *  `smtputf8_required`. Afterwards: I/O errors, `smtp::errc::all_recipients_refused` (then
 *  `result()` holds each refusal), `message_too_large` (552), negative replies as
 *  `smtp::reply_category()` errors, `mss::errc::malformed_response`, `limit_exceeded`,
 *  `unexpected_response`. An error after the data was sent (a lost connection while waiting
 *  for the final reply) leaves it unknown whether the message was queued.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API send_fsm
{
public:
    /** @brief Prepares the submission; `caps` comes from the ready session. */
    send_fsm(capabilities caps, send_params params);

    /** @brief Advances the machine with the outcome of the previous action (see the file comment). */
    sansio::action resume(boost::system::error_code io_ec, std::string_view received);

    /** @brief Per-recipient answers and the final reply; filled as replies arrive. */
    [[nodiscard]] const send_result& result() const noexcept { return result_; }

    /** @brief The negative or unexpected reply that ended the machine, if one did. */
    [[nodiscard]] const std::optional<reply>& failed_reply() const noexcept { return failed_reply_; }

    /** @brief Details of the error that ended the machine. */
    [[nodiscard]] const diagnostics& diag() const noexcept { return diag_; }

    /** @brief Input bytes the DATA payload is written in, per `write` action. */
    static constexpr std::size_t data_chunk_size = 64 * 1024;

private:
    enum class step
    {
        start,
        mail,
        rcpt,
        data,
        body,
        abort_body,
        rset,
        done,
    };

    sansio::action start();
    std::optional<sansio::action> on_reply(const reply& r);  // empty: read the next reply
    boost::system::error_code all_refused();
    sansio::action write_body_chunk();
    sansio::action send_rset(boost::system::error_code pending);
    sansio::action write(step next);
    sansio::action complete(boost::system::error_code ec);
    sansio::action finish(boost::system::error_code ec);
    sansio::action fail(boost::system::error_code ec, std::string message);
    sansio::action fail_reply(boost::system::error_code ec, const reply& r, std::string_view what);
    void record_failure(const reply& r, std::string_view what);

    capabilities caps_;
    send_params params_;
    step step_ = step::start;
    bool awaiting_write_ = false;
    bool mail_accepted_ = false;
    std::size_t rcpt_index_ = 0;     // recipient whose reply is awaited next
    std::size_t body_offset_ = 0;    // message bytes already encoded
    std::string mail_line_;
    std::vector<std::string> rcpt_lines_;
    boost::system::error_code mail_error_;  // pipelined MAIL refusal, reported after the batch
    boost::system::error_code pending_;     // error to report once RSET is answered
    boost::system::error_code result_ec_;
    send_result result_;
    reply_parser parser_;
    std::string input_;
    std::string out_;
    dot_stuffer stuffer_;
    std::optional<reply> failed_reply_;
    diagnostics diag_;
};

/** @brief Sends one command without arguments whose answer is a single reply: RSET, NOOP or
 *         QUIT. `reset_fsm` and `quit_fsm` name the two uses a session needs.
 *
 *  Success is any 2yz reply (250, or 221 for QUIT).
 *
 *  @par Errors
 *  I/O errors; negative replies as `smtp::reply_category()` errors; `mss::errc::malformed_response`,
 *  `limit_exceeded`, `unexpected_response`.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API command_fsm
{
public:
    /** @brief The command to send. */
    enum class command
    {
        /** @brief `RSET`: abandon the current transaction (between messages, after an error). */
        rset,
        /** @brief `NOOP`: check that the session is alive. */
        noop,
        /** @brief `QUIT`: end the session; the server then closes the connection. */
        quit,
    };

    /** @brief Prepares the command; nothing happens before the first `resume()`. */
    explicit command_fsm(command cmd, reply_parser_options parser = {});

    /** @brief Advances the machine with the outcome of the previous action. */
    sansio::action resume(boost::system::error_code io_ec, std::string_view received);

    /** @brief The server's reply once it arrived (positive or not). */
    [[nodiscard]] const std::optional<reply>& server_reply() const noexcept { return reply_; }

    /** @brief Details of the error that ended the machine. */
    [[nodiscard]] const diagnostics& diag() const noexcept { return diag_; }

private:
    enum class step
    {
        start,
        written,
        reading,
        done,
    };

    sansio::action finish(boost::system::error_code ec);

    command command_;
    step step_ = step::start;
    boost::system::error_code result_;
    reply_parser parser_;
    std::string input_;
    std::string out_;
    std::optional<reply> reply_;
    diagnostics diag_;
};

/** @brief RSET between two messages (or after an abandoned one). The caller decides when. */
class MSS_API reset_fsm : public command_fsm
{
public:
    /** @brief Prepares the RSET. */
    explicit reset_fsm(reply_parser_options parser = {}) : command_fsm(command::rset, parser) {}
};

/** @brief QUIT at the end of the session. Closing the connection afterwards is the I/O layer's job. */
class MSS_API quit_fsm : public command_fsm
{
public:
    /** @brief Prepares the QUIT. */
    explicit quit_fsm(reply_parser_options parser = {}) : command_fsm(command::quit, parser) {}
};

}  // namespace mss::smtp
