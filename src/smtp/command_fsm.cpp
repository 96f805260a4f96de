// SPDX-License-Identifier: Apache-2.0
#include <mss/smtp/submission.hpp>

#include <mss/error.hpp>
#include <mss/smtp/errc.hpp>

#include "smtp/fsm_support.hpp"

#include <utility>

namespace mss::smtp
{

command_fsm::command_fsm(command cmd, reply_parser_options parser) : command_(cmd), parser_(parser) {}

sansio::action command_fsm::resume(boost::system::error_code io_ec, std::string_view received)
{
    const char* name = command_ == command::rset ? "RSET" : command_ == command::noop ? "NOOP" : "QUIT";
    const auto finish_with = [this](boost::system::error_code ec) { return finish(ec); };
    if (auto act = detail::open_resume(step_ == step::done, result_, io_ec, name, received, input_, diag_,
                                       finish_with))
        return *act;
    if (step_ == step::start)
    {
        diag_.clear();
        if (detail::has_leftover(parser_, input_))
        {
            diag_.set_client_message("the server sent a reply that was not asked for");
            return finish(mss::errc::unexpected_response);
        }
        out_ = name;
        out_ += "\r\n";
        step_ = step::written;
        return sansio::action::write(out_);
    }
    step_ = step::reading;

    if (auto act = detail::next_reply(parser_, input_, reply_, diag_, finish_with))
        return *act;
    if (reply_->is_positive_completion())
    {
        if (detail::has_leftover(parser_, input_))
        {
            diag_.set_client_message("the server sent a reply that was not asked for");
            return finish(mss::errc::unexpected_response);
        }
        return finish({});
    }
    diag_.set_server_message(reply_->text());
    diag_.set_client_message(std::string(name) +
                             (reply_->is_negative() ? " refused (" : " got an unexpected reply (") +
                             detail::describe(*reply_) + ")");
    return finish(reply_->is_negative() ? make_reply_error_code(reply_->code())
                                        : mss::make_error_code(mss::errc::unexpected_response));
}

sansio::action command_fsm::finish(boost::system::error_code ec)
{
    step_ = step::done;
    result_ = ec;
    return sansio::action::done(ec);
}

}  // namespace mss::smtp
