// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/address_classification.hpp>
#include <mss/domain/errc.hpp>

#include "common/test_data.hpp"

#include <doctest/doctest.h>

using mss::domain::address_kind;
using mss::domain::classify_address;

namespace {

const mss::domain::trust_space& real_space()
{
    static const mss::domain::trust_space space = [] {
        mss::diagnostics diag;
        auto loaded = mss::domain::trust_space::load_file(mss::test::trust_space_dir() / "listeblanchemssante.xml",
                                                          diag, mss::test::trust_space_dir() / "checksum");
        if (!loaded)
            throw std::runtime_error("cannot load the real trust space: " + diag.client_message());
        return std::move(*loaded);
    }();
    return space;
}

}  // namespace

TEST_SUITE("address classification against the real trust space")
{
    TEST_CASE("a mailbox at a trusted domain is a professional, with its operators")
    {
        const auto verdict = classify_address("dr.martin@medimail.mssante.fr", real_space());
        CHECK(verdict.kind == address_kind::professional);
        REQUIRE(verdict.operators.size() == 1);
        CHECK(verdict.operators[0].domain == "medimail.mssante.fr");
        CHECK(verdict.reason.find("is in the MSSante trust space") != std::string::npos);
        CHECK(classify_address("secretariat@mssante.apicrypt.org", real_space()).operators.size() == 2);
    }

    TEST_CASE("the domain's case does not matter")
    {
        CHECK(classify_address("Dr.Martin@MEDIMAIL.MSSANTE.FR", real_space()).kind == address_kind::professional);
    }

    TEST_CASE("a qualified INS at patient.mssante.fr is a patient")
    {
        const auto verdict = classify_address("279035121518989@patient.mssante.fr", real_space());
        CHECK(verdict.kind == address_kind::patient);
        REQUIRE(verdict.patient_ins.has_value());
        CHECK(verdict.patient_ins->value() == "279035121518989");
        // The reason is shown to people and logged: it never repeats the INS.
        CHECK(verdict.reason.find("279035121518989") == std::string::npos);
    }

    TEST_CASE("a patient address with a wrong INS key, or no INS, is invalid with the rule broken")
    {
        const auto bad_key = classify_address("279035121518988@patient.mssante.fr", real_space());
        CHECK(bad_key.kind == address_kind::invalid);
        CHECK(bad_key.error == mss::domain::errc::identifier_bad_key);
        CHECK(bad_key.reason.find("279035121518988") == std::string::npos);
        const auto not_ins = classify_address("jean.dupont@patient.mssante.fr", real_space());
        CHECK(not_ins.kind == address_kind::invalid);
        CHECK(classify_address("27903512151898@patient.mssante.fr", real_space()).error ==
              mss::domain::errc::identifier_wrong_length);
    }

    TEST_CASE("a patient address is recognised even with a trust space that omits the patient domain")
    {
        const mss::domain::trust_space empty;
        CHECK(classify_address("279035121518989@patient.mssante.fr", empty).kind == address_kind::patient);
        CHECK(classify_address("dr.martin@medimail.mssante.fr", empty).kind == address_kind::outside_trust_space);
    }

    TEST_CASE("a well-formed address elsewhere is outside the trust space")
    {
        const auto verdict = classify_address("jean.dupont@gmail.com", real_space());
        CHECK(verdict.kind == address_kind::outside_trust_space);
        CHECK(verdict.operators.empty());
        CHECK(verdict.reason.find("not in the MSSante trust space") != std::string::npos);
        CHECK(classify_address("x@evil.medimail.mssante.fr", real_space()).kind == address_kind::outside_trust_space);
    }

    TEST_CASE("malformed addresses and injection attempts are invalid, with the byte offset")
    {
        const auto injected = classify_address("dr.martin@medimail.mssante.fr\r\nBcc: spy@evil.test", real_space());
        CHECK(injected.kind == address_kind::invalid);
        CHECK(injected.error == mss::domain::errc::address_forbidden_character);
        CHECK(injected.reason.find("byte 29") != std::string::npos);
        CHECK(classify_address("no-at-sign", real_space()).error == mss::domain::errc::address_missing_at);
        CHECK(classify_address("", real_space()).error == mss::domain::errc::address_empty);
        CHECK_FALSE(classify_address("a@b@medimail.mssante.fr", real_space()).kind == address_kind::professional);
    }

    TEST_CASE("every kind has a stable name")
    {
        CHECK(mss::domain::to_string(address_kind::professional) == "professional");
        CHECK(mss::domain::to_string(address_kind::patient) == "patient");
        CHECK(mss::domain::to_string(address_kind::outside_trust_space) == "outside_trust_space");
        CHECK(mss::domain::to_string(address_kind::invalid) == "invalid");
    }
}
