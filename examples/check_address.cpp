// SPDX-License-Identifier: Apache-2.0
// Loads the ANS trust space (checking its published SHA-256) and classifies one address.
//
//   check_address listeblanchemssante.xml checksum dr.martin@medimail.mssante.fr
#include <mss/domain/address_classification.hpp>
#include <mss/domain/trust_space.hpp>

#include <iostream>

int main(int argc, char** argv)
{
    if (argc != 4)
    {
        std::cerr << "usage: check_address WHITELIST.xml CHECKSUM ADDRESS\n";
        return 2;
    }
    mss::diagnostics diag;
    auto space = mss::domain::trust_space::load_file(argv[1], diag, std::filesystem::path(argv[2]));
    if (!space)
    {
        std::cerr << "cannot load the trust space: " << diag.client_message() << '\n';
        return 1;
    }
    std::cout << "loaded " << space->domain_count() << " trusted domains\n";

    const auto verdict = mss::domain::classify_address(argv[3], *space);
    std::cout << to_string(verdict.kind) << ": " << verdict.reason << '\n';
    return verdict.kind == mss::domain::address_kind::invalid ? 1 : 0;
}
