// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/errc.hpp>
#include <mss/domain/trust_space.hpp>
#include <mss/error.hpp>

#include "common/test_data.hpp"

#include <doctest/doctest.h>

#include <string>

using mss::domain::trust_space;
namespace errc = mss::domain;

namespace {

const std::string& real_file()
{
    static const std::string bytes = mss::test::read_file(mss::test::trust_space_dir() / "listeblanchemssante.xml");
    return bytes;
}

std::string real_checksum()
{
    return mss::test::read_file(mss::test::trust_space_dir() / "checksum").substr(0, 64);
}

std::string small_list(std::string_view domains_xml, bool close_root = true)
{
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                      "<ListeBlancheMSSante xmlns=\"https://listeblanche.mssante.fr/schema\">\n"
                      "<DateDeGeneration>2026-01-02T03:04:05Z</DateDeGeneration>\n<ListeDomaines>\n";
    xml += domains_xml;
    xml += "</ListeDomaines>\n";
    if (close_root)
        xml += "</ListeBlancheMSSante>\n";
    return xml;
}

std::string domain_xml(std::string_view name, std::string_view dn = "CN=mx.operateur.test")
{
    return "<Domaine><Nom>" + std::string(name) + "</Nom><Description>d</Description><DNCertificatOperateur>" +
           std::string(dn) + "</DNCertificatOperateur><DateMAJ>2026-01-01T00:00:00Z</DateMAJ></Domaine>\n";
}

}  // namespace

TEST_SUITE("trust space: the real ANS whitelist")
{
    TEST_CASE("the March 2025 file loads with its published checksum")
    {
        mss::diagnostics diag;
        auto space = trust_space::parse(real_file(), diag, real_checksum());
        REQUIRE_MESSAGE(space.has_value(), diag.client_message());
        CHECK(space->total_entry_count() == 6554);
        CHECK(space->entry_count() == 6553);
        CHECK(space->domain_count() == 5001);
        CHECK(space->generated_at() == "2025-03-13T14:54:10Z");
    }

    TEST_CASE("load_file reads the checksum file published beside the list")
    {
        mss::diagnostics diag;
        auto space = trust_space::load_file(mss::test::trust_space_dir() / "listeblanchemssante.xml", diag,
                                            mss::test::trust_space_dir() / "checksum");
        REQUIRE_MESSAGE(space.has_value(), diag.client_message());
        CHECK(space->total_entry_count() == 6554);
    }

    TEST_CASE("known members are found, with one entry per operator certificate")
    {
        mss::diagnostics diag;
        auto space = trust_space::parse(real_file(), diag);
        REQUIRE(space.has_value());
        CHECK(space->contains("medimail.mssante.fr"));
        CHECK(space->entries_of("medimail.mssante.fr").size() == 1);
        CHECK(space->contains("mssante.apicrypt.org"));  // not under mssante.fr: no suffix rule
        CHECK(space->entries_of("mssante.apicrypt.org").size() == 2);
        CHECK(space->entries_of("patient.mssante.fr").size() == 2);
        CHECK(space->entries_of("adsea29.mssante.fr")[0].operator_certificate_dn.find("CN=medimail-asip.mipih.fr") == 0);
        CHECK(space->entries_of("adsea29.mssante.fr")[0].description == "BREST LA SAUVEGARDE");
    }

    TEST_CASE("lookups ignore ASCII case, and names in upper case in the file are found")
    {
        mss::diagnostics diag;
        auto space = trust_space::parse(real_file(), diag);
        REQUIRE(space.has_value());
        CHECK(space->contains("MEDIMAIL.MSSANTE.FR"));
        CHECK(space->contains("uc-cmp.mssante.fr"));  // written UC-CMP.mssante.fr in the file
    }

    TEST_CASE("domains outside the list, look-alikes and sub-domains are not trusted")
    {
        mss::diagnostics diag;
        auto space = trust_space::parse(real_file(), diag);
        REQUIRE(space.has_value());
        CHECK_FALSE(space->contains("gmail.com"));
        CHECK_FALSE(space->contains("evil.medimail.mssante.fr"));
        CHECK_FALSE(space->contains("medimail.mssante.fr.evil.test"));
        CHECK_FALSE(space->contains("mssante.fr"));
        CHECK_FALSE(space->contains(""));
        CHECK_FALSE(space->contains(std::string(300, 'a')));
    }

    TEST_CASE("an entry whose Nom is an e-mail address is kept as an anomaly and never matches")
    {
        mss::diagnostics diag;
        auto space = trust_space::parse(real_file(), diag);
        REQUIRE(space.has_value());
        REQUIRE(space->anomalies().size() == 1);
        CHECK(space->anomalies()[0].name == "sessad@ase.ditepbeziers.mssante.fr");
        CHECK(space->anomalies()[0].line == 48458);
        CHECK_FALSE(space->contains("sessad@ase.ditepbeziers.mssante.fr"));
    }
}

TEST_SUITE("trust space: damaged files are refused as a whole")
{
    TEST_CASE("a wrong checksum is refused before parsing")
    {
        std::string wrong = real_checksum();
        wrong[10] = wrong[10] == '0' ? '1' : '0';
        mss::diagnostics diag;
        auto space = trust_space::parse(real_file(), diag, wrong);
        REQUIRE(space.has_error());
        CHECK(space.error() == errc::errc::trust_space_checksum_mismatch);
        CHECK(diag.client_message().find("expected") != std::string::npos);
    }

    TEST_CASE("a checksum that is not 64 hexadecimal digits is a format error")
    {
        mss::diagnostics diag;
        CHECK(trust_space::parse(real_file(), diag, "abc").error() == errc::errc::trust_space_bad_checksum_format);
        CHECK(trust_space::parse(real_file(), diag, std::string(64, 'g')).error() ==
              errc::errc::trust_space_bad_checksum_format);
    }

    TEST_CASE("one changed byte fails the checksum even when the XML stays valid")
    {
        std::string copy = real_file();
        const auto at = copy.find("BREST LA SAUVEGARDE");
        copy[at] = 'b';
        mss::diagnostics diag;
        CHECK(trust_space::parse(copy, diag, real_checksum()).error() == errc::errc::trust_space_checksum_mismatch);
    }

    TEST_CASE("a copy cut anywhere before the end of ListeDomaines is refused with its position")
    {
        const std::string& file = real_file();
        const auto domains_end = file.find("</ListeDomaines>");
        REQUIRE(domains_end != std::string::npos);
        // Cuts spread over the file, plus cuts inside the last tags.
        std::vector<std::size_t> cuts;
        for (std::size_t i = 1; i < 40; ++i)
            cuts.push_back(domains_end * i / 40);
        for (std::size_t back = 1; back <= 20; ++back)
            cuts.push_back(domains_end + std::string_view("</ListeDomaines>").size() - back);
        for (std::size_t cut : cuts)
        {
            CAPTURE(cut);
            mss::diagnostics diag;
            auto space = trust_space::parse(std::string_view(file).substr(0, cut), diag);
            REQUIRE(space.has_error());
            const bool expected = space.error() == errc::errc::trust_space_malformed ||
                                  space.error() == errc::errc::trust_space_bad_structure;
            CHECK(expected);
            REQUIRE(diag.position().has_value());
            CHECK(diag.position()->line > 0);
            CHECK(diag.client_message().find("line") != std::string::npos);
        }
    }

    TEST_CASE("the published file's missing root end tag is accepted, and so is a proper one")
    {
        mss::diagnostics diag;
        CHECK(trust_space::parse(small_list(domain_xml("a.test"), false), diag).has_value());
        CHECK(trust_space::parse(small_list(domain_xml("a.test"), true), diag).has_value());
        std::string closed = real_file() + "</ListeBlancheMSSante>\n";
        auto space = trust_space::parse(closed, diag);
        REQUIRE(space.has_value());
        CHECK(space->total_entry_count() == 6554);
    }

    TEST_CASE("a corrupted tag is reported at the line where it breaks")
    {
        std::string copy = real_file();
        // Line 6 of the file holds the first Nom; break its end tag.
        const auto at = copy.find("</Nom>");
        copy[at + 2] = '#';
        mss::diagnostics diag;
        auto space = trust_space::parse(copy, diag);
        REQUIRE(space.has_error());
        CHECK(space.error() == errc::errc::trust_space_malformed);
        REQUIRE(diag.position().has_value());
        CHECK(diag.position()->line == 5);
    }

    TEST_CASE("invalid UTF-8 and NUL bytes are refused")
    {
        mss::diagnostics diag;
        CHECK(trust_space::parse(small_list(domain_xml("a.test", "CN=\xff\xfe")), diag).error() ==
              errc::errc::trust_space_malformed);
        std::string with_nul = small_list(domain_xml("a.test"));
        with_nul.insert(with_nul.find("a.test"), 1, '\0');
        CHECK(trust_space::parse(with_nul, diag).error() == errc::errc::trust_space_malformed);
    }

    TEST_CASE("trailing bytes after the root element are refused")
    {
        mss::diagnostics diag;
        CHECK(trust_space::parse(small_list(domain_xml("a.test")) + "<more/>", diag).error() ==
              errc::errc::trust_space_malformed);
    }

    TEST_CASE("a DOCTYPE is refused, so no entity can expand")
    {
        const std::string xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]>" +
                                small_list(domain_xml("&a;.test")).substr(std::string_view("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").size());
        mss::diagnostics diag;
        auto space = trust_space::parse(xml, diag);
        REQUIRE(space.has_error());
        CHECK(space.error() == errc::errc::trust_space_bad_structure);
        CHECK(diag.client_message().find("DOCTYPE") != std::string::npos);
    }

    TEST_CASE("the wrong root element or namespace is a structure error")
    {
        mss::diagnostics diag;
        CHECK(trust_space::parse("<ListeBlancheMSSante><ListeDomaines/></ListeBlancheMSSante>", diag).error() ==
              errc::errc::trust_space_bad_structure);
        CHECK(trust_space::parse("<html xmlns=\"https://listeblanche.mssante.fr/schema\"/>", diag).error() ==
              errc::errc::trust_space_bad_structure);
    }

    TEST_CASE("a Domaine without Nom, or with two, names its line")
    {
        mss::diagnostics diag;
        auto space = trust_space::parse(small_list(domain_xml("a.test") + "<Domaine><Description>x</Description></Domaine>\n"), diag);
        REQUIRE(space.has_error());
        CHECK(space.error() == errc::errc::trust_space_bad_structure);
        CHECK(diag.client_message().find("line 5") != std::string::npos);
        CHECK(trust_space::parse(small_list("<Domaine><Nom>a.test</Nom><Nom>b.test</Nom></Domaine>"), diag).error() ==
              errc::errc::trust_space_bad_structure);
    }

    TEST_CASE("a file without ListeDomaines is refused")
    {
        mss::diagnostics diag;
        CHECK(trust_space::parse("<ListeBlancheMSSante xmlns=\"https://listeblanche.mssante.fr/schema\">"
                                 "<DateDeGeneration>x</DateDeGeneration></ListeBlancheMSSante>",
                                 diag)
                  .error() == errc::errc::trust_space_bad_structure);
    }

    TEST_CASE("limits on size, entries and field length hold")
    {
        mss::diagnostics diag;
        const std::string xml = small_list(domain_xml("a.test") + domain_xml("b.test") + domain_xml("c.test"));
        mss::domain::trust_space_limits limits;
        limits.max_entries = 2;
        CHECK(trust_space::parse(xml, diag, {}, limits).error() == mss::errc::limit_exceeded);
        limits = {};
        limits.max_file_size = 100;
        CHECK(trust_space::parse(xml, diag, {}, limits).error() == mss::errc::limit_exceeded);
        limits = {};
        limits.max_field_size = 16;
        CHECK(trust_space::parse(small_list(domain_xml("a.test", std::string(17, 'x'))), diag, {}, limits).error() ==
              mss::errc::limit_exceeded);
    }

    TEST_CASE("a missing file is reported as unreadable")
    {
        mss::diagnostics diag;
        CHECK(trust_space::load_file("/nonexistent/liste.xml", diag).error() == mss::errc::file_unreadable);
    }

    TEST_CASE("a refused reload leaves the list in force untouched")
    {
        mss::diagnostics diag;
        auto loaded = trust_space::parse(real_file(), diag);
        REQUIRE(loaded.has_value());
        trust_space in_force = std::move(*loaded);
        auto reload = trust_space::parse(std::string_view(real_file()).substr(0, 100000), diag);
        CHECK(reload.has_error());
        if (reload)
            in_force = std::move(*reload);
        CHECK(in_force.total_entry_count() == 6554);
        CHECK(in_force.contains("medimail.mssante.fr"));
    }
}

TEST_SUITE("trust space: entries added beside the ANS list")
{
    TEST_CASE("a test operator's domain can be added and found")
    {
        mss::diagnostics diag;
        auto space = trust_space::parse(small_list(domain_xml("a.test")), diag);
        REQUIRE(space.has_value());
        mss::domain::trust_space_entry entry;
        entry.domain = "Regional.Sandbox.Test";
        REQUIRE(space->add(entry));
        CHECK(space->contains("regional.sandbox.test"));
        CHECK(space->entries_of("REGIONAL.sandbox.test")[0].domain == "regional.sandbox.test");
        CHECK(space->total_entry_count() == 2);
    }

    TEST_CASE("an invalid domain is not added")
    {
        trust_space space;
        mss::domain::trust_space_entry entry;
        entry.domain = "not a domain";
        CHECK_FALSE(space.add(entry));
        entry.domain = "x.test\r\nBcc: y@z.test";
        CHECK_FALSE(space.add(entry));
        CHECK(space.total_entry_count() == 0);
    }
}
