// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/xdm/package.hpp>

#include <expat.h>
#include <openssl/sha.h>
#include <zip.h>

#include <cstdio>
#include <memory>

namespace mss::xdm {
namespace {

std::string escape_xml(std::string_view text)
{
    std::string out;
    for (char c : text)
    {
        switch (c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string sha1_hex(std::string_view bytes)
{
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : digest)
    {
        out += hex[b >> 4];
        out += hex[b & 0xf];
    }
    return out;
}

std::string hl7_time(std::chrono::sys_seconds t)
{
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd(day);
    const std::chrono::hh_mm_ss hms(t - day);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d%02u%02u%02d%02d%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buffer;
}

std::string slot(std::string_view name, std::string_view value)
{
    return "   <rim:Slot name=\"" + std::string(name) + "\"><rim:ValueList><rim:Value>" + escape_xml(value) +
           "</rim:Value></rim:ValueList></rim:Slot>\n";
}

// Reads ClinicalDocument/code/@code with expat: the first <code> child of the root.
struct code_reader
{
    int depth = 0;
    bool root_is_cda = false;
    std::string code;

    static void XMLCALL start(void* self, const XML_Char* name, const XML_Char** attributes)
    {
        auto* r = static_cast<code_reader*>(self);
        const std::string_view qualified(name);
        const auto bar = qualified.rfind('|');
        const auto local = bar == std::string_view::npos ? qualified : qualified.substr(bar + 1);
        ++r->depth;
        if (r->depth == 1)
            r->root_is_cda = local == "ClinicalDocument";
        else if (r->depth == 2 && local == "code" && r->code.empty())
        {
            for (int i = 0; attributes[i]; i += 2)
            {
                if (std::string_view(attributes[i]) == "code")
                    r->code = attributes[i + 1];
            }
        }
    }
    static void XMLCALL end(void* self, const XML_Char*) { --static_cast<code_reader*>(self)->depth; }
};

}  // namespace

boost::system::result<std::string> cda_document_code(std::string_view cda, diagnostics& diag)
{
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> parser(XML_ParserCreateNS("UTF-8", '|'),
                                                                                  &XML_ParserFree);
    code_reader reader;
    XML_SetUserData(parser.get(), &reader);
    XML_SetElementHandler(parser.get(), &code_reader::start, &code_reader::end);
    if (XML_Parse(parser.get(), cda.data(), static_cast<int>(cda.size()), XML_TRUE) != XML_STATUS_OK)
    {
        diag.set_client_message(std::string("the document is not well-formed XML: ") +
                                XML_ErrorString(XML_GetErrorCode(parser.get())) + " at line " +
                                std::to_string(XML_GetCurrentLineNumber(parser.get())));
        return mss::errc::invalid_argument;
    }
    if (!reader.root_is_cda || reader.code.empty())
    {
        diag.set_client_message("the document is not a CDA document with a ClinicalDocument/code");
        return mss::errc::invalid_argument;
    }
    return reader.code;
}

boost::system::result<package> build_package(const package_params& params, diagnostics& diag)
{
    diag.clear();
    if (params.documents.empty())
    {
        diag.set_client_message("an XDM package needs at least one document");
        return mss::errc::invalid_argument;
    }
    package out;
    out.qualified_ins = params.patient.qualified_ins.has_value();
    // The patient as XDS identifies it: the INS (NIR OID) when qualified, else a local identity.
    const std::string patient_id =
        out.qualified_ins ? params.patient.qualified_ins->value() + "^^^&1.2.250.1.213.1.4.8&ISO"
                          : params.patient.family_name + "^" + params.patient.given_name + "^^^&1.2.250.1.999&ISO";

    std::string metadata =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<lcm:SubmitObjectsRequest xmlns:lcm=\"urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0\" "
        "xmlns:rim=\"urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0\">\n <rim:RegistryObjectList>\n";
    std::string index = "<html><head><meta charset=\"utf-8\"><title>IHE XDM</title></head><body>\n<h1>Documents</h1>\n<ul>\n";
    std::vector<std::pair<std::string, std::string>> files;  // path in the archive → bytes
    for (std::size_t i = 0; i < params.documents.size(); ++i)
    {
        const auto& doc = params.documents[i];
        auto code = cda_document_code(doc.content, diag);
        if (!code)
            return code.error();
        out.document_codes.push_back(*code);
        char name[32];
        std::snprintf(name, sizeof name, "DOC%04zu.XML", i + 1);
        const std::string id = "Document" + std::to_string(i + 1);
        metadata += "  <rim:ExtrinsicObject id=\"" + id +
                    "\" mimeType=\"text/xml\" objectType=\"urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1\">\n";
        metadata += slot("creationTime", hl7_time(params.now));
        metadata += slot("hash", sha1_hex(doc.content));
        metadata += slot("size", std::to_string(doc.content.size()));
        metadata += slot("URI", name);
        metadata += slot("sourcePatientId", patient_id);
        metadata += "   <rim:Name><rim:LocalizedString value=\"" + escape_xml(doc.title) + "\"/></rim:Name>\n";
        metadata += "   <rim:Classification classificationScheme=\"urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a\" "
                    "classifiedObject=\"" + id + "\" nodeRepresentation=\"" + escape_xml(doc.category) + "\"/>\n";
        metadata += "   <rim:Classification classificationScheme=\"urn:uuid:f0306f51-975f-434e-a61c-c59651d33983\" "
                    "classifiedObject=\"" + id + "\" nodeRepresentation=\"" + escape_xml(*code) + "\"/>\n";
        metadata += "   <rim:ExternalIdentifier identificationScheme=\"urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427\" "
                    "registryObject=\"" + id + "\" value=\"" + escape_xml(patient_id) + "\"/>\n";
        metadata += "   <rim:ExternalIdentifier identificationScheme=\"urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab\" "
                    "registryObject=\"" + id + "\" value=\"" + escape_xml(params.submission_id) + "." +
                    std::to_string(i + 1) + "\"/>\n";
        metadata += "  </rim:ExtrinsicObject>\n";
        index += "<li><a href=\"IHE_XDM/SUBSET01/" + std::string(name) + "\">" + escape_xml(doc.title) + "</a></li>\n";
        files.emplace_back("IHE_XDM/SUBSET01/" + std::string(name), doc.content);
    }
    metadata += "  <rim:RegistryPackage id=\"SubmissionSet01\">\n";
    metadata += slot("submissionTime", hl7_time(params.now));
    metadata += slot("authorPerson", params.author);
    metadata += "   <rim:ExternalIdentifier identificationScheme=\"urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8\" "
                "registryObject=\"SubmissionSet01\" value=\"" + escape_xml(params.submission_id) + "\"/>\n";
    metadata += "  </rim:RegistryPackage>\n </rim:RegistryObjectList>\n</lcm:SubmitObjectsRequest>\n";
    index += "</ul>\n<p>Auteur : " + escape_xml(params.author) + "</p>\n</body></html>\n";
    files.emplace_back("IHE_XDM/SUBSET01/METADATA.XML", std::move(metadata));
    files.emplace_back("INDEX.HTM", std::move(index));
    files.emplace_back("README.TXT",
                       "Archive IHE XDM transmise par messagerie securisee de sante (MSSante).\r\n"
                       "Les documents sont dans IHE_XDM/SUBSET01 ; METADATA.XML les decrit.\r\n"
                       "Auteur : " + params.author + "\r\n");

    // Built in memory: a zip source over a growing buffer, read back once closed.
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_t* archive = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : nullptr;
    if (!archive)
    {
        if (buffer)
            zip_source_free(buffer);
        diag.set_client_message(std::string("cannot create the archive: ") + zip_error_strerror(&error));
        zip_error_fini(&error);
        return mss::errc::invalid_argument;
    }
    zip_source_keep(buffer);  // survives zip_close so that its bytes can be read
    for (const auto& [path, bytes] : files)
    {
        zip_source_t* entry = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
        if (!entry || zip_file_add(archive, path.c_str(), entry, ZIP_FL_ENC_UTF_8) < 0)
        {
            if (entry)
                zip_source_free(entry);
            diag.set_client_message(std::string("cannot add ") + path + ": " + zip_strerror(archive));
            zip_discard(archive);
            zip_source_free(buffer);
            return mss::errc::invalid_argument;
        }
    }
    if (zip_close(archive) < 0)
    {
        diag.set_client_message(std::string("cannot write the archive: ") + zip_strerror(archive));
        zip_discard(archive);
        zip_source_free(buffer);
        return mss::errc::invalid_argument;
    }
    zip_stat_t stat;
    if (zip_source_open(buffer) < 0 || zip_source_stat(buffer, &stat) < 0)
    {
        zip_source_free(buffer);
        diag.set_client_message("cannot read the archive back");
        return mss::errc::invalid_argument;
    }
    out.zip.resize(stat.size);
    const auto read = zip_source_read(buffer, out.zip.data(), stat.size);
    zip_source_close(buffer);
    zip_source_free(buffer);
    if (read < 0 || static_cast<zip_uint64_t>(read) != stat.size)
    {
        diag.set_client_message("cannot read the archive back");
        return mss::errc::invalid_argument;
    }
    return out;
}

}  // namespace mss::xdm
