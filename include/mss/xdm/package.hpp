// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief IHE XDM packaging of CDA documents (`IHE_XDM.zip`), as MSSanté mail carries them.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/patient_info.hpp>

#include <boost/system/result.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace mss::xdm {

/** @brief One CDA R2 document to package. */
struct document
{
    /** @brief The CDA XML bytes. */
    std::string content;
    /** @brief Title shown in INDEX.HTM and the metadata. */
    std::string title;
    /** @brief Category of the coordination file ("Compte rendu", ...), the XDS class. */
    std::string category;
};

/** @brief What to package. */
struct package_params
{
    /** @brief The one patient all documents concern. */
    domain::patient_info patient;
    /** @brief The documents (at least one). */
    std::vector<document> documents;
    /** @brief The author as shown (the sender's label). */
    std::string author;
    /** @brief When the package is made. */
    std::chrono::sys_seconds now{};
    /** @brief A unique identifier of the submission set (e.g. derived from the Message-ID). */
    std::string submission_id;
};

/** @brief The archive and what the mail headers need to say about it. */
struct package
{
    /** @brief `IHE_XDM.zip`: `IHE_XDM/SUBSET01/METADATA.XML`, the documents
     *         (`IHE_XDM/SUBSET01/DOC0001.XML` …), `INDEX.HTM` and `README.TXT`. */
    std::string zip;
    /** @brief Document type codes read from the CDA headers, for `X-MSS-CODECDA`. */
    std::vector<std::string> document_codes;
    /** @brief Whether the patient is identified by a qualified INS, for `X-MSS-INS` (O/N). */
    bool qualified_ins = false;
};

/** @brief Reads the document type code (`ClinicalDocument/code/@code`) of a CDA document.
 *  @par Errors
 *  `mss::errc::invalid_argument` when the bytes are not a well-formed CDA document with a code.
 */
MSS_API boost::system::result<std::string> cda_document_code(std::string_view cda, diagnostics& diag);

/** @brief Builds the XDM archive.
 *  @par Errors
 *  `mss::errc::invalid_argument` (no document, a document that is not CDA), with details in `diag`.
 */
MSS_API boost::system::result<package> build_package(const package_params& params, diagnostics& diag);

}  // namespace mss::xdm
