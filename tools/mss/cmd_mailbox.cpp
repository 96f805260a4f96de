// SPDX-License-Identifier: Apache-2.0
// `mss sync`, `mss folders`, `mss list FOLDER`, `mss read ID`: the mailbox as the person sees it.
// `folders` and `list` read the local index (fast, offline); `sync` brings it up to date.
#include "commands.hpp"
#include "messages.hpp"
#include "session.hpp"
#include "watch.hpp"

#include <mss/domain/html_text.hpp>
#include <mss/domain/virtual_folder.hpp>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>

namespace mss_cli {
namespace {

using boost::system::error_code;
namespace domain = mss::domain;

std::size_t parse_count(const arguments& args, std::string_view name, std::size_t fallback, std::size_t max)
{
    const auto text = args.value(name);
    if (!text)
        return fallback;
    std::size_t n = 0;
    try
    {
        std::size_t used = 0;
        n = std::stoul(*text, &used);
        if (used != text->size())
            n = 0;
    }
    catch (const std::exception&)
    {
        n = 0;
    }
    if (n == 0 || n > max)
        throw usage_error(fmt::format("--{} takes a number from 1 to {}", name, max));
    return n;
}

domain::virtual_folder parse_folder(std::string_view key)
{
    if (auto f = domain::virtual_folder_from_key(key))
        return *f;
    std::string known;
    for (auto f : domain::all_virtual_folders)
        known += fmt::format("{}{}", known.empty() ? "" : ", ", domain::to_key(f));
    throw usage_error(fmt::format("unknown folder {}; folders are: {}", printable(key), known));
}

int run_sync(session& s, const arguments& args)
{
    if (!args.positional().empty())
        throw usage_error("sync takes no argument");
    if (args.has("for") && !args.has("watch"))
        throw usage_error("--for goes with --watch");
    const auto link = s.require_link();
    if (args.has("watch"))
    {
        std::optional<std::chrono::seconds> duration;
        if (args.has("for"))
            duration = std::chrono::seconds(parse_count(args, "for", 0, 7 * 24 * 3600));
        return watch_mailbox(s, link, duration);
    }
    const auto report = s.sync(link);
    if (link.state == domain::link_state::synchronising)
        (void)s.links().mark_ready(link.account, link.box.address.str());

    // Due outbox work (retries, copies to Sent not yet made), when sending is configured.
    std::size_t outbox = 0;
    if (s.cfg().get("product_reference"))
    {
        mss::diagnostics diag;
        const std::string own = link.box.address.str();
        auto transports = [&s, own](const std::string& mailbox) {
            return mailbox == own ? mss::service::mailbox_transports{&s.smtp(), &s.imap()}
                                  : mss::service::mailbox_transports{};
        };
        auto [ec, worked] = s.wait<error_code, std::size_t>(
            [&](auto handler) { s.sender().async_process_outbox(transports, diag, std::move(handler)); });
        if (ec)
            throw s.network_failure("smtp", ec, diag);
        outbox = worked;
    }
    if (s.out().json())
    {
        json_writer doc;
        s.out().emit(doc.begin_object()
                         .member("ok", true)
                         .member("mailbox", link.box.address.str())
                         .member("added", static_cast<std::uint64_t>(report.added))
                         .member("flag_changes", static_cast<std::uint64_t>(report.flag_changes))
                         .member("removed", static_cast<std::uint64_t>(report.removed))
                         .member("full_resyncs", static_cast<std::uint64_t>(report.full_resyncs))
                         .member("outbox_items", static_cast<std::uint64_t>(outbox))
                         .end_object());
    }
    else
        s.out().say(fmt::format("{}: {} new, {} read/unread change(s), {} removed{}", link.box.address.str(),
                                report.added, report.flag_changes, report.removed,
                                outbox ? fmt::format(", {} outbox item(s) worked on", outbox) : ""));
    return exit_ok;
}

int run_folders(session& s, const arguments& args)
{
    if (!args.positional().empty())
        throw usage_error("folders takes no argument");
    s.require_link();
    const auto& who = s.person();
    auto unread = s.folders().unread(who);
    if (!unread)
        throw failure(fmt::format("cannot read the store: {}", unread.error().message()));
    auto totals = s.folders().totals(who);
    if (!totals)
        throw failure(fmt::format("cannot read the store: {}", totals.error().message()));
    json_writer doc;
    doc.begin_object().member("ok", true).member("mailbox", s.mailbox().address.str()).key("folders").begin_array();
    s.out().say(fmt::format("{:<24} {:<36} {:>6} {:>6}", "KEY", "FOLDER", "TOTAL", "UNREAD"));
    for (auto f : domain::all_virtual_folders)
    {
        // Both counts are indexed like all_virtual_folders.
        const std::size_t total = (*totals)[static_cast<std::size_t>(f)];
        const std::size_t n = (*unread)[static_cast<std::size_t>(f)];
        const auto parent = domain::parent_of(f);
        const std::string name = fmt::format("{}{}", parent ? "  " : "", domain::display_name(f));
        s.out().say(fmt::format("{:<24} {} {:>6} {:>6}", domain::to_key(f), pad(name, 36), total, n));
        doc.begin_object()
            .member("key", domain::to_key(f))
            .member("name", domain::display_name(f))
            .key("parent");
        if (parent)
            doc.value(domain::to_key(*parent));
        else
            doc.null();
        doc.member("total", static_cast<std::uint64_t>(total)).member("unread", static_cast<std::uint64_t>(n)).end_object();
    }
    doc.end_array().end_object();
    if (s.out().json())
        s.out().emit(doc);
    return exit_ok;
}

int run_list(session& s, const arguments& args)
{
    if (args.positional().size() != 1)
        throw usage_error("list takes one folder: mss list FOLDER (e.g. inbox, professionals-received)");
    const auto folder = parse_folder(args.positional()[0]);
    const std::size_t limit = parse_count(args, "limit", 50, 100000);
    s.require_link();
    std::vector<mss::service::listed_message> messages;
    std::optional<mss::store::message_cursor> after;
    do
    {
        auto page = s.folders().list(s.person(), folder, after, std::min<std::size_t>(limit - messages.size(), 500));
        if (!page)
            throw failure(fmt::format("cannot read the store: {}", page.error().message()));
        for (auto& m : page->messages)
            messages.push_back(std::move(m));
        after = page->next;
    } while (after && messages.size() < limit);

    if (s.out().json())
    {
        json_writer doc;
        doc.begin_object().member("ok", true).member("folder", domain::to_key(folder)).key("messages").begin_array();
        for (const auto& m : messages)
        {
            doc.begin_object();
            write_indexed(doc, m.message);
            doc.member("counterpart_label", m.counterpart_label).end_object();
        }
        s.out().emit(doc.end_array().member("more", after.has_value()).end_object());
        return exit_ok;
    }
    s.out().say(fmt::format("{} — {} message(s){}", domain::display_name(folder), messages.size(),
                            after ? " (more: raise --limit)" : ""));
    for (const auto& m : messages)
        s.out().say(fmt::format("{} {:<24} {}  {}  {}", m.message.seen ? ' ' : '*', format_message_id(m.message.key),
                                format_date(m.message.date), pad(printable(m.counterpart_label), 32),
                                printable(m.message.subject)));
    return exit_ok;
}

// A received file name may carry a path: keep only a safe base name.
std::string safe_file_name(const std::string& name, std::size_t index)
{
    std::string base = std::filesystem::path(name).filename().string();
    for (char& c : base)
        if (static_cast<unsigned char>(c) < 0x20 || c == '/' || c == '\\')
            c = '_';
    if (base.empty() || base == "." || base == "..")
        base = fmt::format("attachment-{}", index + 1);
    return base;
}

std::size_t attachment_size(const domain::attachment& a)
{
    if (const auto* text = std::get_if<std::string>(&a.content))
        return text->size();
    std::error_code ec;
    const auto n = std::filesystem::file_size(std::get<std::filesystem::path>(a.content), ec);
    return ec ? 0 : static_cast<std::size_t>(n);
}

std::string join(const std::vector<domain::named_address>& list)
{
    std::string out;
    for (const auto& a : list)
        out += fmt::format("{}{}", out.empty() ? "" : ", ",
                           a.has_display_name() ? fmt::format("{} <{}>", a.display_name(), a.address().str()) : a.address().str());
    return out;
}

int run_read(session& s, const arguments& args)
{
    if (args.positional().size() != 1)
        throw usage_error("read takes one message id (from `mss list`)");
    const auto indexed = find_indexed(s, args.positional()[0]);
    const auto original = fetch_original(s, indexed);

    std::vector<std::string> saved;
    if (auto dir = args.value("save-attachments"))
    {
        std::error_code ec;
        std::filesystem::create_directories(*dir, ec);
        for (std::size_t i = 0; i < original.attachments.size(); ++i)
        {
            const auto& a = original.attachments[i];
            const auto path = std::filesystem::path(*dir) / safe_file_name(a.file_name, i);
            std::ofstream file(path, std::ios::binary | std::ios::trunc);
            const auto* content = std::get_if<std::string>(&a.content);
            if (!file || !content || !file.write(content->data(), static_cast<std::streamsize>(content->size())))
                throw failure(fmt::format("cannot write {}", path.string()), "check that the directory is writable");
            saved.push_back(path.string());
        }
    }
    if (!args.has("keep-unread") && !indexed.seen)
    {
        mss::diagnostics diag;
        auto [ec] = s.wait<error_code>([&](auto handler) {
            s.folders().async_mark_read(s.person(), indexed.key, true, s.imap(), diag, std::move(handler));
        });
        if (ec)
            throw s.network_failure("imap", ec, diag);
    }

    if (args.has("raw"))
    {
        fmt::print("{}", original.raw);
        return exit_ok;
    }
    const std::string body = original.text_body.empty() ? domain::html_to_text(original.html_body) : original.text_body;
    if (s.out().json())
    {
        json_writer doc;
        doc.begin_object().member("ok", true);
        write_indexed(doc, indexed);
        doc.member("message_id", original.message_id).member("to", join(original.to)).member("cc", join(original.cc));
        doc.member("body", body).key("attachments").begin_array();
        for (std::size_t i = 0; i < original.attachments.size(); ++i)
        {
            const auto& a = original.attachments[i];
            doc.begin_object()
                .member("file_name", a.file_name)
                .member("media_type", a.media_type)
                .member("size", static_cast<std::uint64_t>(attachment_size(a)));
            if (i < saved.size())
                doc.member("saved_as", saved[i]);
            doc.end_object();
        }
        s.out().emit(doc.end_array().end_object());
        return exit_ok;
    }
    s.out().say(fmt::format("Id:      {}", format_message_id(indexed.key)));
    s.out().say(fmt::format("Date:    {}", format_date(original.date)));
    s.out().say(fmt::format("From:    {}", printable(original.from ? join({*original.from}) : indexed.from)));
    s.out().say(fmt::format("To:      {}", printable(join(original.to))));
    if (!original.cc.empty())
        s.out().say(fmt::format("Cc:      {}", printable(join(original.cc))));
    s.out().say(fmt::format("Subject: {}", printable(original.subject)));
    for (std::size_t i = 0; i < original.attachments.size(); ++i)
    {
        const auto& a = original.attachments[i];
        s.out().say(fmt::format("Attachment: {} ({}, {} bytes){}", printable(a.file_name), printable(a.media_type),
                                attachment_size(a), i < saved.size() ? " saved as " + saved[i] : ""));
    }
    s.out().say("");
    s.out().say(printable(body, true));
    return exit_ok;
}

constexpr option_spec sync_options[] = {
    {"watch", false, false, "stay connected and keep the index up to date (IMAP IDLE), one line per change"},
    {"for", true, false, "with --watch: stop after this many seconds (default: until SIGINT or SIGTERM)"},
};
constexpr option_spec list_options[] = {
    {"limit", true, false, "show at most this many messages (default 50)"},
};
constexpr option_spec read_options[] = {
    {"raw", false, false, "print the whole message as received (RFC 5322)"},
    {"save-attachments", true, false, "write the attachments into this directory"},
    {"keep-unread", false, false, "do not mark the message read"},
};

}  // namespace

const command cmd_sync{"sync", "[--watch [--for SECONDS]]",
                       "bring the local index up to date and work on the outbox; --watch keeps it so", sync_options,
                       &run_sync};
const command cmd_folders{"folders", "", "the virtual folders with their total and unread counts", {}, &run_folders};
const command cmd_list{"list", "FOLDER [--limit N]", "the messages of a folder, newest first (* = unread)", list_options,
                       &run_list};
const command cmd_read{"read", "ID [--raw] [--save-attachments DIR] [--keep-unread]",
                       "show a message (and mark it read)", read_options, &run_read};

}  // namespace mss_cli
