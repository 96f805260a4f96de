// SPDX-License-Identifier: Apache-2.0
// Trust-space XML loader: arbitrary bytes as a whitelist file.
#include <mss/domain/trust_space.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    mss::diagnostics diag;
    mss::domain::trust_space_limits limits;
    limits.max_entries = 10'000;
    if (auto space = mss::domain::trust_space::parse(input, diag, {}, limits))
        (void)space->contains("medimail.mssante.fr");
    return 0;
}
