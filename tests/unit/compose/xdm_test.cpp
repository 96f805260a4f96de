// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/xdm/package.hpp>

#include <doctest/doctest.h>
#include <openssl/sha.h>
#include <zip.h>

#include <map>

using namespace mss;

namespace {

const std::string cda =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n"
    "  <typeId root=\"2.16.840.1.113883.1.3\" extension=\"POCD_HD000040\"/>\n"
    "  <code code=\"11490-0\" codeSystem=\"2.16.840.1.113883.6.1\" displayName=\"Lettre de sortie\"/>\n"
    "  <title>Lettre de sortie</title>\n"
    "  <component><structuredBody/></component>\n"
    "</ClinicalDocument>\n";

// Opens an archive held in memory and returns its entries by name.
std::map<std::string, std::string> unzip(const std::string& bytes)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    REQUIRE(source);
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    REQUIRE(archive);
    std::map<std::string, std::string> out;
    for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i)
    {
        zip_stat_t stat;
        REQUIRE(zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat) == 0);
        zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
        REQUIRE(file);
        std::string content(stat.size, '\0');
        REQUIRE(zip_fread(file, content.data(), stat.size) == static_cast<zip_int64_t>(stat.size));
        zip_fclose(file);
        out[stat.name] = content;
    }
    zip_close(archive);
    return out;
}

xdm::package_params params_for(std::vector<xdm::document> documents, bool with_ins)
{
    xdm::package_params p;
    p.patient = {"Dupont", "Marie", std::chrono::year(1950) / 2 / 1, {}};
    if (with_ins)
        p.patient.qualified_ins = domain::ins::parse("279035121518989").value();
    p.documents = std::move(documents);
    p.author = "Dr_Jean_MARTIN_Cardiologie";
    p.now = std::chrono::sys_days(std::chrono::year(2026) / 11 / 26) + std::chrono::hours(9);
    p.submission_id = "1.2.250.1.999.42";
    return p;
}

}  // namespace

TEST_SUITE("compose: IHE XDM")
{
    TEST_CASE("the archive holds the metadata, the documents, INDEX.HTM and README.TXT")
    {
        diagnostics diag;
        auto package = xdm::build_package(params_for({{cda, "Lettre de sortie", "Compte rendu"}}, true), diag);
        REQUIRE_MESSAGE(package.has_value(), diag.client_message());
        CHECK(package->document_codes == std::vector<std::string>{"11490-0"});
        CHECK(package->qualified_ins);
        const auto entries = unzip(package->zip);
        REQUIRE(entries.size() == 4);
        CHECK(entries.count("IHE_XDM/SUBSET01/METADATA.XML") == 1);
        CHECK(entries.count("INDEX.HTM") == 1);
        CHECK(entries.count("README.TXT") == 1);
        REQUIRE(entries.count("IHE_XDM/SUBSET01/DOC0001.XML") == 1);
        CHECK(entries.at("IHE_XDM/SUBSET01/DOC0001.XML") == cda);

        const std::string& metadata = entries.at("IHE_XDM/SUBSET01/METADATA.XML");
        unsigned char digest[SHA_DIGEST_LENGTH];
        SHA1(reinterpret_cast<const unsigned char*>(cda.data()), cda.size(), digest);
        std::string hex;
        for (unsigned char b : digest)
        {
            const char* d = "0123456789abcdef";
            hex += d[b >> 4];
            hex += d[b & 0xf];
        }
        CHECK(metadata.find("<rim:Value>" + hex + "</rim:Value>") != std::string::npos);
        CHECK(metadata.find("<rim:Value>" + std::to_string(cda.size()) + "</rim:Value>") != std::string::npos);
        CHECK(metadata.find("279035121518989^^^&amp;1.2.250.1.213.1.4.8&amp;ISO") != std::string::npos);
        CHECK(metadata.find("nodeRepresentation=\"11490-0\"") != std::string::npos);
        CHECK(metadata.find("nodeRepresentation=\"Compte rendu\"") != std::string::npos);
        CHECK(metadata.find("<rim:Value>20261126090000</rim:Value>") != std::string::npos);
        // The metadata itself is well-formed XML: a CDA reader would refuse it, but it parses.
        CHECK(xdm::cda_document_code(metadata, diag).error() == mss::errc::invalid_argument);
    }

    TEST_CASE("without a qualified INS the package says so (X-MSS-INS: N)")
    {
        diagnostics diag;
        auto package = xdm::build_package(params_for({{cda, "A", "B"}, {cda, "C", "D"}}, false), diag);
        REQUIRE(package.has_value());
        CHECK_FALSE(package->qualified_ins);
        CHECK(package->document_codes.size() == 2);
        CHECK(unzip(package->zip).count("IHE_XDM/SUBSET01/DOC0002.XML") == 1);
    }

    TEST_CASE("a document that is not CDA, or none at all, is refused")
    {
        diagnostics diag;
        CHECK(xdm::build_package(params_for({{"%PDF-1.4", "x", "y"}}, true), diag).error() == mss::errc::invalid_argument);
        CHECK(diag.client_message().find("not well-formed") != std::string::npos);
        CHECK(xdm::build_package(params_for({{"<html/>", "x", "y"}}, true), diag).error() == mss::errc::invalid_argument);
        CHECK(xdm::build_package(params_for({}, true), diag).error() == mss::errc::invalid_argument);
    }
}
