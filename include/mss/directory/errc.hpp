// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::directory::errc`: errors of the directory layer (queries, the offline index of the
 *         public extraction file, FHIR decoding and the directory clients).
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace mss::directory
{

/** @brief Errors of the directory layer.
 *
 *  Grouped by who is at fault:
 *  - the caller: `invalid_query`, `invalid_cursor`, `stale_cursor`, `no_index`,
 *    `not_found`;
 *  - the extraction file: `extraction_*` (the first three refuse a whole file; the per-line ones
 *    are reported in a `load_report` and never stop a load);
 *  - the directory server: `fhir_*` and `http_*`.
 *
 *  None of them is fatal for a connection (`mss::is_fatal()` is false); network and TLS errors
 *  of the HTTPS client keep their own categories.
 */
enum class errc : int
{
    // Queries.
    /** @brief The query is not acceptable (a zero limit, a text too long, a control character). */
    invalid_query = 1,
    /** @brief The paging cursor was not made by this directory (altered, or of another kind). */
    invalid_cursor,
    /** @brief The paging cursor belongs to an index that has since been replaced by a reload. */
    stale_cursor,
    /** @brief No index is loaded yet. */
    no_index,
    /** @brief No entry has the address looked up. */
    not_found,

    // The public extraction file, refused as a whole.
    /** @brief The file is empty: no header line. */
    extraction_empty,
    /** @brief A required column is missing from the header line: nothing was loaded. */
    extraction_missing_column,
    /** @brief A column name appears twice in the header line: nothing was loaded. */
    extraction_duplicate_column,
    /** @brief The file is larger than the configured limits (bytes, rows, line length). */
    extraction_too_large,

    // The public extraction file, one line (reported, the load goes on).
    /** @brief The line does not have as many `|`-separated fields as the header. */
    extraction_bad_field_count,
    /** @brief The line's mailbox address is not a valid address. */
    extraction_bad_address,
    /** @brief The line's mailbox type is not PER, ORG, APP or CAB. */
    extraction_unknown_mailbox_type,
    /** @brief The line repeats an address already loaded; the first line is kept. */
    extraction_duplicate_address,
    /** @brief The line is longer than the configured limit. */
    extraction_line_too_long,

    // FHIR (the Annuaire Santé API).
    /** @brief The response body is not well-formed JSON (position in the diagnostics). */
    fhir_malformed_json,
    /** @brief Well-formed JSON, but not a FHIR Bundle of the expected shape. */
    fhir_not_a_bundle,
    /** @brief The response body is larger than the configured maximum. */
    fhir_too_large,

    // HTTP (the directory client).
    /** @brief The server refused the API key (HTTP 401 or 403). */
    http_unauthorized,
    /** @brief The server answered with another 4xx status (status in the diagnostics). */
    http_client_error,
    /** @brief The server answered with a 5xx status (status in the diagnostics). */
    http_server_error,
    /** @brief The server's answer is not a usable HTTP response (redirect, wrong content). */
    http_unexpected_response,
    /** @brief The whole request (all pages) took longer than its time limit. */
    request_timeout,
};

/** @brief The category of `mss::directory::errc`; its name is `"mss.directory"`. */
MSS_API const boost::system::error_category& directory_category() noexcept;

/** @brief Makes an `error_code` from a directory `errc` (found by argument-dependent lookup). */
MSS_API boost::system::error_code make_error_code(errc e) noexcept;

}  // namespace mss::directory

namespace boost::system
{
template <>
struct is_error_code_enum<mss::directory::errc> : std::true_type
{
};
}  // namespace boost::system
