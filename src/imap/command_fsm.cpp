// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/command_fsm.hpp>
#include <mss/imap/errc.hpp>

#include "imap/exchange.hpp"
#include "imap/text.hpp"

#include <optional>

namespace mss::imap {

struct command_fsm::impl
{
    impl(session_state& s, command c, response_handler h, diagnostics& d)
        : st(s), cmd(std::move(c)), handler(std::move(h)), diag(d)
    {
    }

    session_state& st;
    command cmd;
    response_handler handler;
    diagnostics& diag;
    detail::exchange ex;
    std::optional<std::uint32_t> expected_uidvalidity;
    bool uidvalidity_changed = false;
    bool started = false;
    bool finished = false;
    boost::system::error_code result;

    sansio::action done(boost::system::error_code ec)
    {
        finished = true;
        result = ec;
        return sansio::action::done(ec);
    }

    void on_untagged(const response& r)
    {
        if (r.kind == response_kind::data && r.data == data_kind::enabled)
        {
            for (auto a : r.atoms)
            {
                if (detail::iequals(a, "UTF8=ACCEPT"))
                {
                    st.utf8_enabled = true;
                    st.parser.set_utf8_mode(true);
                }
            }
        }
        if (r.kind == response_kind::untagged_status && r.status.code.kind == response_code_kind::uidvalidity &&
            expected_uidvalidity && r.status.code.number != *expected_uidvalidity)
            uidvalidity_changed = true;
        if (handler)
            handler(r);
    }

    sansio::action on_tagged(const response& r)
    {
        if (handler)
            handler(r);
        switch (r.status.condition)
        {
        case status_condition::ok:
            if (uidvalidity_changed)
            {
                diag.set_client_message("IMAP mailbox UIDVALIDITY changed; cached UIDs are void");
                return done(imap::errc::uidvalidity_changed);
            }
            return done({});
        case status_condition::no:
            detail::record_server_refusal(r, diag, "IMAP command refused (NO)");
            return done(imap::errc::command_no);
        default:
            detail::record_server_refusal(r, diag, "IMAP command rejected (BAD)");
            return done(imap::errc::command_bad);
        }
    }

    sansio::action resume(boost::system::error_code io_ec, std::string_view received)
    {
        if (finished)
            return sansio::action::done(result);
        if (io_ec)
            return done(io_ec);
        if (!started)
        {
            started = true;
            if (cmd.bytes.empty() || cmd.tag.empty())
            {
                diag.set_client_message("IMAP command_fsm needs a tagged command");
                return done(mss::errc::invalid_argument);
            }
            ex.start(std::move(cmd));
        }
        if (!received.empty())
            st.parser.feed(received);
        for (;;)
        {
            switch (ex.run(st, diag))
            {
            case detail::exchange::event::io: return ex.action();
            case detail::exchange::event::failed: return done(ex.error());
            case detail::exchange::event::untagged: on_untagged(ex.current()); break;
            case detail::exchange::event::tagged: return on_tagged(ex.current());
            }
        }
    }
};

command_fsm::command_fsm(session_state& state, command cmd, response_handler handler, diagnostics& diag)
    : impl_(std::make_unique<impl>(state, std::move(cmd), std::move(handler), diag))
{
}

command_fsm::~command_fsm() = default;

void command_fsm::expect_uidvalidity(std::uint32_t uidvalidity) noexcept
{
    impl_->expected_uidvalidity = uidvalidity;
}

sansio::action command_fsm::resume(boost::system::error_code io_ec, std::string_view received)
{
    return impl_->resume(io_ec, received);
}

}  // namespace mss::imap
