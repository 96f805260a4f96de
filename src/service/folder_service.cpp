// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/address_classification.hpp>
#include <mss/error.hpp>
#include <mss/service/folder_service.hpp>

#include "net/detail/complete_later.hpp"

namespace mss::service {

folder_service::folder_service(boost::asio::any_io_executor executor, store::store& db, link_service& links)
    : executor_(std::move(executor)), db_(db), links_(links)
{
}

boost::system::result<std::vector<std::string>> folder_service::readable_mailboxes(const domain::person& who)
{
    auto links = links_.mailboxes_of(who.id);
    if (!links)
        return links.error();
    std::vector<std::string> out;
    for (const auto& l : *links)
        out.push_back(l.box.address.str());
    return out;
}

std::string folder_service::label_of(const domain::indexed_message& m) const
{
    const auto& c = m.classification;
    if (c.exchange != domain::exchange_kind::patient)
        return c.direction == domain::message_direction::received && !m.from.empty() ? m.from : c.counterpart;
    auto address = domain::email_address::parse(c.counterpart);
    if (address && patient_label_)
    {
        if (auto label = patient_label_(*address))
            return *label;
    }
    return address ? "Patient (INS " + address->local_part() + ")" : c.counterpart;
}

boost::system::result<folder_listing> folder_service::list(const domain::person& who, domain::virtual_folder folder,
                                                           std::optional<store::message_cursor> after,
                                                           std::size_t limit)
{
    auto mailboxes = readable_mailboxes(who);
    if (!mailboxes)
        return mailboxes.error();
    auto page = db_.list({*mailboxes, folder, who.is_rpps_professional(), after, limit});
    if (!page)
        return page.error();
    auto counts = db_.count_unread(*mailboxes, who.is_rpps_professional());
    if (!counts)
        return counts.error();
    auto totals = db_.count_messages(*mailboxes, who.is_rpps_professional());
    if (!totals)
        return totals.error();
    folder_listing out;
    out.next = page->next;
    out.unread = *counts;
    out.totals = *totals;
    for (auto& m : page->messages)
    {
        std::string label = label_of(m);
        out.messages.push_back({std::move(m), std::move(label)});
    }
    return out;
}

boost::system::result<store::unread_counts> folder_service::unread(const domain::person& who)
{
    auto mailboxes = readable_mailboxes(who);
    if (!mailboxes)
        return mailboxes.error();
    return db_.count_unread(*mailboxes, who.is_rpps_professional());
}

boost::system::result<store::message_counts> folder_service::totals(const domain::person& who)
{
    auto mailboxes = readable_mailboxes(who);
    if (!mailboxes)
        return mailboxes.error();
    return db_.count_messages(*mailboxes, who.is_rpps_professional());
}

void folder_service::mark_read(const domain::person& who, const domain::message_key& key, bool seen,
                               transport::mailbox_access& access, diagnostics& diag,
                               boost::asio::any_completion_handler<void(boost::system::error_code)> handler)
{
    diag.clear();
    if (auto ec = links_.check_access(who.id, key.mailbox, domain::mailbox_action::read))
    {
        diag.set_client_message(ec.message());
        net::detail::complete_later(executor_, std::move(handler), ec);
        return;
    }
    // The key carries the UIDVALIDITY: a message of a renumbered folder is not touched by mistake.
    auto indexed = db_.find_message(key);
    if (!indexed || !*indexed)
    {
        diag.set_client_message("no such message in the index (it may have been expunged or renumbered)");
        net::detail::complete_later(executor_, std::move(handler),
                                    indexed ? boost::system::error_code(mss::errc::invalid_argument) : indexed.error());
        return;
    }
    // The server first: the index follows only what the server accepted.
    const auto add = seen ? transport::message_flags::seen : transport::message_flags::none;
    const auto remove = seen ? transport::message_flags::none : transport::message_flags::seen;
    access.async_store_flags(key.folder, key.uid, add, remove, diag,
                             [this, key, seen, h = std::move(handler)](
                                 boost::system::error_code ec) mutable {
                                 if (!ec)
                                     ec = db_.set_seen(key, seen);
                                 std::move(h)(ec);
                             });
}

}  // namespace mss::service
