// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::sansio::action`: what a protocol state machine asks its I/O layer to do next.
 *
 *  The SMTP and IMAP sessions are written once, as state machines that never touch a socket
 *  (after Boost.MySQL's `next_action` and Boost.Redis's `reader_fsm::action`). An I/O layer — the
 *  Asio adapters of `mss::net`, a test script, an integrator's own transport — runs them with one
 *  loop:
 *
 *  @code
 *  auto act = fsm.resume({}, {});
 *  for (;;) {
 *      switch (act.type()) {
 *      case action::kind::write:     ec = write_all(act.bytes()); act = fsm.resume(ec, {}); break;
 *      case action::kind::read:      n = read_some(buf, ec);      act = fsm.resume(ec, {buf, n}); break;
 *      case action::kind::start_tls: ec = tls_handshake();        act = fsm.resume(ec, {}); break;
 *      case action::kind::done:      return act.error();
 *      }
 *  }
 *  @endcode
 *
 *  The bytes of a `write` action belong to the state machine and stay valid until the next call
 *  to `resume()`.
 */
#pragma once

#include <boost/system/error_code.hpp>

#include <string_view>

namespace mss::sansio {

/** @brief The next I/O step a state machine needs. A small value type with named constructors. */
class action
{
public:
    /** @brief What to do. */
    enum class kind
    {
        /** @brief Send `bytes()` completely, then resume with the write's error code. */
        write,
        /** @brief Read some bytes (any amount), then resume with them. */
        read,
        /** @brief Perform the TLS client handshake on the connection, then resume. */
        start_tls,
        /** @brief The operation is over, with `error()` (success when empty). */
        done,
    };

    /** @brief Asks the I/O layer to send `bytes`. */
    static action write(std::string_view bytes) noexcept { return action(kind::write, bytes, {}); }
    /** @brief Asks the I/O layer for more input. */
    static action read() noexcept { return action(kind::read, {}, {}); }
    /** @brief Asks the I/O layer to upgrade the connection to TLS now. */
    static action start_tls() noexcept { return action(kind::start_tls, {}, {}); }
    /** @brief Ends the operation with `ec` (default: success). */
    static action done(boost::system::error_code ec = {}) noexcept { return action(kind::done, {}, ec); }

    /** @brief The step to perform. */
    [[nodiscard]] kind type() const noexcept { return type_; }
    /** @brief For `write`: the bytes to send. */
    [[nodiscard]] std::string_view bytes() const noexcept { return bytes_; }
    /** @brief For `done`: the result. */
    [[nodiscard]] const boost::system::error_code& error() const noexcept { return error_; }

    /** @brief Equal when kind, bytes and error are equal (for tests). */
    friend bool operator==(const action& a, const action& b) noexcept
    {
        return a.type_ == b.type_ && a.bytes_ == b.bytes_ && a.error_ == b.error_;
    }

private:
    action(kind type, std::string_view bytes, boost::system::error_code ec) noexcept
        : type_(type), bytes_(bytes), error_(ec)
    {
    }

    kind type_;
    std::string_view bytes_;
    boost::system::error_code error_;
};

}  // namespace mss::sansio
