// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/reader_errc.hpp>

#include <string>

namespace mss::mime
{
namespace
{

class reader_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss.mime.reader"; }

    std::string message(int value) const override
    {
        switch (static_cast<reader_errc>(value))
        {
        case reader_errc::bad_header_line:
            return "header line is neither a field nor a continuation";
        case reader_errc::missing_boundary:
            return "multipart entity has no usable boundary parameter";
        case reader_errc::missing_close_delimiter:
            return "multipart entity ends before its close delimiter";
        case reader_errc::unknown_transfer_encoding:
            return "Content-Transfer-Encoding is not known";
        }
        return "unknown mss.mime.reader error";
    }
};

}  // namespace

const boost::system::error_category& reader_category() noexcept
{
    static const reader_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(reader_errc e) noexcept
{
    return {static_cast<int>(e), reader_category()};
}

}  // namespace mss::mime
