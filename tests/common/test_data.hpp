// SPDX-License-Identifier: Apache-2.0
// Locating test data: the project's own fixtures and the shared real data (the ANS whitelist).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace mss::test {

/** The real ANS trust-space directory: $MSS_TRUST_SPACE_DIR at run time, else the one CMake found
 *  (shared/data/trust-space beside the project). A missing file is a test failure, never a skip. */
inline std::filesystem::path trust_space_dir()
{
    if (const char* dir = std::getenv("MSS_TRUST_SPACE_DIR"))
        return dir;
    return MSS_TRUST_SPACE_DIR;
}

inline std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open test data file " + path.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace mss::test
