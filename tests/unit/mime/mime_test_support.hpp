// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the MIME codec tests: seeded random data, line splitting, and a driver that
// feeds a streaming codec in chunks. All data is synthetic.
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace mss_test::mime {

/** Random bytes (all 256 values) from a seeded generator, so failures are reproducible. */
inline std::string random_bytes(std::mt19937& rng, std::size_t size)
{
    std::uniform_int_distribution<int> byte(0, 255);
    std::string result(size, '\0');
    for (char& c : result)
        c = static_cast<char>(byte(rng));
    return result;
}

/** Splits on CRLF; the text after the last CRLF is the last element (empty when it ends with
 *  CRLF). */
inline std::vector<std::string_view> split_crlf(std::string_view text)
{
    std::vector<std::string_view> lines;
    while (true)
    {
        const std::size_t end = text.find("\r\n");
        if (end == std::string_view::npos)
        {
            lines.push_back(text);
            return lines;
        }
        lines.push_back(text.substr(0, end));
        text.remove_prefix(end + 2);
    }
}

/** Cuts `input` into pieces at the given sizes (the last piece takes the rest). */
inline std::vector<std::string_view> cut(std::string_view input, const std::vector<std::size_t>& sizes)
{
    std::vector<std::string_view> pieces;
    for (const std::size_t size : sizes)
    {
        const std::size_t n = size < input.size() ? size : input.size();
        pieces.push_back(input.substr(0, n));
        input.remove_prefix(n);
    }
    pieces.push_back(input);
    return pieces;
}

}  // namespace mss_test::mime
