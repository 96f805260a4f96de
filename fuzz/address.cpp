// SPDX-License-Identifier: Apache-2.0
// Addresses: addr-spec, named address, address lists, classification-free checks.
#include <mss/domain/email_address.hpp>
#include <mss/domain/named_address.hpp>
#include <mss/mime/address_list.hpp>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    mss::diagnostics diag;
    if (auto a = mss::domain::email_address::parse(input, diag))
    {
        // What was accepted must parse again to the same address.
        auto again = mss::domain::email_address::parse(a->str());
        if (!again || !(*again == *a))
            __builtin_trap();
    }
    (void)mss::domain::named_address::parse(input, diag);
    std::vector<mss::domain::named_address> list;
    (void)mss::mime::parse_address_list(input, list);
    return 0;
}
