// SPDX-License-Identifier: Apache-2.0
// The message state machine; the state table is in include/mss/smtp/submission.hpp.
#include <mss/smtp/submission.hpp>

#include <mss/error.hpp>
#include <mss/smtp/errc.hpp>

#include "smtp/fsm_support.hpp"

#include <algorithm>
#include <utility>

namespace mss::smtp
{
namespace
{

boost::system::error_code refusal_error(const reply& r)
{
    // 552 after MAIL FROM (SIZE) or after the data: the message is too big for this server.
    if (r.code() == 552)
        return smtp::errc::message_too_large;
    return make_reply_error_code(r.code());
}

}  // namespace

send_fsm::send_fsm(capabilities caps, send_params params)
    : caps_(std::move(caps)), params_(std::move(params)), parser_(params_.parser)
{
}

sansio::action send_fsm::resume(boost::system::error_code io_ec, std::string_view received)
{
    const char* during = step_ == step::mail   ? "MAIL FROM"
                         : step_ == step::rcpt ? "RCPT TO"
                         : step_ == step::data ? "DATA"
                         : step_ == step::body ? "the message data"
                                               : "RSET";
    const auto finish_with = [this](boost::system::error_code ec) { return finish(ec); };
    if (auto act = detail::open_resume(step_ == step::done, result_ec_, io_ec, during, received, input_,
                                       diag_, finish_with))
        return *act;
    if (step_ == step::start)
        return start();
    if (awaiting_write_)
    {
        awaiting_write_ = false;
        out_.clear();
        if (step_ == step::body && body_offset_ < params_.message.size())
            return write_body_chunk();
    }

    // With PIPELINING one read may carry several replies: handle all of them before reading.
    for (;;)
    {
        std::optional<reply> r;
        if (auto act = detail::next_reply(parser_, input_, r, diag_, finish_with))
            return *act;
        if (auto next = on_reply(*r))
            return *next;
    }
}

sansio::action send_fsm::start()
{
    diag_.clear();
    if (params_.recipients.empty())
        return fail(mss::errc::invalid_argument, "the message has no recipient");

    const std::uint64_t size = params_.size_hint.value_or(params_.message.size());
    if (!caps_.accepts_size(size))
    {
        return fail(smtp::errc::message_too_large, "the message (" + std::to_string(size) +
                                                       " bytes) exceeds the server's SIZE limit (" +
                                                       std::to_string(caps_.max_size) + " bytes)");
    }
    if (params_.eight_bit && !caps_.eight_bit_mime)
        return fail(smtp::errc::eight_bit_not_supported,
                    "the message is 8-bit and the server lacks 8BITMIME");

    bool utf8 = params_.smtputf8 || (params_.sender && !params_.sender->is_ascii());
    for (const auto& r : params_.recipients) utf8 = utf8 || !r.address.is_ascii();
    if (utf8 && !caps_.smtputf8)
        return fail(smtp::errc::smtputf8_required,
                    "an address or the message needs SMTPUTF8 and the server lacks it");

    // Every command is written before the first byte goes out, so a refused argument sends nothing.
    mail_parameters mail;
    if (caps_.size_declared)
        mail.size = size;
    if ((params_.eight_bit || utf8) && caps_.eight_bit_mime)
        mail.body = body_type::eight_bit_mime;
    mail.smtputf8 = utf8;
    if (caps_.dsn)
    {
        mail.ret = params_.ret;
        mail.envid = params_.envid;
    }
    const std::string sender = params_.sender ? params_.sender->str() : std::string();
    if (auto ec = write_mail_from(mail_line_, sender, mail))
        return fail(ec, "MAIL FROM cannot be written (ENVID too long or not printable ASCII)");

    result_.recipients.clear();
    rcpt_lines_.clear();
    for (std::size_t i = 0; i < params_.recipients.size(); ++i)
    {
        const recipient& r = params_.recipients[i];
        result_.recipients.push_back(recipient_result{r.address, false, 0, std::nullopt, {}});
        rcpt_parameters rcpt;
        std::string original;
        if (caps_.dsn)
        {
            rcpt.notify = r.notify;
            if (r.original)
                original = r.original->str();
            rcpt.original_recipient = original;
        }
        std::string line;
        if (auto ec = write_rcpt_to(line, r.address.str(), rcpt))
        {
            return fail(ec, "RCPT TO cannot be written for recipient " + std::to_string(i + 1) +
                                " (NOTIFY combination or ORCPT refused)");
        }
        rcpt_lines_.push_back(std::move(line));
    }

    out_ = mail_line_;
    if (caps_.pipelining)
    {
        // RFC 2920: MAIL, RCPT and DATA may go together; the replies come back in order.
        for (const auto& line : rcpt_lines_) out_ += line;
        write_data(out_);
    }
    return write(step::mail);
}

std::optional<sansio::action> send_fsm::on_reply(const reply& r)
{
    switch (step_)
    {
    case step::mail:
        if (r.is_positive_completion())
        {
            mail_accepted_ = true;
        }
        else if (r.is_negative())
        {
            if (!caps_.pipelining)
                return fail_reply(refusal_error(r), r, "MAIL FROM refused");
            // The pipelined RCPT and DATA replies are still on their way: read them first.
            mail_error_ = refusal_error(r);
            record_failure(r, "MAIL FROM refused");
        }
        else
        {
            return fail_reply(mss::errc::unexpected_response, r, "unexpected reply to MAIL FROM");
        }
        step_ = step::rcpt;
        rcpt_index_ = 0;
        if (!caps_.pipelining)
        {
            out_ = rcpt_lines_[0];
            return write(step::rcpt);
        }
        return std::nullopt;

    case step::rcpt:
    {
        if (!r.is_positive_completion() && !r.is_negative())
            return fail_reply(mss::errc::unexpected_response, r, "unexpected reply to RCPT TO");
        recipient_result& result = result_.recipients[rcpt_index_];
        result.accepted = r.is_positive_completion();
        result.code = r.code();
        result.enhanced_code = r.enhanced_code();
        result.text = r.text();
        ++rcpt_index_;
        if (rcpt_index_ < rcpt_lines_.size())
        {
            if (caps_.pipelining)
                return std::nullopt;
            out_ = rcpt_lines_[rcpt_index_];
            return write(step::rcpt);
        }
        if (caps_.pipelining)
        {
            step_ = step::data;
            return std::nullopt;
        }
        if (result_.accepted_count() == 0)
            return send_rset(all_refused());
        out_.clear();
        write_data(out_);
        return write(step::data);
    }

    case step::data:
        if (r.code() == 354)
        {
            if (mail_accepted_ && result_.accepted_count() != 0)
            {
                step_ = step::body;
                body_offset_ = 0;
                stuffer_.reset();
                return write_body_chunk();
            }
            // A server must refuse DATA without a valid recipient (RFC 2920 §3.1); this one did
            // not. End the data at once, empty, and abandon the transaction.
            pending_ = mail_error_ ? mail_error_ : all_refused();
            out_ = ".\r\n";
            return write(step::abort_body);
        }
        if (r.is_negative())
        {
            if (mail_error_)
                return complete(mail_error_);
            if (result_.accepted_count() == 0)
                return send_rset(all_refused());  // the expected 554/503 to a pipelined DATA
            record_failure(r, "DATA refused");
            return send_rset(make_reply_error_code(r.code()));
        }
        return fail_reply(mss::errc::unexpected_response, r, "unexpected reply to DATA");

    case step::body:
        result_.final_code = r.code();
        result_.final_reply = r.text();
        if (r.is_positive_completion())
            return complete({});
        if (r.is_negative())
            return fail_reply(refusal_error(r), r, "the message was refused after its data");
        return fail_reply(mss::errc::unexpected_response, r, "unexpected reply after the message data");

    case step::abort_body:
        return send_rset(pending_);

    case step::rset:
        // Whatever RSET got, the transaction that failed is what the caller must hear about.
        return complete(pending_);

    case step::start:
    case step::done:
        break;
    }
    return fail(mss::errc::unexpected_response, "reply in an unexpected state");
}

boost::system::error_code send_fsm::all_refused()
{
    std::string codes;
    std::string texts;
    for (const auto& r : result_.recipients)
    {
        if (r.accepted)
            continue;
        if (!codes.empty())
        {
            codes += ", ";
            texts += '\n';
        }
        codes += std::to_string(r.code);
        if (r.enhanced_code)
            codes += ' ' + r.enhanced_code->str();
        texts += r.text;
    }
    diag_.set_client_message("every recipient was refused (" + codes + ")");
    diag_.set_server_message(std::move(texts));
    return smtp::errc::all_recipients_refused;
}

sansio::action send_fsm::write_body_chunk()
{
    out_.clear();
    const std::string_view message = params_.message;
    const std::size_t n = std::min(data_chunk_size, message.size() - body_offset_);
    stuffer_.write(message.substr(body_offset_, n), out_);
    body_offset_ += n;
    if (body_offset_ == message.size())
        stuffer_.finish(out_);
    return write(step::body);
}

sansio::action send_fsm::send_rset(boost::system::error_code pending)
{
    pending_ = pending;
    out_.clear();
    write_rset(out_);
    return write(step::rset);
}

sansio::action send_fsm::write(step next)
{
    // Each write follows the last reply expected so far: anything more is a reply to nothing.
    if (detail::has_leftover(parser_, input_))
        return fail(mss::errc::unexpected_response, "the server sent a reply that was not asked for");
    step_ = next;
    awaiting_write_ = true;
    return sansio::action::write(out_);
}

sansio::action send_fsm::complete(boost::system::error_code ec)
{
    if (detail::has_leftover(parser_, input_))
        return fail(mss::errc::unexpected_response, "the server sent a reply that was not asked for");
    return finish(ec);
}

sansio::action send_fsm::finish(boost::system::error_code ec)
{
    step_ = step::done;
    result_ec_ = ec;
    out_.clear();
    return sansio::action::done(ec);
}

sansio::action send_fsm::fail(boost::system::error_code ec, std::string message)
{
    diag_.set_client_message(std::move(message));
    return finish(ec);
}

void send_fsm::record_failure(const reply& r, std::string_view what)
{
    failed_reply_ = r;
    diag_.set_server_message(r.text());
    diag_.set_client_message(std::string(what) + " (" + detail::describe(r) + ")");
}

sansio::action send_fsm::fail_reply(boost::system::error_code ec, const reply& r, std::string_view what)
{
    record_failure(r, what);
    return finish(ec);
}

}  // namespace mss::smtp
