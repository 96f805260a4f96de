// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/command.hpp>
#include <mss/imap/fetch_data.hpp>
#include <mss/imap/response.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace imap = mss::imap;
using namespace std::string_literals;

namespace {
imap::select_params select_of(std::string_view mailbox)
{
    imap::select_params p;
    p.mailbox = mailbox;
    return p;
}
}  // namespace

TEST_SUITE("imap commands")
{
    TEST_CASE("tags count up from their prefix")
    {
        imap::tag_generator tags;
        CHECK(tags.next() == "A1");
        CHECK(tags.next() == "A2");
        imap::tag_generator other("mss");
        CHECK(other.next() == "mss1");
        imap::tag_generator bad("a b+");
        CHECK(bad.next() == "A1");
    }

    TEST_CASE("simple commands are one line")
    {
        imap::command c;
        CHECK_FALSE(imap::serialize_capability(c, "A1"));
        CHECK_FALSE(imap::serialize_starttls(c, "A2"));
        CHECK_FALSE(imap::serialize_noop(c, "A3"));
        CHECK_FALSE(imap::serialize_close(c, "A4"));
        CHECK_FALSE(imap::serialize_idle(c, "A5"));
        imap::serialize_done(c);
        CHECK_FALSE(imap::serialize_logout(c, "A6"));
        CHECK(c.bytes == "A1 CAPABILITY\r\nA2 STARTTLS\r\nA3 NOOP\r\nA4 CLOSE\r\nA5 IDLE\r\nDONE\r\nA6 LOGOUT\r\n");
        CHECK(c.expect_bye);
        CHECK(c.tag == "A6");
    }

    TEST_CASE("LOGIN quotes or uses literals, and marks the credentials secret")
    {
        imap::command c;
        REQUIRE_FALSE(imap::serialize_login(c, "A1", "jean.martin@medecin.mssante.fr", "pa\"ss\\word"));
        CHECK(c.bytes == "A1 LOGIN \"jean.martin@medecin.mssante.fr\" \"pa\\\"ss\\\\word\"\r\n");
        REQUIRE(c.secrets.size() == 2);
        CHECK(c.bytes.substr(c.secrets[1].offset, c.secrets[1].length) == "pa\\\"ss\\\\word");
        CHECK(c.redacted() == "A1 LOGIN \"***\" \"***\"\r\n");
        CHECK(c.sync_points.empty());

        imap::command lit;
        REQUIRE_FALSE(imap::serialize_login(lit, "A2", "user", "mot de passe é"));
        CHECK(lit.bytes == "A2 LOGIN \"user\" {15}\r\nmot de passe é\r\n");
        REQUIRE(lit.sync_points.size() == 1);
        CHECK(lit.bytes.substr(0, lit.sync_points[0]) == "A2 LOGIN \"user\" {15}\r\n");
        CHECK(lit.redacted() == "A2 LOGIN \"***\" {15}\r\n***\r\n");

        imap::command plus;
        imap::command_options opts;
        opts.literal_plus = true;
        REQUIRE_FALSE(imap::serialize_login(plus, "A3", "user", "line\r\nA4 DELETE INBOX", opts));
        CHECK(plus.bytes == "A3 LOGIN \"user\" {21+}\r\nline\r\nA4 DELETE INBOX\r\n");
        CHECK(plus.sync_points.empty());
    }

    TEST_CASE("AUTHENTICATE PLAIN and XOAUTH2 use SASL-IR when offered")
    {
        imap::command c;
        REQUIRE_FALSE(imap::serialize_authenticate_plain(c, "A1", "tim", "tanstaaftanstaaf", true));
        CHECK(c.bytes == "A1 AUTHENTICATE PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n");
        CHECK(c.authenticate);
        CHECK(c.redacted() == "A1 AUTHENTICATE PLAIN ***\r\n");

        imap::command two;
        REQUIRE_FALSE(imap::serialize_authenticate_plain(two, "A2", "tim", "tanstaaftanstaaf", false));
        CHECK(two.bytes == "A2 AUTHENTICATE PLAIN\r\nAHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n");
        CHECK(two.sync_points == std::vector<std::size_t>{23});

        imap::command x;
        REQUIRE_FALSE(imap::serialize_authenticate_xoauth2(x, "A3", "someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg", true));
        CHECK(x.bytes == "A3 AUTHENTICATE XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==\r\n");

        imap::command bad;
        CHECK(imap::serialize_authenticate_plain(bad, "A4", "u\0x"s, "p", true) == mss::errc::invalid_argument);
        CHECK(imap::serialize_authenticate_xoauth2(bad, "A4", "u", "tok\x01", true) == mss::errc::invalid_argument);
        CHECK(imap::serialize_authenticate_xoauth2(bad, "A4", "u\r\n", "tok", true) == mss::errc::invalid_argument);
        CHECK(bad.bytes.empty());
        CHECK(bad.secrets.empty());
    }

    TEST_CASE("arguments that could inject a command are refused and nothing is appended")
    {
        imap::command c;
        c.bytes = "A0 NOOP\r\n";
        const std::string_view bad_flags[] = {"\\Seen\r\nA9 DELETE INBOX"};
        imap::store_params store;
        store.uids.add(1);
        store.flags = bad_flags;
        CHECK(imap::serialize_uid_store(c, "A1", store) == mss::errc::invalid_argument);
        CHECK(imap::serialize_capability(c, "A1\r\nA2") == mss::errc::invalid_argument);
        CHECK(imap::serialize_capability(c, "") == mss::errc::invalid_argument);
        CHECK(imap::serialize_login(c, "A1", "user", "pass\0word"s) == mss::errc::invalid_argument);
        const std::string_view bad_section[] = {"1]\r\nA9 LOGOUT\r\n"};
        imap::fetch_params fetch;
        fetch.uids.add(1);
        fetch.body_sections = bad_section;
        CHECK(imap::serialize_uid_fetch(c, "A1", fetch) == mss::errc::invalid_argument);
        const std::string_view bad_caps[] = {"QRESYNC\r\n"};
        CHECK(imap::serialize_enable(c, "A1", bad_caps) == mss::errc::invalid_argument);
        imap::search_criteria search;
        search.header_name = "Message-ID\r\n";
        CHECK(imap::serialize_uid_search(c, "A1", search) == mss::errc::invalid_argument);
        imap::append_params append;
        const std::string with_nul = "a\0b"s;
        append.mailbox = "Sent";
        append.message = with_nul;
        CHECK(imap::serialize_append(c, "A1", append) == mss::errc::invalid_argument);
        CHECK(imap::serialize_select(c, "A1", select_of("\xff")) == mss::errc::invalid_argument);
        CHECK(c.bytes == "A0 NOOP\r\n");
        CHECK(c.secrets.empty());
        CHECK(c.sync_points.empty());
    }

    TEST_CASE("a header value with CR or LF goes as a literal, never inline")
    {
        imap::command c;
        imap::search_criteria search;
        search.header_name = "Message-ID";
        search.header_value = "<x@y>\r\nA2 LOGOUT";
        REQUIRE_FALSE(imap::serialize_uid_search(c, "A1", search));
        CHECK(c.bytes == "A1 UID SEARCH HEADER Message-ID {16}\r\n<x@y>\r\nA2 LOGOUT\r\n");
        CHECK(c.sync_points.size() == 1);
    }

    TEST_CASE("ENABLE, LIST and SELECT with CONDSTORE or QRESYNC")
    {
        imap::command c;
        const std::string_view caps[] = {"QRESYNC", "UTF8=ACCEPT"};
        REQUIRE_FALSE(imap::serialize_enable(c, "A1", caps));
        REQUIRE_FALSE(imap::serialize_list(c, "A2", "", "*", true));
        REQUIRE_FALSE(imap::serialize_select(c, "A3", {"Entwürfe", false, true, {}}));
        imap::select_params q;
        q.mailbox = "inbox";
        q.qresync = imap::qresync_params{67890007, 20050715194045000ull, imap::sequence_set::parse("41,43:211").value()};
        REQUIRE_FALSE(imap::serialize_select(c, "A4", q));
        q.read_only = true;
        q.qresync->known_uids.clear();
        REQUIRE_FALSE(imap::serialize_select(c, "A5", q));
        CHECK(c.bytes == "A1 ENABLE QRESYNC UTF8=ACCEPT\r\n"
                         "A2 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n"
                         "A3 SELECT Entw&APw-rfe (CONDSTORE)\r\n"
                         "A4 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211))\r\n"
                         "A5 EXAMINE INBOX (QRESYNC (67890007 20050715194045000))\r\n");
        imap::command u;
        imap::command_options utf8;
        utf8.utf8 = true;
        REQUIRE_FALSE(imap::serialize_select(u, "A6", select_of("Entwürfe"), utf8));
        CHECK(u.bytes == "A6 SELECT \"Entwürfe\"\r\n");
        imap::command s;
        REQUIRE_FALSE(imap::serialize_status(s, "A7", "Sent",
                                             static_cast<std::uint32_t>(imap::status_item::uidnext) |
                                                 static_cast<std::uint32_t>(imap::status_item::messages)));
        CHECK(s.bytes == "A7 STATUS Sent (MESSAGES UIDNEXT)\r\n");
    }

    TEST_CASE("UID SEARCH, UID FETCH and UID STORE")
    {
        imap::command c;
        imap::search_criteria s;
        s.unseen = true;
        s.since = imap::date{2024, 2, 1};
        s.header_name = "Message-ID";
        s.header_value = "<abc@medecin.mssante.fr>";
        s.modseq = 620162338;
        REQUIRE_FALSE(imap::serialize_uid_search(c, "A1", s));
        REQUIRE_FALSE(imap::serialize_uid_search(c, "A2", {}));
        imap::search_criteria accent;
        accent.header_name = "Subject";
        accent.header_value = "Résultats";
        REQUIRE_FALSE(imap::serialize_uid_search(c, "A3", accent));
        CHECK(c.bytes == "A1 UID SEARCH UNSEEN SINCE 1-Feb-2024 HEADER Message-ID <abc@medecin.mssante.fr> "
                         "MODSEQ 620162338\r\nA2 UID SEARCH ALL\r\n"
                         "A3 UID SEARCH CHARSET UTF-8 HEADER Subject {10}\r\nRésultats\r\n");

        imap::command f;
        imap::fetch_params p;
        p.uids = imap::sequence_set::parse("1:*").value();
        p.items = static_cast<std::uint32_t>(imap::fetch_item::uid) | static_cast<std::uint32_t>(imap::fetch_item::flags) |
                  static_cast<std::uint32_t>(imap::fetch_item::envelope) |
                  static_cast<std::uint32_t>(imap::fetch_item::body_structure) |
                  static_cast<std::uint32_t>(imap::fetch_item::modseq);
        const std::string_view sections[] = {"HEADER.FIELDS (MESSAGE-ID)"};
        p.body_sections = sections;
        p.changed_since = 12345;
        p.vanished = true;
        REQUIRE_FALSE(imap::serialize_uid_fetch(f, "A4", p));
        CHECK(f.bytes == "A4 UID FETCH 1:* (UID FLAGS MODSEQ ENVELOPE BODYSTRUCTURE "
                         "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]) (CHANGEDSINCE 12345 VANISHED)\r\n");
        p.changed_since.reset();
        CHECK(imap::serialize_uid_fetch(f, "A5", p) == mss::errc::invalid_argument);

        imap::command st;
        imap::store_params sp;
        sp.uids = imap::sequence_set::parse("4,7:9").value();
        const std::string_view flags[] = {"\\Seen", "$Forwarded"};
        sp.flags = flags;
        sp.unchanged_since = 320162338;
        REQUIRE_FALSE(imap::serialize_uid_store(st, "A6", sp));
        sp.mode = imap::store_mode::remove;
        sp.silent = false;
        sp.unchanged_since.reset();
        REQUIRE_FALSE(imap::serialize_uid_store(st, "A7", sp));
        CHECK(st.bytes == "A6 UID STORE 4,7:9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Seen $Forwarded)\r\n"
                          "A7 UID STORE 4,7:9 -FLAGS (\\Seen $Forwarded)\r\n");
    }

    TEST_CASE("APPEND waits for the continuation unless LITERAL+ is offered")
    {
        const std::string message = "From: a@b\r\nSubject: x\r\n\r\nBonjour\r\n";
        const std::string_view flags[] = {"\\Seen"};
        imap::append_params p;
        p.mailbox = "Sent";
        p.message = message;
        p.flags = flags;
        p.internal_date = imap::date_time{2024, 7, 3, 8, 5, 9, -420};
        imap::command sync;
        REQUIRE_FALSE(imap::serialize_append(sync, "A1", p));
        CHECK(sync.bytes == "A1 APPEND Sent (\\Seen) \"03-Jul-2024 08:05:09 -0700\" {34}\r\n" + message + "\r\n");
        REQUIRE(sync.sync_points.size() == 1);
        CHECK(sync.bytes.substr(sync.sync_points[0]) == message + "\r\n");

        imap::command plus;
        imap::command_options opts;
        opts.literal_plus = true;
        p.flags = {};
        p.internal_date.reset();
        REQUIRE_FALSE(imap::serialize_append(plus, "A2", p, opts));
        CHECK(plus.bytes == "A2 APPEND Sent {34+}\r\n" + message + "\r\n");
        CHECK(plus.sync_points.empty());
    }

    TEST_CASE("UID MOVE, UID COPY and UID EXPUNGE")
    {
        imap::command c;
        const auto set = imap::sequence_set::parse("42:44").value();
        REQUIRE_FALSE(imap::serialize_uid_move(c, "A1", set, "Corbeille"));
        REQUIRE_FALSE(imap::serialize_uid_copy(c, "A2", set, "Archives/2024"));
        REQUIRE_FALSE(imap::serialize_uid_expunge(c, "A3", set));
        CHECK(c.bytes == "A1 UID MOVE 42:44 Corbeille\r\nA2 UID COPY 42:44 Archives/2024\r\nA3 UID EXPUNGE 42:44\r\n");
        CHECK(imap::serialize_uid_expunge(c, "A4", {}) == mss::errc::invalid_argument);
    }
}
