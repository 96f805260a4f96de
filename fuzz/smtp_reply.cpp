// SPDX-License-Identifier: Apache-2.0
// SMTP reply parser and EHLO capabilities: arbitrary server bytes.
#include <mss/smtp/capabilities.hpp>
#include <mss/smtp/reply_parser.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view input(reinterpret_cast<const char*>(data), size);
    mss::smtp::reply_parser parser;
    mss::diagnostics diag;
    while (!input.empty())
    {
        auto r = parser.feed(input, diag);
        if (r.error)
            break;
        input.remove_prefix(r.consumed);
        if (r.parsed)
            (void)mss::smtp::capabilities::from_ehlo(*r.parsed);
        if (r.consumed == 0 && !r.parsed)
            break;
    }
    return 0;
}
