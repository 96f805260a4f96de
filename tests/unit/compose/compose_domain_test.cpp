// SPDX-License-Identifier: Apache-2.0
// Drafts, subjects and the send policy, as tables.
#include <mss/domain/draft.hpp>
#include <mss/domain/errc.hpp>
#include <mss/domain/html_text.hpp>
#include <mss/domain/subject.hpp>

#include <doctest/doctest.h>

using namespace mss::domain;
using namespace std::chrono_literals;

namespace {

email_address addr(std::string_view s) { return email_address::parse(s).value(); }
named_address named(std::string_view s) { return named_address::parse(s).value(); }

trust_space space()
{
    trust_space s;
    REQUIRE(s.add({"regional.mssante.test", "", "", "", "", "", 0}));
    REQUIRE(s.add({"national.mssante.test", "", "", "", "", "", 0}));
    return s;
}

const mailbox martin_box{addr("dr.martin@regional.mssante.test"), mailbox_type::per, "Medimail", "Dr_Jean_MARTIN"};
const mailbox cardio_box{addr("cardiologie.chu@regional.mssante.test"), mailbox_type::org, "Medimail", "Cardiologie"};
const email_address patient_a = addr("279035121518989@patient.mssante.fr");
const email_address patient_b = addr("185057800608491@patient.mssante.fr");
const email_address bernard = addr("dr.bernard@national.mssante.test");

original_message from_patient(const email_address& p, bool patient_folder)
{
    original_message o;
    o.message_id = "q1@patient.mssante.fr";
    o.subject = "Question sur mon traitement";
    o.from = named_address::make("", p).value();
    o.to = {named("dr.martin@regional.mssante.test")};
    o.date = std::chrono::sys_days(std::chrono::year(2026) / 11 / 20) + 10h + 5min;
    o.text_body = "Bonjour docteur,\nfaut-il continuer ?";
    o.classification = {message_direction::received, exchange_kind::patient, p.str()};
    o.opened_from_patient_folder = patient_folder;
    return o;
}

}  // namespace

TEST_SUITE("compose: subjects")
{
    TEST_CASE("a reply prefix is written once, whatever the original carries")
    {
        for (std::string_view original : {"Compte rendu", "RE : Compte rendu", "Re: Compte rendu", "RE: RE: Compte rendu",
                                         "AW: Compte rendu", "Réf : Compte rendu", "RÉF: Compte rendu",
                                         "Re[2]: Compte rendu", "TR : Re: Compte rendu", "  re :  Compte rendu",
                                         "Fwd: RE : Compte rendu"})
        {
            CAPTURE(original);
            CHECK(reply_subject(original) == "RE : Compte rendu");
        }
        CHECK(reply_subject("") == "RE : ");
        CHECK(reply_subject("Reprise du traitement") == "RE : Reprise du traitement");  // "Re" inside a word
    }

    TEST_CASE("a forward prefix is TR : once")
    {
        CHECK(forward_subject("RE : Compte rendu") == "TR : Compte rendu");
        CHECK(forward_subject("TR: TR : Bilan") == "TR : Bilan");
        CHECK(forward_subject("Bilan") == "TR : Bilan");
    }

    TEST_CASE("the documents subject is category – FAMILY NAME Given name dd/mm/yyyy")
    {
        const patient_info p{"Dupré", "Jérôme", std::chrono::year(1956) / 3 / 12, {}};
        CHECK(documents_subject("Compte rendu d'hospitalisation", p) ==
              "Compte rendu d'hospitalisation – DUPRÉ Jérôme 12/03/1956");
        const patient_info q{"de la Cœur", "Anne", std::chrono::year(2001) / 1 / 2, {}};
        CHECK(documents_subject("Ordonnance", q) == "Ordonnance – DE LA CŒUR Anne 02/01/2001");
    }

    TEST_CASE("the XDM prefix is hidden when a subject is shown")
    {
        CHECK(display_subject("XDM/1.0/DDM+Compte rendu DUPONT Jean 01/02/1950") == "Compte rendu DUPONT Jean 01/02/1950");
        CHECK(display_subject("Bilan") == "Bilan");
    }
}

TEST_SUITE("compose: drafts")
{
    TEST_CASE("reply goes to Reply-To or From; reply all drops the user's own addresses and the shared box")
    {
        original_message o;
        o.message_id = "m1@national.mssante.test";
        o.references = {"m0@national.mssante.test"};
        o.subject = "Avis";
        o.from = named("Dr Bernard <dr.bernard@national.mssante.test>");
        o.to = {named("cardiologie.chu@regional.mssante.test"), named("pharmacie.centrale@national.mssante.test")};
        o.cc = {named("dr.martin@regional.mssante.test"), named("Dr Bernard <dr.bernard@national.mssante.test>"),
                named("infirmier.durand@regional.mssante.test")};
        o.text_body = "ligne 1\nligne 2";

        const std::vector<email_address> own = {addr("dr.martin@regional.mssante.test")};
        const auto reply = make_reply(o, cardio_box, "p-martin", true, false, own);
        REQUIRE(reply.to.size() == 1);
        CHECK(reply.to[0].address() == bernard);
        CHECK(reply.cc.empty());
        CHECK(reply.subject == "RE : Avis");
        CHECK(reply.in_reply_to == "m1@national.mssante.test");
        CHECK(reply.references == std::vector<std::string>{"m0@national.mssante.test", "m1@national.mssante.test"});
        CHECK(reply.text_body.find("> ligne 1\n> ligne 2") != std::string::npos);
        CHECK(reply.text_body.find("a écrit :") != std::string::npos);
        CHECK(reply.html_body.find("<blockquote") != std::string::npos);

        const auto all = make_reply(o, cardio_box, "p-martin", true, true, own);
        std::vector<std::string> to, cc;
        for (const auto& a : all.to)
            to.push_back(a.address().str());
        for (const auto& a : all.cc)
            cc.push_back(a.address().str());
        CHECK(to == std::vector<std::string>{"dr.bernard@national.mssante.test", "pharmacie.centrale@national.mssante.test"});
        CHECK(cc == std::vector<std::string>{"infirmier.durand@regional.mssante.test"});

        o.reply_to = {named("secretariat@national.mssante.test")};
        CHECK(make_reply(o, martin_box, "p", true, false, {}).to[0].address().str() == "secretariat@national.mssante.test");
    }

    TEST_CASE("a forward has no recipients, carries the attachments or the whole original")
    {
        original_message o;
        o.subject = "Bilan";
        o.attachments = {{"bilan.pdf", "application/pdf", std::string("%PDF-1.4"), "", false}};
        o.raw = "From: x@y.test\r\n\r\nbody\r\n";
        auto fwd = make_forward(o, martin_box, "p", true, forward_mode::inline_with_attachments);
        CHECK(fwd.to.empty());
        CHECK(fwd.subject == "TR : Bilan");
        REQUIRE(fwd.attachments.size() == 1);
        CHECK(fwd.attachments[0].file_name == "bilan.pdf");
        CHECK_FALSE(fwd.attached_message.has_value());
        auto whole = make_forward(o, martin_box, "p", true, forward_mode::as_attachment);
        CHECK(whole.attachments.empty());
        CHECK(whole.attached_message == o.raw);
    }

    TEST_CASE("every draft can be edited: recipients, attachments, subject, body")
    {
        auto d = make_new_message(martin_box, "p-martin", true);
        d.add_recipient(recipient_field::to, named("dr.bernard@national.mssante.test"));
        d.add_recipient(recipient_field::to, named("dr.bernard@national.mssante.test"));  // no duplicate
        d.add_recipient(recipient_field::bcc, named("pharmacie.centrale@national.mssante.test"));
        CHECK(d.to.size() == 1);
        CHECK(d.all_recipients().size() == 2);
        CHECK_FALSE(d.remove_recipient(bernard));
        CHECK(d.remove_recipient(bernard) == errc::draft_item_not_found);
        d.add_attachment({"a.pdf", "application/pdf", std::string("x"), "", false});
        CHECK(d.remove_attachment("b.pdf") == errc::draft_item_not_found);
        CHECK_FALSE(d.remove_attachment("a.pdf"));
        d.subject = "Nouveau sujet";
        d.html_body = "<p>Texte</p>";
        CHECK(d.attachments.empty());
    }

    TEST_CASE("documents of one patient get the default subject; two patients are refused")
    {
        const patient_info p{"Dupont", "Marie", std::chrono::year(1950) / 2 / 1, {}};
        const patient_info q{"Durand", "Luc", std::chrono::year(1960) / 5 / 6, {}};
        const attachment cr{"cr.pdf", "application/pdf", std::string("%PDF"), "Compte rendu", false};
        auto d = make_documents_message(martin_box, "p-martin", true, p, {cr});
        REQUIRE(d.has_value());
        CHECK(d->subject == "Compte rendu – DUPONT Marie 01/02/1950");
        CHECK(d->kind == draft_kind::documents);
        const std::vector<std::pair<patient_info, attachment>> mixed = {{p, cr}, {q, cr}};
        CHECK(make_documents_message(martin_box, "p", true, mixed).error() == errc::documents_of_several_patients);
        const std::vector<std::pair<patient_info, attachment>> same = {{p, cr}, {p, cr}};
        CHECK(make_documents_message(martin_box, "p", true, same).has_value());
        CHECK(make_documents_message(martin_box, "p", true, p, {}).error() == errc::draft_item_not_found);
    }

    TEST_CASE("the text alternative of an HTML body")
    {
        CHECK(html_to_text("<p>Bonjour,</p><p>Voici le <b>compte rendu</b>.<br>Cordialement</p>") ==
              "Bonjour,\nVoici le compte rendu.\nCordialement");
        CHECK(html_to_text("<ul><li>un</li><li>deux</li></ul>") == "- un\n- deux");
        CHECK(html_to_text("r&eacute;sultat &lt; 5 &amp; &#233;l&#x E9;") == "résultat < 5 & él&#x E9;");
        CHECK(html_to_text("<style>p{}</style><script>x()</script>ok") == "ok");
        CHECK(text_to_html("a < b\nc") == "a &lt; b<br>\nc");
    }
}

TEST_SUITE("compose: send policy")
{
    struct row
    {
        const char* what;
        send_profile profile;
        draft_kind kind;
        bool rpps;
        bool original_from_patient_a;
        bool from_patient_folder;
        const email_address* recipient;
        errc expected;  // errc{} = allowed
    };

    TEST_CASE("the policy table, row by row")
    {
        const auto ts = space();
        const errc ok{};
        const std::vector<row> table = {
            {"professional, new message", send_profile::platform, draft_kind::new_message, false, false, false, &bernard, ok},
            {"patient, new message, platform", send_profile::platform, draft_kind::new_message, true, false, false, &patient_a, errc::patient_conversation_cannot_be_started},
            {"patient, forward, platform", send_profile::platform, draft_kind::forward, true, false, false, &patient_a, errc::patient_conversation_cannot_be_started},
            {"patient, documents, platform", send_profile::platform, draft_kind::documents, true, false, false, &patient_a, errc::patient_conversation_cannot_be_started},
            {"patient reply, RPPS, patient folder", send_profile::platform, draft_kind::reply, true, true, true, &patient_a, ok},
            {"patient reply all, RPPS, patient folder", send_profile::platform, draft_kind::reply_all, true, true, true, &patient_a, ok},
            {"patient reply, not RPPS", send_profile::platform, draft_kind::reply, false, true, true, &patient_a, errc::patient_exchange_requires_rpps},
            {"patient reply, outside the patient folder", send_profile::platform, draft_kind::reply, true, true, false, &patient_a, errc::patient_reply_outside_patient_folder},
            {"another patient in a reply", send_profile::platform, draft_kind::reply, true, true, true, &patient_b, errc::patient_not_in_conversation},
            {"patient, new message, ANS, RPPS", send_profile::ans_baseline, draft_kind::new_message, true, false, false, &patient_a, ok},
            {"patient, new message, ANS, not RPPS", send_profile::ans_baseline, draft_kind::new_message, false, false, false, &patient_a, errc::patient_exchange_requires_rpps},
            {"patient, forward, ANS, RPPS", send_profile::ans_baseline, draft_kind::forward, true, false, false, &patient_a, ok},
        };
        for (const auto& r : table)
        {
            const std::string what = r.what;
            CAPTURE(what);
            send_context ctx;
            ctx.kind = r.kind;
            ctx.sender_is_rpps = r.rpps;
            if (r.original_from_patient_a)
                ctx.original_patient_sender = patient_a;
            ctx.from_patient_folder = r.from_patient_folder;
            const std::vector<email_address> recipients = {*r.recipient};
            const auto refusal = check_recipients({r.profile, true}, ctx, recipients, ts);
            if (r.expected == ok)
                CHECK_FALSE(refusal.has_value());
            else
            {
                REQUIRE(refusal.has_value());
                CHECK(refusal->error == r.expected);
                CHECK(refusal->recipient == r.recipient->str());
            }
        }
    }

    TEST_CASE("recipients outside the trust space, none at all, mixed when forbidden: each names the culprit")
    {
        const auto ts = space();
        send_context ctx;
        const std::vector<email_address> outside = {bernard, addr("jean@gmail.com")};
        auto refusal = check_recipients({}, ctx, outside, ts);
        REQUIRE(refusal);
        CHECK(refusal->error == errc::recipient_outside_trust_space);
        CHECK(refusal->recipient == "jean@gmail.com");

        CHECK(check_recipients({}, ctx, {}, ts)->error == errc::no_recipients);

        const std::vector<email_address> bad_ins = {addr("279035121518988@patient.mssante.fr")};
        CHECK(check_recipients({}, ctx, bad_ins, ts)->error == errc::recipient_invalid);

        ctx.kind = draft_kind::reply_all;
        ctx.sender_is_rpps = true;
        ctx.original_patient_sender = patient_a;
        ctx.from_patient_folder = true;
        const std::vector<email_address> mixed = {patient_a, bernard};
        CHECK_FALSE(check_recipients({send_profile::platform, true}, ctx, mixed, ts).has_value());
        refusal = check_recipients({send_profile::platform, false}, ctx, mixed, ts);
        REQUIRE(refusal);
        CHECK(refusal->error == errc::mixed_patient_and_professional);
    }

    TEST_CASE("a reply built from a patient's message carries what the policy needs")
    {
        const auto ts = space();
        const auto reply = make_reply(from_patient(patient_a, true), martin_box, "p-martin", true, false, {});
        CHECK_FALSE(check_recipients({}, reply.context, reply.all_recipients(), ts).has_value());
        const auto elsewhere = make_reply(from_patient(patient_a, false), martin_box, "p-martin", true, false, {});
        CHECK(check_recipients({}, elsewhere.context, elsewhere.all_recipients(), ts)->error ==
              errc::patient_reply_outside_patient_folder);
        auto nurse = make_reply(from_patient(patient_a, true), martin_box, "p-durand", false, false, {});
        CHECK(check_recipients({}, nurse.context, nurse.all_recipients(), ts)->error == errc::patient_exchange_requires_rpps);
    }
}
