// SPDX-License-Identifier: Apache-2.0
#include <mss/smtp/errc.hpp>

#include <string>

namespace mss::smtp
{
namespace
{

class smtp_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss.smtp"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value))
        {
        case errc::all_recipients_refused:
            return "the server refused every recipient; nothing was sent";
        case errc::auth_failed:
            return "the server refused the authentication";
        case errc::auth_mechanism_unavailable:
            return "the server does not offer the required SASL mechanism";
        case errc::message_too_large:
            return "the message is larger than the server accepts";
        case errc::smtputf8_required:
            return "an address needs SMTPUTF8 and the server does not offer it";
        case errc::eight_bit_not_supported:
            return "the message needs 8BITMIME and the server does not offer it";
        }
        return "unknown mss.smtp error";
    }
};

// The meanings RFC 5321 (4.2.2, 4.2.3), RFC 4954 and RFC 3207 give to the negative codes.
const char* reply_meaning(int code) noexcept
{
    switch (code)
    {
    case 421:
        return "service not available, closing transmission channel";
    case 432:
        return "a password transition is needed";
    case 450:
        return "requested mail action not taken: mailbox unavailable";
    case 451:
        return "requested action aborted: local error in processing";
    case 452:
        return "requested action not taken: insufficient system storage";
    case 454:
        return "temporary authentication or TLS failure";
    case 455:
        return "server unable to accommodate parameters";
    case 500:
        return "syntax error, command unrecognised";
    case 501:
        return "syntax error in parameters or arguments";
    case 502:
        return "command not implemented";
    case 503:
        return "bad sequence of commands";
    case 504:
        return "command parameter not implemented";
    case 521:
        return "server does not accept mail";
    case 523:
        return "encryption needed";
    case 530:
        return "authentication required";
    case 534:
        return "authentication mechanism is too weak";
    case 535:
        return "authentication credentials invalid";
    case 538:
        return "encryption required for the requested authentication mechanism";
    case 550:
        return "requested action not taken: mailbox unavailable";
    case 551:
        return "user not local";
    case 552:
        return "requested mail action aborted: exceeded storage allocation";
    case 553:
        return "requested action not taken: mailbox name not allowed";
    case 554:
        return "transaction failed";
    case 555:
        return "MAIL FROM/RCPT TO parameters not recognised or not implemented";
    case 556:
        return "domain does not accept mail";
    default:
        break;
    }
    if (code >= 400 && code < 500)
        return "transient negative completion reply";
    if (code >= 500 && code < 600)
        return "permanent negative completion reply";
    return "not a negative reply code";
}

class reply_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss.smtp.reply"; }

    std::string message(int value) const override
    {
        return "SMTP " + std::to_string(value) + ": " + reply_meaning(value);
    }
};

}  // namespace

const boost::system::error_category& smtp_category() noexcept
{
    static const smtp_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), smtp_category()};
}

const boost::system::error_category& reply_category() noexcept
{
    static const reply_category_impl instance;
    return instance;
}

boost::system::error_code make_reply_error_code(int code) noexcept
{
    return {code, reply_category()};
}

bool is_transient(const boost::system::error_code& ec) noexcept
{
    return ec.category() == reply_category() && ec.value() >= 400 && ec.value() < 500;
}

bool is_permanent(const boost::system::error_code& ec) noexcept
{
    // Refusals of every recipient mix 4yz and 5yz: the per-recipient codes decide, not the sum.
    if (ec.category() == smtp_category())
        return ec.value() != 0 && ec != errc::all_recipients_refused;
    return ec.category() == reply_category() && ec.value() >= 500 && ec.value() < 600;
}

}  // namespace mss::smtp
