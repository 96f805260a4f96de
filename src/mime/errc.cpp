// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/errc.hpp>

#include <string>

namespace mss::mime {
namespace {

class mime_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss.mime"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value))
        {
        case errc::bad_base64: return "base64 data contains a character or padding that is not allowed";
        case errc::truncated_base64: return "base64 data ends in the middle of a 4-character group";
        case errc::bad_quoted_printable: return "quoted-printable data contains an invalid '=' sequence";
        case errc::bad_encoded_word: return "RFC 2047 encoded-word is malformed";
        case errc::unknown_charset: return "charset is not known";
        case errc::bad_charset_data: return "bytes are not valid in their declared charset";
        case errc::forbidden_character:
            return "text for a header contains CR, LF or NUL (header injection refused)";
        case errc::bad_header_value: return "structured header value does not follow its grammar";
        case errc::bad_parameter: return "header parameter is malformed";
        case errc::limit_exceeded: return "a MIME limit was exceeded";
        }
        return "unknown mss.mime error";
    }
};

}  // namespace

const boost::system::error_category& mime_category() noexcept
{
    static const mime_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), mime_category()};
}

}  // namespace mss::mime
