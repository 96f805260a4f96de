// SPDX-License-Identifier: Apache-2.0
// The pure rules of linking: mailbox types, the link policy, the access matrix, one-time codes.
#include <mss/domain/access_control.hpp>
#include <mss/domain/errc.hpp>
#include <mss/domain/link_code.hpp>
#include <mss/domain/link_policy.hpp>

#include <doctest/doctest.h>

#include <array>

using namespace mss::domain;
using namespace std::chrono_literals;

namespace {

const std::chrono::sys_seconds t0 = std::chrono::sys_days(std::chrono::year(2026) / 11 / 26) + 9h;

mailbox_link link_of(account_kind kind, std::string id, mailbox_type type)
{
    return {{kind, std::move(id)},
            {email_address::parse("box@regional.mssante.test").value(), type, "Medimail", "label"},
            link_state::ready,
            t0};
}

// Cheap hashing for tests: the rules do not depend on the iteration count.
link_code_policy fast_policy()
{
    link_code_policy p;
    p.hash_iterations = 1000;
    return p;
}

pending_link_code pending_for(std::string_view code, const link_code_policy& policy)
{
    pending_link_code p{{account_kind::person, "p1"}, "box@regional.mssante.test", "0123456789abcdef", {}, t0, 0, false};
    p.hash = hash_link_code(code, p.salt, policy.hash_iterations);
    return p;
}

}  // namespace

TEST_SUITE("link: mailbox types")
{
    TEST_CASE("the four TRE_R257 codes are read in any case")
    {
        CHECK(parse_mailbox_type("PER").value() == mailbox_type::per);
        CHECK(parse_mailbox_type("org").value() == mailbox_type::org);
        CHECK(parse_mailbox_type("App").value() == mailbox_type::app);
        CHECK(parse_mailbox_type("CAB").value() == mailbox_type::cab);
        CHECK(to_code(mailbox_type::org) == "ORG");
    }

    TEST_CASE("an unknown type is an error, never a default")
    {
        for (std::string_view bad : {"", "PERS", "XYZ", "P E R", "MED"})
        {
            CAPTURE(bad);
            CHECK(parse_mailbox_type(bad).error() == errc::mailbox_unknown_type);
        }
    }

    TEST_CASE("Medimail's labels are understood, Med as a personal box")
    {
        CHECK(parse_medimail_label("Per").value() == mailbox_type::per);
        CHECK(parse_medimail_label("Org").value() == mailbox_type::org);
        CHECK(parse_medimail_label("Med").value() == mailbox_type::per);
        CHECK(parse_medimail_label("Foo").error() == errc::mailbox_unknown_type);
    }
}

TEST_SUITE("link: policy")
{
    TEST_CASE("by default a person links PER or CAB boxes and a structure ORG or APP boxes")
    {
        const link_policy policy;
        CHECK_FALSE(policy.check(account_kind::person, mailbox_type::per));
        CHECK_FALSE(policy.check(account_kind::person, mailbox_type::cab));
        CHECK(policy.check(account_kind::person, mailbox_type::org) == errc::mailbox_type_not_allowed);
        CHECK(policy.check(account_kind::person, mailbox_type::app) == errc::mailbox_type_not_allowed);
        CHECK_FALSE(policy.check(account_kind::structure, mailbox_type::org));
        CHECK_FALSE(policy.check(account_kind::structure, mailbox_type::app));
        CHECK(policy.check(account_kind::structure, mailbox_type::per) == errc::mailbox_type_not_allowed);
        CHECK(policy.max_mailboxes_per_account == 1);
    }

    TEST_CASE("the policy can be changed by the integrating platform")
    {
        link_policy policy;
        policy.person_may_link[static_cast<int>(mailbox_type::org)] = true;
        CHECK_FALSE(policy.check(account_kind::person, mailbox_type::org));
    }
}

TEST_SUITE("link: access matrix")
{
    // Who: owner (p-owner), delegate, administrator, revoked delegate, delegate of another
    // structure, unrelated person. What: read, send, change settings, link/unlink.
    const std::vector<delegation> delegations = {
        {"s1", "p-delegate", delegate_role::delegate, t0, "p-admin", {}, {}},
        {"s1", "p-admin", delegate_role::administrator, t0, "root", {}, {}},
        {"s1", "p-revoked", delegate_role::delegate, t0, "p-admin", t0 + 1h, "p-admin"},
        {"s2", "p-other", delegate_role::administrator, t0, "root", {}, {}},
    };
    constexpr std::array actions = {mailbox_action::read, mailbox_action::send, mailbox_action::change_settings,
                                    mailbox_action::link_unlink};

    TEST_CASE("a person's mailbox: its owner may do everything, nobody else anything")
    {
        const auto link = link_of(account_kind::person, "p-owner", mailbox_type::per);
        for (auto action : actions)
        {
            CHECK_FALSE(check_access("p-owner", link, delegations, action));
            for (std::string_view who : {"p-delegate", "p-admin", "p-revoked", "p-other", "p-stranger"})
            {
                CAPTURE(who);
                CHECK(check_access(who, link, delegations, action) == errc::access_not_allowed);
            }
        }
    }

    TEST_CASE("a structure's mailbox: each role against each action")
    {
        const auto link = link_of(account_kind::structure, "s1", mailbox_type::org);
        struct row
        {
            std::string_view who;
            std::array<errc, 4> expected;  // read, send, change settings, link/unlink; 0 = allowed
        };
        const errc ok{};
        const std::array<row, 6> table = {{
            {"p-delegate", {ok, ok, errc::access_reserved_to_administrators, errc::access_reserved_to_administrators}},
            {"p-admin", {ok, ok, ok, ok}},
            {"p-revoked",
             {errc::access_delegation_revoked, errc::access_delegation_revoked, errc::access_delegation_revoked,
              errc::access_delegation_revoked}},
            {"p-other",
             {errc::access_not_allowed, errc::access_not_allowed, errc::access_not_allowed, errc::access_not_allowed}},
            {"p-stranger",
             {errc::access_not_allowed, errc::access_not_allowed, errc::access_not_allowed, errc::access_not_allowed}},
            {"s1",  // the structure's own id is not a person
             {errc::access_not_allowed, errc::access_not_allowed, errc::access_not_allowed, errc::access_not_allowed}},
        }};
        for (const auto& r : table)
        {
            for (std::size_t a = 0; a < actions.size(); ++a)
            {
                CAPTURE(r.who);
                CAPTURE(a);
                const auto ec = check_access(r.who, link, delegations, actions[a]);
                if (r.expected[a] == ok)
                    CHECK_FALSE(ec);
                else
                    CHECK(ec == r.expected[a]);
            }
        }
    }

    TEST_CASE("a revoked delegate granted again has access again")
    {
        auto again = delegations;
        again.push_back({"s1", "p-revoked", delegate_role::delegate, t0 + 2h, "p-admin", {}, {}});
        const auto link = link_of(account_kind::structure, "s1", mailbox_type::org);
        CHECK_FALSE(check_access("p-revoked", link, again, mailbox_action::read));
    }
}

TEST_SUITE("link: one-time codes")
{
    TEST_CASE("codes have the configured number of digits and follow the random bytes")
    {
        const std::array<std::uint8_t, 8> a = {1, 2, 3, 4, 5, 6, 7, 8};
        const std::array<std::uint8_t, 8> b = {8, 7, 6, 5, 4, 3, 2, 1};
        CHECK(make_link_code(a, 8).size() == 8);
        CHECK(make_link_code(a, 6).size() == 6);
        CHECK(make_link_code(a, 8) == make_link_code(a, 8));
        CHECK(make_link_code(a, 8) != make_link_code(b, 8));
        const std::array<std::uint8_t, 8> zero{};
        CHECK(make_link_code(zero, 8) == "00000000");  // leading zeros kept
        CHECK_THROWS(make_link_code(std::span(a).first(4), 8));
    }

    TEST_CASE("the stored hash depends on the salt and ignores spaces and hyphens typed by the user")
    {
        CHECK(hash_link_code("12345678", "salt-a", 1000) != hash_link_code("12345678", "salt-b", 1000));
        CHECK(hash_link_code("1234 5678", "salt-a", 1000) == hash_link_code("12345678", "salt-a", 1000));
        CHECK(hash_link_code("1234-5678", "salt-a", 1000) == hash_link_code("12345678", "salt-a", 1000));
        CHECK(hash_link_code("12345678", "salt-a", 1000).find("12345678") == std::string::npos);
    }

    TEST_CASE("the right code is accepted once")
    {
        const auto policy = fast_policy();
        auto pending = pending_for("12345678", policy);
        CHECK_FALSE(verify_link_code(pending, "12345678", t0 + 10min, policy));
        CHECK(verify_link_code(pending, "12345678", t0 + 11min, policy) == errc::link_code_too_many_attempts);
    }

    TEST_CASE("a code is valid at 59:59 and refused at 60:00")
    {
        const auto policy = fast_policy();
        auto at_limit = pending_for("12345678", policy);
        CHECK_FALSE(verify_link_code(at_limit, "12345678", t0 + 59min + 59s, policy));
        auto late = pending_for("12345678", policy);
        CHECK(verify_link_code(late, "12345678", t0 + 60min, policy) == errc::link_code_expired);
    }

    TEST_CASE("five wrong attempts void the code, even for the right one afterwards")
    {
        const auto policy = fast_policy();
        auto pending = pending_for("12345678", policy);
        for (unsigned i = 0; i < 5; ++i)
        {
            CAPTURE(i);
            CHECK(verify_link_code(pending, "87654321", t0 + 1min, policy) == errc::link_code_wrong);
        }
        CHECK(pending.is_void);
        CHECK(verify_link_code(pending, "12345678", t0 + 2min, policy) == errc::link_code_too_many_attempts);
    }

    TEST_CASE("four wrong attempts leave the right code usable")
    {
        const auto policy = fast_policy();
        auto pending = pending_for("12345678", policy);
        for (int i = 0; i < 4; ++i)
            CHECK(verify_link_code(pending, "00000000", t0 + 1min, policy) == errc::link_code_wrong);
        CHECK_FALSE(verify_link_code(pending, "12345678", t0 + 2min, policy));
    }

    TEST_CASE("at most one request a minute and five an hour")
    {
        const link_code_policy policy;
        std::vector<std::chrono::sys_seconds> earlier;
        CHECK_FALSE(check_code_request(earlier, t0, policy));
        earlier.push_back(t0);
        CHECK(check_code_request(earlier, t0 + 59s, policy) == errc::link_code_throttled);
        CHECK_FALSE(check_code_request(earlier, t0 + 60s, policy));
        for (int i = 1; i < 5; ++i)
            earlier.push_back(t0 + std::chrono::minutes(2 * i));
        // Five requests in the last hour: the sixth waits until the first is an hour old.
        CHECK(check_code_request(earlier, t0 + 30min, policy) == errc::link_code_throttled);
        CHECK_FALSE(check_code_request(earlier, t0 + 60min, policy));
    }
}
