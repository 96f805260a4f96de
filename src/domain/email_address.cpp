// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/email_address.hpp>

#include "detail/text.hpp"

#include <idn2.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace mss::domain {
namespace {

using mss::detail::find_forbidden_character;
using mss::detail::find_invalid_utf8;

// RFC 5321 §4.5.3.1: local part 64 octets, domain 255 octets as a DNS name on the wire, which is
// 253 octets in text form without the trailing dot; a path is 256 octets with its angle brackets,
// so the address itself is at most 254 octets.
constexpr std::size_t max_local_part = 64;
constexpr std::size_t max_label = 63;
constexpr std::size_t max_domain = 253;
constexpr std::size_t max_address = 254;
// A generous bound on the input, checked before any IDNA processing: a valid address with its
// domain in UTF-8 stays far below it (only U-labels typed in decomposed, non-NFC form grow much).
constexpr std::size_t max_input = 4096;

// Flags of every libidn2 conversion:
// - IDN2_NFC_INPUT: normalise the input to Unicode NFC first, so that "é" typed as "e" followed by
//   U+0301 COMBINING ACUTE ACCENT gives the same A-label as the precomposed U+00E9;
// - IDN2_NONTRANSITIONAL: UTS #46 non-transitional processing. Mappings such as upper to lower case
//   apply, but the IDNA2008 deviation characters (ß, ς, ZWJ, ZWNJ) are kept, as IDNA2008 and every
//   current registry want: the transitional mode would turn "straße.de" into "strasse.de", which
//   is another domain.
// IDN2_USE_STD3_ASCII_RULES is not needed: every resulting label is checked here to be LDH.
constexpr int idn2_flags = IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL;

/** Why a parse failed: the code, the offset in the input, and an English message. */
struct failure
{
    errc code{};
    std::size_t offset = 0;
    std::string message;
};

/** The validated parts an `email_address` is made from. */
struct parts
{
    std::string local_part;
    std::string domain;
    std::string domain_unicode;
};

bool fail(failure& f, errc code, std::size_t offset, std::string message)
{
    f.code = code;
    f.offset = offset;
    f.message = std::move(message);
    return false;
}

/** Frees the strings libidn2 allocates. */
struct idn2_deleter
{
    void operator()(char* p) const noexcept { idn2_free(p); }
};

using idn2_string = std::unique_ptr<char, idn2_deleter>;

bool is_ascii_text(std::string_view s) noexcept
{
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_alpha_digit(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/** RFC 5322 `atext`, ASCII part. */
bool is_atext(char c) noexcept
{
    return is_alpha_digit(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

char to_lower_ascii(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/** Validates a local part (dot-atom or quoted string); `base` is its offset in the input. */
bool check_local_part(std::string_view local, std::size_t base, failure& f)
{
    if (local.empty())
        return fail(f, errc::address_bad_local_part, base, "the local part (before '@') is empty");
    if (const auto bad = find_invalid_utf8(local); bad != std::string_view::npos)
        return fail(f, errc::address_bad_local_part, base + bad, "the local part is not well-formed UTF-8");

    if (local.front() == '"')
    {
        bool closed = false;
        std::size_t i = 1;
        while (i < local.size())
        {
            const char c = local[i];
            if (c == '\\')
            {
                if (i + 1 >= local.size())
                    return fail(f, errc::address_bad_local_part, base + i,
                                "the local part ends with a backslash inside its quoted string");
                const auto quoted = static_cast<unsigned char>(local[i + 1]);
                if (quoted < 0x20 || quoted > 0x7e)
                    return fail(f, errc::address_bad_local_part, base + i,
                                "a backslash in a quoted local part may only quote a printable ASCII "
                                "character");
                i += 2;
                continue;
            }
            if (c == '"')
            {
                if (i + 1 != local.size())
                    return fail(f, errc::address_bad_local_part, base + i + 1,
                                "text follows the closing quote of the local part");
                closed = true;
                break;
            }
            ++i;
        }
        if (!closed)
            return fail(f, errc::address_bad_local_part, base, "the quoted local part has no closing quote");
        if (local.size() == 2)
            return fail(f, errc::address_bad_local_part, base, "the quoted local part is empty");
    }
    else
    {
        for (std::size_t i = 0; i < local.size(); ++i)
        {
            const char c = local[i];
            if (c == '.')
            {
                if (i == 0)
                    return fail(f, errc::address_bad_local_part, base, "the local part starts with a dot");
                if (i + 1 == local.size())
                    return fail(f, errc::address_bad_local_part, base + i, "the local part ends with a dot");
                if (local[i - 1] == '.')
                    return fail(f, errc::address_bad_local_part, base + i,
                                "the local part has two consecutive dots");
            }
            else if (static_cast<unsigned char>(c) < 0x80 && !is_atext(c))
            {
                return fail(f, errc::address_bad_local_part, base + i,
                            "the local part has a character that is only allowed inside a quoted string");
            }
        }
    }

    if (local.size() > max_local_part)
        return fail(f, errc::address_too_long, base + max_local_part,
                    "the local part is longer than 64 octets");
    return true;
}

/** Text of a libidn2 error code, for messages. */
std::string idn2_reason(int rc)
{
    const char* text = idn2_strerror(rc);
    return text != nullptr ? std::string(text) : std::string("unknown libidn2 error");
}

/** Checks an A-label (`xn--...`, lowercase) with libidn2: it must decode, and the decoded U-label
 *  must encode back to the same A-label (which rejects bad Punycode, code points IDNA2008
 *  disallows, non-NFC forms, and labels that decode to plain ASCII). Gives the U-label. */
bool check_a_label(const std::string& label, std::size_t offset, std::string& unicode, failure& f)
{
    char* raw = nullptr;
    int rc = idn2_to_unicode_8z8z(label.c_str(), &raw, 0);
    idn2_string decoded(raw);
    if (rc != IDN2_OK || !decoded)
        return fail(f, errc::address_bad_domain, offset,
                    "a domain label starting with 'xn--' is not a valid A-label (" + idn2_reason(rc) + ")");
    raw = nullptr;
    rc = idn2_to_ascii_8z(decoded.get(), &raw, idn2_flags);
    idn2_string encoded(raw);
    if (rc != IDN2_OK || !encoded)
        return fail(f, errc::address_bad_domain, offset,
                    "a domain label starting with 'xn--' does not decode to a valid IDNA2008 label (" +
                        idn2_reason(rc) + ")");
    if (label != encoded.get())
        return fail(f, errc::address_bad_domain, offset,
                    "a domain label starting with 'xn--' is not the canonical A-label of what it decodes to");
    unicode = decoded.get();
    return true;
}

/** Validates a lowercase ASCII label. `exact` tells whether `label` is the input itself, so that
 *  offsets can point at the faulty character rather than at the label's start. */
bool check_ascii_label(const std::string& label, std::size_t offset, bool exact, std::string& unicode,
                       failure& f)
{
    if (label.size() > max_label)
        return fail(f, errc::address_bad_domain, exact ? offset + max_label : offset,
                    "a domain label is longer than 63 octets");
    for (std::size_t i = 0; i < label.size(); ++i)
    {
        if (!is_alpha_digit(label[i]) && label[i] != '-')
            return fail(f, errc::address_bad_domain, exact ? offset + i : offset,
                        "a domain label has a character other than a letter, a digit or a hyphen");
    }
    if (label.front() == '-')
        return fail(f, errc::address_bad_domain, offset, "a domain label starts with a hyphen");
    if (label.back() == '-')
        return fail(f, errc::address_bad_domain, exact ? offset + label.size() - 1 : offset,
                    "a domain label ends with a hyphen");
    if (label.starts_with("xn--"))
        return check_a_label(label, offset, unicode, f);
    unicode = label;
    return true;
}

/** Validates one label and gives its A-label (`ascii`) and U-label (`unicode`) forms. */
bool check_label(std::string_view raw, std::size_t offset, std::string& ascii, std::string& unicode,
                 failure& f)
{
    if (is_ascii_text(raw))
    {
        ascii.resize(raw.size());
        std::transform(raw.begin(), raw.end(), ascii.begin(), to_lower_ascii);
        return check_ascii_label(ascii, offset, true, unicode, f);
    }
    const std::string input(raw);
    char* out = nullptr;
    const int rc = idn2_to_ascii_8z(input.c_str(), &out, idn2_flags);
    idn2_string converted(out);
    if (rc != IDN2_OK || !converted)
        return fail(f, errc::address_bad_domain, offset,
                    "an internationalised domain label is not valid IDNA2008 (" + idn2_reason(rc) + ")");
    ascii = converted.get();
    if (ascii.find('.') != std::string::npos)
        return fail(f, errc::address_bad_domain, offset,
                    "an internationalised domain label holds a character that stands for a dot");
    return check_ascii_label(ascii, offset, false, unicode, f);
}

/** Validates the domain (after the '@'); `base` is its offset in the input. */
bool check_domain(std::string_view domain, std::size_t base, parts& out, failure& f)
{
    if (domain.empty())
        return fail(f, errc::address_bad_domain, base, "the domain (after '@') is empty");
    if (domain.front() == '[')
        return fail(f, errc::address_bad_domain, base,
                    "address literals such as [192.0.2.1] are not accepted: a domain name is required");
    if (const auto bad = find_invalid_utf8(domain); bad != std::string_view::npos)
        return fail(f, errc::address_bad_domain, base + bad, "the domain is not well-formed UTF-8");
    if (domain.back() == '.')
        return fail(f, errc::address_bad_domain, base + domain.size() - 1, "the domain ends with a dot");

    std::size_t labels = 0;
    std::size_t start = 0;
    std::size_t last_label_start = 0;
    std::string ascii;
    std::string unicode;
    while (start <= domain.size())
    {
        const std::size_t dot = std::min(domain.find('.', start), domain.size());
        const std::string_view raw = domain.substr(start, dot - start);
        if (raw.empty())
            return fail(f, errc::address_bad_domain, base + start,
                        start == 0 ? "the domain starts with a dot" : "the domain has two consecutive dots");
        if (!check_label(raw, base + start, ascii, unicode, f))
            return false;
        if (labels != 0)
        {
            out.domain += '.';
            out.domain_unicode += '.';
        }
        out.domain += ascii;
        out.domain_unicode += unicode;
        last_label_start = base + start;
        ++labels;
        start = dot + 1;
    }

    if (labels < 2)
        return fail(f, errc::address_bad_domain, base,
                    "the domain has a single label: a fully qualified domain name is required");
    if (std::all_of(ascii.begin(), ascii.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fail(f, errc::address_bad_domain, last_label_start,
                    "the last label of the domain is all digits: IP addresses are not accepted");
    if (out.domain.size() > max_domain)
        return fail(f, errc::address_too_long, base, "the domain is longer than 253 octets");
    return true;
}

/** Finds the '@' that separates local part and domain: the last one outside a quoted string.
 *  Gives npos when there is none; `open_quote` is set when the text ends inside a quoted string. */
std::size_t find_separator(std::string_view text, std::size_t& open_quote) noexcept
{
    std::size_t at = std::string_view::npos;
    bool quoted = false;
    open_quote = std::string_view::npos;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
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
        else if (c == '@')
            at = i;
    }
    if (!quoted)
        open_quote = std::string_view::npos;
    return at;
}

bool parse_parts(std::string_view text, parts& out, failure& f)
{
    if (const auto bad = find_forbidden_character(text); bad != std::string_view::npos)
        return fail(f, errc::address_forbidden_character, bad,
                    "the address contains a control character (CR, LF, NUL, ...), refused to prevent "
                    "header injection");
    if (text.empty())
        return fail(f, errc::address_empty, 0, "the address is empty");
    if (text.size() > max_input)
        return fail(f, errc::address_too_long, max_input, "the address is far longer than RFC 5321 allows");

    std::size_t open_quote = 0;
    const std::size_t at = find_separator(text, open_quote);
    if (at == std::string_view::npos)
    {
        if (open_quote != std::string_view::npos)
            return fail(f, errc::address_bad_local_part, open_quote,
                        "a quoted string in the address has no closing quote");
        return fail(f, errc::address_missing_at, text.size(), "the address has no '@' before a domain");
    }

    const std::string_view local = text.substr(0, at);
    if (!check_local_part(local, 0, f))
        return false;
    if (!check_domain(text.substr(at + 1), at + 1, out, f))
        return false;
    if (local.size() + 1 + out.domain.size() > max_address)
        return fail(f, errc::address_too_long, std::min(text.size(), max_address),
                    "the address is longer than 254 octets");
    out.local_part = local;
    return true;
}

}  // namespace

email_address::email_address(std::string local_part, std::string domain, std::string domain_unicode)
    : local_part_(std::move(local_part)),
      domain_(std::move(domain)),
      domain_unicode_(std::move(domain_unicode))
{
}

boost::system::result<email_address> email_address::parse(std::string_view text)
{
    parts p;
    failure f;
    if (!parse_parts(text, p, f))
        return make_error_code(f.code);
    return email_address(std::move(p.local_part), std::move(p.domain), std::move(p.domain_unicode));
}

boost::system::result<email_address> email_address::parse(std::string_view text, diagnostics& diag)
{
    diag.clear();
    parts p;
    failure f;
    if (!parse_parts(text, p, f))
    {
        diag.set_client_message(std::move(f.message));
        diag.set_position({f.offset, 0, 0});
        return make_error_code(f.code);
    }
    return email_address(std::move(p.local_part), std::move(p.domain), std::move(p.domain_unicode));
}

std::string email_address::str() const
{
    std::string s;
    s.reserve(local_part_.size() + 1 + domain_.size());
    s += local_part_;
    s += '@';
    s += domain_;
    return s;
}

bool email_address::is_ascii() const noexcept
{
    return is_ascii_text(local_part_);
}

}  // namespace mss::domain
