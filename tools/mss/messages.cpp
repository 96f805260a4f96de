// SPDX-License-Identifier: Apache-2.0
#include "messages.hpp"

#include "session.hpp"

#include <mss/service/message_reader.hpp>

#include <fmt/chrono.h>
#include <fmt/core.h>

#include <charconv>

namespace mss_cli {

std::string format_message_id(const mss::domain::message_key& key)
{
    return fmt::format("{}:{}:{}", key.folder, key.uid_validity, key.uid);
}

mss::domain::message_key parse_message_id(std::string_view text, const std::string& mailbox)
{
    auto bad = [&] {
        return usage_error(fmt::format("{} is not a message id: ids look like INBOX:1719830400:12 (see `mss list`)",
                                       printable(text)));
    };
    const auto last = text.rfind(':');
    if (last == std::string_view::npos || last == 0)
        throw bad();
    const auto middle = text.rfind(':', last - 1);
    if (middle == std::string_view::npos || middle == 0)
        throw bad();
    auto number = [&](std::string_view digits) {
        std::uint32_t v = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || v == 0)
            throw bad();
        return v;
    };
    mss::domain::message_key key;
    key.mailbox = mailbox;
    key.folder = std::string(text.substr(0, middle));
    key.uid_validity = number(text.substr(middle + 1, last - middle - 1));
    key.uid = number(text.substr(last + 1));
    return key;
}

std::string format_date(std::chrono::sys_seconds t)
{
    if (t.time_since_epoch().count() == 0)
        return "-";
    return fmt::format("{:%Y-%m-%d %H:%M}", t);
}

mss::domain::indexed_message find_indexed(session& s, std::string_view id)
{
    const auto key = parse_message_id(id, s.mailbox().address.str());
    s.require_link();
    auto found = s.db().find_message(key);
    if (!found)
        throw failure(fmt::format("cannot read the store: {}", found.error().message()));
    if (!*found)
        throw failure(fmt::format("no message {} in the local index of {}", printable(id), s.mailbox().address.str()),
                      "run `mss sync`, then take the id from `mss list FOLDER`");
    return **found;
}

mss::domain::original_message fetch_original(session& s, const mss::domain::indexed_message& m)
{
    mss::diagnostics diag;
    auto [ec, raw] = s.wait<boost::system::error_code, std::string>([&](auto handler) {
        s.imap().async_fetch_message(m.key.folder, m.key.uid, diag, std::move(handler));
    });
    if (ec)
        throw s.network_failure("imap", ec, diag);
    const bool patient = m.classification.exchange == mss::domain::exchange_kind::patient;
    auto original = mss::service::read_original(raw, m, patient);
    if (!original)
        throw failure(fmt::format("message {} cannot be read: {}", format_message_id(m.key), original.error().message()));
    return std::move(*original);
}

void write_indexed(json_writer& doc, const mss::domain::indexed_message& m)
{
    const bool received = m.classification.direction == mss::domain::message_direction::received;
    doc.member("id", format_message_id(m.key))
        .member("folder", m.key.folder)
        .member("date", format_date(m.date))
        .member("from", m.from)
        .member("subject", m.subject)
        .member("seen", m.seen)
        .member("direction", received ? "received" : "sent")
        .member("exchange", m.classification.exchange == mss::domain::exchange_kind::patient ? "patient" : "professional")
        .member("counterpart", m.classification.counterpart)
        .member("in_inbox", m.in_inbox)
        .member("size", m.size);
}

}  // namespace mss_cli
