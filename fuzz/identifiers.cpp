// SPDX-License-Identifier: Apache-2.0
// Identifiers: every factory on the same bytes.
#include <mss/domain/adeli.hpp>
#include <mss/domain/finess.hpp>
#include <mss/domain/ins.hpp>
#include <mss/domain/national_person_id.hpp>
#include <mss/domain/national_structure_id.hpp>
#include <mss/domain/rpps.hpp>
#include <mss/domain/rpps_rang.hpp>
#include <mss/domain/siren.hpp>
#include <mss/domain/siret.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    mss::diagnostics diag;
    using namespace mss::domain;
    (void)rpps::parse(input, diag);
    (void)rpps_rang::parse(input, diag);
    (void)adeli::parse(input, diag);
    (void)finess::parse(input, diag);
    (void)siren::parse(input, diag);
    (void)siret::parse(input, diag);
    (void)ins::parse(input, diag);
    (void)national_person_id::parse(input, diag);
    (void)national_structure_id::parse(input, diag);
    return 0;
}
