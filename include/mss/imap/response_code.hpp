// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::response_code` and `mss::imap::status_response`: the bracketed code and the
 *         text of `OK`, `NO`, `BAD`, `PREAUTH` and `BYE` responses.
 */
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace mss::imap {

/** @brief The response codes the library understands (RFC 3501, 4315, 5530, 7162, 6851). */
enum class response_code_kind : std::uint8_t
{
    /** @brief No `[...]` in the response. */
    none,
    /** @brief A code the library does not know; see `response_code::name` and `arguments`. */
    other,
    /** @brief `ALERT`: the text must be shown to the user. */
    alert,
    /** @brief `BADCHARSET`: the search charset is not supported; `atoms` lists supported ones. */
    badcharset,
    /** @brief `CAPABILITY`: `atoms` holds the capabilities. */
    capability,
    /** @brief `PARSE`: the server could not parse a message's headers. */
    parse,
    /** @brief `PERMANENTFLAGS`: `atoms` holds the flags that can be stored for good. */
    permanentflags,
    /** @brief `READ-ONLY`: the mailbox is selected read-only. */
    read_only,
    /** @brief `READ-WRITE`: the mailbox is selected read-write. */
    read_write,
    /** @brief `TRYCREATE`: the target mailbox does not exist and could be created. */
    trycreate,
    /** @brief `UIDNEXT n`. */
    uidnext,
    /** @brief `UIDVALIDITY n`. */
    uidvalidity,
    /** @brief `UNSEEN n`: the first unseen message's sequence number. */
    unseen,
    /** @brief `HIGHESTMODSEQ n` (CONDSTORE). */
    highestmodseq,
    /** @brief `NOMODSEQ`: the mailbox does not support modification sequences. */
    nomodseq,
    /** @brief `MODIFIED set`: messages a conditional STORE did not change; `uids` holds the set. */
    modified,
    /** @brief `APPENDUID uidvalidity uid` (UIDPLUS). */
    appenduid,
    /** @brief `COPYUID uidvalidity source destination` (UIDPLUS, also sent by MOVE). */
    copyuid,
    /** @brief `UIDNOTSTICKY`: UIDs of this mailbox do not persist across sessions. */
    uidnotsticky,
    /** @brief `CLOSED`: the previously selected mailbox is now closed (QRESYNC). */
    closed,
    /** @brief `AUTHENTICATIONFAILED`: wrong credentials. */
    authenticationfailed,
    /** @brief `AUTHORIZATIONFAILED`: credentials fine, access to the identity refused. */
    authorizationfailed,
    /** @brief `EXPIRED`: the credentials or the account have expired. */
    expired,
    /** @brief `PRIVACYREQUIRED`: the operation needs a protected (TLS) connection. */
    privacyrequired,
    /** @brief `UNAVAILABLE`: a temporary failure of the server. */
    unavailable,
    /** @brief `OVERQUOTA`: the mailbox or account is full. */
    overquota,
    /** @brief `ALREADYEXISTS`: the mailbox to create exists. */
    alreadyexists,
    /** @brief `NONEXISTENT`: the mailbox does not exist. */
    nonexistent,
    /** @brief `LIMIT`: a server limit was hit (e.g. a too large message). */
    limit,
    /** @brief `NOPERM`: the ACL does not allow it. */
    noperm,
};

/** @brief A parsed `[code arguments]` of a status response or continuation.
 *
 *  @par Object lifetimes
 *  Every `std::string_view` points into the `response_parser`'s buffer and stays valid until the
 *  next call to the parser's `feed()`, `next()` or `reset()`.
 */
struct response_code
{
    /** @brief Which code. */
    response_code_kind kind = response_code_kind::none;
    /** @brief The code's name as sent (e.g. `UIDVALIDITY`). */
    std::string_view name;
    /** @brief The raw text between the name and `]` (empty when none). */
    std::string_view arguments;
    /** @brief The number of `UIDNEXT`, `UIDVALIDITY`, `UNSEEN` and `HIGHESTMODSEQ`. */
    std::uint64_t number = 0;
    /** @brief The destination's UIDVALIDITY of `APPENDUID` and `COPYUID`. */
    std::uint32_t uidvalidity = 0;
    /** @brief `COPYUID`: the source UIDs (a sequence set, see `sequence_set::parse`). */
    std::string_view source_uids;
    /** @brief `APPENDUID`: the new UID(s); `COPYUID`: the destination UIDs; `MODIFIED`: the set. */
    std::string_view uids;
    /** @brief `CAPABILITY`, `PERMANENTFLAGS`, `BADCHARSET`: the listed atoms. */
    std::vector<std::string_view> atoms;

    /** @brief Empties the code, keeping the storage of `atoms`. */
    void clear() noexcept
    {
        kind = response_code_kind::none;
        name = {};
        arguments = {};
        number = 0;
        uidvalidity = 0;
        source_uids = {};
        uids = {};
        atoms.clear();
    }
};

/** @brief The condition of a status response. */
enum class status_condition : std::uint8_t
{
    /** @brief `OK`. */
    ok,
    /** @brief `NO`: the command failed. */
    no,
    /** @brief `BAD`: the command was not understood, or a protocol error. */
    bad,
    /** @brief `PREAUTH` (greeting only): the connection is already authenticated. */
    preauth,
    /** @brief `BYE`: the server is closing the connection. */
    bye,
};

/** @brief A status response: condition, optional code and human-readable text.
 *
 *  @par Object lifetimes
 *  As `response_code`.
 */
struct status_response
{
    /** @brief `OK`, `NO`, `BAD`, `PREAUTH` or `BYE`. */
    status_condition condition = status_condition::ok;
    /** @brief The bracketed response code, if any. */
    response_code code;
    /** @brief The text after the code; may contain personal data (do not log by default). */
    std::string_view text;
};

}  // namespace mss::imap
