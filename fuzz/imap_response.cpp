// SPDX-License-Identifier: Apache-2.0
// IMAP response parser: arbitrary server bytes, fed whole then in two pieces.
#include <mss/imap/response_parser.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    mss::imap::response_parser_options options;
    options.max_literal_size = 1 << 20;  // keep the fuzzer's memory small; the limit itself is tested
    for (std::size_t split : {size, size / 2})
    {
        mss::imap::response_parser parser(options);
        mss::imap::response response;
        boost::system::error_code ec;
        mss::diagnostics diag;
        parser.feed(input.substr(0, split));
        while (parser.next(response, ec, diag))
        {
        }
        parser.feed(input.substr(split));
        while (parser.next(response, ec, diag))
        {
        }
    }
    return 0;
}
