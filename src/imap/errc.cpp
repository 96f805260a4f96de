// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>

#include <string>

namespace mss::imap {
namespace {

class imap_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss.imap"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value))
        {
        case errc::command_no: return "the IMAP server refused the command (NO)";
        case errc::command_bad: return "the IMAP server rejected the command as invalid (BAD)";
        case errc::bye: return "the IMAP server closed the session (BYE)";
        case errc::unknown_tag: return "the IMAP server answered a command that was never sent (unknown tag)";
        case errc::literal_too_large: return "the IMAP server announced a literal above the configured limit";
        case errc::capability_missing: return "the IMAP server does not offer a capability the operation needs";
        case errc::uidvalidity_changed: return "the mailbox's UIDVALIDITY changed; cached UIDs are void";
        case errc::auth_failed: return "IMAP authentication failed";
        }
        return "unknown mss.imap error";
    }
};

}  // namespace

const boost::system::error_category& imap_category() noexcept
{
    static const imap_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), imap_category()};
}

bool is_fatal(const boost::system::error_code& ec) noexcept
{
    if (ec.category() == imap_category())
    {
        switch (static_cast<errc>(ec.value()))
        {
        case errc::bye:
        case errc::unknown_tag:
        case errc::literal_too_large: return true;
        default: return false;
        }
    }
    return mss::is_fatal(ec);
}

}  // namespace mss::imap
