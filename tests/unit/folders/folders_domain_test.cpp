// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/inbox_settings.hpp>
#include <mss/domain/virtual_folder.hpp>

#include <doctest/doctest.h>

using namespace mss::domain;

namespace {

email_address addr(std::string_view s) { return email_address::parse(s).value(); }

const email_address doctor = addr("dr.bernard@national.mssante.test");
const email_address patient = addr("279035121518989@patient.mssante.fr");

}  // namespace

TEST_SUITE("folders: classification")
{
    TEST_CASE("received mail is a patient exchange when its sender is a patient")
    {
        auto c = classify_message(message_direction::received, {doctor, {addr("me@regional.mssante.test")}});
        CHECK(c.exchange == exchange_kind::professional);
        CHECK(c.counterpart == doctor.str());
        c = classify_message(message_direction::received, {patient, {addr("me@regional.mssante.test")}});
        CHECK(c.exchange == exchange_kind::patient);
        CHECK(c.counterpart == patient.str());
    }

    TEST_CASE("sent mail is a patient exchange when any recipient is a patient")
    {
        auto c = classify_message(message_direction::sent, {addr("me@regional.mssante.test"), {doctor, patient}});
        CHECK(c.exchange == exchange_kind::patient);
        CHECK(c.counterpart == patient.str());
        c = classify_message(message_direction::sent, {addr("me@regional.mssante.test"), {doctor}});
        CHECK(c.exchange == exchange_kind::professional);
        CHECK(c.counterpart == doctor.str());
    }

    TEST_CASE("a patient in copy of received mail does not make it a patient exchange")
    {
        const auto c = classify_message(message_direction::received, {doctor, {addr("me@x.test"), patient}});
        CHECK(c.exchange == exchange_kind::professional);
    }

    TEST_CASE("a message without a readable sender is a professional exchange with no counterpart")
    {
        const auto c = classify_message(message_direction::received, {});
        CHECK(c.exchange == exchange_kind::professional);
        CHECK(c.counterpart.empty());
    }
}

TEST_SUITE("folders: inbox settings")
{
    TEST_CASE("each kind of received mail follows its switch; sent mail never lands in the inbox")
    {
        const message_classification pro{message_direction::received, exchange_kind::professional, ""};
        const message_classification pat{message_direction::received, exchange_kind::patient, ""};
        const message_classification sent{message_direction::sent, exchange_kind::professional, ""};
        CHECK(lands_in_inbox({}, pro));
        CHECK(lands_in_inbox({}, pat));
        CHECK_FALSE(lands_in_inbox({}, sent));
        CHECK_FALSE(lands_in_inbox({true, false, true}, pro));
        CHECK(lands_in_inbox({true, false, true}, pat));
        CHECK_FALSE(lands_in_inbox({true, true, false}, pat));
    }
}

TEST_SUITE("folders: the tree")
{
    TEST_CASE("names are the seed's, in French, and keys round-trip")
    {
        CHECK(display_name(virtual_folder::professionals) == "MSSanté – Professionnels");
        CHECK(display_name(virtual_folder::patients) == "MSSanté – Patients");
        CHECK(display_name(virtual_folder::patients_received) == "Reçus");
        CHECK(display_name(virtual_folder::professionals_sent) == "Envoyés");
        CHECK(display_name(virtual_folder::all) == "Tous les messages");
        CHECK(display_name(virtual_folder::unread) == "Non lus");
        CHECK(display_name(virtual_folder::inbox) == "Boîte de réception");
        for (auto f : all_virtual_folders)
            CHECK(virtual_folder_from_key(to_key(f)) == f);
        CHECK_FALSE(virtual_folder_from_key("nope").has_value());
        CHECK(parent_of(virtual_folder::patients_sent) == virtual_folder::patients);
        CHECK_FALSE(parent_of(virtual_folder::inbox).has_value());
    }

    TEST_CASE("membership table")
    {
        const folder_facts pro_in{{message_direction::received, exchange_kind::professional, ""}, true, false};
        const folder_facts pat_out{{message_direction::sent, exchange_kind::patient, ""}, false, true};
        CHECK(belongs_to(virtual_folder::professionals, pro_in, true));
        CHECK(belongs_to(virtual_folder::professionals_received, pro_in, true));
        CHECK_FALSE(belongs_to(virtual_folder::professionals_sent, pro_in, true));
        CHECK(belongs_to(virtual_folder::unread, pro_in, true));
        CHECK(belongs_to(virtual_folder::inbox, pro_in, true));
        CHECK(belongs_to(virtual_folder::all, pro_in, false));
        CHECK(belongs_to(virtual_folder::patients_sent, pat_out, true));
        CHECK_FALSE(belongs_to(virtual_folder::unread, pat_out, true));  // sent mail is never unread
        // Without patient rights, patient exchanges are nowhere.
        for (auto f : all_virtual_folders)
            CHECK_FALSE(belongs_to(f, pat_out, false));
    }
}
