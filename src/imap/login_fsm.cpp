// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>
#include <mss/imap/login_fsm.hpp>

#include "imap/exchange.hpp"

#include <optional>

namespace mss::imap {

struct login_fsm::impl
{
    enum class step
    {
        start,
        greeting,
        capability,
        starttls,
        tls_handshake,
        authenticate,
        capability_after_auth,
        finished,
    };

    impl(session_state& s, const login_params& p, diagnostics& d) : st(s), params(p), diag(d) {}

    session_state& st;
    login_params params;
    diagnostics& diag;
    detail::exchange ex;
    step current = step::start;
    bool tls_done = false;
    boost::system::error_code result;

    sansio::action done(boost::system::error_code ec, const char* message = nullptr)
    {
        current = step::finished;
        result = ec;
        if (message != nullptr)
            diag.set_client_message(message);
        return sansio::action::done(ec);
    }

    // Starts `cmd`; the caller then continues its loop (the exchange asks for the write).
    std::optional<sansio::action> send(command&& cmd, step next)
    {
        current = next;
        ex.start(std::move(cmd));
        return std::nullopt;
    }

    std::optional<sansio::action> send_capability(step next)
    {
        command cmd;
        (void)serialize_capability(cmd, st.tags.next());
        return send(std::move(cmd), next);
    }

    std::optional<sansio::action> after_capabilities()
    {
        if (params.tls == tls_mode::starttls && !tls_done)
        {
            if (!st.capabilities.starttls())
                return done(mss::errc::starttls_not_offered, "IMAP server does not offer STARTTLS");
            command cmd;
            (void)serialize_starttls(cmd, st.tags.next());
            return send(std::move(cmd), step::starttls);
        }
        if (st.authenticated)
            return done({});
        return authenticate();
    }

    std::optional<sansio::action> authenticate()
    {
        const auto& caps = st.capabilities;
        command cmd;
        const std::string tag = st.tags.next();
        boost::system::error_code ec;
        if (!params.oauth_token.empty())
        {
            if (!caps.has_auth("XOAUTH2"))
                return done(imap::errc::capability_missing, "IMAP server does not offer AUTH=XOAUTH2");
            ec = serialize_authenticate_xoauth2(cmd, tag, params.user, params.oauth_token, caps.sasl_ir());
        }
        else if (caps.has_auth("PLAIN"))
        {
            ec = serialize_authenticate_plain(cmd, tag, params.user, params.password, caps.sasl_ir());
        }
        else if (!caps.login_disabled() && params.allow_login_command)
        {
            ec = serialize_login(cmd, tag, params.user, params.password, st.options());
        }
        else
        {
            return done(imap::errc::capability_missing,
                        caps.login_disabled() ? "IMAP server announces LOGINDISABLED and no usable SASL mechanism"
                                              : "IMAP server offers no usable authentication mechanism");
        }
        if (ec)
            return done(ec, "IMAP credentials cannot be sent (empty or holding forbidden characters)");
        return send(std::move(cmd), step::authenticate);
    }

    std::optional<sansio::action> on_untagged(const response& r)
    {
        if (current != step::greeting)
            return std::nullopt;  // capabilities are recorded by the exchange; the rest is ignored
        if (r.kind != response_kind::untagged_status ||
            (r.status.condition != status_condition::ok && r.status.condition != status_condition::preauth))
        {
            detail::record_server_refusal(r, diag, "IMAP greeting is not OK or PREAUTH");
            return done(mss::errc::unexpected_response);
        }
        if (r.status.code.kind == response_code_kind::capability)
            st.capabilities.assign(r.status.code.atoms);
        if (r.status.condition == status_condition::preauth)
        {
            if (params.tls == tls_mode::starttls)
                return done(mss::errc::starttls_not_offered,
                            "IMAP server sent PREAUTH on a clear-text connection; STARTTLS is impossible");
            st.authenticated = true;
        }
        if (st.capabilities.empty())
            return send_capability(step::capability);
        return after_capabilities();
    }

    std::optional<sansio::action> refusal(const response& r, boost::system::error_code no_ec, const char* message)
    {
        detail::record_server_refusal(r, diag, message);
        if (r.status.condition == status_condition::bad && no_ec != imap::errc::auth_failed)
            return done(imap::errc::command_bad);
        return done(no_ec);
    }

    std::optional<sansio::action> on_tagged(const response& r)
    {
        const bool ok = r.status.condition == status_condition::ok;
        switch (current)
        {
        case step::capability:
            if (!ok)
                return refusal(r, imap::errc::command_no, "IMAP CAPABILITY refused");
            return after_capabilities();
        case step::starttls:
            if (!ok)
                return refusal(r, imap::errc::command_no, "IMAP STARTTLS refused");
            // Anything already received was sent in clear text and would be taken for TLS data.
            if (st.parser.buffered() > 0)
                return done(mss::errc::starttls_injection,
                            "IMAP server sent data after its STARTTLS reply, before the TLS handshake");
            current = step::tls_handshake;
            return sansio::action::start_tls();
        case step::authenticate:
            if (!ok)
                return refusal(r, imap::errc::auth_failed, "IMAP authentication refused");
            st.authenticated = true;
            if (r.status.code.kind == response_code_kind::capability)
            {
                st.capabilities.assign(r.status.code.atoms);
                return done({});
            }
            return send_capability(step::capability_after_auth);
        case step::capability_after_auth:
            if (!ok)
                return refusal(r, imap::errc::command_no, "IMAP CAPABILITY refused");
            return done({});
        default: return done(mss::errc::unexpected_response, "IMAP server sent an unexpected tagged response");
        }
    }

    sansio::action drive()
    {
        for (;;)
        {
            std::optional<sansio::action> next;
            switch (ex.run(st, diag))
            {
            case detail::exchange::event::io: return ex.action();
            case detail::exchange::event::failed: return done(ex.error());
            case detail::exchange::event::untagged: next = on_untagged(ex.current()); break;
            case detail::exchange::event::tagged: next = on_tagged(ex.current()); break;
            }
            if (next)
                return *next;
        }
    }

    sansio::action resume(boost::system::error_code io_ec, std::string_view received)
    {
        if (current == step::finished)
            return sansio::action::done(result);
        if (io_ec)
            return done(io_ec);
        if (current == step::start)
        {
            current = step::greeting;
            ex.start(command{});
        }
        else if (current == step::tls_handshake)
        {
            // Over TLS now: forget what was learnt in clear text and ask again.
            tls_done = true;
            st.capabilities.clear();
            st.parser.reset();
            if (auto a = send_capability(step::capability))
                return *a;
        }
        if (!received.empty())
            st.parser.feed(received);
        return drive();
    }
};

login_fsm::login_fsm(session_state& state, const login_params& params, diagnostics& diag)
    : impl_(std::make_unique<impl>(state, params, diag))
{
}

login_fsm::~login_fsm() = default;

sansio::action login_fsm::resume(boost::system::error_code io_ec, std::string_view received)
{
    return impl_->resume(io_ec, received);
}

}  // namespace mss::imap
