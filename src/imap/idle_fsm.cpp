// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>
#include <mss/imap/idle_fsm.hpp>

#include "imap/exchange.hpp"

#include <boost/system/errc.hpp>

namespace mss::imap {

struct idle_fsm::impl
{
    enum class step
    {
        start,
        waiting,
        idling,
        stopping,
        finished,
    };

    impl(session_state& s, event_handler h, diagnostics& d) : st(s), handler(std::move(h)), diag(d) {}

    session_state& st;
    event_handler handler;
    diagnostics& diag;
    detail::exchange ex;
    step current = step::start;
    bool stop_requested = false;
    boost::system::error_code result;

    static constexpr std::string_view done_line = "DONE\r\n";

    sansio::action done(boost::system::error_code ec)
    {
        current = step::finished;
        result = ec;
        return sansio::action::done(ec);
    }

    sansio::action send_done()
    {
        current = step::stopping;
        return ex.write_extra(done_line);
    }

    sansio::action resume(boost::system::error_code io_ec, std::string_view received)
    {
        if (current == step::finished)
            return sansio::action::done(result);
        if (io_ec)
        {
            // The I/O layer cancelled its read because we were asked to stop: not a failure.
            const bool cancelled_for_stop = stop_requested && current == step::idling &&
                                            io_ec == boost::system::errc::operation_canceled;
            if (!cancelled_for_stop)
                return done(io_ec);
        }
        if (current == step::start)
        {
            if (!st.capabilities.idle())
            {
                diag.set_client_message("IMAP server does not offer IDLE");
                return done(imap::errc::capability_missing);
            }
            command cmd;
            (void)serialize_idle(cmd, st.tags.next());
            ex.start(std::move(cmd));
            ex.accept_continuation(true);
            current = step::waiting;
        }
        if (!received.empty())
            st.parser.feed(received);
        for (;;)
        {
            switch (ex.run(st, diag))
            {
            case detail::exchange::event::io:
                if (current == step::idling && stop_requested && ex.action().type() == sansio::action::kind::read)
                    return send_done();
                return ex.action();
            case detail::exchange::event::failed: return done(ex.error());
            case detail::exchange::event::untagged:
            {
                const auto& r = ex.current();
                if (r.kind == response_kind::continuation)
                {
                    if (current != step::waiting)
                    {
                        diag.set_client_message("IMAP server sent an unexpected continuation during IDLE");
                        return done(mss::errc::unexpected_response);
                    }
                    current = step::idling;
                    if (stop_requested)
                        return send_done();
                    break;
                }
                if (handler)
                    handler(r);
                break;
            }
            case detail::exchange::event::tagged:
            {
                const auto& r = ex.current();
                if (r.status.condition == status_condition::ok)
                    return done({});
                detail::record_server_refusal(r, diag, r.status.condition == status_condition::no
                                                           ? "IMAP IDLE refused (NO)"
                                                           : "IMAP IDLE rejected (BAD)");
                return done(r.status.condition == status_condition::no ? imap::errc::command_no
                                                                       : imap::errc::command_bad);
            }
            }
        }
    }
};

idle_fsm::idle_fsm(session_state& state, event_handler handler, diagnostics& diag)
    : impl_(std::make_unique<impl>(state, std::move(handler), diag))
{
}

idle_fsm::~idle_fsm() = default;

void idle_fsm::stop() noexcept
{
    impl_->stop_requested = true;
}

bool idle_fsm::idling() const noexcept
{
    return impl_->current == impl::step::idling;
}

sansio::action idle_fsm::resume(boost::system::error_code io_ec, std::string_view received)
{
    return impl_->resume(io_ec, received);
}

}  // namespace mss::imap
