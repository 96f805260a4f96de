// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::attachment`: a file attached to a draft, from memory or from disk.
 */
#pragma once

#include <filesystem>
#include <string>
#include <variant>

namespace mss::domain {

/** @brief An attachment. Its content is either bytes held by the draft or a file read (streamed)
 *         only when the message is built, so that a large file is never held twice. */
struct attachment
{
    /** @brief File name shown to the recipient (UTF-8). */
    std::string file_name;
    /** @brief Media type, e.g. `application/pdf`. */
    std::string media_type = "application/octet-stream";
    /** @brief The bytes, or the path of the file to read them from. */
    std::variant<std::string, std::filesystem::path> content;
    /** @brief For a document of a coordination file: its category ("Compte rendu", ...). */
    std::string document_category;
    /** @brief Set when the document is a CDA R2 file (goes into an IHE XDM archive). */
    bool is_cda = false;
};

}  // namespace mss::domain
