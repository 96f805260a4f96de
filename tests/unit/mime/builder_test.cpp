// SPDX-License-Identifier: Apache-2.0
#include "mime_test_support.hpp"

#include <mss/error.hpp>
#include <mss/mime/builder.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/errc.hpp>
#include <mss/mime/message.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace mss;
using namespace std::chrono;

namespace
{

domain::named_address address(std::string_view name, std::string_view addr)
{
    return domain::named_address::make(std::string(name), domain::email_address::parse(addr).value()).value();
}

mime::random_source seeded(unsigned seed)
{
    auto rng = std::make_shared<std::mt19937>(seed);
    return [rng](std::span<unsigned char> out)
    {
        for (auto& b : out) b = static_cast<unsigned char>((*rng)() & 0xff);
    };
}

const sys_seconds when = sys_days{2026y / November / 26} + 13h + 3min;

mime::message_builder basic()
{
    mime::message_builder b;
    b.from(address("Dr Martin", "dr.martin@regional.mssante.test"))
        .to(address("", "secretariat@clinique.mssante.test"))
        .subject("Compte rendu")
        .date(when, minutes{60})
        .message_id("20261126.1@regional.mssante.test");
    return b;
}

std::string build(const mime::message_builder& b, unsigned seed = 1)
{
    std::string out;
    diagnostics diag;
    const auto ec = b.write(out, seeded(seed), diag);
    REQUIRE_MESSAGE(!ec, diag.client_message());
    return out;
}

// Every line ends with CRLF and is at most `limit` octets; header lines at most 78 unless told.
void check_lines(std::string_view message, std::size_t header_limit = 78)
{
    CHECK(message.ends_with("\r\n"));
    const auto lines = mss_test::mime::split_crlf(message);
    bool in_header = true;
    for (const auto line : lines)
    {
        CHECK(line.find('\n') == std::string_view::npos);
        CHECK(line.find('\r') == std::string_view::npos);
        CHECK(line.size() <= 998);
        if (in_header)
        {
            CHECK(line.size() <= header_limit);
            if (line.empty())
                in_header = false;
        }
    }
}

std::string crlf(std::string_view text)
{
    std::string out;
    for (const char c : text)
    {
        if (c == '\n')
            out += "\r\n";
        else
            out += c;
    }
    return out;
}

}  // namespace

TEST_SUITE("mime: builder")
{
    TEST_CASE("a text message has its headers in order, CRLF everywhere and a quoted-printable body")
    {
        auto b = basic();
        b.text("Bonjour,\nci-joint le compte rendu.\n");
        const auto out = build(b);
        CHECK(
            out.starts_with("Date: Thu, 26 Nov 2026 14:03:00 +0100\r\n"
                            "From: Dr Martin <dr.martin@regional.mssante.test>\r\n"
                            "To: <secretariat@clinique.mssante.test>\r\n"
                            "Subject: Compte rendu\r\n"
                            "Message-ID: <20261126.1@regional.mssante.test>\r\n"
                            "MIME-Version: 1.0\r\n"
                            "Content-Type: text/plain; charset=utf-8\r\n"
                            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"));
        CHECK(out.ends_with("\r\n\r\nBonjour,\r\nci-joint le compte rendu.\r\n"));
        check_lines(out);
    }

    TEST_CASE("non-ASCII display names and subjects are encoded, and read back")
    {
        auto b = basic();
        b.from(address("Élise Faure, cardiologue", "elise.faure@regional.mssante.test"))
            .to(address("Dupont, Jean", "jean.dupont@regional.mssante.test"))
            .cc(address("Jérôme \"le chef\" Martin", "j.martin@chu.mssante.test"))
            .subject("Résultats d’analyse — urgent")
            .text("x");
        const auto out = build(b);
        CHECK(out.find("From: =?UTF-8?Q?") != std::string::npos);
        CHECK(out.find("\"Dupont, Jean\"") != std::string::npos);
        check_lines(out);
        auto m = mime::parse_message(out);
        REQUIRE(m.has_value());
        CHECK(m->from().at(0).display_name() == "Élise Faure, cardiologue");
        CHECK(m->to().at(1).display_name() == "Dupont, Jean");  // after the one of basic()
        CHECK(m->cc().at(0).display_name() == "Jérôme \"le chef\" Martin");
        CHECK(m->subject() == "Résultats d’analyse — urgent");
        CHECK(m->date() == when);
        CHECK(m->message_id() == "20261126.1@regional.mssante.test");
    }

    TEST_CASE("long headers are folded at 78 columns and never pass 998, even for one huge word")
    {
        auto b = basic();
        std::string subject;
        for (int i = 0; i < 40; ++i) subject += "mot" + std::to_string(i) + " accentué ";
        subject += "fin";
        b.subject(subject);
        for (int i = 0; i < 30; ++i)
            b.to(address("Destinataire numéro " + std::to_string(i),
                         "d" + std::to_string(i) + "@x.mssante.test"));
        b.text("t");
        auto out = build(b);
        check_lines(out);
        auto m = mime::parse_message(out);
        REQUIRE(m.has_value());
        CHECK(m->subject() == subject);
        CHECK(m->to().size() == 31);  // with the one of basic()
        CHECK(m->to().at(30).display_name() == "Destinataire numéro 29");

        const std::string huge(3000, 'A');
        b.subject(huge);
        REQUIRE_FALSE(b.add_header("X-Token", std::string(1500, 'z')));
        out = build(b);
        check_lines(out, 998);
        m = mime::parse_message(out);
        REQUIRE(m.has_value());
        CHECK(m->subject() == huge);
        std::string token;
        mime::decode_header_text(m->root().headers().find("X-Token")->raw_value, token);
        CHECK(token == " " + std::string(1500, 'z'));
    }

    TEST_CASE("extra headers carrying CR, LF or NUL are refused, and so are reserved names")
    {
        mime::message_builder b;
        CHECK_FALSE(b.add_header("X-MSS-NIL", "PRODUIT-1 v2"));
        CHECK(b.add_header("X-MSS-NIL", "a\r\nBcc: x@y.fr") == mime::errc::forbidden_character);
        CHECK(b.add_header("X-MSS-NIL", "a\nb") == mime::errc::forbidden_character);
        CHECK(b.add_header("X-MSS-NIL", std::string("a\0b", 3)) == mime::errc::forbidden_character);
        CHECK(b.add_header("X-Test", "\xC3") == mime::errc::bad_charset_data);
        CHECK(b.add_header("Bcc", "x") == errc::invalid_argument);
        CHECK(b.add_header("content-type", "text/html") == errc::invalid_argument);
        CHECK(b.add_header("X Bad", "x") == errc::invalid_argument);
        CHECK(b.add_header("X-Bad:", "x") == errc::invalid_argument);
        CHECK(b.add_header("", "x") == errc::invalid_argument);
    }

    TEST_CASE("a message without From or Date, or with a bad Message-ID, is refused with a reason")
    {
        std::string out;
        diagnostics diag;
        mime::message_builder empty;
        CHECK(empty.write(out, seeded(1), diag) == errc::invalid_argument);
        CHECK(diag.client_message() == "the message has no From");
        auto b = basic();
        b.message_id("a b@c");
        CHECK(b.write(out, seeded(1), diag) == errc::invalid_argument);
        b.message_id("<ok@c>").subject("a\r\nBcc: x");
        CHECK(b.write(out, seeded(1), diag) == mime::errc::forbidden_character);
        CHECK(out.empty());
        b.subject("ok");
        CHECK(b.write(out, {}, diag) == errc::invalid_argument);
        b.attach_owned("x", "f", "multipart/mixed");
        CHECK(b.write(out, seeded(1), diag) == errc::invalid_argument);
    }

    TEST_CASE("text, HTML and attachments make multipart/mixed around multipart/alternative")
    {
        auto b = basic();
        const std::string pdf = "%PDF-1.4\n" + std::string(5000, '\x01');
        b.text("Texte brut.").html("<p>Texte <b>riche</b>.</p>");
        b.attach_view(pdf, "compte rendu Jérôme.pdf", "application/pdf");
        b.attach_owned("", "vide.txt", "text/plain");
        b.attach_owned("<ClinicalDocument/>", "CDA.xml", "text/xml");
        const auto out = build(b);
        check_lines(out);
        auto m = mime::parse_message(out, mime::parser_options{.strict = true});
        REQUIRE(m.has_value());
        const auto& root = m->root();
        CHECK(root.content_type().subtype == "mixed");
        REQUIRE(root.children().size() == 4);
        CHECK(root.children()[0].content_type().subtype == "alternative");
        CHECK(m->text_body()->text() == "Texte brut.");
        CHECK(m->html_body()->text() == "<p>Texte <b>riche</b>.</p>");
        const auto attachments = m->attachments();
        REQUIRE(attachments.size() == 3);
        CHECK(attachments[0]->file_name() == "compte rendu Jérôme.pdf");
        CHECK(attachments[0]->content_type().type == "application");
        CHECK(attachments[0]->decoded_body() == pdf);
        CHECK(attachments[1]->decoded_body().empty());
        CHECK(attachments[2]->decoded_body() == "<ClinicalDocument/>");
        for (const auto* a : attachments) CHECK(a->complete());
    }

    TEST_CASE("a very long non-ASCII file name is split into RFC 2231 sections that read back")
    {
        auto b = basic();
        std::string name;
        for (int i = 0; i < 12; ++i) name += "résultat d'échographie n°" + std::to_string(i) + " ";
        name += ".pdf";
        b.attach_owned("data", name, "application/pdf");
        const auto out = build(b);
        check_lines(out);
        CHECK(out.find("filename*0*=UTF-8''") != std::string::npos);
        auto m = mime::parse_message(out);
        REQUIRE(m.has_value());
        REQUIRE(m->attachments().size() == 1);
        CHECK(m->attachments()[0]->file_name() == name);
    }

    TEST_CASE("a file attachment is streamed to the sink in chunks and the string is reserved once")
    {
        const auto path = std::filesystem::temp_directory_path() / "mss_builder_test_attachment.bin";
        std::mt19937 rng(7);
        const std::string content = mss_test::mime::random_bytes(rng, 3 * 1024 * 1024 + 17);
        {
            std::ofstream f(path, std::ios::binary);
            f.write(content.data(), static_cast<std::streamsize>(content.size()));
        }
        auto b = basic();
        b.text("Voir la pièce jointe.").attach_file(path, "image.dcm", "application/dicom");

        std::size_t pieces = 0;
        std::size_t largest = 0;
        std::string streamed;
        diagnostics diag;
        REQUIRE_FALSE(b.write(
            [&](std::string_view piece)
            {
                ++pieces;
                largest = std::max(largest, piece.size());
                streamed += piece;
            },
            seeded(3), diag));
        CHECK(pieces > 40);
        CHECK(largest < 70 * 1024);

        std::string out;
        REQUIRE_FALSE(b.write(out, seeded(3), diag));
        CHECK(out == streamed);
        CHECK(out.capacity() == out.size());  // exact reservation: no growth, no copy
        auto m = mime::parse_message(out);
        REQUIRE(m.has_value());
        CHECK(m->attachments().at(0)->decoded_body() == content);

        std::filesystem::remove(path);
        CHECK(b.write(out, seeded(3), diag) == errc::file_unreadable);
        CHECK(out == streamed);  // unchanged on failure
    }

    TEST_CASE("building then parsing generated messages gives back the same structure, headers and bytes")
    {
        // Property test over seeded random messages: French text with accents, names that need
        // quoting or encoding, long lines, lines starting with "From " or ".", '=' signs, binary
        // attachments with awkward names.
        static const std::vector<std::string> words = {"compte",     "rendu",     "hospitalisation",
                                                       "résultats",  "d'analyse", "échographie",
                                                       "cœur",       "Jérôme",    "Élise",
                                                       "naïve",      "=?",        "=",
                                                       "From",       ".",         "--",
                                                       "€",          "—",         "«",
                                                       "»",          "n°",        "x=3D",
                                                       "ça",         "été",       "a\tb",
                                                       "\"quoted\"", "(paren)",   "<angle>",
                                                       "a,b",        "Dupont;"};
        std::mt19937 rng(20261126);
        const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
        const auto phrase = [&](std::size_t max_words)
        {
            std::string s;
            const std::size_t n = 1 + pick(max_words);
            for (std::size_t i = 0; i < n; ++i) s += (i ? " " : "") + words[pick(words.size())];
            return s;
        };
        const auto display_name = [&](std::size_t max_words)
        {
            std::string s = phrase(max_words);
            for (char& c : s) c = c == '\t' ? ' ' : c;  // display names hold no control character
            return s;
        };
        const auto text_body = [&]
        {
            std::string s;
            const std::size_t lines = pick(30);
            for (std::size_t i = 0; i < lines; ++i)
            {
                switch (pick(6))
                {
                case 0:
                    s += "From the start of a line";
                    break;
                case 1:
                    s += ".dot line";
                    break;
                case 2:
                    s += std::string(150 + pick(200), 'w');
                    break;
                case 3:
                    s += phrase(12) + "   ";
                    break;
                default:
                    s += phrase(15);
                    break;
                }
                s += "\n";
            }
            if (pick(2) == 0)
                s += phrase(5);  // no final line break
            return s;
        };
        for (int iteration = 0; iteration < 150; ++iteration)
        {
            INFO("iteration " << iteration);
            mime::message_builder b;
            const auto from = address(pick(4) == 0 ? "" : display_name(4), "auteur@regional.mssante.test");
            b.from(from);
            std::vector<domain::named_address> to;
            for (std::size_t i = 0, n = 1 + pick(4); i < n; ++i)
                to.push_back(address(pick(3) == 0 ? "" : display_name(3),
                                     "dest" + std::to_string(i) + "@x.mssante.test"));
            for (const auto& a : to) b.to(a);
            std::vector<domain::named_address> cc;
            for (std::size_t i = 0, n = pick(3); i < n; ++i)
                cc.push_back(address(display_name(2), "cc" + std::to_string(i) + "@y.mssante.test"));
            for (const auto& a : cc) b.cc(a);
            const std::string subject = pick(8) == 0 ? std::string() : phrase(pick(3) == 0 ? 40 : 8);
            b.subject(subject);
            const auto date = sys_seconds{seconds{946684800 + static_cast<long long>(rng() % 1000000000)}};
            b.date(date, minutes{(static_cast<int>(pick(97)) - 48) * 15});
            const std::string id = "id" + std::to_string(rng()) + "@regional.mssante.test";
            b.message_id(id);
            const std::string nil = phrase(3);
            REQUIRE_FALSE(b.add_header("X-MSS-NIL", nil));
            std::optional<std::string> text;
            std::optional<std::string> html;
            if (pick(4) != 0)
                text = text_body();
            if (pick(3) == 0)
                html = "<html><body><p>" + text_body() + "</p></body></html>";
            if (text)
                b.text(*text);
            if (html)
                b.html(*html);
            std::vector<std::pair<std::string, std::string>> attachments;
            for (std::size_t i = 0, n = pick(4); i < n; ++i)
            {
                std::string name = phrase(pick(4) == 0 ? 25 : 3) + ".bin";
                attachments.emplace_back(std::move(name),
                                         mss_test::mime::random_bytes(rng, pick(3) == 0 ? 0 : pick(20000)));
            }
            for (const auto& [name, bytes] : attachments)
                b.attach_view(bytes, name, "application/octet-stream");

            const std::string out = build(b, static_cast<unsigned>(iteration));
            check_lines(out, 998);
            auto parsed = mime::parse_message(out, mime::parser_options{.strict = true});
            REQUIRE(parsed.has_value());
            const auto& m = *parsed;
            CHECK(m.subject() == subject);
            CHECK(m.from() == std::vector<domain::named_address>{from});
            CHECK(m.to() == to);
            CHECK(m.cc() == cc);
            CHECK(m.date() == date);
            CHECK(m.message_id() == id);
            std::string nil_back;
            mime::decode_header_text(m.root().headers().find("X-MSS-NIL")->raw_value, nil_back);
            CHECK(nil_back == " " + nil);

            const bool alternative = text && html;
            if (attachments.empty())
                CHECK(m.root().content_type().subtype == (alternative ? "alternative"
                                                          : html      ? "html"
                                                                      : "plain"));
            else
            {
                CHECK(m.root().content_type().subtype == "mixed");
                CHECK(m.root().children().size() == attachments.size() + ((text || html) ? 1 : 0));
            }
            if (text)
            {
                REQUIRE(m.text_body() != nullptr);
                CHECK(m.text_body()->text() == crlf(*text));
            }
            if (html)
            {
                REQUIRE(m.html_body() != nullptr);
                CHECK(m.html_body()->text() == crlf(*html));
            }
            const auto found = m.attachments();
            REQUIRE(found.size() == attachments.size());
            for (std::size_t i = 0; i < found.size(); ++i)
            {
                CHECK(found[i]->file_name() == attachments[i].first);
                CHECK(found[i]->decoded_body() == attachments[i].second);
                std::string strict_bytes;
                CHECK_FALSE(found[i]->decode_body(strict_bytes));
            }
        }
    }
}
