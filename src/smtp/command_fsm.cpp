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
    if (step_ == step::done)
        return sansio::action::done(result_);
    if (io_ec)
    {
        diag_.set_client_message(std::string("I/O error during ") + name);
        return finish(io_ec);
    }
    input_.append(received);
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

    std::optional<reply> r;
    boost::system::error_code ec;
    switch (detail::next_reply(parser_, input_, r, ec, diag_))
    {
    case detail::read_status::need_more:
        return sansio::action::read();
    case detail::read_status::failed:
        return finish(ec);
    case detail::read_status::reply:
        break;
    }
    reply_ = std::move(r);
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
