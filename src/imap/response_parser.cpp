// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>
#include <mss/imap/modified_utf7.hpp>
#include <mss/imap/response_parser.hpp>

#include "imap/text.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <span>
#include <string>

namespace mss::imap {
namespace {

using detail::iequals;

// Characters of our (liberal) atoms: ATOM-CHAR plus '\', '%', '*', '[' and 8-bit bytes, so that
// flags (`\Seen`, `\*`) and servers that send UTF-8 atoms are read in one loop. Stops at SP, CTL,
// '(', ')', '{', '"' and ']'.
constexpr std::array<bool, 256> make_atom_table()
{
    std::array<bool, 256> t{};
    for (int c = 0x21; c < 0x100; ++c)
        t[static_cast<std::size_t>(c)] = true;
    for (unsigned char c : std::string_view("(){\"]"))
        t[c] = false;
    t[0x7f] = false;
    return t;
}
constexpr auto atom_table = make_atom_table();

bool is_status_word(std::string_view w, bool untagged) noexcept
{
    if (iequals(w, "OK") || iequals(w, "NO") || iequals(w, "BAD"))
        return true;
    return untagged && (iequals(w, "BYE") || iequals(w, "PREAUTH"));
}

// Status responses and continuations are text to the end of the line: a `{5}` there is not a
// literal announcement.
bool is_text_line(std::string_view line) noexcept
{
    if (!line.empty() && line[0] == '+')
        return true;
    const auto sp = line.find(' ');
    if (sp == std::string_view::npos)
        return false;
    const bool untagged = line.substr(0, sp) == "*";
    auto rest = line.substr(sp + 1);
    rest = rest.substr(0, rest.find(' '));
    return is_status_word(rest, untagged);
}

struct code_name
{
    std::string_view name;
    response_code_kind kind;
};

constexpr code_name code_names[] = {
    {"ALERT", response_code_kind::alert},
    {"BADCHARSET", response_code_kind::badcharset},
    {"CAPABILITY", response_code_kind::capability},
    {"PARSE", response_code_kind::parse},
    {"PERMANENTFLAGS", response_code_kind::permanentflags},
    {"READ-ONLY", response_code_kind::read_only},
    {"READ-WRITE", response_code_kind::read_write},
    {"TRYCREATE", response_code_kind::trycreate},
    {"UIDNEXT", response_code_kind::uidnext},
    {"UIDVALIDITY", response_code_kind::uidvalidity},
    {"UNSEEN", response_code_kind::unseen},
    {"HIGHESTMODSEQ", response_code_kind::highestmodseq},
    {"NOMODSEQ", response_code_kind::nomodseq},
    {"MODIFIED", response_code_kind::modified},
    {"APPENDUID", response_code_kind::appenduid},
    {"COPYUID", response_code_kind::copyuid},
    {"UIDNOTSTICKY", response_code_kind::uidnotsticky},
    {"CLOSED", response_code_kind::closed},
    {"AUTHENTICATIONFAILED", response_code_kind::authenticationfailed},
    {"AUTHORIZATIONFAILED", response_code_kind::authorizationfailed},
    {"EXPIRED", response_code_kind::expired},
    {"PRIVACYREQUIRED", response_code_kind::privacyrequired},
    {"UNAVAILABLE", response_code_kind::unavailable},
    {"OVERQUOTA", response_code_kind::overquota},
    {"ALREADYEXISTS", response_code_kind::alreadyexists},
    {"NONEXISTENT", response_code_kind::nonexistent},
    {"LIMIT", response_code_kind::limit},
    {"NOPERM", response_code_kind::noperm},
};

struct attribute_name
{
    std::string_view name;
    mailbox_attribute bit;
};

constexpr attribute_name attribute_names[] = {
    {"\\Noselect", mailbox_attribute::noselect},
    {"\\Noinferiors", mailbox_attribute::noinferiors},
    {"\\Marked", mailbox_attribute::marked},
    {"\\Unmarked", mailbox_attribute::unmarked},
    {"\\HasChildren", mailbox_attribute::has_children},
    {"\\HasNoChildren", mailbox_attribute::has_no_children},
    {"\\NonExistent", mailbox_attribute::nonexistent},
    {"\\Subscribed", mailbox_attribute::subscribed},
    {"\\Remote", mailbox_attribute::remote},
    {"\\All", mailbox_attribute::all},
    {"\\Archive", mailbox_attribute::archive},
    {"\\Drafts", mailbox_attribute::drafts},
    {"\\Flagged", mailbox_attribute::flagged},
    {"\\Junk", mailbox_attribute::junk},
    {"\\Sent", mailbox_attribute::sent},
    {"\\Trash", mailbox_attribute::trash},
    {"\\Important", mailbox_attribute::important},
};

constexpr std::string_view month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool parse_digits(std::string_view s, std::size_t& i, std::size_t count, unsigned& out) noexcept
{
    if (s.size() - i < count)
        return false;
    unsigned v = 0;
    for (std::size_t k = 0; k < count; ++k)
    {
        const char c = s[i + k];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    i += count;
    out = v;
    return true;
}

// `dd-Mon-yyyy hh:mm:ss +zzzz`, the day possibly space-padded or one digit.
bool parse_date_time(std::string_view s, date_time& out) noexcept
{
    std::size_t i = 0;
    if (i < s.size() && s[i] == ' ')
        ++i;
    unsigned day = 0;
    if (!parse_digits(s, i, 1, day))
        return false;
    if (i < s.size() && s[i] >= '0' && s[i] <= '9')
        day = day * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i + 5 > s.size() || s[i] != '-' || s[i + 4] != '-')
        return false;
    const auto mon = s.substr(i + 1, 3);
    unsigned month = 0;
    for (unsigned m = 0; m < 12; ++m)
    {
        if (iequals(mon, month_names[m]))
            month = m + 1;
    }
    i += 5;
    unsigned year = 0, hour = 0, minute = 0, second = 0, zone = 0;
    if (month == 0 || !parse_digits(s, i, 4, year) || i >= s.size() || s[i++] != ' ' ||
        !parse_digits(s, i, 2, hour) || i >= s.size() || s[i++] != ':' || !parse_digits(s, i, 2, minute) ||
        i >= s.size() || s[i++] != ':' || !parse_digits(s, i, 2, second) || i >= s.size() || s[i++] != ' ' ||
        i >= s.size())
        return false;
    const char sign = s[i++];
    if ((sign != '+' && sign != '-') || !parse_digits(s, i, 4, zone) || i != s.size())
        return false;
    if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || zone % 100 > 59)
        return false;
    out.year = static_cast<int>(year);
    out.month = month;
    out.day = day;
    out.hour = hour;
    out.minute = minute;
    out.second = second;
    const int z = static_cast<int>(zone / 100 * 60 + zone % 100);
    out.zone_minutes = sign == '-' ? -z : z;
    return true;
}

// Recursive-descent decoder of one complete response. Works in place on the parser's buffer.
class decoder
{
public:
    decoder(char* base, std::size_t size, std::span<const detail::literal_record> literals,
            std::size_t max_depth, bool utf8_mode, std::string& scratch) noexcept
        : base_(base), p_(base), end_(base + size), literals_(literals), max_depth_(max_depth),
          utf8_mode_(utf8_mode), scratch_(scratch)
    {
    }

    bool parse(response& out);

    [[nodiscard]] const char* what() const noexcept { return what_; }
    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
    [[nodiscard]] boost::system::error_code error() const noexcept { return ec_; }

private:
    bool fail(const char* what, mss::errc ec = mss::errc::malformed_response) noexcept
    {
        if (what_ == nullptr)
        {
            what_ = what;
            ec_ = ec;
            offset_ = static_cast<std::size_t>(p_ - base_) + adjust_;
        }
        return false;
    }

    [[nodiscard]] bool at_end() const noexcept { return p_ == end_; }
    [[nodiscard]] int peek() const noexcept { return p_ < end_ ? static_cast<unsigned char>(*p_) : -1; }
    [[nodiscard]] bool peek_is(char c) const noexcept { return p_ < end_ && *p_ == c; }
    // `{n}` or `~{n}` (a `~` alone starts an atom such as `~peter/mail`).
    [[nodiscard]] bool at_literal() const noexcept
    {
        return p_ < end_ && (*p_ == '{' || (*p_ == '~' && end_ - p_ > 1 && p_[1] == '{'));
    }
    bool skip(char c) noexcept
    {
        if (p_ < end_ && *p_ == c)
        {
            ++p_;
            return true;
        }
        return false;
    }
    bool expect(char c, const char* what) noexcept { return skip(c) || fail(what); }
    bool sp() noexcept { return skip(' ') || fail("expected a space"); }

    bool open() noexcept
    {
        if (!expect('(', "expected '('"))
            return false;
        if (++depth_ > max_depth_)
            return fail("parentheses nested too deeply", mss::errc::limit_exceeded);
        return true;
    }
    bool close() noexcept
    {
        if (!expect(')', "expected ')'"))
            return false;
        --depth_;
        return true;
    }

    bool atom(std::string_view& out) noexcept
    {
        const char* start = p_;
        while (p_ < end_ && atom_table[static_cast<unsigned char>(*p_)])
            ++p_;
        if (p_ == start)
            return fail("expected an atom");
        out = {start, static_cast<std::size_t>(p_ - start)};
        return true;
    }

    // A FETCH item name or response keyword: an atom that also stops at '[' and '<'.
    bool keyword(std::string_view& out) noexcept
    {
        const char* start = p_;
        while (p_ < end_ && atom_table[static_cast<unsigned char>(*p_)] && *p_ != '[' && *p_ != '<')
            ++p_;
        if (p_ == start)
            return fail("expected a keyword");
        out = {start, static_cast<std::size_t>(p_ - start)};
        return true;
    }

    bool number64(std::uint64_t& out) noexcept
    {
        if (p_ == end_ || *p_ < '0' || *p_ > '9')
            return fail("expected a number");
        std::uint64_t v = 0;
        while (p_ < end_ && *p_ >= '0' && *p_ <= '9')
        {
            const auto d = static_cast<std::uint64_t>(*p_ - '0');
            if (v > (UINT64_MAX - d) / 10)
                return fail("number too large");
            v = v * 10 + d;
            ++p_;
        }
        out = v;
        return true;
    }

    bool number32(std::uint32_t& out) noexcept
    {
        std::uint64_t v = 0;
        if (!number64(v))
            return false;
        if (v > UINT32_MAX)
            return fail("number too large");
        out = static_cast<std::uint32_t>(v);
        return true;
    }

    [[nodiscard]] bool at_nil() const noexcept
    {
        return end_ - p_ >= 3 && (p_[0] | 0x20) == 'n' && (p_[1] | 0x20) == 'i' && (p_[2] | 0x20) == 'l' &&
               (end_ - p_ == 3 || !atom_table[static_cast<unsigned char>(p_[3])]);
    }

    // Quoted string, unescaped in place: the result is never longer than the source.
    bool quoted(std::string_view& out) noexcept
    {
        ++p_;
        char* const start = p_;
        char* w = p_;
        while (p_ < end_)
        {
            const char c = *p_;
            if (c == '"')
            {
                out = {start, static_cast<std::size_t>(w - start)};
                ++p_;
                return true;
            }
            if (c == '\\')
            {
                if (++p_ == end_)
                    break;
                if (*p_ != '"' && *p_ != '\\')
                    return fail("invalid escape in quoted string");
            }
            else if (c == '\r' || c == '\n' || c == '\0')
            {
                return fail("control character in quoted string");
            }
            *w++ = *p_++;
        }
        return fail("unterminated quoted string");
    }

    bool literal(std::string_view& out, bool* streamed = nullptr, std::uint64_t* size = nullptr) noexcept
    {
        const auto here = static_cast<std::size_t>(p_ - base_);
        if (next_literal_ >= literals_.size() || literals_[next_literal_].announce != here)
            return fail("unexpected literal");
        const auto& rec = literals_[next_literal_++];
        if (rec.streamed && streamed == nullptr)
            return fail("streamed literal where a string is needed");
        if (streamed != nullptr)
            *streamed = rec.streamed;
        if (size != nullptr)
            *size = rec.size;
        char* content = base_ + rec.content;
        if (rec.streamed)
        {
            out = {};
            adjust_ += static_cast<std::size_t>(rec.size);
            p_ = content;
        }
        else
        {
            out = {content, static_cast<std::size_t>(rec.size)};
            p_ = content + rec.size;
        }
        return true;
    }

    bool string(std::string_view& out) noexcept
    {
        if (peek_is('"'))
            return quoted(out);
        if (at_literal())
            return literal(out);
        return fail("expected a string");
    }

    bool nstring(std::string_view& out, bool* nil = nullptr) noexcept
    {
        if (at_nil())
        {
            p_ += 3;
            out = {};
            if (nil != nullptr)
                *nil = true;
            return true;
        }
        if (nil != nullptr)
            *nil = false;
        return string(out);
    }

    bool astring(std::string_view& out) noexcept
    {
        if (peek_is('"') || at_literal())
            return string(out);
        // ASTRING-CHAR includes ']' (resp-specials).
        const char* start = p_;
        while (p_ < end_ && (atom_table[static_cast<unsigned char>(*p_)] || *p_ == ']'))
            ++p_;
        if (p_ == start)
            return fail("expected an astring");
        out = {start, static_cast<std::size_t>(p_ - start)};
        return true;
    }

    // Any value: used for unknown FETCH items and extension data.
    bool skip_value() noexcept
    {
        std::string_view ignored;
        if (peek_is('('))
        {
            if (!open())
                return false;
            while (!peek_is(')'))
            {
                if (!skip_value())
                    return false;
                if (!peek_is(')') && !sp())
                    return false;
            }
            return close();
        }
        if (peek_is('"') || at_literal())
        {
            bool streamed = false;
            return peek_is('"') ? quoted(ignored) : literal(ignored, &streamed);
        }
        const char* start = p_;
        while (p_ < end_ && *p_ != ' ' && *p_ != '(' && *p_ != ')' && *p_ != '"' &&
               static_cast<unsigned char>(*p_) >= 0x20)
            ++p_;
        return p_ != start || fail("expected a value");
    }

    // `(a b c)` of flags or attributes; `()` allowed.
    bool flag_list(std::vector<std::string_view>& out) noexcept
    {
        if (!open())
            return false;
        while (!peek_is(')'))
        {
            std::string_view f;
            if (!atom(f))
                return false;
            out.push_back(f);
            if (!peek_is(')') && !sp())
                return false;
        }
        return close();
    }

    // Space-separated atoms to the end (CAPABILITY, ENABLED); tolerates a trailing space.
    bool atoms_to_end(std::vector<std::string_view>& out) noexcept
    {
        while (skip(' '))
        {
            if (at_end())
                break;
            std::string_view a;
            if (!atom(a))
                return false;
            out.push_back(a);
        }
        return true;
    }

    void decode_mailbox_name(std::string_view raw, std::string_view& name, bool& decoded)
    {
        decoded = true;
        name = raw;
        if (utf8_mode_ || raw.find('&') == std::string_view::npos)
            return;
        scratch_.clear();
        if (decode_modified_utf7(raw, scratch_))
            decoded = false;
        else
            name = scratch_;
    }

    bool resp_text(status_response& st);
    bool response_code_arguments(response_code& code);
    bool fetch(fetch_data& f);
    bool section(fetch_data& f, bool binary, bool size_only);
    bool envelope(fetch_data& f, imap::envelope& env);
    bool address_list(fetch_data& f, index_range& r);
    bool body(fetch_data& f, std::uint32_t parent, std::uint32_t index_in_parent);
    bool body_params(fetch_data& f, index_range& r);
    bool body_extensions(fetch_data& f, std::uint32_t node, bool multipart);
    bool list(response& out);
    bool status(response& out);
    bool search(response& out);
    bool esearch(response& out);
    bool vanished(response& out);

    char* base_;
    char* p_;
    char* end_;
    std::span<const detail::literal_record> literals_;
    std::size_t next_literal_ = 0;
    std::size_t depth_ = 0;
    std::size_t max_depth_;
    std::size_t adjust_ = 0;  // octets of streamed literals before p_, for error offsets
    bool utf8_mode_;
    std::string& scratch_;
    const char* what_ = nullptr;
    boost::system::error_code ec_;
    std::size_t offset_ = 0;
};

bool decoder::parse(response& out)
{
    out.clear();
    out.raw = {base_, static_cast<std::size_t>(end_ - base_)};
    if (skip('+'))
    {
        out.kind = response_kind::continuation;
        skip(' ');
        return resp_text(out.status) && (at_end() || fail("trailing data"));
    }
    if (skip('*'))
    {
        if (!sp())
            return false;
        if (peek() >= '0' && peek() <= '9')
        {
            std::uint32_t n = 0;
            std::string_view word;
            if (!number32(n) || !sp() || !keyword(word))
                return false;
            out.kind = response_kind::data;
            out.name = word;
            out.number = n;
            if (iequals(word, "EXISTS"))
                out.data = data_kind::exists;
            else if (iequals(word, "RECENT"))
                out.data = data_kind::recent;
            else if (iequals(word, "EXPUNGE"))
                out.data = data_kind::expunge;
            else if (iequals(word, "FETCH"))
            {
                out.data = data_kind::fetch;
                out.fetch.sequence = n;
                if (!sp() || !fetch(out.fetch))
                    return false;
            }
            else
            {
                out.data = data_kind::other;
                return true;
            }
            skip(' ');  // some servers leave a trailing space
            return at_end() || fail("trailing data");
        }
        std::string_view word;
        if (!keyword(word))
            return false;
        if (is_status_word(word, true))
        {
            out.kind = response_kind::untagged_status;
            auto& c = out.status.condition;
            c = iequals(word, "OK")    ? status_condition::ok
                : iequals(word, "NO")  ? status_condition::no
                : iequals(word, "BAD") ? status_condition::bad
                : iequals(word, "BYE") ? status_condition::bye
                                       : status_condition::preauth;
            if (at_end())
                return true;
            return sp() && resp_text(out.status);
        }
        out.kind = response_kind::data;
        out.name = word;
        bool ok = true;
        if (iequals(word, "CAPABILITY"))
        {
            out.data = data_kind::capability;
            ok = atoms_to_end(out.atoms);
        }
        else if (iequals(word, "ENABLED"))
        {
            out.data = data_kind::enabled;
            ok = atoms_to_end(out.atoms);
        }
        else if (iequals(word, "FLAGS"))
        {
            out.data = data_kind::flags;
            ok = sp() && flag_list(out.atoms);
        }
        else if (iequals(word, "LIST") || iequals(word, "LSUB"))
        {
            out.data = iequals(word, "LIST") ? data_kind::list : data_kind::lsub;
            ok = list(out);
        }
        else if (iequals(word, "STATUS"))
        {
            out.data = data_kind::status;
            ok = status(out);
        }
        else if (iequals(word, "SEARCH"))
        {
            out.data = data_kind::search;
            ok = search(out);
        }
        else if (iequals(word, "ESEARCH"))
        {
            out.data = data_kind::esearch;
            ok = esearch(out);
        }
        else if (iequals(word, "VANISHED"))
        {
            out.data = data_kind::vanished;
            ok = vanished(out);
        }
        else
        {
            out.data = data_kind::other;
            return true;
        }
        if (!ok)
            return false;
        skip(' ');
        return at_end() || fail("trailing data");
    }
    // Tagged: tag SP (OK / NO / BAD) [SP resp-text].
    const char* tag_start = p_;
    while (p_ < end_ && *p_ != ' ' && atom_table[static_cast<unsigned char>(*p_)] && *p_ != '+')
        ++p_;
    if (p_ == tag_start)
        return fail("expected a tag, '*' or '+'");
    out.kind = response_kind::tagged;
    out.tag = {tag_start, static_cast<std::size_t>(p_ - tag_start)};
    std::string_view word;
    if (!sp() || !keyword(word))
        return false;
    if (!is_status_word(word, false))
        return fail("tagged response is not OK, NO or BAD");
    out.status.condition = iequals(word, "OK")   ? status_condition::ok
                           : iequals(word, "NO") ? status_condition::no
                                                 : status_condition::bad;
    if (at_end())
        return true;
    return sp() && resp_text(out.status);
}

bool decoder::resp_text(status_response& st)
{
    if (skip('['))
    {
        auto& code = st.code;
        const char* name_start = p_;
        while (p_ < end_ && *p_ != ']' && *p_ != ' ' && static_cast<unsigned char>(*p_) > 0x20)
            ++p_;
        if (p_ == name_start)
            return fail("empty response code");
        code.name = {name_start, static_cast<std::size_t>(p_ - name_start)};
        code.kind = response_code_kind::other;
        for (const auto& n : code_names)
        {
            if (iequals(code.name, n.name))
                code.kind = n.kind;
        }
        if (skip(' '))
        {
            char* const args = p_;
            char* const close = static_cast<char*>(std::memchr(p_, ']', static_cast<std::size_t>(end_ - p_)));
            if (close == nullptr)
                return fail("unterminated response code");
            code.arguments = {args, static_cast<std::size_t>(close - args)};
            // Decode the arguments of known codes in a sub-range; a code whose arguments do not
            // parse is kept as `other` rather than failing the whole response.
            char* const saved_end = end_;
            const std::size_t saved_depth = depth_;
            end_ = close;
            if (!response_code_arguments(code) || !at_end())
            {
                what_ = nullptr;
                ec_ = {};
                const auto name = code.name;
                code.clear();
                code.kind = response_code_kind::other;
                code.name = name;
                code.arguments = {args, static_cast<std::size_t>(close - args)};
            }
            end_ = saved_end;
            depth_ = saved_depth;
            p_ = close;
        }
        if (!expect(']', "expected ']' after the response code"))
            return false;
        skip(' ');
    }
    st.text = {p_, static_cast<std::size_t>(end_ - p_)};
    p_ = end_;
    return true;
}

bool decoder::response_code_arguments(response_code& code)
{
    switch (code.kind)
    {
    case response_code_kind::uidnext:
    case response_code_kind::uidvalidity:
    case response_code_kind::unseen:
    case response_code_kind::highestmodseq: return number64(code.number);
    case response_code_kind::capability:
    case response_code_kind::badcharset:
        p_ = p_ - 1;  // atoms_to_end expects the leading space
        return atoms_to_end(code.atoms);
    case response_code_kind::permanentflags: return flag_list(code.atoms);
    case response_code_kind::appenduid:
        return number32(code.uidvalidity) && sp() && atom(code.uids);
    case response_code_kind::copyuid:
        return number32(code.uidvalidity) && sp() && atom(code.source_uids) && sp() && atom(code.uids);
    case response_code_kind::modified: return atom(code.uids);
    default: p_ = end_; return true;
    }
}

bool decoder::fetch(fetch_data& f)
{
    if (!open())
        return false;
    while (!peek_is(')'))
    {
        std::string_view item;
        if (!keyword(item))
            return false;
        bool ok = false;
        if (iequals(item, "UID"))
        {
            f.present |= static_cast<std::uint32_t>(fetch_item::uid);
            ok = sp() && number32(f.uid);
        }
        else if (iequals(item, "FLAGS"))
        {
            f.present |= static_cast<std::uint32_t>(fetch_item::flags);
            ok = sp() && flag_list(f.flags);
        }
        else if (iequals(item, "INTERNALDATE"))
        {
            f.present |= static_cast<std::uint32_t>(fetch_item::internal_date);
            std::string_view s;
            ok = sp() && string(s) && (parse_date_time(s, f.internal_date) || fail("invalid INTERNALDATE"));
        }
        else if (iequals(item, "RFC822.SIZE"))
        {
            f.present |= static_cast<std::uint32_t>(fetch_item::rfc822_size);
            ok = sp() && number64(f.rfc822_size);
        }
        else if (iequals(item, "MODSEQ"))
        {
            f.present |= static_cast<std::uint32_t>(fetch_item::modseq);
            ok = sp() && open() && number64(f.modseq) && close();
        }
        else if (iequals(item, "ENVELOPE"))
        {
            f.present |= static_cast<std::uint32_t>(fetch_item::envelope);
            ok = sp() && envelope(f, f.envelope);
        }
        else if (iequals(item, "BODYSTRUCTURE") || (iequals(item, "BODY") && !peek_is('[')))
        {
            f.present |= static_cast<std::uint32_t>(fetch_item::body_structure);
            f.body_structure.clear();
            ok = sp() && body(f, body_part::npos, 1);
        }
        else if (iequals(item, "BODY"))
        {
            ok = section(f, false, false);
        }
        else if (iequals(item, "BINARY"))
        {
            ok = section(f, true, false);
        }
        else if (iequals(item, "BINARY.SIZE"))
        {
            ok = section(f, true, true);
        }
        else if (iequals(item, "RFC822") || iequals(item, "RFC822.HEADER") || iequals(item, "RFC822.TEXT"))
        {
            f.present |= static_cast<std::uint32_t>(fetch_item::sections);
            body_section s;
            s.section = item.size() > 6 ? item.substr(7) : std::string_view{};
            ok = sp() && nstring(s.data, &s.nil);
            s.size = s.data.size();
            f.sections.push_back(s);
        }
        else
        {
            // Unknown item (X-GM-LABELS, EMAILID, SAVEDATE, ...): a section and origin, then a value.
            if (skip('['))
            {
                while (p_ < end_ && *p_ != ']')
                    ++p_;
                if (!expect(']', "expected ']'"))
                    return false;
            }
            if (skip('<'))
            {
                std::uint64_t ignored = 0;
                if (!number64(ignored) || !expect('>', "expected '>'"))
                    return false;
            }
            ok = sp() && skip_value();
        }
        if (!ok)
            return false;
        if (!peek_is(')') && !sp())
            return false;
    }
    return close();
}

bool decoder::section(fetch_data& f, bool binary, bool size_only)
{
    if (!expect('[', "expected '['"))
        return false;
    char* const start = p_;
    char* const close = static_cast<char*>(std::memchr(p_, ']', static_cast<std::size_t>(end_ - p_)));
    if (close == nullptr)
        return fail("unterminated section");
    p_ = close + 1;
    const std::string_view spec{start, static_cast<std::size_t>(close - start)};
    if (size_only)
    {
        f.present |= static_cast<std::uint32_t>(fetch_item::binary_size);
        binary_size b;
        b.section = spec;
        if (!sp() || !number64(b.size))
            return false;
        f.binary_sizes.push_back(b);
        return true;
    }
    f.present |= static_cast<std::uint32_t>(fetch_item::sections);
    body_section s;
    s.binary = binary;
    s.section = spec;
    if (skip('<'))
    {
        s.partial = true;
        if (!number64(s.origin) || !expect('>', "expected '>'"))
            return false;
    }
    if (!sp())
        return false;
    if (at_literal())
    {
        if (!literal(s.data, &s.streamed, &s.size))
            return false;
    }
    else
    {
        if (!nstring(s.data, &s.nil))
            return false;
        s.size = s.data.size();
    }
    f.sections.push_back(s);
    return true;
}

bool decoder::envelope(fetch_data& f, imap::envelope& env)
{
    return open() && nstring(env.date) && sp() && nstring(env.subject) && sp() && address_list(f, env.from) &&
           sp() && address_list(f, env.sender) && sp() && address_list(f, env.reply_to) && sp() &&
           address_list(f, env.to) && sp() && address_list(f, env.cc) && sp() && address_list(f, env.bcc) &&
           sp() && nstring(env.in_reply_to) && sp() && nstring(env.message_id) && close();
}

bool decoder::address_list(fetch_data& f, index_range& r)
{
    r.first = static_cast<std::uint32_t>(f.addresses.size());
    r.count = 0;
    if (at_nil())
    {
        p_ += 3;
        return true;
    }
    if (!open())
        return false;
    while (!peek_is(')'))
    {
        address a;
        bool host_nil = false;
        bool mailbox_nil = false;
        if (!open() || !nstring(a.name) || !sp() || !nstring(a.adl) || !sp() || !nstring(a.mailbox, &mailbox_nil) ||
            !sp() || !nstring(a.host, &host_nil) || !close())
            return false;
        if (host_nil)
            a.kind = mailbox_nil ? address_kind::group_end : address_kind::group_start;
        f.addresses.push_back(a);
        ++r.count;
        skip(' ');  // RFC 3501 has no space between addresses; some servers put one
    }
    return close();
}

bool decoder::body_params(fetch_data& f, index_range& r)
{
    r.first = static_cast<std::uint32_t>(f.params.size());
    r.count = 0;
    if (at_nil())
    {
        p_ += 3;
        return true;
    }
    if (!open())
        return false;
    while (!peek_is(')'))
    {
        body_param bp;
        if (!string(bp.name) || !sp() || !nstring(bp.value))
            return false;
        f.params.push_back(bp);
        ++r.count;
        if (!peek_is(')') && !sp())
            return false;
    }
    return close();
}

// [SP md5] SP dsp [SP lang [SP loc *(SP ext)]]; multiparts have no md5. Each piece is optional.
bool decoder::body_extensions(fetch_data& f, std::uint32_t node, bool multipart)
{
    std::string_view md5;
    std::string_view disposition;
    index_range disposition_params;
    index_range languages;
    std::string_view location;
    if (!multipart)
    {
        if (!skip(' '))
            return true;
        if (!nstring(md5))
            return false;
    }
    if (skip(' '))
    {
        if (at_nil())
        {
            p_ += 3;
        }
        else if (peek_is('('))
        {
            if (!open() || !string(disposition) || !sp() || !body_params(f, disposition_params) || !close())
                return false;
        }
        else if (!string(disposition))  // tolerated: a bare disposition type
        {
            return false;
        }
        if (skip(' '))
        {
            languages.first = static_cast<std::uint32_t>(f.languages.size());
            if (peek_is('('))
            {
                if (!open())
                    return false;
                while (!peek_is(')'))
                {
                    std::string_view lang;
                    if (!string(lang))
                        return false;
                    f.languages.push_back(lang);
                    ++languages.count;
                    if (!peek_is(')') && !sp())
                        return false;
                }
                if (!close())
                    return false;
            }
            else
            {
                bool nil = false;
                std::string_view lang;
                if (!nstring(lang, &nil))
                    return false;
                if (!nil)
                {
                    f.languages.push_back(lang);
                    ++languages.count;
                }
            }
            if (skip(' '))
            {
                if (!nstring(location))
                    return false;
                while (skip(' '))
                {
                    if (!skip_value())
                        return false;
                }
            }
        }
    }
    auto& part = f.body_structure[node];
    part.md5 = md5;
    part.disposition = disposition;
    part.disposition_params = disposition_params;
    part.languages = languages;
    part.location = location;
    return true;
}

bool decoder::body(fetch_data& f, std::uint32_t parent, std::uint32_t index_in_parent)
{
    if (!open())
        return false;
    const auto node = static_cast<std::uint32_t>(f.body_structure.size());
    {
        auto& part = f.body_structure.emplace_back();
        part.parent = parent;
        part.index_in_parent = index_in_parent;
    }
    if (peek_is('('))
    {
        std::uint32_t children = 0;
        while (peek_is('('))
        {
            if (!body(f, node, children + 1))
                return false;
            ++children;
            if (p_ + 1 < end_ && p_[0] == ' ' && p_[1] == '(')
                ++p_;  // tolerated: a space between parts
        }
        std::string_view subtype;
        index_range params;
        if (!sp() || !nstring(subtype))
            return false;
        if (skip(' '))
        {
            if (!body_params(f, params) || !body_extensions(f, node, true))
                return false;
        }
        auto& part = f.body_structure[node];
        part.multipart = true;
        part.type = "MULTIPART";
        part.subtype = subtype;
        part.params = params;
        part.child_count = children;
    }
    else
    {
        body_part fields;
        if (!nstring(fields.type) || !sp() || !nstring(fields.subtype) || !sp() || !body_params(f, fields.params) ||
            !sp() || !nstring(fields.id) || !sp() || !nstring(fields.description) || !sp() ||
            !nstring(fields.encoding) || !sp() || !number64(fields.size))
            return false;
        const bool message = iequals(fields.type, "MESSAGE") &&
                             (iequals(fields.subtype, "RFC822") || iequals(fields.subtype, "GLOBAL"));
        if (message && p_ + 1 < end_ && p_[0] == ' ' && p_[1] == '(')
        {
            ++p_;
            imap::envelope env;
            if (!envelope(f, env) || !sp())
                return false;
            fields.envelope = static_cast<std::uint32_t>(f.envelopes.size());
            f.envelopes.push_back(env);
            if (!body(f, node, 1))
                return false;
            fields.child_count = 1;
            if (!sp() || !number64(fields.lines))
                return false;
        }
        else if (iequals(fields.type, "TEXT") && p_ + 1 < end_ && p_[0] == ' ' && p_[1] >= '0' && p_[1] <= '9')
        {
            ++p_;
            if (!number64(fields.lines))
                return false;
        }
        auto& part = f.body_structure[node];
        fields.parent = part.parent;
        fields.index_in_parent = part.index_in_parent;
        part = fields;
        if (!body_extensions(f, node, false))
            return false;
    }
    if (!close())
        return false;
    f.body_structure[node].subtree_size = static_cast<std::uint32_t>(f.body_structure.size()) - node;
    return true;
}

bool decoder::list(response& out)
{
    auto& l = out.list;
    if (!sp() || !flag_list(l.attributes) || !sp())
        return false;
    for (auto a : l.attributes)
    {
        for (const auto& n : attribute_names)
        {
            if (iequals(a, n.name))
                l.attribute_bits |= static_cast<std::uint32_t>(n.bit);
        }
    }
    if (at_nil())
    {
        p_ += 3;
        l.delimiter = 0;
    }
    else
    {
        std::string_view d;
        if (!peek_is('"') || !quoted(d))
            return fail("expected a quoted delimiter or NIL");
        if (d.size() != 1)
            return fail("delimiter is not one character");
        l.delimiter = d[0];
    }
    if (!sp() || !astring(l.raw_name))
        return false;
    decode_mailbox_name(l.raw_name, l.name, l.name_decoded);
    // LIST-EXTENDED data (CHILDINFO, OLDNAME) is skipped.
    if (skip(' '))
        return skip_value();
    return true;
}

bool decoder::status(response& out)
{
    auto& s = out.status_data;
    std::string_view raw;
    bool decoded = true;
    if (!sp() || !astring(raw))
        return false;
    decode_mailbox_name(raw, s.name, decoded);
    if (!sp() || !open())
        return false;
    while (!peek_is(')'))
    {
        std::string_view name;
        std::uint64_t value = 0;
        if (!keyword(name) || !sp() || !number64(value))
            return false;
        const auto v32 = static_cast<std::uint32_t>(std::min<std::uint64_t>(value, UINT32_MAX));
        if (iequals(name, "MESSAGES"))
        {
            s.messages = v32;
            s.present |= static_cast<std::uint32_t>(status_item::messages);
        }
        else if (iequals(name, "RECENT"))
        {
            s.recent = v32;
            s.present |= static_cast<std::uint32_t>(status_item::recent);
        }
        else if (iequals(name, "UIDNEXT"))
        {
            s.uidnext = v32;
            s.present |= static_cast<std::uint32_t>(status_item::uidnext);
        }
        else if (iequals(name, "UIDVALIDITY"))
        {
            s.uidvalidity = v32;
            s.present |= static_cast<std::uint32_t>(status_item::uidvalidity);
        }
        else if (iequals(name, "UNSEEN"))
        {
            s.unseen = v32;
            s.present |= static_cast<std::uint32_t>(status_item::unseen);
        }
        else if (iequals(name, "HIGHESTMODSEQ"))
        {
            s.highestmodseq = value;
            s.present |= static_cast<std::uint32_t>(status_item::highestmodseq);
        }
        else if (iequals(name, "SIZE"))
        {
            s.size = value;
            s.present |= static_cast<std::uint32_t>(status_item::size);
        }
        if (!peek_is(')') && !sp())
            return false;
    }
    return close();
}

bool decoder::search(response& out)
{
    while (skip(' '))
    {
        if (at_end())
            break;
        if (peek_is('('))
        {
            std::string_view word;
            if (!open() || !keyword(word) || !iequals(word, "MODSEQ") || !sp() || !number64(out.search.modseq) ||
                !close())
                return fail("invalid SEARCH modifier");
            continue;
        }
        std::uint32_t n = 0;
        if (!number32(n))
            return false;
        out.search.numbers.push_back(n);
    }
    return true;
}

bool decoder::esearch(response& out)
{
    auto& e = out.esearch;
    if (p_ + 1 < end_ && p_[0] == ' ' && p_[1] == '(')
    {
        std::string_view word;
        ++p_;
        if (!open() || !keyword(word) || !iequals(word, "TAG") || !sp() || !string(e.tag) || !close())
            return fail("invalid ESEARCH correlator");
    }
    while (skip(' '))
    {
        if (at_end())
            break;
        std::string_view name;
        if (!keyword(name))
            return false;
        if (iequals(name, "UID"))
        {
            e.uid = true;
            continue;
        }
        if (!sp())
            return false;
        bool ok = true;
        if (iequals(name, "MIN"))
            ok = number32(e.min);
        else if (iequals(name, "MAX"))
            ok = number32(e.max);
        else if (iequals(name, "COUNT"))
        {
            ok = number32(e.count);
            e.has_count = true;
        }
        else if (iequals(name, "ALL"))
            ok = atom(e.all);
        else if (iequals(name, "MODSEQ"))
            ok = number64(e.modseq);
        else
            ok = skip_value();
        if (!ok)
            return false;
    }
    return true;
}

bool decoder::vanished(response& out)
{
    if (!sp())
        return false;
    if (peek_is('('))
    {
        std::string_view word;
        if (!open() || !keyword(word) || !iequals(word, "EARLIER") || !close() || !sp())
            return fail("invalid VANISHED modifier");
        out.vanished.earlier = true;
    }
    std::string_view set;
    if (!atom(set))
        return false;
    if (sequence_set::parse(set, out.vanished.uids))
    {
        p_ -= set.size();
        return fail("invalid sequence set");
    }
    return true;
}

}  // namespace

response_parser::response_parser(const response_parser_options& options) : options_(options) {}

void response_parser::reset() noexcept
{
    buf_.clear();
    start_ = scan_ = line_start_ = end_ = 0;
    literal_left_ = 0;
    streaming_ = false;
    first_line_ = true;
    text_response_ = false;
    literals_.clear();
    error_ = {};
    error_message_.clear();
    error_offset_ = 0;
}

void response_parser::feed(std::string_view bytes)
{
    if (error_)
        return;  // nothing more will be parsed: do not let the buffer grow
    if (start_ > 0)
    {
        // Drop the responses already returned; the one being framed moves to the front.
        buf_.erase(0, start_);
        scan_ -= start_;
        line_start_ -= start_;
        start_ = 0;
    }
    buf_.append(bytes);
}

bool response_parser::fail(boost::system::error_code ec, std::size_t offset, const char* what,
                           boost::system::error_code& out_ec, diagnostics& diag)
{
    error_ = ec;
    error_offset_ = offset;
    error_message_ = "IMAP response: ";
    error_message_ += what;
    error_message_ += " at offset ";
    error_message_ += std::to_string(offset);
    if (streaming_ && sink_ != nullptr)
    {
        streaming_ = false;
        sink_->on_literal_end();
    }
    out_ec = ec;
    diag.set_client_message(error_message_);
    diag.set_position({offset, 0, 0});
    return false;
}

bool response_parser::announce_literal(std::size_t line_end, boost::system::error_code& ec, diagnostics& diag)
{
    const char* data = buf_.data();
    if (line_end == line_start_ || data[line_end - 1] != '}')
        return true;
    std::size_t i = line_end - 1;
    if (i > line_start_ && data[i - 1] == '+')
        --i;
    const std::size_t digits_end = i;
    while (i > line_start_ && data[i - 1] >= '0' && data[i - 1] <= '9')
        --i;
    if (i == digits_end || i == line_start_ || data[i - 1] != '{')
        return true;  // not an announcement; decoding will judge the line
    const std::size_t brace = i - 1;
    const bool binary = brace > line_start_ && data[brace - 1] == '~';
    std::uint64_t size = 0;
    for (std::size_t k = i; k < digits_end; ++k)
    {
        size = size * 10 + static_cast<std::uint64_t>(data[k] - '0');
        // Checked digit by digit: `{99999999999999999999999}` must neither overflow nor pass.
        if (size > options_.max_literal_size)
            return fail(imap::errc::literal_too_large, brace - start_, "literal larger than the limit", ec, diag);
    }
    detail::literal_record rec;
    rec.announce = (binary ? brace - 1 : brace) - start_;
    rec.content = scan_ - start_;
    rec.size = size;
    rec.streamed = sink_ != nullptr && size > 0 && size >= options_.stream_threshold;
    if (!rec.streamed && (scan_ - start_) + size > options_.max_response_size)
        return fail(mss::errc::limit_exceeded, brace - start_, "response larger than the limit", ec, diag);
    literals_.push_back(rec);
    literal_left_ = size;
    line_start_ = scan_;
    if (rec.streamed)
    {
        literal_info info;
        info.size = size;
        info.binary = binary;
        info.context = {data + start_, brace - start_};
        // `* n FETCH`: the sequence number.
        std::string_view first{data + start_, scan_ - start_};
        if (first.size() > 2 && first[0] == '*' && first[1] == ' ')
        {
            std::uint32_t seq = 0;
            std::size_t k = 2;
            while (k < first.size() && first[k] >= '0' && first[k] <= '9' && seq < UINT32_MAX / 10)
                seq = seq * 10 + static_cast<std::uint32_t>(first[k++] - '0');
            info.sequence = seq;
        }
        // The item name before ` {n}`: an atom, possibly with `[section]` and `<origin>`.
        std::size_t item_end = binary ? brace - 1 : brace;
        if (item_end > start_ && data[item_end - 1] == ' ')
            --item_end;
        std::size_t k = item_end;
        if (k > start_ && data[k - 1] == '>')
        {
            while (k > start_ && data[k - 1] != '<')
                --k;
            if (k > start_)
                --k;
        }
        if (k > start_ && data[k - 1] == ']')
        {
            while (k > start_ && data[k - 1] != '[')
                --k;
            if (k > start_)
                --k;
        }
        while (k > start_ && data[k - 1] != ' ' && data[k - 1] != '(')
            --k;
        info.item = {data + k, item_end - k};
        streaming_ = true;
        sink_->on_literal_begin(info);
    }
    return true;
}

bool response_parser::frame(boost::system::error_code& ec, diagnostics& diag)
{
    for (;;)
    {
        if (literal_left_ > 0)
        {
            const std::size_t avail = buf_.size() - scan_;
            if (avail == 0)
                return false;
            const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(avail, literal_left_));
            if (streaming_)
            {
                sink_->on_literal_data({buf_.data() + scan_, take});
                buf_.erase(scan_, take);  // usually the tail of the buffer: a truncation
            }
            else
            {
                scan_ += take;
            }
            literal_left_ -= take;
            if (literal_left_ > 0)
                return false;
            if (streaming_)
            {
                streaming_ = false;
                sink_->on_literal_end();
            }
            line_start_ = scan_;
            continue;
        }
        const char* data = buf_.data();
        const void* lf = std::memchr(data + scan_, '\n', buf_.size() - scan_);
        if (lf == nullptr)
        {
            scan_ = buf_.size();
            // +1: the CR of a CRLF split across two reads is not part of the line.
            if (scan_ - line_start_ > options_.max_line_length + 1)
                return fail(mss::errc::limit_exceeded, scan_ - start_, "line longer than the limit", ec, diag);
            if (scan_ - start_ > options_.max_response_size)
                return fail(mss::errc::limit_exceeded, scan_ - start_, "response larger than the limit", ec, diag);
            return false;
        }
        const auto pos = static_cast<std::size_t>(static_cast<const char*>(lf) - data);
        std::size_t line_end = pos;
        if (line_end > line_start_ && data[line_end - 1] == '\r')
            --line_end;
        else if (!options_.allow_bare_lf)
            return fail(mss::errc::malformed_response, pos - start_, "line ends with a bare LF", ec, diag);
        if (line_end - line_start_ > options_.max_line_length)
            return fail(mss::errc::limit_exceeded, line_end - start_, "line longer than the limit", ec, diag);
        scan_ = pos + 1;
        if (scan_ - start_ > options_.max_response_size)
            return fail(mss::errc::limit_exceeded, scan_ - start_, "response larger than the limit", ec, diag);
        if (first_line_)
        {
            first_line_ = false;
            text_response_ = is_text_line({data + line_start_, line_end - line_start_});
        }
        if (!text_response_)
        {
            const std::size_t before = literals_.size();
            if (!announce_literal(line_end, ec, diag))
                return false;
            if (literals_.size() != before)
                continue;
        }
        end_ = line_end;
        return true;
    }
}

bool response_parser::next(response& out, boost::system::error_code& ec, diagnostics& diag)
{
    ec = {};
    if (error_)
    {
        ec = error_;
        diag.set_client_message(error_message_);
        diag.set_position({error_offset_, 0, 0});
        return false;
    }
    if (!frame(ec, diag))
        return false;
    decoder d(buf_.data() + start_, end_ - start_, literals_, options_.max_depth, utf8_mode_, scratch_);
    const bool ok = d.parse(out);
    start_ = scan_;
    line_start_ = scan_;
    first_line_ = true;
    literals_.clear();
    if (!ok)
        return fail(d.error(), d.offset(), d.what(), ec, diag);
    return true;
}

}  // namespace mss::imap
