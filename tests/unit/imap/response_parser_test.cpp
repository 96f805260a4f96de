// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>
#include <mss/imap/response_parser.hpp>

#include "dovecot_transcripts.hpp"
#include "imap_test_support.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace imap_test;
namespace imap = mss::imap;

namespace {

// Parses every response of `input` and hands them to `check` one by one, with their index.
template <class Check>
std::size_t for_each_response(std::string_view input, Check check)
{
    imap::response_parser parser;
    imap::response r;
    mss::diagnostics diag;
    boost::system::error_code ec;
    parser.feed(input);
    std::size_t i = 0;
    while (parser.next(r, ec, diag))
        check(i++, r);
    INFO(diag.client_message());
    CHECK_FALSE(ec);
    CHECK(parser.buffered() == 0);
    return i;
}

}  // namespace

TEST_SUITE("imap response parser")
{
    TEST_CASE("the Dovecot greeting carries its capabilities in a response code")
    {
        with_response(dovecot::greeting, [](const imap::response& r) {
            CHECK(r.kind == imap::response_kind::untagged_status);
            CHECK(r.status.condition == imap::status_condition::ok);
            CHECK(r.status.code.kind == imap::response_code_kind::capability);
            CHECK(r.status.code.atoms.size() == 9);
            CHECK(r.status.code.atoms[7] == "STARTTLS");
            CHECK(r.status.text == "Dovecot ready.");
        });
    }

    TEST_CASE("a LIST transcript gives special-use roles and names decoded from modified UTF-7")
    {
        std::vector<std::string> names;
        std::vector<std::uint32_t> bits;
        const auto count = for_each_response(dovecot::list_special_use, [&](std::size_t, const imap::response& r) {
            if (r.data != imap::data_kind::list)
                return;
            CHECK(r.list.delimiter == '/');
            names.emplace_back(r.list.name);
            bits.push_back(r.list.attribute_bits);
        });
        CHECK(count == 9);
        REQUIRE(names.size() == 8);
        CHECK(names[0] == "INBOX");
        CHECK(names[5] == "Entwürfe");
        CHECK(names[6] == "Entwürfe/Patients & suivis");
        CHECK(names[7] == "~peter/mail/台北/日本語");
        CHECK((bits[1] & static_cast<std::uint32_t>(imap::mailbox_attribute::sent)) != 0);
        CHECK((bits[2] & static_cast<std::uint32_t>(imap::mailbox_attribute::drafts)) != 0);
        CHECK((bits[3] & static_cast<std::uint32_t>(imap::mailbox_attribute::trash)) != 0);
        CHECK((bits[4] & static_cast<std::uint32_t>(imap::mailbox_attribute::junk)) != 0);
        CHECK((bits[7] & static_cast<std::uint32_t>(imap::mailbox_attribute::noselect)) != 0);
    }

    TEST_CASE("names stay as sent once UTF8=ACCEPT is enabled")
    {
        imap::response_parser parser;
        parser.set_utf8_mode(true);
        imap::response r;
        mss::diagnostics diag;
        boost::system::error_code ec;
        parser.feed(crlf("* LIST () \"/\" \"Entw&APw-rfe\"\n"));
        REQUIRE(parser.next(r, ec, diag));
        CHECK(r.list.name == "Entw&APw-rfe");
    }

    TEST_CASE("a SELECT with QRESYNC reports UIDVALIDITY, HIGHESTMODSEQ and vanished UIDs")
    {
        for_each_response(dovecot::select_qresync, [&](std::size_t i, const imap::response& r) {
            switch (i)
            {
            case 0:
                CHECK(r.data == imap::data_kind::flags);
                CHECK(r.atoms.size() == 6);
                break;
            case 1:
                CHECK(r.status.code.kind == imap::response_code_kind::permanentflags);
                CHECK(r.status.code.atoms.back() == "\\*");
                break;
            case 2:
                CHECK(r.data == imap::data_kind::exists);
                CHECK(r.number == 12);
                break;
            case 3: CHECK(r.data == imap::data_kind::recent); break;
            case 4:
                CHECK(r.status.code.kind == imap::response_code_kind::unseen);
                CHECK(r.status.code.number == 3);
                break;
            case 5:
                CHECK(r.status.code.kind == imap::response_code_kind::uidvalidity);
                CHECK(r.status.code.number == 1700000000);
                break;
            case 6: CHECK(r.status.code.number == 13); break;
            case 7:
                CHECK(r.status.code.kind == imap::response_code_kind::highestmodseq);
                CHECK(r.status.code.number == 42);
                break;
            case 8:
                CHECK(r.data == imap::data_kind::vanished);
                CHECK(r.vanished.earlier);
                CHECK(r.vanished.uids.to_string() == "1:2,5");
                break;
            case 9:
                CHECK(r.fetch.uid == 7);
                CHECK(r.fetch.modseq == 40);
                break;
            case 10:
                CHECK(r.kind == imap::response_kind::tagged);
                CHECK(r.tag == "A4");
                CHECK(r.status.code.kind == imap::response_code_kind::read_write);
                break;
            default: FAIL("too many responses");
            }
        });
    }

    TEST_CASE("a FETCH with ENVELOPE decodes literals, NIL, escapes and group syntax")
    {
        with_response(dovecot::fetch_envelope, [](const imap::response& r) {
            REQUIRE(r.data == imap::data_kind::fetch);
            const auto& f = r.fetch;
            CHECK(f.sequence == 1);
            CHECK(f.uid == 101);
            CHECK(f.rfc822_size == 2345);
            CHECK(f.modseq == 12);
            REQUIRE(f.flags.size() == 2);
            CHECK(f.flags[1] == "$Forwarded");
            CHECK(f.internal_date == imap::date_time{2024, 1, 7, 9, 15, 2, 60});
            CHECK(f.internal_date.to_sys_seconds().time_since_epoch().count() == 1704615302);
            CHECK(f.envelope.date == "Sun, 07 Jan 2024 09:15:00 +0100");
            CHECK(f.envelope.subject == dovecot::subject);
            CHECK(imap::decode_subject(f.envelope) == "Résultats biologiques \"urgent\"");
            const auto from = f.addresses_of(f.envelope.from);
            REQUIRE(from.size() == 1);
            CHECK(from[0].name == "Dr Jean Martin");
            CHECK(imap::decode_display_name(from[0]) == "Dr Jean Martin");
            CHECK(from[0].mailbox == "jean.martin");
            CHECK(from[0].host == "medecin.mssante.fr");
            const auto to = f.addresses_of(f.envelope.to);
            REQUIRE(to.size() == 3);
            CHECK(to[0].kind == imap::address_kind::group_start);
            CHECK(to[0].mailbox == "equipe");
            CHECK(to[1].name == "Secr\"etariat");
            CHECK(to[2].kind == imap::address_kind::group_end);
            CHECK(f.addresses_of(f.envelope.cc).empty());
            CHECK(f.envelope.in_reply_to.empty());
            CHECK(f.envelope.message_id == "<abc123@medecin.mssante.fr>");
        });
    }

    TEST_CASE("a BODYSTRUCTURE of a multipart/mixed with an attachment and a message/rfc822 is a tree")
    {
        with_response(dovecot::fetch_bodystructure, [](const imap::response& r) {
            const auto& f = r.fetch;
            REQUIRE(f.has(imap::fetch_item::body_structure));
            const auto& b = f.body_structure;
            REQUIRE(b.size() == 7);
            CHECK(b[0].multipart);
            CHECK(b[0].subtype == "mixed");
            CHECK(b[0].child_count == 3);
            CHECK(f.param(b[0].params, "BOUNDARY") == "outer");
            CHECK(f.section_of(0).empty());
            CHECK(b[1].type == "text");
            CHECK(b[1].lines == 5);
            CHECK(f.section_of(1) == "1");
            CHECK(b[2].subtype == "pdf");
            CHECK(b[2].size == 54000);
            CHECK(b[2].disposition == "attachment");
            CHECK(f.param(b[2].disposition_params, "filename") == "resultats.pdf");
            CHECK(f.section_of(2) == "2");
            CHECK(b[3].type == "message");
            CHECK(b[3].lines == 30);
            CHECK(b[3].child_count == 1);
            CHECK(b[3].subtree_size == 4);
            REQUIRE(b[3].envelope == 0);
            CHECK(f.envelopes[0].subject == "Compte rendu");
            CHECK(f.addresses_of(f.envelopes[0].from)[0].host == "labo.mssante.fr");
            REQUIRE(f.languages_of(b[3].languages).size() == 2);
            CHECK(f.languages_of(b[3].languages)[0] == "fr");
            CHECK(f.section_of(3) == "3");
            CHECK(b[4].multipart);
            CHECK(b[4].subtype == "alternative");
            CHECK(f.section_of(5) == "3.1");
            CHECK(f.section_of(6) == "3.2");
            CHECK(b[6].subtype == "html");
        });
    }

    TEST_CASE("BODYSTRUCTURE tolerates missing extension data and a single-part message")
    {
        with_response(crlf("* 5 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 12))\n"),
                      [](const imap::response& r) {
                          const auto& b = r.fetch.body_structure;
                          REQUIRE(b.size() == 1);
                          CHECK(b[0].lines == 0);
                          CHECK(r.fetch.section_of(0) == "1");
                      });
        with_response(crlf("* 5 FETCH (BODY ((\"TEXT\" \"PLAIN\" () NIL NIL \"7BIT\" 12 1) \"MIXED\"))\n"),
                      [](const imap::response& r) {
                          REQUIRE(r.fetch.body_structure.size() == 2);
                          CHECK(r.fetch.body_structure[0].subtype == "MIXED");
                      });
    }

    TEST_CASE("VANISHED (EARLIER) and a FETCH answer a CHANGEDSINCE fetch")
    {
        for_each_response(dovecot::fetch_changedsince, [&](std::size_t i, const imap::response& r) {
            if (i == 0)
            {
                CHECK(r.vanished.earlier);
                CHECK(r.vanished.uids.count() == 1 + 74 + 1 + 92 + 327);
                CHECK(r.vanished.uids.contains(300));
                CHECK_FALSE(r.vanished.uids.contains(42));
            }
            if (i == 1)
                CHECK(r.fetch.modseq == 90060115194045001ull);
        });
    }

    TEST_CASE("body sections, partial origins, BINARY and RFC822 items are delivered")
    {
        const std::string body = "Subject: x\r\n\r\nBonjour\r\n";
        const std::string input = "* 7 FETCH (UID 8 BODY[] " + lit(body) + " BODY[HEADER.FIELDS (MESSAGE-ID)] " +
                                  lit("Message-ID: <a@b>\r\n\r\n") + " BODY[1]<0> \"Bonj\" BINARY[2] ~" +
                                  lit(std::string("\0\x01z", 3)) +
                                  " BINARY.SIZE[2] 3 RFC822.HEADER NIL BODY[TEXT] NIL)\r\n";
        with_response(input, [&](const imap::response& r) {
            const auto& s = r.fetch.sections;
            REQUIRE(s.size() == 6);
            CHECK(s[0].section.empty());
            CHECK(s[0].data == body);
            CHECK(s[1].section == "HEADER.FIELDS (MESSAGE-ID)");
            CHECK(s[2].partial);
            CHECK(s[2].origin == 0);
            CHECK(s[2].data == "Bonj");
            CHECK(s[3].binary);
            CHECK(s[3].data == std::string("\0\x01z", 3));
            CHECK(s[4].section == "HEADER");
            CHECK(s[4].nil);
            CHECK(s[5].nil);
            REQUIRE(r.fetch.binary_sizes.size() == 1);
            CHECK(r.fetch.binary_sizes[0].size == 3);
        });
    }

    TEST_CASE("unknown FETCH items and response codes are skipped or kept as text")
    {
        with_response(crlf("* 1 FETCH (X-GM-LABELS (\\Inbox \"a b\") UID 4 EMAILID (M6d99ac3275bb4e) "
                           "X-FOO[1]<5> NIL)\n"),
                      [](const imap::response& r) { CHECK(r.fetch.uid == 4); });
        with_response(crlf("A9 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)\n"),
                      [](const imap::response& r) {
                          CHECK(r.status.condition == imap::status_condition::no);
                          CHECK(r.status.code.kind == imap::response_code_kind::overquota);
                      });
        with_response(crlf("* OK [X-SOMETHING 1 2 (3)] hello\n"), [](const imap::response& r) {
            CHECK(r.status.code.kind == imap::response_code_kind::other);
            CHECK(r.status.code.name == "X-SOMETHING");
            CHECK(r.status.code.arguments == "1 2 (3)");
        });
        with_response(crlf("* OK [UIDNEXT abc] odd\n"), [](const imap::response& r) {
            CHECK(r.status.code.kind == imap::response_code_kind::other);
            CHECK(r.status.code.arguments == "abc");
        });
    }

    TEST_CASE("APPENDUID, COPYUID, MODIFIED, CLOSED and AUTHENTICATIONFAILED are decoded")
    {
        with_response(crlf("A1 OK [APPENDUID 38505 3955] APPEND completed\n"), [](const imap::response& r) {
            CHECK(r.status.code.kind == imap::response_code_kind::appenduid);
            CHECK(r.status.code.uidvalidity == 38505);
            CHECK(r.status.code.uids == "3955");
        });
        with_response(crlf("* OK [COPYUID 38505 304,319:320 3956:3958] Moved UIDs.\n"), [](const imap::response& r) {
            CHECK(r.status.code.kind == imap::response_code_kind::copyuid);
            CHECK(r.status.code.source_uids == "304,319:320");
            CHECK(r.status.code.uids == "3956:3958");
        });
        with_response(crlf("A2 OK [MODIFIED 7,9] Conditional STORE failed\n"),
                      [](const imap::response& r) { CHECK(r.status.code.uids == "7,9"); });
        with_response(crlf("* OK [CLOSED] Previous mailbox closed.\n"),
                      [](const imap::response& r) { CHECK(r.status.code.kind == imap::response_code_kind::closed); });
        with_response(crlf("A3 NO [AUTHENTICATIONFAILED] Authentication failed.\n"), [](const imap::response& r) {
            CHECK(r.status.code.kind == imap::response_code_kind::authenticationfailed);
            CHECK(r.status.text == "Authentication failed.");
        });
        with_response(crlf("A4 OK [READ-ONLY] Examine completed\n"), [](const imap::response& r) {
            CHECK(r.status.code.kind == imap::response_code_kind::read_only);
        });
        with_response(crlf("* NO [ALERT] Maintenance ce soir\n"),
                      [](const imap::response& r) { CHECK(r.status.code.kind == imap::response_code_kind::alert); });
        with_response(crlf("A5 NO [TRYCREATE] Mailbox doesn't exist: Archives\n"), [](const imap::response& r) {
            CHECK(r.status.code.kind == imap::response_code_kind::trycreate);
        });
        with_response(crlf("* OK [NOMODSEQ] No permanent modsequences\n"),
                      [](const imap::response& r) { CHECK(r.status.code.kind == imap::response_code_kind::nomodseq); });
    }

    TEST_CASE("SEARCH with MODSEQ, ESEARCH, STATUS, ENABLED and continuations are decoded")
    {
        with_response(crlf("* SEARCH 2 5 6 (MODSEQ 917162500)\n"), [](const imap::response& r) {
            CHECK(r.search.numbers == std::vector<std::uint32_t>{2, 5, 6});
            CHECK(r.search.modseq == 917162500);
        });
        with_response(crlf("* SEARCH\n"), [](const imap::response& r) { CHECK(r.search.numbers.empty()); });
        with_response(crlf("* SEARCH 4 \n"), [](const imap::response& r) { CHECK(r.search.numbers.size() == 1); });
        with_response(crlf("* ESEARCH (TAG \"A285\") UID MIN 7 MAX 3800 COUNT 15 ALL 7,9:12 MODSEQ 20\n"),
                      [](const imap::response& r) {
                          CHECK(r.esearch.tag == "A285");
                          CHECK(r.esearch.uid);
                          CHECK(r.esearch.min == 7);
                          CHECK(r.esearch.max == 3800);
                          CHECK(r.esearch.count == 15);
                          CHECK(r.esearch.all == "7,9:12");
                          CHECK(r.esearch.modseq == 20);
                      });
        with_response(crlf("* STATUS \"Entw&APw-rfe\" (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 1 HIGHESTMODSEQ 7)\n"),
                      [](const imap::response& r) {
                          CHECK(r.status_data.name == "Entwürfe");
                          CHECK(r.status_data.messages == 231);
                          CHECK(r.status_data.uidnext == 44292);
                          CHECK(r.status_data.has(imap::status_item::highestmodseq));
                          CHECK_FALSE(r.status_data.has(imap::status_item::unseen));
                      });
        with_response(crlf("* ENABLED QRESYNC CONDSTORE\n"),
                      [](const imap::response& r) { CHECK(r.atoms.size() == 2); });
        with_response(crlf("+ dXNlcj1mb28=\n"), [](const imap::response& r) {
            CHECK(r.kind == imap::response_kind::continuation);
            CHECK(r.status.text == "dXNlcj1mb28=");
        });
        with_response(crlf("+\n"), [](const imap::response& r) { CHECK(r.kind == imap::response_kind::continuation); });
        with_response(crlf("* NAMESPACE ((\"\" \"/\")) NIL NIL\n"), [](const imap::response& r) {
            CHECK(r.data == imap::data_kind::other);
            CHECK(r.name == "NAMESPACE");
        });
    }

    TEST_CASE("literals may hold mailbox names and use the non-synchronising form")
    {
        const std::string input = "* LIST (\\HasNoChildren) \"/\" " + lit("Dossier \"Martin\"") + "\r\n" +
                                  "* 2 FETCH (BODY[] {5+}\r\nhello UID 3)\r\n";
        const auto out = parse_every_way(input);
        CHECK_FALSE(out.ec);
        REQUIRE(out.responses.size() == 2);
        CHECK(out.responses[0].find("name=Dossier \"Martin\"") != std::string::npos);
        CHECK(out.responses[1].find("]=hello") != std::string::npos);
    }

    TEST_CASE("a status text ending like a literal announcement is only text")
    {
        const std::string input = crlf("* OK Size limit {5}\nA1 OK done {12}\n");
        const auto out = parse_every_way(input);
        CHECK_FALSE(out.ec);
        CHECK(out.responses.size() == 2);
    }

    TEST_CASE("every transcript gives the same responses whole, byte by byte and in random splits")
    {
        for (const auto& t : {dovecot::greeting, dovecot::list_special_use, dovecot::select_qresync,
                              dovecot::fetch_envelope, dovecot::fetch_bodystructure, dovecot::fetch_changedsince,
                              dovecot::idle_events})
        {
            const auto out = parse_every_way(t);
            CHECK_FALSE(out.ec);
            CHECK_FALSE(out.responses.empty());
        }
    }

    TEST_CASE("a literal announced at 2 GB fails at once without waiting or allocating")
    {
        imap::response_parser parser;
        imap::response r;
        mss::diagnostics diag;
        boost::system::error_code ec;
        parser.feed("* 1 FETCH (BODY[] {2147483648}\r\n");
        CHECK_FALSE(parser.next(r, ec, diag));
        CHECK(ec == imap::errc::literal_too_large);
        CHECK(diag.position()->offset == 18);
        // Sticky: more input changes nothing.
        parser.feed("more");
        CHECK_FALSE(parser.next(r, ec, diag));
        CHECK(ec == imap::errc::literal_too_large);

        const auto huge = parse_every_way("* 1 FETCH (BODY[] {99999999999999999999999999999}\r\n");
        CHECK(huge.ec == imap::errc::literal_too_large);
    }

    TEST_CASE("an endless line is bounded by the line limit")
    {
        imap::response_parser_options options;
        options.max_line_length = 1000;
        imap::response_parser parser(options);
        imap::response r;
        mss::diagnostics diag;
        boost::system::error_code ec;
        parser.feed("* OK ");
        const std::string chunk(300, 'x');
        int fed = 0;
        while (!ec && fed < 100)
        {
            parser.feed(chunk);
            ++fed;
            CHECK_FALSE(parser.next(r, ec, diag));
        }
        CHECK(ec == mss::errc::limit_exceeded);
        CHECK(fed <= 4);
    }

    TEST_CASE("the total response size is bounded across literals")
    {
        imap::response_parser_options options;
        options.max_response_size = 100;
        const auto out = parse_whole("* 1 FETCH (BODY[1] " + lit(std::string(60, 'a')) + " BODY[2] " +
                                         lit(std::string(60, 'b')) + ")\r\n",
                                     options);
        CHECK(out.ec == mss::errc::limit_exceeded);
    }

    TEST_CASE("deep nesting is refused with limit_exceeded")
    {
        std::string deep = "* 1 FETCH (X-DEEP ";
        for (int i = 0; i < 100; ++i)
            deep += '(';
        for (int i = 0; i < 100; ++i)
            deep += ')';
        deep += ")\r\n";
        const auto out = parse_every_way(deep);
        CHECK(out.ec == mss::errc::limit_exceeded);

        std::string nested = "* 1 FETCH (BODYSTRUCTURE ";
        for (int i = 0; i < 70; ++i)
            nested += '(';
        nested += "\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)";
        CHECK(parse_whole(nested + "\r\n").ec == mss::errc::limit_exceeded);
    }

    TEST_CASE("malformed responses fail with malformed_response and the offset of the fault")
    {
        struct sample
        {
            std::string input;
            std::size_t offset;
        };
        const sample samples[] = {
            {"* 1 FETCH (UID abc)\r\n", 15},
            {"A1 MAYBE later\r\n", 8},
            {"* OK [UIDNEXT 4\r\n", 14},
            {"* LIST (\\Sent) \"/\" \"Sent\r\n", 24},
            {"* 1 FETCH (FLAGS (\\Seen)\r\n", 24},
            {"* 1 FETCH (INTERNALDATE \"32-Foo-2024 10:00:00 +0100\")\r\n", 52},
            {"* 1 FETCH (ENVELOPE (NIL NIL NIL))\r\n", 32},
            {"* 1 FETCH (UID 5)\n", 17},
            {"\r\n", 0},
            {"* 1 FETCH (UID 99999999999)\r\n", 26},
            {"* 3 EXISTS trailing\r\n", 11},
            {"* VANISHED 0:4\r\n", 11},
            {"* 1 FETCH (BODY[1] \"a\\q\")\r\n", 22},
        };
        for (const auto& s : samples)
        {
            INFO(s.input);
            const auto out = parse_every_way(s.input);
            CHECK(out.ec == mss::errc::malformed_response);
            CHECK(out.error_offset == s.offset);
        }
    }

    TEST_CASE("bare LF is accepted only when allowed")
    {
        imap::response_parser_options options;
        options.allow_bare_lf = true;
        const auto out = parse_every_way("* 3 EXISTS\n* 4 RECENT\r\n", options);
        CHECK_FALSE(out.ec);
        CHECK(out.responses.size() == 2);
    }

    TEST_CASE("random bytes never crash the parser")
    {
        std::mt19937 rng(7);
        const std::string alphabet = "* 0123456789(){}[]<>\"\\~+NILOKFETCHBODY \r\n\r\n";
        for (int round = 0; round < 2000; ++round)
        {
            std::string input;
            const auto len = std::uniform_int_distribution<int>(1, 120)(rng);
            for (int i = 0; i < len; ++i)
            {
                if (rng() % 10 == 0)
                    input.push_back(static_cast<char>(rng() % 256));
                else
                    input.push_back(alphabet[rng() % alphabet.size()]);
            }
            (void)parse_chunks(input, {1 + rng() % 7});
        }
        // Mutations of real responses.
        const std::string base = dovecot::fetch_bodystructure + dovecot::fetch_envelope;
        for (int round = 0; round < 2000; ++round)
        {
            std::string input = base;
            for (int k = 0; k < 3; ++k)
                input[rng() % input.size()] = alphabet[rng() % alphabet.size()];
            (void)parse_chunks(input, {1 + rng() % 64});
        }
    }

    TEST_CASE("large literals stream to a sink in chunks, with their FETCH context")
    {
        struct recording_sink final : imap::literal_sink
        {
            std::string data;
            std::string item;
            std::uint32_t sequence = 0;
            std::uint64_t size = 0;
            int chunks = 0;
            int ends = 0;
            void on_literal_begin(const imap::literal_info& info) override
            {
                item = info.item;
                sequence = info.sequence;
                size = info.size;
            }
            void on_literal_data(std::string_view chunk) override
            {
                data += chunk;
                ++chunks;
            }
            void on_literal_end() override { ++ends; }
        };
        std::string body;
        for (int i = 0; i < 5000; ++i)
            body += "ligne " + std::to_string(i) + "\r\n";
        const std::string input = "* 12 FETCH (UID 99 BODY[1.2]<0> " + lit(body) + " FLAGS (\\Seen))\r\n" +
                                  "A7 OK Fetch completed.\r\n";
        imap::response_parser_options options;
        options.stream_threshold = 1024;
        options.max_response_size = 4096;  // the body would not fit: streaming must bypass the buffer
        imap::response_parser parser(options);
        recording_sink sink;
        parser.set_literal_sink(&sink);
        imap::response r;
        mss::diagnostics diag;
        boost::system::error_code ec;
        std::vector<std::string> got;
        for (std::size_t pos = 0; pos < input.size(); pos += 1000)
        {
            parser.feed(std::string_view(input).substr(pos, 1000));
            while (parser.next(r, ec, diag))
            {
                got.push_back(describe(r));
                if (r.data == imap::data_kind::fetch)
                {
                    REQUIRE(r.fetch.sections.size() == 1);
                    CHECK(r.fetch.sections[0].streamed);
                    CHECK(r.fetch.sections[0].size == body.size());
                    CHECK(r.fetch.sections[0].data.empty());
                    CHECK(r.fetch.flags.size() == 1);
                }
            }
            REQUIRE_FALSE(ec);
            CHECK(parser.buffered() < 2100);
        }
        CHECK(got.size() == 2);
        CHECK(sink.data == body);
        CHECK(sink.item == "BODY[1.2]<0>");
        CHECK(sink.sequence == 12);
        CHECK(sink.size == body.size());
        CHECK(sink.chunks > 10);
        CHECK(sink.ends == 1);
    }

    TEST_CASE("a steady stream of FETCH responses reuses the response storage")
    {
        std::string input;
        for (int i = 1; i <= 50; ++i)
            input += dovecot::fetch_envelope + dovecot::fetch_bodystructure;
        imap::response_parser parser;
        imap::response r;
        mss::diagnostics diag;
        boost::system::error_code ec;
        parser.feed(input);
        int n = 0;
        const imap::address* first_pool = nullptr;
        while (parser.next(r, ec, diag))
        {
            ++n;
            if (n == 4)
                first_pool = r.fetch.addresses.data();
            if (n > 4 && r.fetch.has(imap::fetch_item::envelope))
                CHECK(r.fetch.addresses.data() == first_pool);
        }
        CHECK_FALSE(ec);
        CHECK(n == 100);
    }
}
