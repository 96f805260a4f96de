// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/mime/date.hpp>
#include <mss/mime/mbox.hpp>
#include <mss/mime/message.hpp>
#include <mss/mime/reader_errc.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace mss;
using namespace std::chrono;

namespace
{

// Synthetic: a report sent by a clinic, with an ISO-8859-1 text, an HTML alternative in
// quoted-printable and two attachments named the two usual non-standard-but-common ways.
const std::string_view report =
    "Return-Path: <secretariat@clinique.mssante.test>\r\n"
    "Date: Thu, 26 Nov 2026 14:03:00 +0100 (CET)\r\n"
    "From: =?ISO-8859-1?Q?Secr=E9tariat?= de la Clinique <secretariat@clinique.mssante.test>\r\n"
    "To: \"Dr Martin, Jean\" <dr.martin@regional.mssante.test>,\r\n"
    "  =?UTF-8?B?w4lsaXNlIEZhdXJl?= <elise.faure@regional.mssante.test>\r\n"
    "Cc: undisclosed-recipients:;\r\n"
    "Subject: =?UTF-8?Q?Compte_rendu_d=E2=80=99hospitalisation?=\r\n"
    "  =?UTF-8?Q?_=E2=80=94_M=2E_Dupont?=\r\n"
    "Message-ID: <20261126140300.1234@clinique.mssante.test>\r\n"
    "In-Reply-To: <prev@regional.mssante.test>\r\n"
    "References: <first@regional.mssante.test> (comment)\r\n <prev@regional.mssante.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"----=_Part_0_1\"\r\n"
    "\r\n"
    "------=_Part_0_1\r\n"
    "Content-Type: multipart/alternative; boundary=alt\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain; charset=ISO-8859-1\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Ci-joint le compte rendu de l'hospitalisation de M. Dupont, r\xE9\x64ig\xE9 le 26/11.\r\n"
    "--alt\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<p>Ci-joint le compte rendu r=C3=A9dig=C3=A9 par le service de m=C3=A9decine i=\r\n"
    "nterne.</p>\r\n"
    "--alt--\r\n"
    "------=_Part_0_1\r\n"
    "Content-Type: application/pdf; name=\"=?UTF-8?B?Y29tcHRlIHJlbmR1IErDqXLDtG1lLnBkZg==?=\"\r\n"
    "Content-Disposition: attachment;\r\n filename=\"=?UTF-8?B?Y29tcHRlIHJlbmR1IErDqXLDtG1lLnBkZg==?=\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQKJcOkw7zDtsOfCg==\r\n"
    "------=_Part_0_1\r\n"
    "Content-Type: text/xml\r\n"
    "Content-Disposition: attachment;\r\n"
    " filename*0*=UTF-8''ordonnance%20%C3%A9;\r\n"
    " filename*1=\"lectronique.xml\"\r\n"
    "\r\n"
    "<ClinicalDocument/>\r\n"
    "------=_Part_0_1--\r\n";

}  // namespace

TEST_SUITE("mime: message")
{
    TEST_CASE("the tree of a report has its structure, bodies and attachments")
    {
        diagnostics diag;
        auto parsed = mime::parse_message(report, {}, diag);
        REQUIRE(parsed.has_value());
        const auto& m = *parsed;
        const auto& root = m.root();
        CHECK(root.is_multipart());
        REQUIRE(root.children().size() == 3);
        CHECK(root.children()[0].is_multipart());
        CHECK(root.children()[0].children().size() == 2);
        CHECK(root.children()[1].path() == std::vector<unsigned>{2});
        CHECK(root.children()[0].children()[1].path() == std::vector<unsigned>{1, 2});
        CHECK(root.children()[0].children()[1].depth() == 2);

        REQUIRE(m.text_body() != nullptr);
        CHECK(m.text_body()->text() ==
              "Ci-joint le compte rendu de l'hospitalisation de M. Dupont, rédigé le 26/11.");
        REQUIRE(m.html_body() != nullptr);
        CHECK(m.html_body()->text() ==
              "<p>Ci-joint le compte rendu rédigé par le service de médecine interne.</p>");

        const auto attachments = m.attachments();
        REQUIRE(attachments.size() == 2);
        CHECK(attachments[0]->file_name() == "compte rendu Jérôme.pdf");
        CHECK(attachments[0]->decoded_body() == "%PDF-1.4\n%\xC3\xA4\xC3\xBC\xC3\xB6\xC3\x9F\n");
        CHECK(attachments[1]->file_name() == "ordonnance électronique.xml");
        CHECK(attachments[1]->decoded_body() == "<ClinicalDocument/>");
        CHECK(attachments[1]->raw_body().data() > report.data());  // a view into the input
    }

    TEST_CASE("the common headers are decoded")
    {
        auto m = mime::parse_message(report);
        REQUIRE(m.has_value());
        CHECK(m->subject() == "Compte rendu d’hospitalisation — M. Dupont");
        const auto from = m->from();
        REQUIRE(from.size() == 1);
        CHECK(from[0].display_name() == "Secrétariat de la Clinique");
        CHECK(from[0].address().str() == "secretariat@clinique.mssante.test");
        const auto to = m->to();
        REQUIRE(to.size() == 2);
        CHECK(to[0].display_name() == "Dr Martin, Jean");
        CHECK(to[1].display_name() == "Élise Faure");
        CHECK(m->cc().empty());
        REQUIRE(m->date());
        CHECK(*m->date() == sys_days{2026y / November / 26} + 13h + 3min);
        CHECK(m->message_id() == "20261126140300.1234@clinique.mssante.test");
        CHECK(m->in_reply_to() == std::vector<std::string_view>{"prev@regional.mssante.test"});
        CHECK(m->references() ==
              std::vector<std::string_view>{"first@regional.mssante.test", "prev@regional.mssante.test"});
    }

    TEST_CASE("an owning copy survives the input it was parsed from")
    {
        mime::message copy;
        {
            std::string bytes(report);
            auto m = mime::parse_message(bytes);
            REQUIRE(m.has_value());
            CHECK_FALSE(m->owns_bytes());
            copy = m->copy();
            bytes.assign(bytes.size(), 'x');
        }
        CHECK(copy.owns_bytes());
        CHECK(copy.subject() == "Compte rendu d’hospitalisation — M. Dupont");
        CHECK(copy.attachments().at(1)->decoded_body() == "<ClinicalDocument/>");
        const mime::message again = copy.copy();  // shares the owned bytes
        CHECK(again.bytes().data() == copy.bytes().data());

        diagnostics diag;
        auto owned = mime::parse_message_owning(std::string("Subject: court\r\n\r\nx"), {}, diag);
        REQUIRE(owned.has_value());
        CHECK(owned->subject() == "court");
        CHECK(owned->root().decoded_body() == "x");
    }

    TEST_CASE("quoted-printable soft line breaks and an ISO-8859-1 body are decoded to UTF-8")
    {
        const std::string input =
            "Content-Type: text/plain; charset=iso-8859-1\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            "Le patient pr=E9sente une fi=\r\nvre =E0 39 =B0C.=\r\n";
        auto m = mime::parse_message(input);
        REQUIRE(m.has_value());
        CHECK(m->root().text() == "Le patient présente une fivre à 39 °C.");
        std::string raw;
        CHECK_FALSE(m->root().decode_body(raw));
        CHECK(raw ==
              "Le patient pr\xE9sente une fivre \xE0 39 \xB0"
              "C.");
    }

    TEST_CASE("lenient and strict decoding of a broken base64 body")
    {
        const std::string_view input = "Content-Transfer-Encoding: base64\r\n\r\nQm9u*am91cg";
        auto lenient = mime::parse_message(input);
        REQUIRE(lenient.has_value());
        CHECK(lenient->root().decoded_body() == "Bonjour");
        mime::parser_options strict;
        strict.strict = true;
        auto s = mime::parse_message(input, strict);
        REQUIRE(s.has_value());  // the reader does not decode: the tree decodes on demand
        std::string out;
        CHECK(s->root().decode_body(out) == mime::errc::bad_base64);
        CHECK(s->root().decoded_body() == "Bonjour");  // the convenience form stays lenient
    }

    TEST_CASE("an unknown charset falls back to UTF-8 or Windows-1252")
    {
        auto m = mime::parse_message("Content-Type: text/plain; charset=x-unknown\r\n\r\ncaf\xE9");
        REQUIRE(m.has_value());
        CHECK(m->root().text() == "café");
    }

    TEST_CASE("parse errors carry the reader's offset in the diagnostics")
    {
        mime::parser_options o;
        o.strict = true;
        diagnostics diag;
        auto m =
            mime::parse_message("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx", o, diag);
        REQUIRE_FALSE(m.has_value());
        CHECK(m.error() == mime::reader_errc::missing_close_delimiter);
        REQUIRE(diag.position());
        CHECK(diag.position()->offset == 53);  // the end of the input
    }

    TEST_CASE("an attached message is one attachment, and its own headers are readable")
    {
        const std::string_view input =
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
            "--b\r\n\r\nVoir le message joint.\r\n"
            "--b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
            "Subject: =?utf-8?q?R=C3=A9sultats?=\r\nFrom: labo@x.fr\r\n"
            "Content-Type: multipart/mixed; boundary=c\r\n\r\n"
            "--c\r\n\r\ninner text\r\n--c\r\nContent-Type: application/pdf; name=r.pdf\r\n\r\n"
            "pdf\r\n--c--\r\n"
            "--b--\r\n";
        auto m = mime::parse_message(input);
        REQUIRE(m.has_value());
        const auto attachments = m->attachments();
        REQUIRE(attachments.size() == 1);
        CHECK(attachments[0]->is_message());
        const auto& inner = attachments[0]->children().at(0);
        CHECK(inner.subject() == "Résultats");
        CHECK(inner.from().at(0).address().str() == "labo@x.fr");
        CHECK(m->text_body()->text() == "Voir le message joint.");
    }

    TEST_CASE("message identifiers are read in their obsolete forms too")
    {
        std::vector<std::string_view> ids;
        mime::parse_message_ids(" <a@b> <c@d>\r\n\t(x) <e@f>", ids);
        CHECK(ids == std::vector<std::string_view>{"a@b", "c@d", "e@f"});
        ids.clear();
        mime::parse_message_ids(" bare@id.fr ", ids);
        CHECK(ids == std::vector<std::string_view>{"bare@id.fr"});
        ids.clear();
        mime::parse_message_ids("<a@b>", ids);
        CHECK(ids.size() == 1);
    }
}

TEST_SUITE("mime: date")
{
    TEST_CASE("RFC 5322 dates with zones give the instant in UTC")
    {
        const auto noon = sys_days{2026y / November / 26} + 12h;
        CHECK(mime::parse_date("Thu, 26 Nov 2026 13:00:00 +0100") == noon);
        CHECK(mime::parse_date("26 Nov 2026 07:00:00 -0500") == noon);
        CHECK(mime::parse_date("Thu, 26 Nov 2026 12:00 GMT") == noon);
        CHECK(mime::parse_date("Thu, 26 Nov 2026 04:00:00 PST") == noon);
        CHECK(mime::parse_date("Thu, 26 Nov 2026 12:00:00 Z") == noon);
        CHECK(mime::parse_date("  Thu,\r\n 26 Nov 2026 13:00:00 +0100 (CET)") == noon);
    }

    TEST_CASE("obsolete and sloppy dates are tolerated")
    {
        const auto noon = sys_days{2026y / November / 6} + 12h;
        CHECK(mime::parse_date("Friday, 6 November 26 12:00:00 +0000") == noon);
        CHECK(mime::parse_date("6 nov 126 12:00:00") == noon);
        CHECK(mime::parse_date("Fri, 06 Nov 2026 12.00.00 UT") == noon);
        CHECK(mime::parse_date("Fri Nov  6 12:00:00 2026") == noon);
        CHECK(mime::parse_date("06-Nov-2026 12:00:00 +0000") == noon);
        CHECK(mime::parse_date("Fri, 6 Nov 2026 12:00:00 A") == noon);  // military zone: -0000
        CHECK(mime::parse_date("1 Jan 99 00:00:00 +0000") == sys_days{1999y / January / 1});
    }

    TEST_CASE("impossible dates give nothing")
    {
        CHECK_FALSE(mime::parse_date(""));
        CHECK_FALSE(mime::parse_date("31 Feb 2026 12:00:00 +0000"));
        CHECK_FALSE(mime::parse_date("26 Nov 2026 25:00:00 +0000"));
        CHECK_FALSE(mime::parse_date("yesterday"));
        CHECK_FALSE(mime::parse_date("26 Foo 2026 12:00:00"));
        CHECK_FALSE(mime::parse_date("Thu, 13(N\\"));  // a comment ending in a backslash
        std::vector<std::string_view> ids;
        mime::parse_message_ids("(a\\", ids);
        CHECK(ids.empty());
    }

    TEST_CASE("dates are formatted in the zone asked and read back")
    {
        std::string out;
        const auto t = sys_days{2026y / November / 26} + 13h + 3min + 7s;
        mime::format_date(t, minutes{60}, out);
        CHECK(out == "Thu, 26 Nov 2026 14:03:07 +0100");
        CHECK(mime::parse_date(out) == t);
        out.clear();
        mime::format_date(t, minutes{-570}, out);
        CHECK(out == "Thu, 26 Nov 2026 03:33:07 -0930");
        CHECK(mime::parse_date(out) == t);
    }
}

TEST_SUITE("mime: mbox")
{
    TEST_CASE("an mboxrd file is cut into messages and its quoting undone exactly")
    {
        const std::string_view mbox =
            "From a@x.fr Thu Nov 26 14:03:00 2026\n"
            "Subject: un\n\n>From the start\n>>From quoted\nFrom-less\n\n"
            "From b@x.fr Thu Nov 26 14:04:00 2026\n"
            "Subject: deux\n\ntexte\n\n";
        mime::mbox_splitter splitter(mbox);
        auto first = splitter.next();
        REQUIRE(first);
        CHECK(first->envelope == "From a@x.fr Thu Nov 26 14:03:00 2026");
        CHECK(first->offset == 0);
        std::string unquoted;
        mime::unquote_mbox(first->raw, mime::mbox_format::mboxrd, unquoted);
        CHECK(unquoted == "Subject: un\n\nFrom the start\n>From quoted\nFrom-less\n");
        unquoted.clear();
        mime::unquote_mbox(first->raw, mime::mbox_format::mboxo, unquoted);
        CHECK(unquoted == "Subject: un\n\nFrom the start\n>>From quoted\nFrom-less\n");
        auto second = splitter.next();
        REQUIRE(second);
        CHECK(second->raw == "Subject: deux\n\ntexte\n");
        CHECK_FALSE(splitter.next());
    }

    TEST_CASE("an unquoted From line inside a body does not split the message, CRLF files are read")
    {
        const std::string_view mbox =
            "garbage\r\n\r\nFrom a@x.fr date\r\nSubject: un\r\n\r\nligne\r\n"
            "From the body\r\n\r\nFrom b@x.fr date\r\n\r\nb\r\n";
        mime::mbox_splitter splitter(mbox);
        auto first = splitter.next();
        REQUIRE(first);
        CHECK(first->raw == "Subject: un\r\n\r\nligne\r\nFrom the body\r\n");
        auto second = splitter.next();
        REQUIRE(second);
        CHECK(second->envelope == "From b@x.fr date");
        CHECK(second->raw == "\r\nb\r\n");
        CHECK_FALSE(splitter.next());
        mime::mbox_splitter empty("");
        CHECK_FALSE(empty.next());
    }
}
