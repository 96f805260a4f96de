// SPDX-License-Identifier: Apache-2.0
// The scene the synchronisation tests share: an in-memory operator on the test's io_context with
// Dr Martin's mailbox (and the others a test adds), the trust space of his domain, the liaison
// mailbox that sends link codes, and one synchronisation run to its end.
#pragma once

#include <mss/domain/person.hpp>
#include <mss/domain/trust_space.hpp>
#include <mss/service/link_service.hpp>
#include <mss/service/sync_service.hpp>
#include <mss/store/store.hpp>
#include <mss/transport/in_memory_operator.hpp>

#include <doctest/doctest.h>
#include <boost/asio/io_context.hpp>

#include <initializer_list>
#include <memory>
#include <string_view>

namespace folders_test
{

inline mss::domain::email_address addr(std::string_view s)
{
    return mss::domain::email_address::parse(s).value();
}

inline std::size_t unread_in(const mss::store::unread_counts& c, mss::domain::virtual_folder f)
{
    return c[static_cast<std::size_t>(f)];
}

struct operator_world
{
    boost::asio::io_context io;
    mss::transport::in_memory_operator op{io.get_executor()};
    mss::domain::trust_space space;
    mss::domain::email_address martin = addr("dr.martin@regional.mssante.test");
    mss::domain::person dr_martin{
        "p-martin", "Dr Jean Martin", mss::domain::rpps::parse("10000000009").value(), {}, "Médecin"};
    std::unique_ptr<mss::transport::mail_submission> submission =
        op.submission(addr("liaison@regional.mssante.test"));

    /** Opens `mailboxes` and the liaison mailbox at the operator, and trusts their domain. */
    void open(std::initializer_list<mss::domain::email_address> mailboxes)
    {
        for (const auto& a : mailboxes) op.add_mailbox(a);
        op.add_mailbox(addr("liaison@regional.mssante.test"));
        REQUIRE(space.add({"regional.mssante.test", "", "", "", "", "", 0}));
    }

    /** One synchronisation of `link` through `box`'s access, run to its end; it must succeed. */
    mss::service::sync_report sync_link(mss::service::sync_service& s, const mss::domain::mailbox_link& link,
                                        const mss::domain::email_address& box,
                                        mss::service::sync_progress progress = {})
    {
        auto access = op.access(box);
        mss::diagnostics diag;
        mss::service::sync_report report;
        boost::system::error_code result = make_error_code(boost::system::errc::io_error);
        s.async_sync(link, *access, diag, std::move(progress),
                     [&](auto ec, mss::service::sync_report r)
                     {
                         result = ec;
                         report = r;
                     });
        io.restart();
        io.run();
        REQUIRE_MESSAGE(!result, result.message());
        return report;
    }

    mss::service::link_service links(mss::store::store& db)
    {
        return mss::service::link_service(io.get_executor(), db, space, *submission,
                                          {addr("liaison@regional.mssante.test"), "SPICO", {}, {}});
    }
};

}  // namespace folders_test
