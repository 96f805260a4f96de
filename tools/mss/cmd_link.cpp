// SPDX-License-Identifier: Apache-2.0
// `mss link` and `mss unlink`: the one-time-code flow of the link service, then the first sync.
//
//   mss link                  mails a one-time code into the mailbox (sent by `code_sender`)
//   mss link --code CODE      enters it: the mailbox is linked, then synchronised once
//   mss link --from-mailbox   reads the code from the mailbox over IMAP (asking for one if none
//                             is pending) and enters it: for a user of this very mailbox
//   mss link --status         where the link stands
#include "commands.hpp"
#include "messages.hpp"
#include "session.hpp"

#include <mss/domain/errc.hpp>
#include <mss/service/message_reader.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <thread>

namespace mss_cli {
namespace {

using boost::system::error_code;
using namespace std::chrono_literals;

std::string_view state_name(mss::domain::link_state state)
{
    switch (state)
    {
    case mss::domain::link_state::not_linked: return "not_linked";
    case mss::domain::link_state::code_sent: return "code_sent";
    case mss::domain::link_state::synchronising: return "synchronising";
    case mss::domain::link_state::ready: return "ready";
    case mss::domain::link_state::unlinked: return "unlinked";
    }
    return "unknown";
}

mss::service::link_request request_of(session& s)
{
    return {s.person().id, s.account(), s.mailbox()};
}

void request_code(session& s, const mss::service::link_request& request)
{
    credential("MSS_CODE_SENDER_PASSWORD", "the password of the code_sender mailbox");
    s.cfg().require("code_sender");
    mss::diagnostics diag;
    auto [ec] = s.wait<error_code>(
        [&](auto handler) { s.links().async_request_code(request, diag, std::move(handler)); });
    if (!ec)
        return;
    if (ec.category() == mss::domain::domain_category())
        throw s.refusal("the code cannot be sent", ec, diag);
    throw s.network_failure("code_sender", ec, diag);
}

// Linked: the first synchronisation, then the link is ready.
int finish_link(session& s, const mss::service::link_request& request)
{
    const auto link = s.require_link();
    const auto report = s.sync(link);
    if (auto ec = s.links().mark_ready(request.account, request.mailbox.address.str()))
        throw failure(fmt::format("cannot record the end of the first synchronisation: {}", ec.message()));
    if (s.out().json())
    {
        json_writer doc;
        s.out().emit(doc.begin_object()
                         .member("ok", true)
                         .member("mailbox", request.mailbox.address.str())
                         .member("state", "ready")
                         .member("indexed", static_cast<std::uint64_t>(report.added))
                         .end_object());
    }
    else
        s.out().say(fmt::format("{} is linked to {}; first synchronisation: {} message(s) indexed.\n"
                                "See them with `mss folders`{}.",
                                request.mailbox.address.str(),
                                s.structure_mailbox() ? "structure " + request.account.id : std::string("your account"),
                                report.added,
                                s.structure_mailbox() ? "; give delegates access with `mss delegate add PERSON_ID`" : ""));
    return exit_ok;
}

int confirm(session& s, const mss::service::link_request& request, std::string_view code)
{
    if (auto ec = s.links().confirm_code(request, code))
        throw s.refusal("the code is refused", ec, {});
    return finish_link(s, request);
}

// The code sent by `code_sender` after `since`, from the newest message not tried yet.
struct code_message
{
    std::uint32_t uid = 0;
    std::string code;
};

std::optional<code_message> find_code(session& s, std::chrono::sys_seconds since, std::uint32_t after_uid)
{
    mss::diagnostics diag;
    auto [ec, changes] = s.wait<error_code, mss::transport::folder_changes>(
        [&](auto handler) { s.imap().async_sync_folder("INBOX", {}, diag, std::move(handler)); });
    if (ec)
        throw s.network_failure("imap", ec, diag);
    std::string sender = s.cfg().require("code_sender");
    std::transform(sender.begin(), sender.end(), sender.begin(), [](unsigned char c) { return std::tolower(c); });
    std::sort(changes.new_messages.begin(), changes.new_messages.end(),
              [](const auto& a, const auto& b) { return a.uid > b.uid; });
    static const std::regex code_line("Code à usage unique : ([0-9]+)");
    for (const auto& m : changes.new_messages)
    {
        if (m.uid <= after_uid || m.internal_date < since)
            break;
        std::string header = m.header;
        std::transform(header.begin(), header.end(), header.begin(), [](unsigned char c) { return std::tolower(c); });
        if (header.find(sender) == std::string::npos)
            continue;
        auto [fetch_ec, raw] = s.wait<error_code, std::string>(
            [&](auto handler) { s.imap().async_fetch_message("INBOX", m.uid, diag, std::move(handler)); });
        if (fetch_ec)
            throw s.network_failure("imap", fetch_ec, diag);
        auto read = mss::service::read_original(raw, {}, false);
        std::smatch match;
        if (read && std::regex_search(read->text_body, match, code_line))
            return code_message{m.uid, match[1]};
    }
    return std::nullopt;
}

int link_from_mailbox(session& s, const mss::service::link_request& request, std::chrono::seconds max_wait)
{
    const std::string address = request.mailbox.address.str();
    auto pending = s.db().pending_code(request.account, address);
    if (!pending)
        throw failure(fmt::format("cannot read the store: {}", pending.error().message()));
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    if (!*pending || (*pending)->is_void || now - (*pending)->issued_at > 1h)
    {
        request_code(s, request);
        pending = s.db().pending_code(request.account, address);
        if (!pending || !*pending)
            throw failure("the code was sent but is not recorded in the store");
    }
    // A minute of tolerance for the operator's clock; older messages hold older codes.
    const auto since = (*pending)->issued_at - 60s;
    const auto deadline = std::chrono::steady_clock::now() + max_wait;
    progress bar("waiting for the code in " + address);
    std::uint32_t tried = 0;
    std::size_t polls = 0;
    while (std::chrono::steady_clock::now() < deadline)
    {
        bar.update(++polls, 0);
        if (auto found = find_code(s, since, tried))
        {
            const auto ec = s.links().confirm_code(request, found->code);
            if (!ec)
            {
                bar.finish();
                return finish_link(s, request);
            }
            // An older code that arrived late is refused; a newer message may still come.
            if (ec != mss::domain::errc::link_code_wrong)
                throw s.refusal("the code is refused", ec, {});
            tried = found->uid;
        }
        std::this_thread::sleep_for(300ms);
    }
    bar.finish();
    throw failure(fmt::format("no valid one-time code arrived in {} within {} s", address, max_wait.count()),
                  fmt::format("check that {} can send to the mailbox, or enter the code by hand: `mss link --code CODE`",
                              s.cfg().get_or("code_sender", "code_sender")));
}

int run_link(session& s, const arguments& args)
{
    if (!args.positional().empty())
        throw usage_error("link takes no argument (the mailbox is `mailbox` in the configuration)");
    const auto request = request_of(s);
    const std::string address = request.mailbox.address.str();
    if (args.has("status"))
    {
        auto state = s.links().state(request.account, address);
        if (!state)
            throw failure(fmt::format("cannot read the store: {}", state.error().message()));
        if (s.out().json())
        {
            json_writer doc;
            s.out().emit(doc.begin_object().member("ok", true).member("mailbox", address).member("state", state_name(*state)).end_object());
        }
        else
            s.out().say(fmt::format("{}: {}", address, state_name(*state)));
        return exit_ok;
    }
    if (auto code = args.value("code"))
    {
        if (args.has("from-mailbox"))
            throw usage_error("--code and --from-mailbox cannot be used together");
        return confirm(s, request, *code);
    }
    if (args.has("from-mailbox"))
    {
        unsigned seconds = 60;
        if (auto w = args.value("wait"))
        {
            try
            {
                seconds = static_cast<unsigned>(std::stoul(*w));
            }
            catch (const std::exception&)
            {
                throw usage_error("--wait takes a number of seconds");
            }
        }
        return link_from_mailbox(s, request, std::chrono::seconds(seconds));
    }
    request_code(s, request);
    if (s.out().json())
    {
        json_writer doc;
        s.out().emit(doc.begin_object()
                         .member("ok", true)
                         .member("mailbox", address)
                         .member("state", "code_sent")
                         .member("code_sender", s.cfg().require("code_sender"))
                         .end_object());
    }
    else
        s.out().say(fmt::format("A one-time code, valid one hour, was mailed into {} by {}.\n"
                                "Read it there, then enter it: mss link --code CODE",
                                address, s.cfg().require("code_sender")));
    return exit_ok;
}

int run_unlink(session& s, const arguments& args)
{
    if (!args.positional().empty())
        throw usage_error("unlink takes no argument");
    const std::string address = s.mailbox().address.str();
    if (auto ec = s.links().unlink(s.person().id, s.account(), address))
        throw s.refusal(fmt::format("{} cannot be unlinked", address), ec, {});
    if (s.out().json())
    {
        json_writer doc;
        s.out().emit(doc.begin_object().member("ok", true).member("mailbox", address).member("state", "unlinked").end_object());
    }
    else
        s.out().say(fmt::format("{} is unlinked; its local data was removed.", address));
    return exit_ok;
}

constexpr option_spec link_options[] = {
    {"code", true, false, "the one-time code mailed into the mailbox"},
    {"from-mailbox", false, false, "read the code from the mailbox over IMAP and enter it"},
    {"wait", true, false, "with --from-mailbox: seconds to wait for the code (default 60)"},
    {"status", false, false, "say where the link stands"},
};

}  // namespace

const command cmd_link{"link", "[--code CODE | --from-mailbox | --status]",
                       "link the mailbox to your account with a one-time code", link_options, &run_link};
const command cmd_unlink{"unlink", "", "remove the link and the mailbox's local data", {}, &run_unlink};

}  // namespace mss_cli
