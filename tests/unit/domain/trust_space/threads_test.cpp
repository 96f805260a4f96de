// SPDX-License-Identifier: Apache-2.0
// "Const member functions are safe" on a shared trust_space: several threads check recipients'
// domains (as every send does) on one space built beforehand and must all get the right answers.
// Built into the ThreadSanitizer run (CMakePresets.json, preset tsan).
#include <mss/domain/trust_space.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cctype>
#include <string>
#include <thread>
#include <vector>

using mss::domain::trust_space;

namespace {

constexpr int domains = 300;

std::string domain_name(int i) { return "hopital" + std::to_string(i) + ".mssante.test"; }

// Upper-cases every other letter: lookups ignore ASCII case.
std::string mixed_case(std::string s)
{
    for (std::size_t i = 0; i < s.size(); i += 2)
        s[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i])));
    return s;
}

}  // namespace

TEST_CASE("trust space threads: concurrent lookups on one shared space all answer right")
{
    trust_space space;
    for (int i = 0; i < domains; ++i)
    {
        // Every third domain has a second operator certificate.
        for (int cert = 0; cert < (i % 3 == 0 ? 2 : 1); ++cert)
        {
            mss::domain::trust_space_entry entry;
            entry.domain = domain_name(i);
            entry.operator_certificate_dn = "CN=mx" + std::to_string(cert) + "." + domain_name(i);
            REQUIRE(space.add(entry));
        }
    }
    const trust_space& shared = space;
    REQUIRE(shared.domain_count() == domains);

    constexpr int threads = 4;
    constexpr int passes = 20;
    std::atomic<int> wrong{0};
    std::atomic<long> lookups{0};
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                for (int pass = 0; pass < passes; ++pass)
                    for (int k = 0; k < domains; ++k)
                    {
                        const int i = (k + t * 37) % domains;  // threads start at different domains
                        const auto name = pass % 2 ? mixed_case(domain_name(i)) : domain_name(i);
                        const auto entries = shared.entries_of(name);
                        if (!shared.contains(name) || entries.size() != (i % 3 == 0 ? 2u : 1u) ||
                            entries[0].domain != domain_name(i))
                            ++wrong;
                        // A name that is not listed, and one that only ends like a listed one.
                        if (shared.contains("x" + domain_name(i)) || shared.contains("clinique" + std::to_string(i) + ".test"))
                            ++wrong;
                        lookups += 4;
                    }
            });
    }
    CHECK(wrong.load() == 0);
    CHECK(lookups.load() == 4L * threads * passes * domains);
}
