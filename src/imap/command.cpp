// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/command.hpp>

#include "detail/base64.hpp"
#include <mss/imap/fetch_data.hpp>
#include <mss/imap/modified_utf7.hpp>
#include <mss/imap/response.hpp>

#include "imap/text.hpp"

#include <charconv>
#include <cstdio>

namespace mss::imap {
namespace {

constexpr std::size_t max_quoted_length = 1024;  // longer strings go as literals

bool is_atom_char(unsigned char c) noexcept
{
    // ATOM-CHAR: CHAR except atom-specials ( ) { SP CTL % * " \ ].
    if (c <= 0x20 || c >= 0x7f)
        return false;
    switch (c)
    {
    case '(':
    case ')':
    case '{':
    case '%':
    case '*':
    case '"':
    case '\\':
    case ']': return false;
    default: return true;
    }
}

bool is_atom(std::string_view s) noexcept
{
    if (s.empty())
        return false;
    for (unsigned char c : s)
    {
        if (!is_atom_char(c))
            return false;
    }
    return true;
}

bool valid_tag(std::string_view tag) noexcept
{
    return !tag.empty() && tag.size() <= 64 && is_atom(tag) && tag.find('+') == std::string_view::npos;
}

// A flag: `\Atom` (system flag) or an atom (keyword).
bool valid_flag(std::string_view f) noexcept
{
    if (!f.empty() && f[0] == '\\')
        f.remove_prefix(1);
    return is_atom(f);
}

// A section specification goes between brackets verbatim: no ']', no control characters.
bool valid_section(std::string_view s) noexcept
{
    for (unsigned char c : s)
    {
        if (c < 0x20 || c >= 0x7f || c == ']' || c == '[')
            return false;
    }
    return true;
}


// Appends one command to a `command`, all or nothing: the destructor rolls back unless
// `commit()` was called, so that an argument refused half-way leaves no partial command.
class writer
{
public:
    writer(command& out, const command_options& opts) noexcept
        : out_(out), opts_(opts), bytes_(out.bytes.size()), syncs_(out.sync_points.size()),
          secrets_(out.secrets.size())
    {
    }
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    ~writer()
    {
        if (committed_)
            return;
        out_.bytes.resize(bytes_);
        out_.sync_points.resize(syncs_);
        out_.secrets.resize(secrets_);
    }

    boost::system::error_code begin(std::string_view tag)
    {
        if (!valid_tag(tag))
            return mss::errc::invalid_argument;
        out_.bytes.append(tag);
        tag_ = tag;
        return {};
    }

    boost::system::error_code commit()
    {
        out_.bytes.append("\r\n");
        out_.tag.assign(tag_);
        committed_ = true;
        return {};
    }

    void raw(std::string_view s) { out_.bytes.append(s); }
    void raw(char c) { out_.bytes.push_back(c); }

    void number(std::uint64_t n)
    {
        char digits[24];
        const auto res = std::to_chars(digits, digits + sizeof digits, n);
        out_.bytes.append(digits, res.ptr);
    }

    void set(const sequence_set& s) { s.append_to(out_.bytes); }

    void literal(std::string_view data, bool secret, bool binary = false)
    {
        const bool non_sync = opts_.literal_plus || (opts_.literal_minus && data.size() <= 4096);
        if (binary)
            raw('~');
        raw('{');
        number(data.size());
        raw(non_sync ? "+}\r\n" : "}\r\n");
        if (!non_sync)
            out_.sync_points.push_back(out_.bytes.size());
        if (secret)
            out_.secrets.push_back({out_.bytes.size(), data.size()});
        raw(data);
    }

    // astring: atom, quoted string or literal, whichever is safe. NUL cannot be sent at all.
    boost::system::error_code astring(std::string_view s, bool secret = false)
    {
        if (s.find('\0') != std::string_view::npos)
            return mss::errc::invalid_argument;
        if (!secret && is_atom(s))
        {
            raw(s);
            return {};
        }
        bool quotable = s.size() <= max_quoted_length;
        for (std::size_t i = 0; quotable && i < s.size(); ++i)
        {
            const auto c = static_cast<unsigned char>(s[i]);
            if (c == '\r' || c == '\n' || (c >= 0x80 && !opts_.utf8))
                quotable = false;
        }
        if (!quotable)
        {
            literal(s, secret);
            return {};
        }
        raw('"');
        const std::size_t start = out_.bytes.size();
        for (char c : s)
        {
            if (c == '"' || c == '\\')
                raw('\\');
            raw(c);
        }
        if (secret)
            out_.secrets.push_back({start, out_.bytes.size() - start});
        raw('"');
        return {};
    }

    // A mailbox name given in UTF-8: modified UTF-7 unless UTF8=ACCEPT; INBOX is case-insensitive.
    boost::system::error_code mailbox(std::string_view name)
    {
        if (name.empty())
            return mss::errc::invalid_argument;
        if (detail::iequals(name, "INBOX"))
        {
            raw("INBOX");
            return {};
        }
        if (opts_.utf8)
            return astring(name);
        scratch_.clear();
        if (auto ec = encode_modified_utf7(name, scratch_))
            return ec;
        return astring(scratch_);
    }

    boost::system::error_code flag_list(std::span<const std::string_view> flags)
    {
        raw('(');
        bool first = true;
        for (auto f : flags)
        {
            if (!valid_flag(f))
                return mss::errc::invalid_argument;
            if (!first)
                raw(' ');
            first = false;
            raw(f);
        }
        raw(')');
        return {};
    }

    [[nodiscard]] const command_options& options() const noexcept { return opts_; }

private:
    command& out_;
    const command_options& opts_;
    std::size_t bytes_;
    std::size_t syncs_;
    std::size_t secrets_;
    std::string_view tag_;
    std::string scratch_;
    bool committed_ = false;
};

const command_options default_options{};

boost::system::error_code simple(command& out, std::string_view tag, std::string_view name)
{
    writer w(out, default_options);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(' ');
    w.raw(name);
    return w.commit();
}

bool valid_date(const date& d) noexcept
{
    return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31 && d.year >= 1 && d.year <= 9999;
}

constexpr const char* month_abbrev[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

boost::system::error_code uid_copy_or_move(command& out, std::string_view tag, std::string_view verb,
                                           const sequence_set& uids, std::string_view mailbox,
                                           const command_options& opts)
{
    if (uids.empty())
        return mss::errc::invalid_argument;
    writer w(out, opts);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(verb);
    w.set(uids);
    w.raw(' ');
    if (auto ec = w.mailbox(mailbox))
        return ec;
    return w.commit();
}

}  // namespace

std::string command::redacted() const
{
    std::string out;
    std::size_t pos = 0;
    for (const auto& s : secrets)
    {
        if (s.offset < pos || s.offset + s.length > bytes.size())
            continue;
        out.append(bytes, pos, s.offset - pos);
        out.append("***");
        pos = s.offset + s.length;
    }
    out.append(bytes, pos, std::string::npos);
    return out;
}

tag_generator::tag_generator(std::string_view prefix) : prefix_(prefix)
{
    if (prefix_.empty() || prefix_.size() > 8 || !is_atom(prefix_) || prefix_.find('+') != std::string::npos)
        prefix_ = "A";
}

std::string tag_generator::next()
{
    std::string tag = prefix_;
    char digits[24];
    const auto res = std::to_chars(digits, digits + sizeof digits, ++counter_);
    tag.append(digits, res.ptr);
    return tag;
}

boost::system::error_code serialize_capability(command& out, std::string_view tag)
{
    return simple(out, tag, "CAPABILITY");
}

boost::system::error_code serialize_noop(command& out, std::string_view tag)
{
    return simple(out, tag, "NOOP");
}

boost::system::error_code serialize_logout(command& out, std::string_view tag)
{
    auto ec = simple(out, tag, "LOGOUT");
    if (!ec)
        out.expect_bye = true;
    return ec;
}

boost::system::error_code serialize_starttls(command& out, std::string_view tag)
{
    return simple(out, tag, "STARTTLS");
}

boost::system::error_code serialize_close(command& out, std::string_view tag)
{
    return simple(out, tag, "CLOSE");
}

boost::system::error_code serialize_idle(command& out, std::string_view tag)
{
    return simple(out, tag, "IDLE");
}

void serialize_done(command& out)
{
    out.bytes.append("DONE\r\n");
    out.tag.clear();
}

boost::system::error_code serialize_login(command& out, std::string_view tag, std::string_view user,
                                          std::string_view password, const command_options& opts)
{
    if (user.empty() || password.empty())
        return mss::errc::invalid_argument;
    writer w(out, opts);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" LOGIN ");
    if (auto ec = w.astring(user, true))
        return ec;
    w.raw(' ');
    if (auto ec = w.astring(password, true))
        return ec;
    return w.commit();
}

namespace {

boost::system::error_code authenticate(command& out, std::string_view tag, std::string_view mechanism,
                                       std::string_view response, bool sasl_ir)
{
    writer w(out, default_options);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" AUTHENTICATE ");
    w.raw(mechanism);
    if (sasl_ir)
    {
        w.raw(' ');
    }
    else
    {
        // The response follows the server's empty challenge: the same wait as for a literal.
        w.raw("\r\n");
        out.sync_points.push_back(out.bytes.size());
    }
    const std::size_t start = out.bytes.size();
    mss::detail::base64_append(out.bytes, response);
    out.secrets.push_back({start, out.bytes.size() - start});
    out.authenticate = true;
    return w.commit();
}

}  // namespace

boost::system::error_code serialize_authenticate_plain(command& out, std::string_view tag, std::string_view user,
                                                       std::string_view password, bool sasl_ir,
                                                       std::string_view authzid)
{
    const auto has_nul = [](std::string_view s) { return s.find('\0') != std::string_view::npos; };
    if (user.empty() || password.empty() || has_nul(user) || has_nul(password) || has_nul(authzid))
        return mss::errc::invalid_argument;
    std::string message;
    message.reserve(authzid.size() + user.size() + password.size() + 2);
    message.append(authzid).append(1, '\0').append(user).append(1, '\0').append(password);
    const auto ec = authenticate(out, tag, "PLAIN", message, sasl_ir);
    // The clear-text credentials should not linger in freed memory.
    std::fill(message.begin(), message.end(), '\0');
    return ec;
}

boost::system::error_code serialize_authenticate_xoauth2(command& out, std::string_view tag, std::string_view user,
                                                         std::string_view token, bool sasl_ir)
{
    const auto has_control = [](std::string_view s) {
        for (unsigned char c : s)
        {
            if (c < 0x20 || c == 0x7f)
                return true;
        }
        return false;
    };
    if (user.empty() || token.empty() || has_control(user) || has_control(token))
        return mss::errc::invalid_argument;
    std::string message;
    message.reserve(user.size() + token.size() + 20);
    message.append("user=").append(user).append("\x01" "auth=Bearer ").append(token).append("\x01\x01");
    const auto ec = authenticate(out, tag, "XOAUTH2", message, sasl_ir);
    std::fill(message.begin(), message.end(), '\0');
    return ec;
}

boost::system::error_code serialize_enable(command& out, std::string_view tag,
                                           std::span<const std::string_view> capabilities)
{
    if (capabilities.empty())
        return mss::errc::invalid_argument;
    writer w(out, default_options);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" ENABLE");
    for (auto c : capabilities)
    {
        if (!is_atom(c))
            return mss::errc::invalid_argument;
        w.raw(' ');
        w.raw(c);
    }
    return w.commit();
}

boost::system::error_code serialize_list(command& out, std::string_view tag, std::string_view reference,
                                         std::string_view pattern, bool return_special_use,
                                         const command_options& opts)
{
    writer w(out, opts);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" LIST ");
    // An empty reference is the usual `""`; names go through the mailbox encoding (wildcards
    // are plain ASCII and survive modified UTF-7 unchanged).
    std::string encoded;
    for (auto [name, last] : {std::pair{reference, false}, std::pair{pattern, true}})
    {
        encoded.clear();
        if (opts.utf8)
            encoded.assign(name);
        else if (auto ec = encode_modified_utf7(name, encoded))
            return ec;
        if (encoded.empty())
            w.raw("\"\"");
        else if (auto ec = w.astring(encoded))
            return ec;
        if (!last)
            w.raw(' ');
    }
    if (return_special_use)
        w.raw(" RETURN (SPECIAL-USE)");
    return w.commit();
}

boost::system::error_code serialize_select(command& out, std::string_view tag, const select_params& params,
                                           const command_options& opts)
{
    writer w(out, opts);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(params.read_only ? " EXAMINE " : " SELECT ");
    if (auto ec = w.mailbox(params.mailbox))
        return ec;
    if (params.qresync)
    {
        const auto& q = *params.qresync;
        if (q.uidvalidity == 0 || q.modseq == 0)
            return mss::errc::invalid_argument;
        w.raw(" (QRESYNC (");
        w.number(q.uidvalidity);
        w.raw(' ');
        w.number(q.modseq);
        if (!q.known_uids.empty())
        {
            w.raw(' ');
            w.set(q.known_uids);
        }
        w.raw("))");
    }
    else if (params.condstore)
    {
        w.raw(" (CONDSTORE)");
    }
    return w.commit();
}

boost::system::error_code serialize_status(command& out, std::string_view tag, std::string_view mailbox,
                                           std::uint32_t items, const command_options& opts)
{
    static constexpr std::pair<status_item, std::string_view> names[] = {
        {status_item::messages, "MESSAGES"},       {status_item::recent, "RECENT"},
        {status_item::uidnext, "UIDNEXT"},         {status_item::uidvalidity, "UIDVALIDITY"},
        {status_item::unseen, "UNSEEN"},           {status_item::highestmodseq, "HIGHESTMODSEQ"},
        {status_item::size, "SIZE"},
    };
    writer w(out, opts);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" STATUS ");
    if (auto ec = w.mailbox(mailbox))
        return ec;
    w.raw(" (");
    bool first = true;
    for (const auto& [bit, name] : names)
    {
        if ((items & static_cast<std::uint32_t>(bit)) == 0)
            continue;
        if (!first)
            w.raw(' ');
        first = false;
        w.raw(name);
    }
    if (first)
        return mss::errc::invalid_argument;
    w.raw(')');
    return w.commit();
}

boost::system::error_code serialize_uid_search(command& out, std::string_view tag, const search_criteria& criteria,
                                               const command_options& opts)
{
    writer w(out, opts);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" UID SEARCH");
    bool eight_bit = false;
    for (unsigned char c : criteria.header_value)
        eight_bit = eight_bit || c >= 0x80;
    if (eight_bit && !opts.utf8)
        w.raw(" CHARSET UTF-8");
    bool any = false;
    if (criteria.all)
    {
        w.raw(" ALL");
        any = true;
    }
    if (!criteria.uids.empty())
    {
        w.raw(" UID ");
        w.set(criteria.uids);
        any = true;
    }
    if (criteria.unseen)
    {
        w.raw(" UNSEEN");
        any = true;
    }
    if (criteria.since)
    {
        const auto& d = *criteria.since;
        if (!valid_date(d))
            return mss::errc::invalid_argument;
        char buf[32];
        const int n = std::snprintf(buf, sizeof buf, " SINCE %u-%s-%04d", d.day, month_abbrev[d.month - 1], d.year);
        w.raw(std::string_view(buf, static_cast<std::size_t>(n)));
        any = true;
    }
    if (!criteria.header_name.empty())
    {
        if (!is_atom(criteria.header_name) || criteria.header_name.find(':') != std::string_view::npos)
            return mss::errc::invalid_argument;
        w.raw(" HEADER ");
        w.raw(criteria.header_name);
        w.raw(' ');
        // An empty value matches every message having the field: it must be sent as "".
        if (criteria.header_value.empty())
            w.raw("\"\"");
        else if (auto ec = w.astring(criteria.header_value))
            return ec;
        any = true;
    }
    if (criteria.modseq)
    {
        w.raw(" MODSEQ ");
        w.number(*criteria.modseq);
        any = true;
    }
    if (!any)
        w.raw(" ALL");
    return w.commit();
}

boost::system::error_code serialize_uid_fetch(command& out, std::string_view tag, const fetch_params& params)
{
    static constexpr std::pair<fetch_item, std::string_view> names[] = {
        {fetch_item::uid, "UID"},
        {fetch_item::flags, "FLAGS"},
        {fetch_item::internal_date, "INTERNALDATE"},
        {fetch_item::rfc822_size, "RFC822.SIZE"},
        {fetch_item::modseq, "MODSEQ"},
        {fetch_item::envelope, "ENVELOPE"},
        {fetch_item::body_structure, "BODYSTRUCTURE"},
    };
    if (params.uids.empty() || (params.vanished && !params.changed_since))
        return mss::errc::invalid_argument;
    writer w(out, default_options);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" UID FETCH ");
    w.set(params.uids);
    w.raw(" (");
    bool first = true;
    auto separator = [&]() {
        if (!first)
            w.raw(' ');
        first = false;
    };
    for (const auto& [bit, name] : names)
    {
        if ((params.items & static_cast<std::uint32_t>(bit)) == 0)
            continue;
        separator();
        w.raw(name);
    }
    for (auto [sections, prefix] : {std::pair{params.body_sections, std::string_view("BODY.PEEK[")},
                                    std::pair{params.binary_sections, std::string_view("BINARY.PEEK[")}})
    {
        for (auto s : sections)
        {
            if (!valid_section(s))
                return mss::errc::invalid_argument;
            separator();
            w.raw(prefix);
            w.raw(s);
            w.raw(']');
        }
    }
    if (first)
        return mss::errc::invalid_argument;
    w.raw(')');
    if (params.changed_since)
    {
        w.raw(" (CHANGEDSINCE ");
        w.number(*params.changed_since);
        if (params.vanished)
            w.raw(" VANISHED");
        w.raw(')');
    }
    return w.commit();
}

boost::system::error_code serialize_uid_store(command& out, std::string_view tag, const store_params& params)
{
    if (params.uids.empty())
        return mss::errc::invalid_argument;
    writer w(out, default_options);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" UID STORE ");
    w.set(params.uids);
    if (params.unchanged_since)
    {
        w.raw(" (UNCHANGEDSINCE ");
        w.number(*params.unchanged_since);
        w.raw(')');
    }
    w.raw(params.mode == store_mode::add ? " +FLAGS" : params.mode == store_mode::remove ? " -FLAGS" : " FLAGS");
    if (params.silent)
        w.raw(".SILENT");
    w.raw(' ');
    if (auto ec = w.flag_list(params.flags))
        return ec;
    return w.commit();
}

boost::system::error_code serialize_append(command& out, std::string_view tag, const append_params& params,
                                           const command_options& opts)
{
    if (params.message.empty())
        return mss::errc::invalid_argument;
    const bool has_nul = params.message.find('\0') != std::string_view::npos;
    if (has_nul && !opts.binary)
        return mss::errc::invalid_argument;
    writer w(out, opts);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" APPEND ");
    if (auto ec = w.mailbox(params.mailbox))
        return ec;
    if (!params.flags.empty())
    {
        w.raw(' ');
        if (auto ec = w.flag_list(params.flags))
            return ec;
    }
    if (params.internal_date)
    {
        const auto& d = *params.internal_date;
        if (!valid_date({d.year, d.month, d.day}) || d.hour > 23 || d.minute > 59 || d.second > 60 ||
            d.zone_minutes < -24 * 60 || d.zone_minutes > 24 * 60)
            return mss::errc::invalid_argument;
        const int zone = d.zone_minutes < 0 ? -d.zone_minutes : d.zone_minutes;
        char buf[48];
        const int n = std::snprintf(buf, sizeof buf, " \"%02u-%s-%04d %02u:%02u:%02u %c%02d%02d\"", d.day,
                                    month_abbrev[d.month - 1], d.year, d.hour, d.minute, d.second,
                                    d.zone_minutes < 0 ? '-' : '+', zone / 60, zone % 60);
        w.raw(std::string_view(buf, static_cast<std::size_t>(n)));
    }
    w.raw(' ');
    w.literal(params.message, false, has_nul);
    return w.commit();
}

boost::system::error_code serialize_uid_move(command& out, std::string_view tag, const sequence_set& uids,
                                             std::string_view mailbox, const command_options& opts)
{
    return uid_copy_or_move(out, tag, " UID MOVE ", uids, mailbox, opts);
}

boost::system::error_code serialize_uid_copy(command& out, std::string_view tag, const sequence_set& uids,
                                             std::string_view mailbox, const command_options& opts)
{
    return uid_copy_or_move(out, tag, " UID COPY ", uids, mailbox, opts);
}

boost::system::error_code serialize_uid_expunge(command& out, std::string_view tag, const sequence_set& uids)
{
    if (uids.empty())
        return mss::errc::invalid_argument;
    writer w(out, default_options);
    if (auto ec = w.begin(tag))
        return ec;
    w.raw(" UID EXPUNGE ");
    w.set(uids);
    return w.commit();
}

}  // namespace mss::imap
