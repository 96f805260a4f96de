// SPDX-License-Identifier: Apache-2.0
#include "common/helpers.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>
#include <ctime>
#include <exception>
#include <iostream>

namespace example {

void check(bool ok, const std::string& what)
{
    if (!ok)
        throw failure(what);
    std::cout << "  ok: " << what << '\n';
}

void check_ok(const boost::system::error_code& ec, const mss::diagnostics& diag, const std::string& what)
{
    if (!ec)
        return;
    std::string message = what + ": " + ec.message();
    if (!diag.client_message().empty())
        message += " — " + diag.client_message();
    if (!diag.server_message().empty())
        message += " (server: " + diag.server_message() + ")";
    throw failure(message);
}

mss::domain::email_address address(std::string_view text)
{
    auto parsed = mss::domain::email_address::parse(text);
    if (!parsed)
        throw failure("not an address: " + std::string(text));
    return std::move(*parsed);
}

std::filesystem::path data_file(std::string_view name)
{
    return std::filesystem::path(MSS_EXAMPLES_SOURCE_DIR) / "data" / name;
}

std::string unique_marker()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
    return std::string(stamp) + "-" + std::to_string(::getpid());
}

int run(boost::asio::io_context& io, boost::asio::awaitable<void> task, std::string_view success)
{
    std::exception_ptr error;
    boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e) { error = e; });
    try
    {
        io.run();
        if (error)
            std::rethrow_exception(error);
    }
    catch (const std::exception& e)
    {
        std::cerr << "\nFAILED: " << e.what() << '\n';
        return 1;
    }
    std::cout << '\n' << success << '\n';
    return 0;
}

boost::asio::awaitable<std::uint32_t> wait_for_delivery(mss::transport::mailbox_access& access,
                                                        const std::string& folder,
                                                        const std::string& message_id,
                                                        std::chrono::seconds timeout)
{
    constexpr auto await = boost::asio::as_tuple(boost::asio::use_awaitable);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    boost::asio::steady_timer pause(co_await boost::asio::this_coro::executor);
    mss::diagnostics diag;
    while (true)
    {
        auto [ec, uid] = co_await access.async_find_message_id(folder, message_id, diag, await);
        check_ok(ec, diag, "cannot search " + folder);
        if (uid)
            co_return *uid;
        if (std::chrono::steady_clock::now() > deadline)
            throw failure("the message " + message_id + " never arrived in " + folder);
        pause.expires_after(std::chrono::milliseconds(200));
        co_await pause.async_wait(boost::asio::use_awaitable);
    }
}

}  // namespace example
