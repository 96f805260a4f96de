// SPDX-License-Identifier: Apache-2.0
// The session state machine; the state table is in include/mss/smtp/submission.hpp.
#include <mss/smtp/submission.hpp>

#include <mss/error.hpp>
#include <mss/smtp/errc.hpp>

#include "detail/base64.hpp"
#include "smtp/fsm_support.hpp"

#include <utility>

namespace mss::smtp
{
namespace
{

const char* mechanism_name(auth_mechanism m) noexcept
{
    switch (m)
    {
    case auth_mechanism::xoauth2:
        return "XOAUTH2";
    case auth_mechanism::plain:
        return "PLAIN";
    case auth_mechanism::login:
        return "LOGIN";
    case auth_mechanism::external:
        return "EXTERNAL";
    case auth_mechanism::automatic:
    case auth_mechanism::none:
        break;
    }
    return "";
}

// Checks that the credentials can be written for `m`, before anything is sent.
boost::system::error_code check_credentials(const credentials& c, auth_mechanism m)
{
    std::string scratch;
    boost::system::error_code ec;
    switch (m)
    {
    case auth_mechanism::plain:
    case auth_mechanism::login:
        if (auto r = write_auth_plain(scratch, c.user, c.secret); !r)
            ec = r.error();
        break;
    case auth_mechanism::xoauth2:
        if (auto r = write_auth_xoauth2(scratch, c.user, c.secret); !r)
            ec = r.error();
        break;
    case auth_mechanism::automatic:
        if (c.kind == secret_kind::bearer_token)
            return check_credentials(c, auth_mechanism::xoauth2);
        if (!c.secret.empty())
            return check_credentials(c, auth_mechanism::plain);
        break;
    case auth_mechanism::external:
    case auth_mechanism::none:
        break;
    }
    detail::wipe(scratch);
    return ec;
}

}  // namespace

session_fsm::session_fsm(session_params params)
    : params_(std::move(params)), tls_active_(params_.tls == tls_mode::implicit), parser_(params_.parser)
{
}

sansio::action session_fsm::resume(boost::system::error_code io_ec, std::string_view received)
{
    const char* during = step_ == step::handshake  ? "the TLS handshake"
                         : step_ == step::greeting ? "the greeting"
                         : step_ == step::ehlo     ? "EHLO"
                         : step_ == step::starttls ? "STARTTLS"
                                                   : "AUTH";
    const auto finish_with = [this](boost::system::error_code ec) { return finish(ec); };
    if (auto act = detail::open_resume(step_ == step::done, result_, io_ec, during, received, input_, diag_,
                                       finish_with))
        return *act;

    if (step_ == step::start)
    {
        diag_.clear();
        std::string scratch;
        if (write_ehlo(scratch, params_.ehlo_domain))
            return fail(mss::errc::invalid_argument, "the EHLO domain is empty or not printable ASCII");
        if (check_credentials(params_.auth, params_.auth.mechanism))
            return fail(mss::errc::invalid_argument,
                        "the credentials cannot be sent (empty, or a control character)");
        step_ = step::greeting;
        return sansio::action::read();
    }
    if (awaiting_write_)
    {
        awaiting_write_ = false;
        wipe_output();
    }
    if (step_ == step::handshake)
    {
        // RFC 3207 §4.2: forget everything learnt in clear text, ask again under TLS.
        tls_active_ = true;
        caps_ = capabilities{};
        return send_ehlo();
    }

    std::optional<reply> r;
    if (auto act = detail::next_reply(parser_, input_, r, diag_, finish_with))
        return *act;
    return on_reply(*r);
}

sansio::action session_fsm::on_reply(const reply& r)
{
    switch (step_)
    {
    case step::greeting:
        if (r.code() == 220)
            return send_ehlo();
        if (r.is_negative())
            return fail_reply(make_reply_error_code(r.code()), r,
                              "the server refused the session in its greeting");
        return fail_reply(mss::errc::unexpected_response, r, "the greeting is not 220");
    case step::ehlo:
        return on_ehlo(r);
    case step::starttls:
        if (r.code() == 220)
        {
            // Anything already received was sent in clear before the handshake, yet would be
            // read as if it came through TLS (CVE-2011-0411 and its successors).
            if (detail::has_leftover(parser_, input_))
                return fail(mss::errc::starttls_injection,
                            "bytes followed the STARTTLS reply before the TLS handshake");
            step_ = step::handshake;
            return sansio::action::start_tls();
        }
        if (r.is_negative())
            return fail_reply(make_reply_error_code(r.code()), r, "STARTTLS refused");
        return fail_reply(mss::errc::unexpected_response, r, "unexpected reply to STARTTLS");
    case step::auth:
    case step::auth_login_user:
    case step::auth_login_password:
    case step::auth_error:
        return on_auth_reply(r);
    case step::start:
    case step::handshake:
    case step::done:
        break;
    }
    return fail(mss::errc::unexpected_response, "reply in an unexpected state");
}

sansio::action session_fsm::on_ehlo(const reply& r)
{
    if (r.is_negative())
        return fail_reply(make_reply_error_code(r.code()), r, "EHLO refused");
    if (!r.is_positive_completion())
        return fail_reply(mss::errc::unexpected_response, r, "unexpected reply to EHLO");
    caps_ = capabilities::from_ehlo(r);
    if (!tls_active_)
    {
        // Checked before anything else is sent: in clear text nothing but STARTTLS may follow.
        if (!caps_.starttls)
            return fail(mss::errc::starttls_not_offered, "the server does not offer STARTTLS");
        out_.clear();
        write_starttls(out_);
        return write(step::starttls);
    }
    return start_auth();
}

sansio::action session_fsm::start_auth()
{
    const credentials& c = params_.auth;
    auth_mechanism m = c.mechanism;
    if (m == auth_mechanism::automatic)
    {
        if (c.kind == secret_kind::bearer_token)
            m = auth_mechanism::xoauth2;  // a token must never travel as a password
        else if (c.secret.empty())
            m = auth_mechanism::external;
        else if (caps_.offers_auth("PLAIN"))
            m = auth_mechanism::plain;
        else if (caps_.offers_auth("LOGIN"))
            m = auth_mechanism::login;
        else
            return fail(smtp::errc::auth_mechanism_unavailable,
                        "the server offers neither AUTH PLAIN nor AUTH LOGIN");
    }
    if (m == auth_mechanism::none)
    {
        if (detail::has_leftover(parser_, input_))
            return fail(mss::errc::unexpected_response, "the server sent a reply that was not asked for");
        ready_ = true;
        return finish({});
    }
    if (!caps_.offers_auth(mechanism_name(m)))
        return fail(smtp::errc::auth_mechanism_unavailable,
                    std::string("the server does not offer AUTH ") + mechanism_name(m));

    used_mechanism_ = m;
    out_.clear();
    secrets_.clear();
    switch (m)
    {
    case auth_mechanism::plain:
    {
        auto secret = write_auth_plain(out_, c.user, c.secret);
        if (!secret)
            return fail(secret.error(), "the credentials cannot be sent");
        secrets_.push_back(*secret);
        break;
    }
    case auth_mechanism::xoauth2:
    {
        auto secret = write_auth_xoauth2(out_, c.user, c.secret);
        if (!secret)
            return fail(secret.error(), "the credentials cannot be sent");
        secrets_.push_back(*secret);
        break;
    }
    case auth_mechanism::login:
        write_auth_login(out_);
        break;
    case auth_mechanism::external:
        (void)write_auth_external(out_);
        break;
    case auth_mechanism::automatic:
    case auth_mechanism::none:
        break;
    }
    return write(step::auth);
}

sansio::action session_fsm::on_auth_reply(const reply& r)
{
    const std::string what = std::string("AUTH ") + mechanism_name(used_mechanism_);
    if (r.is_positive_completion() && (step_ == step::auth || step_ == step::auth_login_password))
    {
        if (detail::has_leftover(parser_, input_))
            return fail(mss::errc::unexpected_response, "the server sent a reply that was not asked for");
        ready_ = true;
        return finish({});
    }
    if (r.code() == 334)
    {
        const credentials& c = params_.auth;
        if (used_mechanism_ == auth_mechanism::login &&
            (step_ == step::auth || step_ == step::auth_login_user))
        {
            const bool user = step_ == step::auth;
            out_.clear();
            secrets_.clear();
            auto secret = write_sasl_response(out_, user ? c.user : c.secret);
            if (!secret)
                return fail(secret.error(), "the credentials cannot be sent");
            secrets_.push_back(*secret);
            return write(user ? step::auth_login_user : step::auth_login_password);
        }
        if (used_mechanism_ == auth_mechanism::xoauth2 && step_ == step::auth)
        {
            // The error challenge is base64 JSON ({"status":"401",...}); keep it readable.
            std::string_view text = r.lines().front();
            auto decoded = mss::detail::base64_decode(text);
            challenge_ = decoded ? std::move(*decoded) : std::string(text);
            out_.clear();
            (void)write_sasl_response(out_, {});
            return write(step::auth_error);
        }
        return fail_reply(mss::errc::unexpected_response, r, "unexpected challenge during " + what);
    }
    if (r.is_negative())
    {
        boost::system::error_code ec;
        if (r.is_transient_failure())
            ec = make_reply_error_code(r.code());
        else if (r.code() == 504 || r.code() == 534)
            ec = smtp::errc::auth_mechanism_unavailable;
        else
            ec = smtp::errc::auth_failed;
        return fail_reply(ec, r, what + " refused");
    }
    return fail_reply(mss::errc::unexpected_response, r, "unexpected reply to " + what);
}

sansio::action session_fsm::send_ehlo()
{
    out_.clear();
    if (auto ec = write_ehlo(out_, params_.ehlo_domain))
        return fail(ec, "the EHLO domain cannot be sent");
    return write(step::ehlo);
}

sansio::action session_fsm::write(step next)
{
    // Every command of a session waits for its reply: a byte left over is a reply to nothing.
    if (detail::has_leftover(parser_, input_))
        return fail(mss::errc::unexpected_response, "the server sent a reply that was not asked for");
    step_ = next;
    awaiting_write_ = true;
    return sansio::action::write(out_);
}

sansio::action session_fsm::finish(boost::system::error_code ec)
{
    step_ = step::done;
    result_ = ec;
    wipe_output();
    wipe_secret();
    return sansio::action::done(ec);
}

sansio::action session_fsm::fail(boost::system::error_code ec, std::string message)
{
    diag_.set_client_message(std::move(message));
    return finish(ec);
}

sansio::action session_fsm::fail_reply(boost::system::error_code ec, const reply& r, std::string_view what)
{
    failed_reply_ = r;
    std::string server = r.text();
    if (!challenge_.empty())
        server = challenge_ + '\n' + server;
    diag_.set_server_message(std::move(server));
    return fail(ec, std::string(what) + " (" + detail::describe(r) + ")");
}

void session_fsm::wipe_output() noexcept
{
    detail::wipe(out_);
    secrets_.clear();
}

void session_fsm::wipe_secret() noexcept
{
    detail::wipe(params_.auth.secret);
}

}  // namespace mss::smtp
