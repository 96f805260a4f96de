// SPDX-License-Identifier: Apache-2.0
// Every identifier below is synthetic: invented numbers with keys computed from the published rules.
#include <mss/diagnostics.hpp>
#include <mss/domain/adeli.hpp>
#include <mss/domain/errc.hpp>
#include <mss/domain/finess.hpp>
#include <mss/domain/ins.hpp>
#include <mss/domain/national_person_id.hpp>
#include <mss/domain/national_structure_id.hpp>
#include <mss/domain/rpps.hpp>
#include <mss/domain/rpps_rang.hpp>
#include <mss/domain/siren.hpp>
#include <mss/domain/siret.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

using mss::domain::errc;
using namespace std::string_literals;

namespace {

// The error of a failed parse, or a success code.
template <class T>
boost::system::error_code error_of(std::string_view text)
{
    auto r = T::parse(text);
    return r ? boost::system::error_code{} : r.error();
}

// Parses with diagnostics and checks the error, the recorded position and that the message is
// not empty and does not contain the input.
template <class T>
void check_refused(std::string_view text, errc expected, std::size_t position)
{
    mss::diagnostics diag;
    diag.set_client_message("stale");
    auto r = T::parse(text, diag);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == expected);
    REQUIRE(diag.position().has_value());
    CHECK(diag.position()->offset == position);
    CHECK(diag.position()->line == 0);
    CHECK_FALSE(diag.client_message().empty());
    CHECK(diag.client_message() != "stale");
    if (text.size() > 3)
    {
        CHECK(diag.client_message().find(text) == std::string::npos);
    }
    // The overload without diagnostics gives the same answer.
    CHECK(error_of<T>(text) == expected);
}

// Every single-digit change of a valid all-digit identifier must break its key.
template <class T>
void check_every_digit_change_breaks_the_key(const std::string& valid)
{
    REQUIRE(T::parse(valid).has_value());
    for (std::size_t i = 0; i < valid.size(); ++i)
    {
        for (char d = '0'; d <= '9'; ++d)
        {
            if (d == valid[i])
                continue;
            std::string altered = valid;
            altered[i] = d;
            CAPTURE(i);
            CAPTURE(d);
            CHECK(error_of<T>(altered) == errc::identifier_bad_key);
        }
    }
}

template <class T>
constexpr bool has_no_default_constructor = !std::is_default_constructible_v<T>;

static_assert(has_no_default_constructor<mss::domain::rpps>);
static_assert(has_no_default_constructor<mss::domain::rpps_rang>);
static_assert(has_no_default_constructor<mss::domain::adeli>);
static_assert(has_no_default_constructor<mss::domain::finess>);
static_assert(has_no_default_constructor<mss::domain::siren>);
static_assert(has_no_default_constructor<mss::domain::siret>);
static_assert(has_no_default_constructor<mss::domain::ins>);
static_assert(has_no_default_constructor<mss::domain::national_person_id>);
static_assert(has_no_default_constructor<mss::domain::national_structure_id>);

}  // namespace

TEST_SUITE("rpps")
{
    using mss::domain::rpps;

    TEST_CASE("an 11-digit number with a matching Luhn key is accepted")
    {
        auto r = rpps::parse("12345678903");
        REQUIRE(r.has_value());
        CHECK(r->value() == "12345678903");
        CHECK(rpps::parse("10000000009").has_value());
    }

    TEST_CASE("equal numbers compare equal and numbers are ordered by their text")
    {
        CHECK(*rpps::parse("12345678903") == *rpps::parse("12345678903"));
        CHECK(*rpps::parse("10000000009") != *rpps::parse("12345678903"));
        CHECK(*rpps::parse("10000000009") < *rpps::parse("12345678903"));
    }

    TEST_CASE("a number that is too short, too long or empty has the wrong length")
    {
        check_refused<rpps>("1234567890", errc::identifier_wrong_length, 10);
        check_refused<rpps>("123456789030", errc::identifier_wrong_length, 12);
        check_refused<rpps>("", errc::identifier_wrong_length, 0);
    }

    TEST_CASE("the wrong-length message gives both counts")
    {
        mss::diagnostics diag;
        REQUIRE_FALSE(rpps::parse("1234567890", diag).has_value());
        CHECK(diag.client_message() == "RPPS must have 11 digits, got 10");
    }

    TEST_CASE("a letter, a space, a UTF-8 byte or a NUL is a bad character at its offset")
    {
        check_refused<rpps>("1234A678903", errc::identifier_bad_character, 4);
        check_refused<rpps>(" 2345678903", errc::identifier_bad_character, 0);
        check_refused<rpps>("1234567890 ", errc::identifier_bad_character, 10);
        check_refused<rpps>("12345\xC3\xA9" "7890", errc::identifier_bad_character, 5);
        check_refused<rpps>("123\0" "5678903"s, errc::identifier_bad_character, 3);
    }

    TEST_CASE("a bad character is described by its class, never echoed")
    {
        mss::diagnostics diag;
        REQUIRE_FALSE(rpps::parse("1234A678903", diag).has_value());
        CHECK(diag.client_message() == "RPPS must contain only digits; found a letter at offset 4");
        REQUIRE_FALSE(rpps::parse("123\0" "5678903"s, diag).has_value());
        CHECK(diag.client_message().find("a NUL byte at offset 3") != std::string::npos);
        REQUIRE_FALSE(rpps::parse("12345\xC3\xA9" "7890", diag).has_value());
        CHECK(diag.client_message().find("a non-ASCII byte") != std::string::npos);
        CHECK(diag.client_message().find('\xC3') == std::string::npos);
    }

    TEST_CASE("the length is checked before the characters")
    {
        CHECK(error_of<rpps>("ABC") == errc::identifier_wrong_length);
    }

    TEST_CASE("a wrong key is refused at the key's offset")
    {
        check_refused<rpps>("12345678904", errc::identifier_bad_key, 10);
        check_every_digit_change_breaks_the_key<rpps>("12345678903");
    }

    TEST_CASE("diagnostics are cleared by a successful parse")
    {
        mss::diagnostics diag;
        REQUIRE_FALSE(rpps::parse("1", diag).has_value());
        REQUIRE(rpps::parse("12345678903", diag).has_value());
        CHECK(diag.client_message().empty());
        CHECK_FALSE(diag.position().has_value());
    }
}

TEST_SUITE("rpps_rang")
{
    using mss::domain::rpps_rang;

    TEST_CASE("an RPPS, an order number and a Luhn key over the 14 digits are accepted")
    {
        auto r = rpps_rang::parse("10000000009017");
        REQUIRE(r.has_value());
        CHECK(r->value() == "10000000009017");
        CHECK(r->rpps() == *mss::domain::rpps::parse("10000000009"));
        CHECK(r->order() == "01");
    }

    TEST_CASE("a number that is too short, too long or empty has the wrong length")
    {
        check_refused<rpps_rang>("1000000000901", errc::identifier_wrong_length, 13);
        check_refused<rpps_rang>("100000000090170", errc::identifier_wrong_length, 15);
        check_refused<rpps_rang>("", errc::identifier_wrong_length, 0);
    }

    TEST_CASE("a letter, a space, a UTF-8 byte or a NUL is a bad character")
    {
        check_refused<rpps_rang>("1000000000901X", errc::identifier_bad_character, 13);
        check_refused<rpps_rang>("10000000009 17", errc::identifier_bad_character, 11);
        check_refused<rpps_rang>("\xE2\x82\xAC" "00000000901", errc::identifier_bad_character, 0);
        check_refused<rpps_rang>("1000000000901\0"s, errc::identifier_bad_character, 13);
    }

    TEST_CASE("the embedded RPPS must be Luhn-valid even when the 14 digits are")
    {
        // 10000000000016 passes Luhn over 14 digits, but its RPPS 10000000000 does not.
        check_refused<rpps_rang>("10000000000016", errc::identifier_bad_key, 10);
    }

    TEST_CASE("a wrong overall key is refused at the last offset")
    {
        check_refused<rpps_rang>("10000000009018", errc::identifier_bad_key, 13);
        check_refused<rpps_rang>("10000000009027", errc::identifier_bad_key, 13);
        check_every_digit_change_breaks_the_key<rpps_rang>("10000000009017");
    }
}

TEST_SUITE("adeli")
{
    using mss::domain::adeli;

    TEST_CASE("nine digits are accepted without a key check")
    {
        CHECK(adeli::parse("751234567").has_value());
        CHECK(adeli::parse("751234568").has_value());
        CHECK(adeli::parse("751234567")->value() == "751234567");
    }

    TEST_CASE("a Corsican department 2A or 2B is accepted in first position")
    {
        CHECK(adeli::parse("2A1234567").has_value());
        CHECK(adeli::parse("2B0000001").has_value());
    }

    TEST_CASE("a number that is too short, too long or empty has the wrong length")
    {
        check_refused<adeli>("75123456", errc::identifier_wrong_length, 8);
        check_refused<adeli>("7512345678", errc::identifier_wrong_length, 10);
        check_refused<adeli>("", errc::identifier_wrong_length, 0);
    }

    TEST_CASE("letters outside the department, spaces, UTF-8 bytes and NUL are bad characters")
    {
        check_refused<adeli>("75123456A", errc::identifier_bad_character, 8);
        check_refused<adeli>("2A12345A7", errc::identifier_bad_character, 7);
        check_refused<adeli>(" 51234567", errc::identifier_bad_character, 0);
        check_refused<adeli>("7512\xC3\xA9" "567", errc::identifier_bad_character, 4);
        check_refused<adeli>("7512\0" "4567"s, errc::identifier_bad_character, 4);
    }

    TEST_CASE("only 2A and 2B are letters a department may hold, in upper case")
    {
        check_refused<adeli>("2C1234567", errc::identifier_bad_character, 1);
        check_refused<adeli>("3A1234567", errc::identifier_bad_character, 1);
        check_refused<adeli>("A21234567", errc::identifier_bad_character, 0);
        check_refused<adeli>("2a1234567", errc::identifier_bad_character, 1);
        check_refused<adeli>("12A345678", errc::identifier_bad_character, 2);
    }
}

TEST_SUITE("finess")
{
    using mss::domain::finess;

    TEST_CASE("a department and seven digits are accepted without a key check")
    {
        auto f = finess::parse("750000001");
        REQUIRE(f.has_value());
        CHECK(f->value() == "750000001");
        CHECK(f->department() == "75");
        CHECK(finess::parse("010000016")->department() == "01");
    }

    TEST_CASE("a Corsican FINESS keeps 2A or 2B as its department")
    {
        CHECK(finess::parse("2A0000012")->department() == "2A");
        CHECK(finess::parse("2B0000013")->department() == "2B");
    }

    TEST_CASE("a number that is too short, too long or empty has the wrong length")
    {
        check_refused<finess>("75000000", errc::identifier_wrong_length, 8);
        check_refused<finess>("7500000011", errc::identifier_wrong_length, 10);
        check_refused<finess>("", errc::identifier_wrong_length, 0);
    }

    TEST_CASE("a bad department, a letter, a space, a UTF-8 byte or a NUL is a bad character")
    {
        check_refused<finess>("2C0000012", errc::identifier_bad_character, 1);
        check_refused<finess>("750A00001", errc::identifier_bad_character, 3);
        check_refused<finess>("75000000 ", errc::identifier_bad_character, 8);
        check_refused<finess>("\xC3\xA9" "0000001", errc::identifier_bad_character, 0);
        check_refused<finess>("75\0" "000001"s, errc::identifier_bad_character, 2);
    }

    TEST_CASE("the department message explains the Corsican exception")
    {
        mss::diagnostics diag;
        REQUIRE_FALSE(finess::parse("2C0000012", diag).has_value());
        CHECK(diag.client_message() ==
              "FINESS department must be 2 digits, 2A or 2B; found a letter at offset 1");
    }
}

TEST_SUITE("siren")
{
    using mss::domain::siren;

    TEST_CASE("nine digits with a matching Luhn key are accepted")
    {
        CHECK(siren::parse("123456782")->value() == "123456782");
        CHECK(siren::parse("356000000").has_value());
    }

    TEST_CASE("a number that is too short, too long or empty has the wrong length")
    {
        check_refused<siren>("12345678", errc::identifier_wrong_length, 8);
        check_refused<siren>("1234567820", errc::identifier_wrong_length, 10);
        check_refused<siren>("", errc::identifier_wrong_length, 0);
    }

    TEST_CASE("a letter, a space, a UTF-8 byte or a NUL is a bad character")
    {
        check_refused<siren>("12345678O", errc::identifier_bad_character, 8);
        check_refused<siren>("123 56782", errc::identifier_bad_character, 3);
        check_refused<siren>("1234567\xC3\xA9", errc::identifier_bad_character, 7);
        check_refused<siren>("\0" "23456782"s, errc::identifier_bad_character, 0);
    }

    TEST_CASE("a wrong key is refused at the key's offset")
    {
        check_refused<siren>("123456783", errc::identifier_bad_key, 8);
        check_every_digit_change_breaks_the_key<siren>("123456782");
    }
}

TEST_SUITE("siret")
{
    using mss::domain::siret;

    TEST_CASE("a SIREN, an establishment number and a Luhn key are accepted")
    {
        auto s = siret::parse("12345678200010");
        REQUIRE(s.has_value());
        CHECK(s->value() == "12345678200010");
        CHECK(s->siren() == *mss::domain::siren::parse("123456782"));
        CHECK(s->nic() == "00010");
    }

    TEST_CASE("a La Poste establishment is valid when its digit sum is a multiple of 5")
    {
        // 35600000000015: not Luhn-valid, digit sum 20.
        auto s = siret::parse("35600000000015");
        REQUIRE(s.has_value());
        CHECK(s->siren().value() == "356000000");
        // La Poste establishments that are Luhn-valid stay valid.
        CHECK(siret::parse("35600000000048").has_value());
    }

    TEST_CASE("a La Poste establishment that follows neither rule is refused")
    {
        check_refused<siret>("35600000000012", errc::identifier_bad_key, 13);
    }

    TEST_CASE("the digit-sum exception applies to La Poste only")
    {
        // 12345678200007: not Luhn-valid, digit sum 45.
        check_refused<siret>("12345678200007", errc::identifier_bad_key, 13);
    }

    TEST_CASE("a number that is too short, too long or empty has the wrong length")
    {
        check_refused<siret>("1234567820001", errc::identifier_wrong_length, 13);
        check_refused<siret>("123456782000100", errc::identifier_wrong_length, 15);
        check_refused<siret>("", errc::identifier_wrong_length, 0);
    }

    TEST_CASE("a letter, a space, a UTF-8 byte or a NUL is a bad character")
    {
        check_refused<siret>("123456782 0010", errc::identifier_bad_character, 9);
        check_refused<siret>("12345678200O10", errc::identifier_bad_character, 11);
        check_refused<siret>("123456782000\xC3\xA9", errc::identifier_bad_character, 12);
        check_refused<siret>("1234567820001\0"s, errc::identifier_bad_character, 13);
    }

    TEST_CASE("the SIREN part must be Luhn-valid even when the 14 digits are")
    {
        // 12345678000006 passes Luhn over 14 digits, but its SIREN 123456780 does not.
        check_refused<siret>("12345678000006", errc::identifier_bad_key, 8);
    }

    TEST_CASE("a changed SIREN digit is reported at the SIREN key, a changed NIC digit at the end")
    {
        check_refused<siret>("12345678300010", errc::identifier_bad_key, 8);
        check_refused<siret>("12345678200011", errc::identifier_bad_key, 13);
        check_every_digit_change_breaks_the_key<siret>("12345678200010");
    }
}

TEST_SUITE("ins")
{
    using mss::domain::ins;

    TEST_CASE("the known-good INS 279035121518989 is accepted")
    {
        auto i = ins::parse("279035121518989");
        REQUIRE(i.has_value());
        CHECK(i->value() == "279035121518989");
        CHECK(i->nir() == "2790351215189");
        CHECK(i->key() == "89");
    }

    TEST_CASE("other INS with keys from 97 - (n mod 97) are accepted")
    {
        CHECK(ins::parse("185022051234539").has_value());
        CHECK(ins::parse("290072012345634").has_value());
    }

    TEST_CASE("a Corsican department counts as 19 for 2A and 18 for 2B in the key")
    {
        // 185022A051234 is computed as 1850219051234: key 39.
        CHECK(ins::parse("185022A05123439").has_value());
        CHECK(ins::parse("185021905123439").has_value());
        // 299072B045001 is computed as 2990718045001: key 17.
        CHECK(ins::parse("299072B04500117").has_value());
        CHECK(ins::parse("299071804500117").has_value());
        CHECK(ins::parse("185022A05123439")->nir() == "185022A051234");
    }

    TEST_CASE("swapping 2A and 2B breaks the key")
    {
        check_refused<ins>("185022B05123439", errc::identifier_bad_key, 13);
        check_refused<ins>("299072A04500117", errc::identifier_bad_key, 13);
        check_refused<ins>("185022A05123440", errc::identifier_bad_key, 13);
    }

    TEST_CASE("a number that is too short, too long or empty has the wrong length")
    {
        check_refused<ins>("27903512151898", errc::identifier_wrong_length, 14);
        check_refused<ins>("2790351215189890", errc::identifier_wrong_length, 16);
        check_refused<ins>("2790351215189", errc::identifier_wrong_length, 13);
        check_refused<ins>("", errc::identifier_wrong_length, 0);
    }

    TEST_CASE("a letter, a space, a UTF-8 byte or a NUL is a bad character")
    {
        check_refused<ins>("2790351215189A9", errc::identifier_bad_character, 13);
        check_refused<ins>("2 9035121518989", errc::identifier_bad_character, 1);
        check_refused<ins>("79035121518989 ", errc::identifier_bad_character, 14);
        check_refused<ins>("27903\xC3\xA9" "21518989", errc::identifier_bad_character, 5);
        check_refused<ins>("2790351\0" "1518989"s, errc::identifier_bad_character, 7);
    }

    TEST_CASE("letters are allowed only as 2A or 2B at the department, in upper case")
    {
        check_refused<ins>("27903" "2C" "21518989", errc::identifier_bad_character, 6);
        check_refused<ins>("27903" "3A" "21518989", errc::identifier_bad_character, 6);
        check_refused<ins>("27903" "2a" "21518989", errc::identifier_bad_character, 6);
        check_refused<ins>("2A903" "51" "21518989", errc::identifier_bad_character, 1);
        check_refused<ins>("279035A21518989", errc::identifier_bad_character, 6);
    }

    TEST_CASE("every single-digit change breaks the key")
    {
        check_refused<ins>("279035121518988", errc::identifier_bad_key, 13);
        check_every_digit_change_breaks_the_key<ins>("279035121518989");
    }

    TEST_CASE("a key of 00, 98 or 99 never matches")
    {
        CHECK(error_of<ins>("279035121518900") == errc::identifier_bad_key);
        CHECK(error_of<ins>("279035121518998") == errc::identifier_bad_key);
        CHECK(error_of<ins>("279035121518999") == errc::identifier_bad_key);
    }

    TEST_CASE("no diagnostic message contains any part of the INS")
    {
        const std::string inputs[] = {"27903512151898", "2790351215189A9", "279035121518988",
                                      "27903" "2C" "21518989"};
        for (const auto& text : inputs)
        {
            mss::diagnostics diag;
            REQUIRE_FALSE(ins::parse(text, diag).has_value());
            CAPTURE(diag.client_message());
            CHECK(diag.client_message().find("27903") == std::string::npos);
            CHECK(diag.client_message().find("8989") == std::string::npos);
            CHECK(diag.client_message().find("898") == std::string::npos);
        }
    }
}

TEST_SUITE("national_person_id")
{
    using mss::domain::national_person_id;

    TEST_CASE("prefix 8 followed by a valid RPPS is an RPPS id")
    {
        auto id = national_person_id::parse("812345678903");
        REQUIRE(id.has_value());
        CHECK(id->get_kind() == national_person_id::kind::rpps);
        CHECK(id->prefix() == '8');
        CHECK(id->number() == "12345678903");
        CHECK(id->value() == "812345678903");
        REQUIRE(id->as_rpps().has_value());
        CHECK(id->as_rpps()->value() == "12345678903");
        CHECK_FALSE(id->as_adeli().has_value());
    }

    TEST_CASE("prefix 0 followed by a valid ADELI is an ADELI id")
    {
        auto id = national_person_id::parse("0751234567");
        REQUIRE(id.has_value());
        CHECK(id->get_kind() == national_person_id::kind::adeli);
        CHECK(id->as_adeli()->value() == "751234567");
        CHECK_FALSE(id->as_rpps().has_value());
        CHECK(national_person_id::parse("02A1234567")->get_kind() == national_person_id::kind::adeli);
    }

    TEST_CASE("prefixes 1, 3, 4, 5 and 6 take 1 to 20 ASCII letters or digits without a key")
    {
        for (const char* text : {"1A", "3abc123", "4000000000000000000Z", "512345678901234567890", "6x9"})
        {
            CAPTURE(text);
            auto id = national_person_id::parse(text);
            REQUIRE(id.has_value());
            CHECK(id->get_kind() == national_person_id::kind::other);
            CHECK_FALSE(id->as_rpps().has_value());
            CHECK_FALSE(id->as_adeli().has_value());
        }
    }

    TEST_CASE("the factories build the prefixed ids")
    {
        const auto r = national_person_id::from_rpps(*mss::domain::rpps::parse("12345678903"));
        CHECK(r.value() == "812345678903");
        CHECK(r.get_kind() == national_person_id::kind::rpps);
        CHECK(r == *national_person_id::parse("812345678903"));
        const auto a = national_person_id::from_adeli(*mss::domain::adeli::parse("2A1234567"));
        CHECK(a.value() == "02A1234567");
        CHECK(a.get_kind() == national_person_id::kind::adeli);
        CHECK(a < r);
    }

    TEST_CASE("other prefixes are unknown")
    {
        for (const char* text : {"212345678903", "712345678903", "912345678903", "A12345678903",
                                 " 812345678903"})
        {
            CAPTURE(text);
            check_refused<national_person_id>(text, errc::identifier_unknown_prefix, 0);
        }
    }

    TEST_CASE("an empty id has the wrong length")
    {
        check_refused<national_person_id>("", errc::identifier_wrong_length, 0);
    }

    TEST_CASE("the number is checked by its own type, with offsets in the whole id")
    {
        check_refused<national_person_id>("81234567890", errc::identifier_wrong_length, 11);
        check_refused<national_person_id>("8123456789033", errc::identifier_wrong_length, 13);
        check_refused<national_person_id>("8", errc::identifier_wrong_length, 1);
        check_refused<national_person_id>("81234A678903", errc::identifier_bad_character, 5);
        check_refused<national_person_id>("812345678903 ", errc::identifier_wrong_length, 13);
        check_refused<national_person_id>("812345678904", errc::identifier_bad_key, 11);
        check_refused<national_person_id>("075123456", errc::identifier_wrong_length, 9);
        check_refused<national_person_id>("02C1234567", errc::identifier_bad_character, 2);
    }

    TEST_CASE("the message of a nested failure names the prefix and the number's type")
    {
        mss::diagnostics diag;
        REQUIRE_FALSE(national_person_id::parse("81234567890", diag).has_value());
        CHECK(diag.client_message() == "national person id with prefix 8: RPPS must have 11 digits, got 10");
        REQUIRE_FALSE(national_person_id::parse("81234A678903", diag).has_value());
        CHECK(diag.client_message() ==
              "national person id with prefix 8: RPPS must contain only digits; found a letter at offset 5");
    }

    TEST_CASE("an other-kind number must have 1 to 20 ASCII letters or digits")
    {
        check_refused<national_person_id>("1", errc::identifier_wrong_length, 1);
        check_refused<national_person_id>("3123456789012345678901", errc::identifier_wrong_length, 22);
        check_refused<national_person_id>("4AB-12", errc::identifier_bad_character, 3);
        check_refused<national_person_id>("5AB 12", errc::identifier_bad_character, 3);
        check_refused<national_person_id>("6AB\xC3\xA9", errc::identifier_bad_character, 3);
        check_refused<national_person_id>("1AB\0"s, errc::identifier_bad_character, 3);
    }
}

TEST_SUITE("national_structure_id")
{
    using mss::domain::national_structure_id;

    TEST_CASE("prefix 1 followed by a FINESS is a FINESS id")
    {
        auto id = national_structure_id::parse("1750000001");
        REQUIRE(id.has_value());
        CHECK(id->get_kind() == national_structure_id::kind::finess);
        CHECK(id->as_finess()->department() == "75");
        CHECK_FALSE(id->as_siren().has_value());
        CHECK(national_structure_id::parse("12A0000012")->as_finess()->department() == "2A");
    }

    TEST_CASE("prefix 2 followed by a SIREN is a SIREN id")
    {
        auto id = national_structure_id::parse("2123456782");
        REQUIRE(id.has_value());
        CHECK(id->get_kind() == national_structure_id::kind::siren);
        CHECK(id->as_siren()->value() == "123456782");
        CHECK_FALSE(id->as_siret().has_value());
    }

    TEST_CASE("prefix 3 followed by a SIRET is a SIRET id, La Poste included")
    {
        auto id = national_structure_id::parse("312345678200010");
        REQUIRE(id.has_value());
        CHECK(id->get_kind() == national_structure_id::kind::siret);
        CHECK(id->as_siret()->nic() == "00010");
        CHECK_FALSE(id->as_rpps_rang().has_value());
        CHECK(national_structure_id::parse("335600000000015").has_value());
    }

    TEST_CASE("prefix 4 followed by an RPPS-rang is an RPPS-rang id")
    {
        auto id = national_structure_id::parse("410000000009017");
        REQUIRE(id.has_value());
        CHECK(id->get_kind() == national_structure_id::kind::rpps_rang);
        CHECK(id->as_rpps_rang()->rpps().value() == "10000000009");
        CHECK_FALSE(id->as_finess().has_value());
    }

    TEST_CASE("the factories build the prefixed ids")
    {
        using namespace mss::domain;
        CHECK(national_structure_id::from_finess(*finess::parse("750000001")).value() == "1750000001");
        CHECK(national_structure_id::from_siren(*siren::parse("123456782")).value() == "2123456782");
        CHECK(national_structure_id::from_siret(*siret::parse("12345678200010")).value() ==
              "312345678200010");
        const auto rang = national_structure_id::from_rpps_rang(*rpps_rang::parse("10000000009017"));
        CHECK(rang.value() == "410000000009017");
        CHECK(rang.get_kind() == national_structure_id::kind::rpps_rang);
        CHECK(rang == *national_structure_id::parse("410000000009017"));
    }

    TEST_CASE("other prefixes are unknown and an empty id has the wrong length")
    {
        for (const char* text : {"0750000001", "5123456782", "8123456782", "X123456782", " 1750000001"})
        {
            CAPTURE(text);
            check_refused<national_structure_id>(text, errc::identifier_unknown_prefix, 0);
        }
        check_refused<national_structure_id>("", errc::identifier_wrong_length, 0);
    }

    TEST_CASE("the number is checked by its own type, with offsets in the whole id")
    {
        check_refused<national_structure_id>("175000000", errc::identifier_wrong_length, 9);
        check_refused<national_structure_id>("12C0000012", errc::identifier_bad_character, 2);
        check_refused<national_structure_id>("2123456783", errc::identifier_bad_key, 9);
        check_refused<national_structure_id>("312345678200011", errc::identifier_bad_key, 14);
        check_refused<national_structure_id>("312345678000006", errc::identifier_bad_key, 9);
        check_refused<national_structure_id>("335600000000012", errc::identifier_bad_key, 14);
        check_refused<national_structure_id>("410000000000016", errc::identifier_bad_key, 11);
        check_refused<national_structure_id>("410000000009018", errc::identifier_bad_key, 14);
        check_refused<national_structure_id>("41000000000901\xC3\xA9", errc::identifier_wrong_length, 16);
        check_refused<national_structure_id>("4100000000090\xC3\xA9", errc::identifier_bad_character, 13);
    }
}
