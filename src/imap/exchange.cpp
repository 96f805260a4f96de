// SPDX-License-Identifier: Apache-2.0
#include "imap/exchange.hpp"

#include <mss/error.hpp>
#include <mss/imap/errc.hpp>

namespace mss::imap::detail {

void record_server_refusal(const response& r, diagnostics& diag, const char* client_message)
{
    std::string message = client_message;
    if (r.status.code.kind != response_code_kind::none)
    {
        message += " [";
        message += r.status.code.name;
        message += ']';
    }
    diag.set_client_message(std::move(message));
    // The server's text may hold personal data; it goes to server_message only.
    std::string_view text = r.raw;
    if (!r.tag.empty() && text.size() > r.tag.size())
        text.remove_prefix(r.tag.size() + 1);
    diag.set_server_message(std::string(text));
}

void exchange::start(command&& cmd) noexcept
{
    cmd_ = std::move(cmd);
    sent_ = 0;
    next_sync_ = 0;
    write_pending_ = false;
    awaiting_continuation_ = false;
    accept_continuation_ = false;
    error_ = {};
}

sansio::action exchange::write_extra(std::string_view bytes) noexcept
{
    write_pending_ = true;
    action_ = sansio::action::write(bytes);
    return action_;
}

exchange::event exchange::write_segment()
{
    std::size_t end = cmd_.bytes.size();
    if (next_sync_ < cmd_.sync_points.size())
        end = cmd_.sync_points[next_sync_++];
    action_ = sansio::action::write(std::string_view(cmd_.bytes).substr(sent_, end - sent_));
    sent_ = end;
    write_pending_ = true;
    return event::io;
}

exchange::event exchange::fail(boost::system::error_code ec, diagnostics& diag, const char* message)
{
    error_ = ec;
    if (message != nullptr)
        diag.set_client_message(message);
    return event::failed;
}

exchange::event exchange::run(session_state& st, diagnostics& diag)
{
    if (error_)
        return event::failed;
    if (write_pending_)
    {
        // The resume that brought us here reported the end of our write.
        write_pending_ = false;
        if (sent_ < cmd_.bytes.size())
            awaiting_continuation_ = true;
    }
    else if (sent_ == 0 && !cmd_.bytes.empty())
    {
        return write_segment();
    }
    for (;;)
    {
        boost::system::error_code ec;
        if (!st.parser.next(resp_, ec, diag))
        {
            if (ec)
                return fail(ec, diag, nullptr);
            action_ = sansio::action::read();
            return event::io;
        }
        switch (resp_.kind)
        {
        case response_kind::continuation:
            if (awaiting_continuation_)
            {
                awaiting_continuation_ = false;
                return write_segment();
            }
            if (accept_continuation_)
                return event::untagged;
            if (cmd_.authenticate && sent_ == cmd_.bytes.size())
            {
                // A challenge after our response (XOAUTH2 sends its error report so): answer with
                // an empty response; the tagged NO follows.
                write_extra("\r\n");
                return event::io;
            }
            return fail(mss::errc::unexpected_response, diag, "IMAP server sent an unexpected continuation");
        case response_kind::tagged:
            if (resp_.tag != cmd_.tag || cmd_.tag.empty())
            {
                record_server_refusal(resp_, diag, "IMAP server answered an unknown tag");
                return fail(imap::errc::unknown_tag, diag, nullptr);
            }
            return event::tagged;
        case response_kind::untagged_status:
            if (resp_.status.condition == status_condition::bye && !cmd_.expect_bye)
            {
                record_server_refusal(resp_, diag, "IMAP server closed the session (BYE)");
                return fail(imap::errc::bye, diag, nullptr);
            }
            return event::untagged;
        case response_kind::data:
            if (resp_.data == data_kind::capability)
                st.capabilities.assign(resp_.atoms);
            return event::untagged;
        }
    }
}

}  // namespace mss::imap::detail
