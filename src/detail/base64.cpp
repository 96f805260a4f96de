// SPDX-License-Identifier: Apache-2.0
#include "detail/base64.hpp"

#include <mss/mime/base64.hpp>

namespace mss::detail {

void base64_append(std::string& out, std::string_view data)
{
    mime::base64_encoder encoder({0});  // line length 0: one unbroken line
    encoder.encode(data, out);
    encoder.finish(out);
}

std::optional<std::string> base64_decode(std::string_view text)
{
    mime::base64_decoder decoder;  // strict by default
    std::string out;
    if (decoder.decode(text, out) || decoder.finish(out))
        return std::nullopt;
    return out;
}

}  // namespace mss::detail
