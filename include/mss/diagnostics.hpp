// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::diagnostics`: the text that goes with an `error_code`.
 */
#pragma once

#include <mss/config.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mss {

/** @brief Where, in some input, a parser stopped. Lines and columns count from 1. */
struct input_position
{
    /** @brief Byte offset from the start of the input, counting from 0. */
    std::size_t offset = 0;
    /** @brief Line number (1-based); 0 when the input is not line-oriented. */
    std::size_t line = 0;
    /** @brief Column in bytes (1-based); 0 when unknown. */
    std::size_t column = 0;

    friend bool operator==(const input_position&, const input_position&) = default;
};

/** @brief Details of a failed operation, beyond its `error_code`.
 *
 *  Two messages are kept apart on purpose (after Boost.MySQL):
 *  - `client_message()` is written by the library. It never contains credentials or health data
 *    and may be logged.
 *  - `server_message()` is the peer's own text (an SMTP reply, an IMAP `NO` response). It may
 *    contain personal data (addresses, names, subjects): the library never logs it, and an
 *    application should not log it by default either.
 *
 *  Parsers also record the `position()` where the input broke.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API diagnostics
{
public:
    /** @brief Constructs empty diagnostics. */
    diagnostics() = default;

    /** @brief The library's own explanation; empty when none was recorded. */
    [[nodiscard]] const std::string& client_message() const noexcept { return client_message_; }

    /** @brief The peer's text; may contain personal data — do not log it by default. */
    [[nodiscard]] const std::string& server_message() const noexcept { return server_message_; }

    /** @brief Where in the input a parser stopped, when the failure was a parse error. */
    [[nodiscard]] const std::optional<input_position>& position() const noexcept { return position_; }

    /** @brief Replaces the library's message. */
    void set_client_message(std::string message) { client_message_ = std::move(message); }

    /** @brief Replaces the peer's message. */
    void set_server_message(std::string message) { server_message_ = std::move(message); }

    /** @brief Records the position where a parse failed. */
    void set_position(input_position position) noexcept { position_ = position; }

    /** @brief Empties every field, so the object can be reused for another operation. */
    void clear() noexcept
    {
        client_message_.clear();
        server_message_.clear();
        position_.reset();
    }

private:
    std::string client_message_;
    std::string server_message_;
    std::optional<input_position> position_;
};

}  // namespace mss
