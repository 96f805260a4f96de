// SPDX-License-Identifier: Apache-2.0
// One operation at a time, stopped by its handler's terminal cancellation: the bookkeeping that
// every client of mss::net (SMTP, IMAP, directory) keeps the same way.
#pragma once

#include <mss/diagnostics.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>

#include <memory>

namespace mss::net::detail
{

// A client refuses a second operation while one runs, and a terminal cancellation of the running
// operation's handler calls the client's `abort()` (which closes the socket and calls
// `cancel()`); the operation's steps then see `cancelled()` and complete with operation_aborted.
// The slot's handler holds the client weakly: a client destroyed first is not kept alive by it.
class operation_guard
{
public:
    /** Starts an operation for `handler`; false when one is already running. */
    template <class Handler, class Client>
    bool begin(Handler& handler, const std::shared_ptr<Client>& client)
    {
        if (busy_)
            return false;
        busy_ = true;
        cancelled_ = false;
        slot_ = boost::asio::get_associated_cancellation_slot(handler);
        if (slot_.is_connected())
        {
            std::weak_ptr<Client> weak = client;
            slot_.assign(
                [weak](boost::asio::cancellation_type type)
                {
                    if ((type & boost::asio::cancellation_type::terminal) ==
                        boost::asio::cancellation_type::none)
                        return;
                    if (auto self = weak.lock())
                        self->abort();
                });
        }
        return true;
    }

    /** Ends the running operation: detaches from its handler's slot, and allows the next one. */
    void end() noexcept
    {
        if (slot_.is_connected())
            slot_.clear();
        slot_ = {};
        busy_ = false;
    }

    /** Records that the running operation was cancelled (until the next `begin`). */
    void cancel() noexcept { cancelled_ = true; }

    /** For an operation that was cancelled and failed: its error becomes operation_aborted, and
     *  `diag` says so. An operation that succeeded just before the cancellation keeps its
     *  result: it happened. Tells whether the operation was cancelled. */
    bool report_cancellation(boost::system::error_code& ec, diagnostics& diag) const
    {
        if (!cancelled_)
            return false;
        if (ec)
        {
            ec = boost::asio::error::operation_aborted;
            diag.set_client_message("the operation was cancelled");
        }
        return true;
    }

    [[nodiscard]] bool busy() const noexcept { return busy_; }
    [[nodiscard]] bool cancelled() const noexcept { return cancelled_; }

private:
    boost::asio::cancellation_slot slot_;  // of the running operation's handler
    bool busy_ = false;
    bool cancelled_ = false;
};

/** What close() means for every client: a running operation is aborted (it completes with
 *  operation_aborted and lets go of the connection itself, never destroyed under it); without
 *  one, the idle connection is dropped at once. `Client` has `operation`, `abort()` and
 *  `drop_connection()`. */
template <class Client>
void close_client(Client& client) noexcept
{
    if (client.operation.busy())
        client.abort();
    else
        client.drop_connection();
}

}  // namespace mss::net::detail
