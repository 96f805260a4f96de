// SPDX-License-Identifier: Apache-2.0
#include <mss/directory/errc.hpp>

#include <string>

namespace mss::directory
{
namespace
{

class directory_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss.directory"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value))
        {
        case errc::invalid_query:
            return "the directory query is not acceptable";
        case errc::invalid_cursor:
            return "the paging cursor was not made by this directory";
        case errc::stale_cursor:
            return "the paging cursor belongs to a directory index that was since reloaded";
        case errc::no_index:
            return "no directory index is loaded";
        case errc::not_found:
            return "no directory entry has this address";
        case errc::extraction_empty:
            return "the extraction file is empty (no header line)";
        case errc::extraction_missing_column:
            return "the extraction file lacks a required column";
        case errc::extraction_duplicate_column:
            return "the extraction file names a column twice";
        case errc::extraction_too_large:
            return "the extraction file exceeds the configured limits";
        case errc::extraction_bad_field_count:
            return "the line does not have as many fields as the header";
        case errc::extraction_bad_address:
            return "the line's mailbox address is not valid";
        case errc::extraction_unknown_mailbox_type:
            return "the line's mailbox type is not PER, ORG, APP or CAB";
        case errc::extraction_duplicate_address:
            return "the line repeats a mailbox address already loaded";
        case errc::extraction_line_too_long:
            return "the line is longer than the configured limit";
        case errc::fhir_malformed_json:
            return "the directory response is not well-formed JSON";
        case errc::fhir_not_a_bundle:
            return "the directory response is not a FHIR Bundle of the expected shape";
        case errc::fhir_too_large:
            return "the directory response is larger than the configured maximum";
        case errc::http_unauthorized:
            return "the directory server refused the API key";
        case errc::http_client_error:
            return "the directory server refused the request (HTTP 4xx)";
        case errc::http_server_error:
            return "the directory server failed (HTTP 5xx)";
        case errc::http_unexpected_response:
            return "the directory server's answer is not a usable HTTP response";
        case errc::request_timeout:
            return "the directory request took longer than its time limit";
        }
        return "unknown mss.directory error";
    }
};

}  // namespace

const boost::system::error_category& directory_category() noexcept
{
    static const directory_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), directory_category()};
}

}  // namespace mss::directory
