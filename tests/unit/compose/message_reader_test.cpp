// SPDX-License-Identifier: Apache-2.0
#include <mss/service/message_reader.hpp>
#include <mss/service/message_renderer.hpp>

#include <doctest/doctest.h>

using namespace mss;

namespace {

domain::email_address addr(std::string_view s) { return domain::email_address::parse(s).value(); }

void fill(std::span<std::uint8_t> out)
{
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<std::uint8_t>(i * 31 + 7);
}

}  // namespace

TEST_SUITE("compose: reading messages back")
{
    TEST_CASE("what the renderer writes, the reader reads back: bodies, attachments, headers, threading")
    {
        const domain::mailbox box{addr("dr.martin@regional.mssante.test"), domain::mailbox_type::per, "", "Dr_Jean_MARTIN"};
        auto d = domain::make_new_message(box, "p", true);
        d.add_recipient(domain::recipient_field::to, domain::named_address::parse("Dr Bernard <dr.bernard@national.mssante.test>").value());
        d.add_recipient(domain::recipient_field::cc, domain::named_address::make("José", domain::email_address::parse("jose@x.fr").value()).value());
        d.subject = "Compte rendu – Jérôme Dupré";
        d.html_body = "<p>Bonjour Dr, voici le compte rendu € œ.</p>";
        d.text_body = "Bonjour Dr, voici le compte rendu € œ.\nligne 2 avec un = signe";
        const std::string binary("\x00\x01\xff\xfe binary \r\n data", 20);
        d.add_attachment({"résultats labo.pdf", "application/pdf", binary, "", false});
        d.in_reply_to = "earlier@x.fr";
        d.references = {"first@x.fr", "earlier@x.fr"};
        diagnostics diag;
        auto m = service::render_message(d, {"NIL", "id-7@regional.mssante.test", {}, fill}, diag).value();

        domain::indexed_message indexed;
        auto original = service::read_original(m.data, indexed, false);
        REQUIRE(original.has_value());
        CHECK(original->message_id == "id-7@regional.mssante.test");
        CHECK(original->subject == d.subject);
        CHECK(original->references == std::vector<std::string>{"first@x.fr", "earlier@x.fr"});
        REQUIRE(original->from.has_value());
        CHECK(original->from->display_name() == "Dr_Jean_MARTIN");
        REQUIRE(original->to.size() == 1);
        CHECK(original->to[0].address().str() == "dr.bernard@national.mssante.test");
        REQUIRE(original->cc.size() == 1);
        CHECK(original->cc[0].display_name() == "José");
        CHECK(original->text_body == "Bonjour Dr, voici le compte rendu € œ.\r\nligne 2 avec un = signe");
        CHECK(original->html_body == d.html_body);
        REQUIRE(original->attachments.size() == 1);
        CHECK(original->attachments[0].file_name == "résultats labo.pdf");
        CHECK(original->attachments[0].media_type == "application/pdf");
        CHECK(std::get<std::string>(original->attachments[0].content) == binary);
    }

    TEST_CASE("a plain Latin-1 message and a hostile deep nesting are read without harm")
    {
        const std::string latin1 = "From: a@x.fr\r\nSubject: =?ISO-8859-1?Q?r=E9sultat?=\r\n"
                                   "Content-Type: text/plain; charset=ISO-8859-1\r\n"
                                   "Content-Transfer-Encoding: 8bit\r\n\r\nr\xe9sultat normal\r\n";
        auto o = service::read_original(latin1, {}, false).value();
        CHECK(o.subject == "résultat");
        CHECK(o.text_body == "résultat normal\r\n");

        std::string deep = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
        for (int i = 0; i < 10'000; ++i)
            deep += "--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
        auto nested = service::read_original(deep, {}, false);
        CHECK(nested.has_value());
    }
}
