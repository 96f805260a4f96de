// SPDX-License-Identifier: Apache-2.0
// All identities below are synthetic.
#include <mss/diagnostics.hpp>
#include <mss/domain/email_address.hpp>
#include <mss/domain/errc.hpp>
#include <mss/domain/named_address.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

using mss::domain::email_address;
using mss::domain::errc;
using mss::domain::named_address;
using namespace std::string_view_literals;

namespace {

constexpr std::size_t no_position = static_cast<std::size_t>(-1);

/** Parses an address that must be valid. */
email_address address(std::string_view text)
{
    auto r = email_address::parse(text);
    INFO("address: ", std::string(text));
    REQUIRE(r.has_value());
    return *r;
}

/** Parses a named address that must be valid. */
named_address named(std::string_view text)
{
    auto r = named_address::parse(text);
    INFO("named address: ", std::string(text));
    REQUIRE(r.has_value());
    return *r;
}

/** Parses an address that must be refused with `code`; gives the offset recorded in the
 *  diagnostics. Also checks that both overloads agree and that a message was written. */
std::size_t refused(std::string_view text, errc code)
{
    INFO("address: ", std::string(text));
    mss::diagnostics diag;
    diag.set_client_message("stale");
    const auto with_diag = email_address::parse(text, diag);
    const auto without = email_address::parse(text);
    REQUIRE_FALSE(with_diag.has_value());
    REQUIRE_FALSE(without.has_value());
    CHECK(with_diag.error() == mss::domain::make_error_code(code));
    CHECK(without.error() == with_diag.error());
    CHECK_FALSE(diag.client_message().empty());
    CHECK(diag.client_message() != "stale");
    if (!diag.position())
        return no_position;
    CHECK(diag.position()->line == 0);
    return diag.position()->offset;
}

/** Same as `refused`, for named addresses. */
std::size_t named_refused(std::string_view text, errc code)
{
    INFO("named address: ", std::string(text));
    mss::diagnostics diag;
    const auto with_diag = named_address::parse(text, diag);
    const auto without = named_address::parse(text);
    REQUIRE_FALSE(with_diag.has_value());
    REQUIRE_FALSE(without.has_value());
    CHECK(with_diag.error() == mss::domain::make_error_code(code));
    CHECK(without.error() == with_diag.error());
    CHECK_FALSE(diag.client_message().empty());
    if (!diag.position())
        return no_position;
    CHECK(diag.position()->line == 0);
    return diag.position()->offset;
}

}  // namespace

TEST_SUITE("email_address")
{
    TEST_CASE("a plain address is split into its local part and its domain")
    {
        const auto a = address("dr.martin@medecin.oc.mssante.fr");
        CHECK(a.local_part() == "dr.martin");
        CHECK(a.domain() == "medecin.oc.mssante.fr");
        CHECK(a.domain_unicode() == "medecin.oc.mssante.fr");
        CHECK(a.str() == "dr.martin@medecin.oc.mssante.fr");
        CHECK(a.is_ascii());
    }

    TEST_CASE("a patient address built on an INS is accepted")
    {
        const auto a = address("279035121518989@patient.mssante.fr");
        CHECK(a.local_part() == "279035121518989");
        CHECK(a.domain() == "patient.mssante.fr");
    }

    TEST_CASE("MSSante-like addresses of other operators are accepted")
    {
        CHECK(address("secretariat.cardio@ch-exemple.mssante.fr").domain() == "ch-exemple.mssante.fr");
        CHECK(address("labo.analyses@mssante.apicrypt.org").domain() == "mssante.apicrypt.org");
        CHECK(address("jean.dupont.10101010101@pro.mssante.fr").local_part() == "jean.dupont.10101010101");
    }

    TEST_CASE("every atext character is accepted in an unquoted local part")
    {
        CHECK(address("a+tag@x.fr").local_part() == "a+tag");
        CHECK(address("o'brien@x.fr").local_part() == "o'brien");
        CHECK(address("!#$%&'*+-/=?^_`{|}~@x.fr").local_part() == "!#$%&'*+-/=?^_`{|}~");
    }

    TEST_CASE("the domain is lowercased and the local part keeps its case")
    {
        const auto a = address("Dr.Martin@Medecin.OC.MSSante.FR");
        CHECK(a.local_part() == "Dr.Martin");
        CHECK(a.domain() == "medecin.oc.mssante.fr");
        CHECK(a.str() == "Dr.Martin@medecin.oc.mssante.fr");
    }

    TEST_CASE("equality ignores the case of the domain but not the case of the local part")
    {
        const auto a = address("Dr.Martin@MEDECIN.example.fr");
        const auto b = address("Dr.Martin@medecin.EXAMPLE.fr");
        const auto c = address("dr.martin@medecin.example.fr");
        CHECK(a == b);
        CHECK(a != c);
        CHECK(std::hash<email_address>{}(a) == std::hash<email_address>{}(b));
    }

    TEST_CASE("an address can key an unordered map")
    {
        std::unordered_map<email_address, int> counts;
        counts[address("dr.martin@medecin.example.fr")] = 1;
        counts[address("dr.martin@MEDECIN.example.fr")] += 1;
        counts[address("Dr.Martin@medecin.example.fr")] = 10;
        CHECK(counts.size() == 2);
        CHECK(counts.at(address("dr.martin@Medecin.Example.FR")) == 2);
        const std::unordered_set<email_address> set{address("a@xn--mdecin-bva.fr"), address("a@médecin.fr")};
        CHECK(set.size() == 1);
    }

    TEST_CASE("quoted local parts are accepted and kept as given")
    {
        const auto spaced = address(R"("jean dupont"@x.fr)");
        CHECK(spaced.local_part() == R"("jean dupont")");
        CHECK(spaced.domain() == "x.fr");
        CHECK(spaced.str() == R"("jean dupont"@x.fr)");

        const auto with_at = address(R"("a@b"@x.fr)");
        CHECK(with_at.local_part() == R"("a@b")");
        CHECK(with_at.domain() == "x.fr");

        CHECK(address(R"("a\"b"@x.fr)").local_part() == R"("a\"b")");
        CHECK(address(R"("a\\b"@x.fr)").local_part() == R"("a\\b")");
        CHECK(address(R"("a..b."@x.fr)").local_part() == R"("a..b.")");
        CHECK(address(R"("Jérôme D."@x.fr)").local_part() == R"("Jérôme D.")");
    }

    TEST_CASE("a quoted local part differs from the same text unquoted")
    {
        CHECK(address(R"("jean"@x.fr)") != address("jean@x.fr"));
    }

    TEST_CASE("malformed quoted local parts are refused")
    {
        CHECK(refused(R"("abc@x.fr)", errc::address_bad_local_part) == 0);
        CHECK(refused(R"("a"b@x.fr)", errc::address_bad_local_part) == 3);
        CHECK(refused(R"(""@x.fr)", errc::address_bad_local_part) == 0);
        CHECK(refused(R"("a\é"@x.fr)", errc::address_bad_local_part) == 2);
        CHECK(refused(R"("a"@b@x.fr)", errc::address_bad_local_part) == 3);
        CHECK(refused(R"(a"b"@x.fr)", errc::address_bad_local_part) == 1);
    }

    TEST_CASE("a UTF-8 local part is accepted and makes the address non-ASCII")
    {
        const auto a = address("jérôme.durand@x.fr");
        CHECK(a.local_part() == "jérôme.durand");
        CHECK(a.str() == "jérôme.durand@x.fr");
        CHECK_FALSE(a.is_ascii());
        CHECK(address("用户@x.fr").local_part() == "用户");
    }

    TEST_CASE("a local part that is not well-formed UTF-8 is refused")
    {
        CHECK(refused("j\xc3(rome@x.fr", errc::address_bad_local_part) == 1);
        CHECK(refused("\xc0\xaf@x.fr", errc::address_bad_local_part) == 0);          // overlong '/'
        CHECK(refused("ab\xed\xa0\x80@x.fr", errc::address_bad_local_part) == 2);    // surrogate
        CHECK(refused("a\xf4\x90\x80\x80@x.fr", errc::address_bad_local_part) == 1); // > U+10FFFF
        CHECK(refused("abc\xc3@x.fr", errc::address_bad_local_part) == 3);           // truncated
        CHECK(refused("\xff@x.fr", errc::address_bad_local_part) == 0);
    }

    TEST_CASE("an unquoted local part refuses characters that need quoting")
    {
        CHECK(refused("jean dupont@x.fr", errc::address_bad_local_part) == 4);
        CHECK(refused("a(b)@x.fr", errc::address_bad_local_part) == 1);
        CHECK(refused("a,b@x.fr", errc::address_bad_local_part) == 1);
        CHECK(refused("a\\@b@x.fr", errc::address_bad_local_part) == 1);
        CHECK(refused("<a@x.fr>", errc::address_bad_local_part) == 0);
    }

    TEST_CASE("an IDN domain in UTF-8 is converted to its A-label")
    {
        const auto a = address("secretariat@médecin.exemple.fr");
        CHECK(a.local_part() == "secretariat");
        CHECK(a.domain() == "xn--mdecin-bva.exemple.fr");
        CHECK(a.domain_unicode() == "médecin.exemple.fr");
        CHECK(a.str() == "secretariat@xn--mdecin-bva.exemple.fr");
        CHECK(a.is_ascii());
    }

    TEST_CASE("an IDN domain is normalised: case folded and NFC applied")
    {
        const auto upper = address("secretariat@MÉDECIN.Exemple.FR");
        CHECK(upper.domain() == "xn--mdecin-bva.exemple.fr");
        CHECK(upper.domain_unicode() == "médecin.exemple.fr");
        // "e" followed by U+0301 COMBINING ACUTE ACCENT.
        const auto decomposed = address("secretariat@me\xcc\x81" "decin.exemple.fr");
        CHECK(decomposed.domain() == "xn--mdecin-bva.exemple.fr");
        CHECK(decomposed.domain_unicode() == "médecin.exemple.fr");
    }

    TEST_CASE("IDN conversion is non-transitional: sharp s is kept")
    {
        const auto a = address("info@straße.de");
        CHECK(a.domain() == "xn--strae-oqa.de");
        CHECK(a.domain_unicode() == "straße.de");
        CHECK(a != address("info@strasse.de"));
    }

    TEST_CASE("the same IDN domain given as A-label compares equal")
    {
        const auto u = address("secretariat@médecin.exemple.fr");
        const auto a = address("secretariat@xn--mdecin-bva.exemple.fr");
        const auto upper = address("secretariat@XN--MDECIN-BVA.exemple.fr");
        CHECK(a.domain_unicode() == "médecin.exemple.fr");
        CHECK(u == a);
        CHECK(u == upper);
        CHECK(upper.domain() == "xn--mdecin-bva.exemple.fr");
        CHECK(std::hash<email_address>{}(u) == std::hash<email_address>{}(a));
    }

    TEST_CASE("an invalid A-label is refused")
    {
        CHECK(refused("a@xn--zz.exemple.fr", errc::address_bad_domain) == 2);      // bad Punycode
        CHECK(refused("a@xn--ab-.exemple.fr", errc::address_bad_domain) == 8);     // decodes to ASCII
        CHECK(refused("a@exemple.xn--ls8h.fr", errc::address_bad_domain) == 10);   // emoji: disallowed
        CHECK(refused("a@xn--a-gea.fr", errc::address_bad_domain) == 2);           // uppercase U+00C9
        CHECK(refused("a@xn--.fr", errc::address_bad_domain) == 5);
    }

    TEST_CASE("an invalid U-label is refused")
    {
        CHECK(refused("a@\xf0\x9f\x92\xa9.fr", errc::address_bad_domain) == 2);    // emoji
        CHECK(refused("a@exemple.a\xe3\x80\x82" "b.fr", errc::address_bad_domain) == 10); // U+3002
        CHECK(refused("a@m\xc3(decin.fr", errc::address_bad_domain) == 3);        // not UTF-8
    }

    TEST_CASE("domain labels hold letters, digits and inner hyphens only")
    {
        CHECK(address("a@ch-exemple.fr").domain() == "ch-exemple.fr");
        CHECK(address("a@ab--cd.fr").domain() == "ab--cd.fr");
        CHECK(refused("a@ex_ample.fr", errc::address_bad_domain) == 4);
        CHECK(refused("a@-exemple.fr", errc::address_bad_domain) == 2);
        CHECK(refused("a@exemple-.fr", errc::address_bad_domain) == 9);
        CHECK(refused("a@exa mple.fr", errc::address_bad_domain) == 5);
        CHECK(refused("a@exemple.fr>", errc::address_bad_domain) == 12);
    }

    TEST_CASE("domain labels are limited to 63 octets")
    {
        const std::string label63(63, 'a');
        CHECK(address("x@" + label63 + ".fr").domain() == label63 + ".fr");
        CHECK(refused("x@" + label63 + "a.fr", errc::address_bad_domain) == 2 + 63);
        // An IDN label whose A-label would exceed 63 octets.
        CHECK(refused("x@é" + std::string(60, 'a') + ".fr", errc::address_bad_domain) == 2);
    }

    TEST_CASE("the local part is limited to 64 octets")
    {
        const std::string local64(64, 'l');
        CHECK(address(local64 + "@x.fr").local_part() == local64);
        CHECK(refused(local64 + "l@x.fr", errc::address_too_long) == 64);
        CHECK(refused("\"" + std::string(63, 'l') + "\"@x.fr", errc::address_too_long) == 64);
    }

    TEST_CASE("the domain is limited to 253 octets and the address to 254")
    {
        const std::string l63(63, 'd');
        // 63 + 1 + 63 + 1 + 63 + 1 + 60 = 252 octets; with "a@" the address has 254.
        const std::string domain252 = l63 + "." + l63 + "." + l63 + "." + std::string(60, 'd');
        CHECK(address("a@" + domain252).str().size() == 254);
        CHECK(refused("ab@" + domain252, errc::address_too_long) == 254);
        // 255 octets: too long a domain, whatever the local part.
        const std::string domain255 = l63 + "." + l63 + "." + l63 + "." + l63;
        CHECK(refused("a@" + domain255, errc::address_too_long) == 2);
        // A 64-octet local part leaves 189 octets for the domain.
        const std::string local64(64, 'l');
        const std::string domain189 = l63 + "." + l63 + "." + std::string(61, 'd');
        CHECK(address(local64 + "@" + domain189).str().size() == 254);
        CHECK(refused(local64 + "@" + domain189 + "d", errc::address_too_long) == 254);
    }

    TEST_CASE("the length limit counts the domain in A-label form")
    {
        // Each U-label takes 52 octets in UTF-8 and 58 as an A-label: the text has 247 octets, the
        // address on the wire 265.
        const std::string u = "é" + std::string(50, 'a');
        const std::string text =
            std::string(64, 'l') + "@" + u + "." + u + "." + u + "." + std::string(20, 'b') + ".fr";
        CHECK(text.size() == 247);
        CHECK(refused(text, errc::address_too_long) == 247);
    }

    TEST_CASE("a huge input is refused without further work")
    {
        CHECK(refused(std::string(5000, 'a') + "@x.fr", errc::address_too_long) == 4096);
    }

    TEST_CASE("dots must separate non-empty parts")
    {
        CHECK(refused(".jean@x.fr", errc::address_bad_local_part) == 0);
        CHECK(refused("jean.@x.fr", errc::address_bad_local_part) == 4);
        CHECK(refused("jean..dupont@x.fr", errc::address_bad_local_part) == 5);
        CHECK(refused("jean@.x.fr", errc::address_bad_domain) == 5);
        CHECK(refused("jean@x..fr", errc::address_bad_domain) == 7);
        CHECK(refused("jean@x.fr.", errc::address_bad_domain) == 9);
        CHECK(refused("jean@.", errc::address_bad_domain) == 5);
    }

    TEST_CASE("a domain needs at least two labels")
    {
        CHECK(refused("jean@localhost", errc::address_bad_domain) == 5);
        CHECK(refused("jean@médecin", errc::address_bad_domain) == 5);
    }

    TEST_CASE("a missing at sign is refused")
    {
        CHECK(refused("dr.martin", errc::address_missing_at) == 9);
        CHECK(refused("dr.martin.medecin.example.fr", errc::address_missing_at) == 28);
        CHECK(refused(R"("a@b")", errc::address_missing_at) == 5);
    }

    TEST_CASE("an empty local part or domain is refused")
    {
        CHECK(refused("@x.fr", errc::address_bad_local_part) == 0);
        CHECK(refused("jean@", errc::address_bad_domain) == 5);
        CHECK(refused("@", errc::address_bad_local_part) == 0);
    }

    TEST_CASE("several at signs are refused: the last one separates the domain")
    {
        CHECK(refused("a@b@x.fr", errc::address_bad_local_part) == 1);
        CHECK(refused("jean@@x.fr", errc::address_bad_local_part) == 4);
        CHECK(refused("jean@x.fr@", errc::address_bad_local_part) == 4);
    }

    TEST_CASE("an empty address is refused")
    {
        CHECK(refused("", errc::address_empty) == 0);
    }

    TEST_CASE("CR, LF, NUL and other controls are refused wherever they are, before anything else")
    {
        CHECK(refused("a@b.fr\r\nBcc: x@y.fr", errc::address_forbidden_character) == 6);
        CHECK(refused("a@b.fr\nBcc: x@y.fr", errc::address_forbidden_character) == 6);
        CHECK(refused("a\r\n@b.fr", errc::address_forbidden_character) == 1);
        CHECK(refused("\r\nRCPT TO:<x@y.fr>", errc::address_forbidden_character) == 0);
        CHECK(refused("a@b.fr\0"sv, errc::address_forbidden_character) == 6);
        CHECK(refused("a\0@b.fr"sv, errc::address_forbidden_character) == 1);
        CHECK(refused("\"a\r\nb\"@x.fr", errc::address_forbidden_character) == 2);  // inside quotes
        CHECK(refused("\"a\\\rb\"@x.fr", errc::address_forbidden_character) == 3);  // quoted pair
        CHECK(refused("a\tb@x.fr", errc::address_forbidden_character) == 1);
        CHECK(refused("a\x7f@x.fr", errc::address_forbidden_character) == 1);      // DEL
        CHECK(refused("a\x1b[0m@x.fr", errc::address_forbidden_character) == 1);   // ESC
        CHECK(refused("a\xc2\x85@x.fr", errc::address_forbidden_character) == 1);  // NEL (C1)
        CHECK(refused("ab@mé\r\n.fr", errc::address_forbidden_character) == 6);
        CHECK(refused("nothing valid here\n", errc::address_forbidden_character) == 18);
        CHECK(refused("\r\n", errc::address_forbidden_character) == 0);
    }

    TEST_CASE("address literals are refused with a message saying so")
    {
        mss::diagnostics diag;
        const auto r = email_address::parse("jean@[192.0.2.1]", diag);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == mss::domain::make_error_code(errc::address_bad_domain));
        CHECK(diag.client_message().find("literal") != std::string::npos);
        CHECK(diag.position() == mss::input_position{5, 0, 0});
        CHECK(refused("jean@[IPv6:2001:db8::1]", errc::address_bad_domain) == 5);
        CHECK(refused("jean@192.0.2.1", errc::address_bad_domain) == 13);
    }

    TEST_CASE("diagnostics are cleared on success and never repeat the address")
    {
        mss::diagnostics diag;
        diag.set_client_message("stale");
        diag.set_position({3, 1, 1});
        CHECK(email_address::parse("dr.martin@medecin.example.fr", diag).has_value());
        CHECK(diag.client_message().empty());
        CHECK_FALSE(diag.position().has_value());

        CHECK_FALSE(email_address::parse("dr.martin@medecin..example.fr", diag).has_value());
        CHECK(diag.client_message().find("martin") == std::string::npos);
        CHECK(diag.client_message().find("medecin") == std::string::npos);
        CHECK(diag.position() == mss::input_position{18, 0, 0});
    }
}

TEST_SUITE("named_address")
{
    TEST_CASE("a bare address has no display name")
    {
        const auto n = named("dr.martin@medecin.oc.mssante.fr");
        CHECK_FALSE(n.has_display_name());
        CHECK(n.display_name().empty());
        CHECK(n.address().str() == "dr.martin@medecin.oc.mssante.fr");
    }

    TEST_CASE("an address in angle brackets has no display name")
    {
        CHECK(named("<279035121518989@patient.mssante.fr>").address().local_part() == "279035121518989");
        const auto spaced = named("  < dr.martin@medecin.oc.mssante.fr >  ");
        CHECK_FALSE(spaced.has_display_name());
        CHECK(spaced.address().domain() == "medecin.oc.mssante.fr");
        CHECK_FALSE(named(R"("" <a@b.fr>)").has_display_name());
    }

    TEST_CASE("an unquoted display name is kept")
    {
        const auto n = named("Jean Dupont <jean.dupont@medecin.example.fr>");
        CHECK(n.display_name() == "Jean Dupont");
        CHECK(n.address().str() == "jean.dupont@medecin.example.fr");
        CHECK(named("Dr. Martin <dr.martin@medecin.oc.mssante.fr>").display_name() == "Dr. Martin");
        CHECK(named("Jean<a@b.fr>").display_name() == "Jean");
    }

    TEST_CASE("a quoted display name is unquoted and its quoted pairs resolved")
    {
        CHECK(named(R"("Dupont, Jean" <a@b.fr>)").display_name() == "Dupont, Jean");
        CHECK(named(R"("Jean \"JD\" Dupont" <a@b.fr>)").display_name() == R"(Jean "JD" Dupont)");
        CHECK(named(R"("a\\b" <a@b.fr>)").display_name() == R"(a\b)");
        CHECK(named(R"("Cabinet <Martin>" <a@b.fr>)").display_name() == "Cabinet <Martin>");
        CHECK(named(R"(Jean "de la" Fontaine <a@b.fr>)").display_name() == "Jean de la Fontaine");
    }

    TEST_CASE("a quoted local part may hold angle brackets and at signs")
    {
        const auto n = named(R"(Jean <"a>b@c"@x.fr>)");
        CHECK(n.display_name() == "Jean");
        CHECK(n.address().local_part() == R"("a>b@c")");
        CHECK(n.address().domain() == "x.fr");
    }

    TEST_CASE("UTF-8 display names and RFC 2047 encoded-words are kept as text")
    {
        CHECK(named("Jérôme Durand <j.durand@x.fr>").display_name() == "Jérôme Durand");
        CHECK(named("=?UTF-8?Q?J=C3=A9r=C3=B4me?= <j.durand@x.fr>").display_name() ==
              "=?UTF-8?Q?J=C3=A9r=C3=B4me?=");
        CHECK(named("Secrétariat <accueil@médecin.exemple.fr>").address().domain() ==
              "xn--mdecin-bva.exemple.fr");
    }

    TEST_CASE("surrounding whitespace is trimmed")
    {
        const auto n = named("   Jean Dupont   <a@b.fr>   ");
        CHECK(n.display_name() == "Jean Dupont");
        CHECK(named("  a@b.fr  ").address().str() == "a@b.fr");
        CHECK(named(R"(  " Jean " <a@b.fr>)").display_name() == " Jean ");
    }

    TEST_CASE("control characters in the display name are refused with their offset")
    {
        CHECK(named_refused("Jean\r\nBcc: x@y.fr <a@b.fr>", errc::address_forbidden_character) == 4);
        CHECK(named_refused("\"Jean\r\n\" <a@b.fr>", errc::address_forbidden_character) == 5);
        CHECK(named_refused("Jean\0 <a@b.fr>"sv, errc::address_forbidden_character) == 4);
        CHECK(named_refused("Jean\t<a@b.fr>", errc::address_forbidden_character) == 4);
        CHECK(named_refused("Jean <a@b.fr>\r\n", errc::address_forbidden_character) == 13);
        CHECK(named_refused("Jean <a@b.fr\r\n>", errc::address_forbidden_character) == 12);
    }

    TEST_CASE("unbalanced quotes and angle brackets are refused")
    {
        CHECK(named_refused(R"("Dupont <a@b.fr>)", errc::address_bad_display_name) == 0);
        CHECK(named_refused(R"(Jean "Dupont <a@b.fr>)", errc::address_bad_display_name) == 5);
        CHECK(named_refused("Jean <a@b.fr", errc::address_bad_display_name) == 12);
        CHECK(named_refused("Jean a@b.fr>", errc::address_bad_display_name) == 11);
        CHECK(named_refused("Jean <a@b.fr> x", errc::address_bad_display_name) == 15);
    }

    TEST_CASE("special characters outside quotes are refused in a display name")
    {
        CHECK(named_refused("Dupont, Jean <a@b.fr>", errc::address_bad_display_name) == 6);
        CHECK(named_refused("a@b.fr <c@d.fr>", errc::address_bad_display_name) == 1);
        CHECK(named_refused("Jean (cardio) <a@b.fr>", errc::address_bad_display_name) == 5);
        CHECK(named_refused("Jean > <a@b.fr>", errc::address_bad_display_name) == 5);
        CHECK(named_refused("Jean \xff <a@b.fr>", errc::address_bad_display_name) == 5);
    }

    TEST_CASE("errors of the address are reported at their place in the whole text")
    {
        CHECK(named_refused("Jean <a@b..fr>", errc::address_bad_domain) == 10);
        CHECK(named_refused("  Jean < a@b..fr >", errc::address_bad_domain) == 13);
        CHECK(named_refused("  a@b..fr", errc::address_bad_domain) == 6);
        CHECK(named_refused("Jean <jean>", errc::address_missing_at) == 10);
        CHECK(named_refused("Jean <[192.0.2.1]>", errc::address_missing_at) == 17);
        CHECK(named_refused("Jean <j@[192.0.2.1]>", errc::address_bad_domain) == 8);
    }

    TEST_CASE("empty inputs are refused")
    {
        CHECK(named_refused("", errc::address_empty) == 0);
        CHECK(named_refused("   ", errc::address_empty) == 3);
        CHECK(named_refused("<>", errc::address_empty) == 1);
        CHECK(named_refused("Jean <  >", errc::address_empty) == 8);
    }

    TEST_CASE("make keeps a plain display name and refuses control characters")
    {
        const auto a = address("jean.dupont@medecin.example.fr");
        const auto n = named_address::make("Dupont, Jean \"JD\"", a);
        REQUIRE(n.has_value());
        CHECK(n->display_name() == "Dupont, Jean \"JD\"");
        CHECK(n->address() == a);

        const auto none = named_address::make("", a);
        REQUIRE(none.has_value());
        CHECK_FALSE(none->has_display_name());

        const auto injected = named_address::make("Jean\r\nBcc: x@y.fr", a);
        REQUIRE_FALSE(injected.has_value());
        CHECK(injected.error() == mss::domain::make_error_code(errc::address_forbidden_character));
        const auto nul = named_address::make(std::string("Jean\0x", 6), a);
        REQUIRE_FALSE(nul.has_value());
        CHECK(nul.error() == mss::domain::make_error_code(errc::address_forbidden_character));
        const auto binary = named_address::make("Jean \xff", a);
        REQUIRE_FALSE(binary.has_value());
        CHECK(binary.error() == mss::domain::make_error_code(errc::address_bad_display_name));
    }

    TEST_CASE("a parsed named address equals the one made from its parts")
    {
        const auto parsed = named(R"("Dupont, Jean" <jean.dupont@MEDECIN.example.fr>)");
        const auto made = named_address::make("Dupont, Jean", address("jean.dupont@medecin.example.fr"));
        REQUIRE(made.has_value());
        CHECK(parsed == *made);
        CHECK(parsed != named("Jean Dupont <jean.dupont@medecin.example.fr>"));
    }
}
