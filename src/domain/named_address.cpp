// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/named_address.hpp>

#include "detail/text.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace mss::domain {
namespace {

using mss::detail::find_forbidden_character;
using mss::detail::find_invalid_utf8;

/** Why a parse failed: the code, the offset in the input, and an English message. */
struct failure
{
    errc code{};
    std::size_t offset = 0;
    std::string message;
};

bool fail(failure& f, errc code, std::size_t offset, std::string message)
{
    f.code = code;
    f.offset = offset;
    f.message = std::move(message);
    return false;
}

/** A piece of the input and its offset in the whole text. */
struct span
{
    std::string_view text;
    std::size_t offset = 0;
};

/** Removes the spaces at both ends. (Tabs never get here: they are control characters.) */
span trim(span s) noexcept
{
    const std::size_t first = s.text.find_first_not_of(' ');
    if (first == std::string_view::npos)
        return {s.text.substr(s.text.size()), s.offset + s.text.size()};
    const std::size_t last = s.text.find_last_not_of(' ');
    return {s.text.substr(first, last - first + 1), s.offset + first};
}

/** RFC 5322 `specials`: not allowed in a display name outside quotes (the dot is, as in
 *  `Dr. Martin`, which RFC 5322 `obs-phrase` accepts and every mailer writes). */
bool is_special(char c) noexcept
{
    return std::string_view("()<>[]:;@\\,\"").find(c) != std::string_view::npos;
}

/** Turns a display name in header syntax (words and quoted strings) into plain text. */
bool decode_display_name(span phrase, std::string& out, failure& f)
{
    if (const auto bad = find_invalid_utf8(phrase.text); bad != std::string_view::npos)
        return fail(f, errc::address_bad_display_name, phrase.offset + bad,
                    "the display name is not well-formed UTF-8");
    const std::string_view s = phrase.text;
    out.clear();
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size())
    {
        const char c = s[i];
        if (c == '"')
        {
            const std::size_t open = i;
            bool closed = false;
            ++i;
            while (i < s.size())
            {
                if (s[i] == '\\')
                {
                    if (i + 1 >= s.size())
                        break;
                    out += s[i + 1];
                    i += 2;
                }
                else if (s[i] == '"')
                {
                    closed = true;
                    ++i;
                    break;
                }
                else
                    out += s[i++];
            }
            if (!closed)
                return fail(f, errc::address_bad_display_name, phrase.offset + open,
                            "a quote in the display name is not closed");
        }
        else if (is_special(c))
        {
            return fail(f, errc::address_bad_display_name, phrase.offset + i,
                        "the display name has a special character (such as , ; : @ < > ( ) [ ] \\) outside "
                        "quotes: quote the display name");
        }
        else
            out += s[i++];
    }
    return true;
}

/** Parses the address part; offsets of its errors are moved to the whole text's frame. */
bool parse_address(span text, boost::system::result<email_address>& out, failure& f)
{
    diagnostics inner;
    out = email_address::parse(text.text, inner);
    if (out)
        return true;
    f.code = static_cast<errc>(out.error().value());
    f.offset = text.offset + (inner.position() ? inner.position()->offset : 0);
    f.message = inner.client_message();
    return false;
}

/** Position of the first `<` outside a quoted string; npos when none. `open_quote` is set to the
 *  position of a quote that is never closed. */
std::size_t find_angle(std::string_view s, std::size_t& open_quote) noexcept
{
    bool quoted = false;
    open_quote = std::string_view::npos;
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        const char c = s[i];
        if (quoted)
        {
            if (c == '\\')
                ++i;
            else if (c == '"')
                quoted = false;
        }
        else if (c == '"')
        {
            quoted = true;
            open_quote = i;
        }
        else if (c == '<')
            return i;
    }
    if (!quoted)
        open_quote = std::string_view::npos;
    return std::string_view::npos;
}

bool parse_named(std::string_view input, std::string& name, boost::system::result<email_address>& address,
                 failure& f)
{
    if (const auto bad = find_forbidden_character(input); bad != std::string_view::npos)
        return fail(f, errc::address_forbidden_character, bad,
                    "the address or display name contains a control character (CR, LF, NUL, ...), refused "
                    "to prevent header injection");
    const span whole = trim({input, 0});
    if (whole.text.empty())
        return fail(f, errc::address_empty, input.size(), "the address is empty");

    const std::string_view s = whole.text;
    std::size_t open_quote = 0;
    const std::size_t lt = find_angle(s, open_quote);
    if (lt == std::string_view::npos)
    {
        const bool looks_named = s.back() == '>' || s.find('<') != std::string_view::npos;
        if (open_quote != std::string_view::npos && looks_named)
            return fail(f, errc::address_bad_display_name, whole.offset + open_quote,
                        "a quote in the display name is not closed");
        if (s.back() == '>')
            return fail(f, errc::address_bad_display_name, whole.offset + s.size() - 1,
                        "the address ends with '>' but has no '<'");
        name.clear();
        return parse_address(whole, address, f);
    }

    if (s.back() != '>')
        return fail(f, errc::address_bad_display_name, whole.offset + s.size(),
                    "the '<' before the address has no matching '>' at the end");
    if (!decode_display_name(trim({s.substr(0, lt), whole.offset}), name, f))
        return false;
    return parse_address(trim({s.substr(lt + 1, s.size() - lt - 2), whole.offset + lt + 1}), address, f);
}

}  // namespace

named_address::named_address(std::string display_name, email_address address)
    : display_name_(std::move(display_name)), address_(std::move(address))
{
}

boost::system::result<named_address> named_address::parse(std::string_view text)
{
    std::string name;
    boost::system::result<email_address> address = make_error_code(errc::address_empty);
    failure f;
    if (!parse_named(text, name, address, f))
        return make_error_code(f.code);
    return named_address(std::move(name), std::move(*address));
}

boost::system::result<named_address> named_address::parse(std::string_view text, diagnostics& diag)
{
    diag.clear();
    std::string name;
    boost::system::result<email_address> address = make_error_code(errc::address_empty);
    failure f;
    if (!parse_named(text, name, address, f))
    {
        diag.set_client_message(std::move(f.message));
        diag.set_position({f.offset, 0, 0});
        return make_error_code(f.code);
    }
    return named_address(std::move(name), std::move(*address));
}

boost::system::result<named_address> named_address::make(std::string display_name, email_address address)
{
    if (find_forbidden_character(display_name) != std::string_view::npos)
        return make_error_code(errc::address_forbidden_character);
    if (find_invalid_utf8(display_name) != std::string_view::npos)
        return make_error_code(errc::address_bad_display_name);
    return named_address(std::move(display_name), std::move(address));
}

}  // namespace mss::domain
