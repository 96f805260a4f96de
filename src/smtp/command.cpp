// SPDX-License-Identifier: Apache-2.0
#include <mss/smtp/command.hpp>

#include <mss/domain/email_address.hpp>
#include <mss/error.hpp>
#include <mss/smtp/errc.hpp>

#include "detail/base64.hpp"

#include <utility>

namespace mss::smtp
{
namespace
{

constexpr std::size_t max_envid_length = 100;  // RFC 3461 §4.4

boost::system::error_code invalid() noexcept
{
    return mss::make_error_code(mss::errc::invalid_argument);
}

bool has_line_break_or_nul(std::string_view s) noexcept
{
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool has_control(std::string_view s) noexcept
{
    for (char c : s)
    {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7f)
            return true;
    }
    return false;
}

bool is_printable_ascii(std::string_view s, bool allow_space) noexcept
{
    for (char c : s)
    {
        const auto b = static_cast<unsigned char>(c);
        if (b > 0x7e || b < 0x20 || (b == 0x20 && !allow_space))
            return false;
    }
    return true;
}

// RFC 3461 §4: "!" to "~" except "+" and "=" stand for themselves, everything else is "+HH".
void append_xtext(std::string& out, std::string_view s)
{
    constexpr std::string_view hex = "0123456789ABCDEF";
    for (char c : s)
    {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x21 && b <= 0x7e && c != '+' && c != '=')
        {
            out += c;
        }
        else
        {
            out += '+';
            out += hex[b >> 4];
            out += hex[b & 15];
        }
    }
}

// The canonical form of an address, or nothing when email_address::parse refuses it.
std::optional<domain::email_address> parse_address(std::string_view text)
{
    auto parsed = domain::email_address::parse(text);
    if (!parsed)
        return std::nullopt;
    return std::move(*parsed);
}

// Appends `prefix`, the base64 of `data` and CRLF; returns where the base64 is.
secret_range append_base64_line(std::string& out, std::string_view prefix, std::string_view data)
{
    out += prefix;
    const std::size_t start = out.size();
    mss::detail::base64_append(out, data);
    const secret_range secret{start, out.size() - start};
    out += "\r\n";
    return secret;
}

}  // namespace

boost::system::error_code write_ehlo(std::string& out, std::string_view domain)
{
    if (domain.empty() || domain.size() > 255 || !is_printable_ascii(domain, false))
        return invalid();
    out += "EHLO ";
    out += domain;
    out += "\r\n";
    return {};
}

void write_starttls(std::string& out)
{
    out += "STARTTLS\r\n";
}

boost::system::result<secret_range> write_auth_plain(std::string& out, std::string_view user,
                                                     std::string_view password)
{
    // A NUL inside either would shift the fields of the PLAIN message: another identity.
    if (user.empty() || password.empty() || has_line_break_or_nul(user) || has_line_break_or_nul(password))
        return invalid();
    std::string message;
    message.reserve(user.size() + password.size() + 2);
    message += '\0';
    message += user;
    message += '\0';
    message += password;
    return append_base64_line(out, "AUTH PLAIN ", message);
}

void write_auth_login(std::string& out)
{
    out += "AUTH LOGIN\r\n";
}

boost::system::result<secret_range> write_sasl_response(std::string& out, std::string_view data)
{
    if (has_line_break_or_nul(data))
        return invalid();
    return append_base64_line(out, {}, data);
}

boost::system::result<secret_range> write_auth_xoauth2(std::string& out, std::string_view user,
                                                       std::string_view token)
{
    if (user.empty() || token.empty() || has_control(user) || has_control(token) ||
        token.find(' ') != std::string_view::npos)
    {
        return invalid();
    }
    std::string message;
    message.reserve(user.size() + token.size() + 20);
    message += "user=";
    message += user;
    message +=
        "\x01"
        "auth=Bearer ";
    message += token;
    message += "\x01\x01";
    return append_base64_line(out, "AUTH XOAUTH2 ", message);
}

boost::system::error_code write_auth_external(std::string& out, std::string_view authzid)
{
    if (has_line_break_or_nul(authzid))
        return invalid();
    if (authzid.empty())
    {
        // RFC 4954 §4: a zero-length initial response is sent as "=".
        out += "AUTH EXTERNAL =\r\n";
        return {};
    }
    append_base64_line(out, "AUTH EXTERNAL ", authzid);
    return {};
}

boost::system::error_code write_mail_from(std::string& out, std::string_view sender,
                                          const mail_parameters& params)
{
    std::optional<domain::email_address> address;
    if (!sender.empty())
    {
        address = parse_address(sender);
        if (!address)
            return invalid();
        if (!address->is_ascii() && !params.smtputf8)
            return make_error_code(errc::smtputf8_required);
    }
    if (params.envid.size() > max_envid_length || !is_printable_ascii(params.envid, true))
        return invalid();

    out += "MAIL FROM:<";
    if (address)
        out += address->str();
    out += '>';
    if (params.size)
    {
        out += " SIZE=";
        out += std::to_string(*params.size);
    }
    switch (params.body)
    {
    case body_type::unspecified:
        break;
    case body_type::seven_bit:
        out += " BODY=7BIT";
        break;
    case body_type::eight_bit_mime:
        out += " BODY=8BITMIME";
        break;
    }
    if (params.smtputf8)
        out += " SMTPUTF8";
    switch (params.ret)
    {
    case dsn_return::unspecified:
        break;
    case dsn_return::full:
        out += " RET=FULL";
        break;
    case dsn_return::headers:
        out += " RET=HDRS";
        break;
    }
    if (!params.envid.empty())
    {
        out += " ENVID=";
        append_xtext(out, params.envid);
    }
    out += "\r\n";
    return {};
}

boost::system::error_code write_rcpt_to(std::string& out, std::string_view recipient,
                                        const rcpt_parameters& params)
{
    const auto address = parse_address(recipient);
    if (!address)
        return invalid();
    std::optional<domain::email_address> original;
    if (!params.original_recipient.empty())
    {
        // ORCPT of a UTF-8 address needs the utf-8-addr-xtext form of RFC 6533: not written yet.
        original = parse_address(params.original_recipient);
        if (!original || !original->is_ascii())
            return invalid();
    }
    const auto notify = static_cast<unsigned>(params.notify);
    const bool never = contains(params.notify, dsn_notify::never);
    if (notify > 15 || (never && notify != static_cast<unsigned>(dsn_notify::never)))
        return invalid();

    out += "RCPT TO:<";
    out += address->str();
    out += '>';
    if (params.notify != dsn_notify::none)
    {
        out += " NOTIFY=";
        if (never)
        {
            out += "NEVER";
        }
        else
        {
            const char* separator = "";
            for (auto [flag, name] :
                 {std::pair{dsn_notify::success, "SUCCESS"}, std::pair{dsn_notify::failure, "FAILURE"},
                  std::pair{dsn_notify::delay, "DELAY"}})
            {
                if (contains(params.notify, flag))
                {
                    out += separator;
                    out += name;
                    separator = ",";
                }
            }
        }
    }
    if (original)
    {
        out += " ORCPT=rfc822;";
        append_xtext(out, original->str());
    }
    out += "\r\n";
    return {};
}

void write_data(std::string& out)
{
    out += "DATA\r\n";
}

void write_rset(std::string& out)
{
    out += "RSET\r\n";
}

void write_noop(std::string& out)
{
    out += "NOOP\r\n";
}

void write_quit(std::string& out)
{
    out += "QUIT\r\n";
}

}  // namespace mss::smtp
