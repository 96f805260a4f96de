// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>
#include <mss/smtp/errc.hpp>

#include <cstring>
#include <string>

namespace mss {
namespace {

class library_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value))
        {
        case errc::invalid_argument: return "invalid argument";
        case errc::operation_in_progress: return "another operation is already in progress on this object";
        case errc::not_connected: return "not connected";
        case errc::connect_timeout: return "timed out while connecting";
        case errc::tls_handshake_timeout: return "timed out during the TLS handshake";
        case errc::greeting_timeout: return "timed out waiting for the server greeting";
        case errc::read_timeout: return "timed out waiting for the server's reply";
        case errc::write_timeout: return "timed out while sending";
        case errc::limit_exceeded: return "a configured limit was exceeded";
        case errc::unexpected_response: return "the server sent a response that is not expected now";
        case errc::malformed_response: return "the server sent a malformed response";
        case errc::starttls_not_offered:
            return "the server does not offer STARTTLS; refusing to continue in clear text";
        case errc::starttls_injection:
            return "the server sent data after its STARTTLS reply before the TLS handshake (injection)";
        case errc::file_unreadable: return "the file cannot be read";
        case errc::configuration_error: return "the library is not configured correctly";
        }
        return "unknown mss error";
    }
};

// Categories of Asio live in the net layer; core recognises them by name only, so that this
// file needs no Asio header.
bool is_network_category(const boost::system::error_category& category) noexcept
{
    const char* name = category.name();
    for (const char* network : {"asio.misc", "asio.netdb", "asio.addrinfo", "asio.ssl", "asio.ssl.stream", "beast"})
    {
        if (std::strcmp(name, network) == 0)
            return true;
    }
    return false;
}

}  // namespace

const boost::system::error_category& library_category() noexcept
{
    static const library_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), library_category()};
}

bool is_fatal(const boost::system::error_code& ec) noexcept
{
    if (!ec)
        return false;
    const auto& category = ec.category();
    if (category == library_category())
    {
        switch (static_cast<errc>(ec.value()))
        {
        // The caller's misuse or configuration: the connection itself is untouched.
        case errc::invalid_argument:
        case errc::operation_in_progress:
        case errc::file_unreadable:
        case errc::configuration_error: return false;
        default: return true;
        }
    }
    // A server that announces it is closing the connection: SMTP 421, IMAP BYE.
    if (category == smtp::reply_category())
        return ec.value() == 421;
    if (category == imap::imap_category())
        return ec.value() == static_cast<int>(imap::errc::bye);
    // Operating-system errors (ECONNRESET, EPIPE, ...) and Asio's own categories break the stream.
    if (category == boost::system::system_category() || category == boost::system::generic_category())
        return true;
    return is_network_category(category);
}

}  // namespace mss
