// SPDX-License-Identifier: Apache-2.0
// The store's non-virtual helpers: written once over the virtual interface, for every implementation.
#include <mss/store/store.hpp>

namespace mss::store {

boost::system::result<std::vector<receipt_record>> store::receipts_for_sent(const domain::message_key& sent)
{
    auto message = find_message(sent);
    if (!message)
        return message.error();
    // Only the user's own mail can be read by someone else: a receipt naming a received message
    // (or a message the index does not know) is not shown against it.
    if (!*message || (*message)->classification.direction != domain::message_direction::sent ||
        (*message)->message_id.empty())
        return std::vector<receipt_record>{};
    return receipts_for(sent.mailbox, (*message)->message_id);
}

boost::system::result<std::vector<receipt_record>> store::receipts_for_outbox(std::int64_t id)
{
    auto item = outbox_item_by_id(id);
    if (!item)
        return item.error();
    if (!*item || (*item)->message.message_id.empty())
        return std::vector<receipt_record>{};
    return receipts_for((*item)->message.envelope_sender.str(), (*item)->message.message_id);
}

boost::system::result<message_counts> store::count_messages(const std::vector<std::string>& mailboxes,
                                                            bool patients_allowed)
{
    message_counts counts{};
    for (std::size_t f = 0; f < counts.size(); ++f)
    {
        folder_query query{mailboxes, domain::all_virtual_folders[f], patients_allowed, {}, 500};
        do
        {
            auto page = list(query);
            if (!page)
                return page.error();
            counts[f] += page->messages.size();
            query.after = page->next;
        } while (query.after);
    }
    return counts;
}

boost::system::result<std::optional<outbox_item>> store::outbox_item_by_message_id(std::string_view,
                                                                                   std::string_view)
{
    return std::optional<outbox_item>();
}

}  // namespace mss::store
