// SPDX-License-Identifier: Apache-2.0
#include "reader_test_support.hpp"

#include <mss/error.hpp>
#include <mss/mime/errc.hpp>
#include <mss/mime/reader.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

using namespace mss;
using mss_test::mime::run_reader;

namespace
{

// A forward: multipart/mixed holding a text part and a message/rfc822 that is itself
// multipart/alternative, with a preamble and an epilogue.
const std::string_view forward =
    "From: Dr Martin <dr.martin@regional.mssante.test>\r\n"
    "Subject: Tr: compte rendu\r\n"
    "Content-Type: multipart/mixed;\r\n boundary=\"outer\"\r\n"
    "\r\n"
    "This is a multi-part message.\r\n"
    "--outer\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Voir ci-dessous.\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: secretariat@clinique.mssante.test\r\n"
    "Subject: compte rendu\r\n"
    "Content-Type: multipart/alternative; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "texte\r\n"
    "--inner\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>texte</p>\r\n"
    "--inner--\r\n"
    "\r\n"
    "--outer--\r\n"
    "epilogue\r\n";

mime::parser_options lenient()
{
    return {};
}

mime::parser_options strict()
{
    mime::parser_options o;
    o.strict = true;
    return o;
}

mime::parser_options decoding(bool strict_mode = false)
{
    mime::parser_options o;
    o.decode_bodies = true;
    o.strict = strict_mode;
    return o;
}

bool contains(const std::string& log, std::string_view line)
{
    return log.find(line) != std::string::npos;
}

// Every cutting of the input gives the same events.
void check_cuttings(std::string_view input, const mime::parser_options& options)
{
    const auto whole = run_reader(input, options).log;
    for (const std::size_t step : {1, 2, 3, 7, 64})
    {
        INFO("step " << step);
        CHECK(run_reader(input, options, step).log == whole);
    }
}

std::string nested(std::size_t depth)
{
    std::string m;
    for (std::size_t i = 0; i < depth; ++i)
        m += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
             std::to_string(i) + "\r\n";
    m += "\r\nleaf\r\n";
    return m;
}

}  // namespace

TEST_SUITE("mime: reader")
{
    TEST_CASE("a simple message gives its fields, one part with its body, and the end")
    {
        const std::string_view input = "Subject: Bonjour\r\nTo: a@b.fr\r\n\r\nCorps du message.\r\n";
        const auto run = run_reader(input, lenient());
        CHECK(run.log ==
              "H@0 Subject: Bonjour\n"
              "H@18 To: a@b.fr\n"
              "B[] text/plain kind=0 enc=0 depth=0 header=0 body=32\n"
              "D@32 Corps du message.\\r\\n\n"
              "E[] end=51\n"
              "M\n");
    }

    TEST_CASE("a forward is read recursively, with preamble, epilogue, depths and paths")
    {
        const auto log = run_reader(forward, lenient()).log;
        CHECK(contains(log, "B[] multipart/mixed kind=1"));
        CHECK(contains(log, " This is a multi-part message.\n"));
        CHECK(contains(log, "B[1] text/plain kind=0 enc=0 depth=1"));
        CHECK(contains(log, " Voir ci-dessous.\n"));
        CHECK(contains(log, "B[2] message/rfc822 kind=2 enc=0 depth=1"));
        CHECK(contains(log, "B[2.1] multipart/alternative kind=1 enc=0 depth=2"));
        CHECK(contains(log, "B[2.1.1] text/plain kind=0 enc=0 depth=3"));
        CHECK(contains(log, "B[2.1.2] text/html kind=0 enc=0 depth=3"));
        CHECK(contains(log, " <p>texte</p>\n"));
        CHECK(contains(log, "E[2.1] end="));
        CHECK(contains(log, " epilogue\\r\\n\n"));
        // The epilogue of the inner multipart (an empty line) belongs to it, not to the text.
        CHECK(contains(log, "X@"));
        CHECK(log.ends_with("E[] end=" + std::to_string(forward.size()) + "\nM\n"));
        CHECK(log.find("incomplete") == std::string::npos);
    }

    TEST_CASE("feeding byte by byte gives exactly the events of one shot")
    {
        check_cuttings(forward, lenient());
        check_cuttings(forward, strict());
        check_cuttings(forward, decoding());
        check_cuttings("Subject: x\n\nbody without CR\n", lenient());
        check_cuttings("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n--b--\n",
                       lenient());
        check_cuttings(
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b \r\n\r\n-\r\n--\r\n--b-\r\n--bx\r\n"
            "--b--  \r\n",
            lenient());
    }

    TEST_CASE("a body never keeps the line break of the delimiter that follows it")
    {
        const auto log = run_reader(
                             "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nun\r\n\r\n"
                             "--b\r\n\r\n\r\n--b--",
                             lenient())
                             .log;
        CHECK(contains(log, " un\\r\\n\n"));  // the empty line before the delimiter is content
        CHECK(contains(log, "B[2]"));
        CHECK(contains(log, "E[2] end="));
        CHECK_FALSE(contains(log, "incomplete"));
    }

    TEST_CASE("a missing close delimiter: lenient closes the parts at the end, strict refuses")
    {
        const std::string_view input =
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nun\r\n--b\r\n\r\ndeux\r\n";
        const auto log = run_reader(input, lenient()).log;
        CHECK(contains(log, " deux\\r\\n\n"));  // nothing follows: the last line break is content
        CHECK(contains(log, "E[] end=" + std::to_string(input.size()) + " incomplete"));
        CHECK(log.ends_with("M\n"));
        const auto s = run_reader(input, strict()).log;
        CHECK(contains(
            s, "ERR multipart entity ends before its close delimiter @" + std::to_string(input.size())));
        check_cuttings(input, lenient());
    }

    TEST_CASE("an inner multipart without its close delimiter is closed by its parent's delimiter")
    {
        const std::string_view input =
            "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
            "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
            "--inner\r\n\r\ntexte\r\n"
            "--outer\r\n\r\npiece\r\n--outer--\r\n";
        const auto log = run_reader(input, lenient()).log;
        CHECK(contains(log, "E[1.1] end="));
        CHECK(contains(log, "E[1] end="));
        CHECK(contains(log, " incomplete\n"));
        CHECK(contains(log, "B[2] text/plain"));
        CHECK(contains(log, " piece\n"));
        CHECK(contains(run_reader(input, strict()).log,
                       "ERR multipart entity ends before its close delimiter"));
        check_cuttings(input, lenient());
    }

    TEST_CASE("a boundary in a quoted parameter may hold spaces, colons and '=?'")
    {
        const std::string_view input =
            "Content-Type: multipart/mixed; boundary=\"=_a b:c=?x\"\r\n\r\n"
            "--=_a b:c=?x\r\n\r\nun\r\n--=_a b:c=?x--\r\n";
        const auto log = run_reader(input, strict()).log;
        CHECK(contains(log, "B[1] text/plain"));
        CHECK(contains(log, " un\n"));
        CHECK_FALSE(contains(log, "ERR"));
        check_cuttings(input, strict());
    }

    TEST_CASE("a look-alike of the boundary is content: longer, or followed by text")
    {
        const std::string_view input =
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n"
            "--bb\r\n--b x\r\n-- b\r\n x--b\r\n--b--\r\n";
        const auto log = run_reader(input, strict()).log;
        CHECK(contains(log, " --bb\\r\\n--b x\\r\\n-- b\\r\\n x--b\n"));
        check_cuttings(input, strict());
    }

    TEST_CASE("a multipart without boundary is a leaf when lenient and an error when strict")
    {
        const std::string_view input = "Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\ncorps\r\n";
        CHECK(contains(run_reader(input, lenient()).log, "B[] multipart/mixed kind=0"));
        CHECK(contains(run_reader(input, strict()).log,
                       "ERR multipart entity has no usable boundary parameter @0"));
    }

    TEST_CASE("a part that forgot its empty line starts its body at the first line that is not a field")
    {
        const std::string_view input =
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            "Content-Type: text/plain\r\nBonjour, voici le texte.\r\n--b--\r\n";
        const auto log = run_reader(input, lenient()).log;
        CHECK(contains(log, " Bonjour, voici le texte.\n"));
        CHECK(contains(run_reader(input, strict()).log,
                       "ERR header line is neither a field nor a continuation"));
    }

    TEST_CASE("a part cut short inside its header is closed by the next delimiter")
    {
        const std::string_view input =
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            "Content-Type: text/plain\r\n--b\r\n\r\ndeux\r\n--b--\r\n";
        const auto log = run_reader(input, strict()).log;
        CHECK(contains(log, "B[1] text/plain"));
        CHECK(contains(log, "B[2] text/plain"));
        CHECK(contains(log, " deux\n"));
        CHECK_FALSE(contains(log, "ERR"));
    }

    TEST_CASE("an mbox envelope line before the top-level header is skipped")
    {
        const auto log =
            run_reader("From sender@x.fr Tue Nov 26 14:03:00 2026\nSubject: s\n\nb\n", strict()).log;
        CHECK(contains(log, "H@42 Subject: s\n"));
        CHECK_FALSE(contains(log, "ERR"));
    }

    TEST_CASE("bodies are decoded from base64 and quoted-printable when asked, across any cutting")
    {
        const std::string_view input =
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
            "--b\r\nContent-Transfer-Encoding: base64\r\n\r\nQm9uam91ciDDoCB0\r\nb3Vz\r\n"
            "--b\r\nContent-Transfer-Encoding: Quoted-Printable\r\n\r\n"
            "caf=C3=A9 au lait, sans =\r\nsucre\r\n--b--\r\n";
        const auto log = run_reader(input, decoding()).log;
        CHECK(contains(log, "=> Bonjour \\xC3\\xA0 tous\n"));
        CHECK(contains(log, "=> caf\\xC3\\xA9 au lait, sans sucre\n"));
        check_cuttings(input, decoding());
        check_cuttings(input, decoding(true));
    }

    TEST_CASE("truncated base64 is repaired when lenient and reported with its offset when strict")
    {
        const std::string input = "Content-Transfer-Encoding: base64\r\n\r\nQm9uam91cg";
        const auto log = run_reader(input, decoding()).log;
        CHECK(contains(log, "=> Bonjour\n"));
        CHECK(log.ends_with("M\n"));
        const auto s = run_reader(input, decoding(true)).log;
        CHECK(contains(
            s, "ERR base64 data ends in the middle of a 4-character group @" + std::to_string(input.size())));
        const auto bad =
            run_reader("Content-Transfer-Encoding: base64\r\n\r\nQm9u*am91cg==", decoding(true)).log;
        CHECK(contains(bad, "ERR base64 data contains a character or padding that is not allowed @41"));
    }

    TEST_CASE("a strict decoding error comes after the same decoded bytes whatever the cutting")
    {
        const std::string_view input = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                                       "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                                       "caf=E9 au lait =zz sucre\r\n--b--\r\n";
        const auto log = run_reader(input, decoding(true)).log;
        CHECK(contains(log, "D@97 caf=E9 au lait = => caf\\xE9 au lait \n"));
        // At the 'z': the '=' before it was consumed, waiting for its second character.
        CHECK(contains(log, "ERR quoted-printable data contains an invalid '=' sequence @113\n"));
        check_cuttings(input, decoding(true));
    }

    TEST_CASE("8-bit bytes in header fields are passed through untouched")
    {
        const std::string input = "Subject: R\xE9sultats d'analyse\r\nFrom: \xC3\x89lise <e@x.fr>\r\n\r\nb";
        const auto log = run_reader(input, strict()).log;
        CHECK(contains(log, "H@0 Subject: R\\xE9sultats d'analyse\n"));
        CHECK(contains(log, "From: \\xC3\\x89lise <e@x.fr>\n"));
    }

    TEST_CASE("NUL bytes: kept in bodies and (lenient) headers, refused in strict headers")
    {
        const std::string input("Subject: a\0b\r\n\r\nbo\0dy", 21);
        CHECK(contains(run_reader(input, lenient()).log, "Subject: a\\x00b\n"));
        CHECK(contains(run_reader(input, lenient()).log, " bo\\x00dy\n"));
        CHECK(contains(run_reader(input, strict()).log,
                       "ERR header line is neither a field nor a continuation @0\n"));
    }

    TEST_CASE("a 10,000-deep nesting attack fails fast at max_depth with bounded memory")
    {
        const std::string input = nested(10000);
        const auto start = std::chrono::steady_clock::now();
        const auto run = run_reader(input, lenient());
        const auto elapsed = std::chrono::steady_clock::now() - start;
        // The entity at depth 65 starts after 65 header blocks and delimiters.
        const std::size_t offset = nested(65).size() - std::string_view("\r\nleaf\r\n").size();
        CHECK(run.log.ends_with(" @" + std::to_string(offset) + "\n"));
        CHECK(run.log.find("ERR") != std::string::npos);
        CHECK(elapsed < std::chrono::seconds(1));
        mime::parser_options deep;
        deep.max_depth = 3;
        CHECK(contains(run_reader(nested(5), deep).log, "ERR"));
        CHECK_FALSE(contains(run_reader(nested(3), deep).log, "ERR"));
        // Byte by byte, the caller never holds more than a line.
        CHECK(run_reader(input, lenient(), 1).max_held < 64);
    }

    TEST_CASE("a 1 MB header line is refused at max_line_length with the offset of the line")
    {
        const std::string input = "Subject: ok\r\nX-Long: " + std::string(1024 * 1024, 'a') + "\r\n\r\nbody";
        const auto run = run_reader(input, lenient());
        CHECK(contains(run.log, "limit"));
        CHECK(contains(run.log, " @13\n"));
        // Fed in 4 KB pieces, the caller holds at most the limit plus one piece.
        const auto pieces = run_reader(input, lenient(), 4096);
        CHECK(pieces.log == run.log);
        CHECK(pieces.max_held <= 64 * 1024 + 4096);
        mime::parser_options wide;
        wide.max_line_length = 2 * 1024 * 1024;
        wide.max_header_block_size = 4 * 1024 * 1024;
        CHECK(contains(run_reader(input, wide).log, "D@"));
    }

    TEST_CASE("a folded header field over max_header_block_size is refused")
    {
        std::string input = "Subject: a\r\n";
        for (int i = 0; i < 2000; ++i) input += " continuation line of the same field\r\n";
        input += "\r\nbody";
        mime::parser_options small;
        small.max_header_block_size = 16 * 1024;
        const auto run = run_reader(input, small);
        CHECK(contains(run.log, "ERR"));
        CHECK(contains(run.log, "@0\n"));
        CHECK(run_reader(input, small, 100).log == run.log);
    }

    TEST_CASE("too many parts are refused at max_parts")
    {
        std::string input = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
        for (int i = 0; i < 50; ++i) input += "--b\r\n\r\npart\r\n";
        input += "--b--\r\n";
        mime::parser_options few;
        few.max_parts = 10;
        CHECK(contains(run_reader(input, few).log, "ERR"));
        CHECK_FALSE(contains(run_reader(input, lenient()).log, "ERR"));
    }

    TEST_CASE("a delimiter line made of endless white space is refused at max_line_length")
    {
        std::string input = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ntext\r\n--b";
        input += std::string(100 * 1024, ' ');
        const auto run = run_reader(input, lenient(), 1000);
        CHECK(contains(run.log, "ERR"));
        CHECK(run.max_held <= 64 * 1024 + 1000);
    }

    TEST_CASE("unknown transfer encodings and malformed content types fall back to defaults")
    {
        const std::string_view input = "Content-Type: text\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nb";
        const auto log = run_reader(input, lenient()).log;
        CHECK(contains(log, "B[] text/plain kind=0 enc=5"));
        CHECK(contains(run_reader(input, strict()).log, "ERR"));
        CHECK(mime::parse_transfer_encoding(" BASE64 (by hand)") == mime::transfer_encoding::base64);
        CHECK(mime::parse_transfer_encoding("") == mime::transfer_encoding::seven_bit);
        CHECK(mime::parse_transfer_encoding("8Bit") == mime::transfer_encoding::eight_bit);
    }

    TEST_CASE("in a multipart/digest the parts are message/rfc822 by default")
    {
        const std::string_view input =
            "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\n"
            "Subject: inside\r\n\r\ntext\r\n--d--\r\n";
        const auto log = run_reader(input, strict()).log;
        CHECK(contains(log, "B[1] message/rfc822 kind=2"));
        CHECK(contains(log, "H@"));
        CHECK(contains(log, "Subject: inside"));
        CHECK(contains(log, "B[1.1] text/plain"));
    }

    TEST_CASE("an encoded message/rfc822 is a leaf")
    {
        const auto log = run_reader(
                             "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                             "U3ViamVjdDogeA0KDQp5",
                             lenient())
                             .log;
        CHECK(contains(log, "B[] message/rfc822 kind=0 enc=3"));
    }

    TEST_CASE("errors are sticky and the reader can be reset")
    {
        mime::parser_options o;
        o.max_line_length = 10;
        mime::reader r(o);
        const auto& e = r.feed("Subject: far too long\r\n\r\n", true);
        REQUIRE(e.kind == mime::event_kind::error);
        CHECK(e.error == mss::errc::limit_exceeded);
        CHECK(r.diag().position()->offset == 0);
        CHECK_FALSE(r.diag().client_message().empty());
        CHECK(r.feed("anything", true).kind == mime::event_kind::error);
        r.reset();
        CHECK(r.feed("A: b\r\n\r\n", true).kind == mime::event_kind::header_field);
    }

    TEST_CASE("an empty input is a message with no header and no body")
    {
        CHECK(run_reader("", strict()).log ==
              "B[] text/plain kind=0 enc=0 depth=0 header=0 body=0\nE[] end=0\nM\n");
    }
}
