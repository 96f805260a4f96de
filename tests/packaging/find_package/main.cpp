// SPDX-License-Identifier: Apache-2.0
// Uses one thing from each installed target: mss::core, mss::net, mss::sqlite.
#include <mss/domain/address_classification.hpp>
#include <mss/domain/trust_space.hpp>
#include <mss/error.hpp>
#include <mss/net/tls_context.hpp>
#include <mss/store/sqlite_database.hpp>

#include <iostream>

int main()
{
    mss::diagnostics diag;
    auto space = mss::domain::trust_space::parse(
        "<ListeBlancheMSSante xmlns=\"https://listeblanche.mssante.fr/schema\"><ListeDomaines>"
        "<Domaine><Nom>operateur.test</Nom></Domaine></ListeDomaines></ListeBlancheMSSante>",
        diag);
    if (!space || mss::domain::classify_address("a@operateur.test", *space).kind !=
                      mss::domain::address_kind::professional)
        return 1;
    auto tls = mss::net::make_tls_context({}, diag);
    if (!tls.has_error() || tls.error() != mss::errc::configuration_error)
        return 1;
    auto db = mss::store::sqlite_database::open(":memory:", diag);
    if (!db)
        return 1;
    std::cout << "consumer ok\n";
    return 0;
}
