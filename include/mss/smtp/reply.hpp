// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::smtp::reply`: one complete server reply (code, enhanced status code, text lines),
 *         and `mss::smtp::enhanced_status_code` (RFC 3463, RFC 2034).
 */
#pragma once

#include <mss/config.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mss::smtp {

/** @brief An enhanced mail system status code `class.subject.detail` (RFC 3463), e.g. `5.1.1`.
 *
 *  Servers that advertise ENHANCEDSTATUSCODES (RFC 2034) put it at the start of the text of
 *  every line of a reply, followed by a space.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for `const` use.
 */
struct MSS_API enhanced_status_code
{
    /** @brief 2 (success), 4 (persistent transient failure) or 5 (permanent failure). */
    int status_class = 0;
    /** @brief The subject (0–999): 1 addressing, 2 mailbox, 3 mail system, 4 network, 5 protocol,
     *         6 content, 7 security or policy.
     */
    int subject = 0;
    /** @brief The detail (0–999), meaning depends on the subject (`5.1.1`: bad mailbox). */
    int detail = 0;

    /** @brief Parses exactly `class.subject.detail` (class 2, 4 or 5; subject and detail of one to
     *         three digits). Anything else, surrounding spaces included, gives `std::nullopt`.
     */
    [[nodiscard]] static std::optional<enhanced_status_code> parse(std::string_view text) noexcept;

    /** @brief The dotted form, such as `"5.1.1"`. */
    [[nodiscard]] std::string str() const;

    /** @brief Equal when the three numbers are equal. */
    friend bool operator==(const enhanced_status_code&, const enhanced_status_code&) = default;
};

/** @brief A complete SMTP reply (RFC 5321 §4.2): a three-digit code and one or more text lines.
 *
 *  Built by `reply_parser`; tests and transports may also build replies directly. The text lines
 *  are kept exactly as received (without the code, the separator and CRLF). The server's text
 *  may contain personal data (addresses, names): the library never logs it.
 *
 *  The enhanced status code is taken from the start of the first line when it is there and its
 *  class agrees with the reply code's first digit (RFC 2034 requires both); otherwise
 *  `enhanced_code()` is empty.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe for `const` use.
 */
class MSS_API reply
{
public:
    /** @brief Makes a reply from its code and its lines (each without code, separator or CRLF).
     *
     *  An empty `lines` is taken as one empty line. `code` is expected in 200–599; the parser
     *  never produces anything else.
     */
    reply(int code, std::vector<std::string> lines);

    /** @brief The three-digit reply code (200–599). */
    [[nodiscard]] int code() const noexcept { return code_; }

    /** @brief The enhanced status code of the first line, when present and consistent. */
    [[nodiscard]] const std::optional<enhanced_status_code>& enhanced_code() const noexcept
    {
        return enhanced_;
    }

    /** @brief The text of every line, as received (enhanced status codes included). Never empty. */
    [[nodiscard]] const std::vector<std::string>& lines() const noexcept { return lines_; }

    /** @brief The lines joined with `'\n'`, with the enhanced status code and its space removed
     *         from every line that starts with it. For diagnostics and per-recipient results.
     */
    [[nodiscard]] std::string text() const;

    /** @brief 2yz: the command succeeded. */
    [[nodiscard]] bool is_positive_completion() const noexcept { return code_ / 100 == 2; }
    /** @brief 3yz: the server waits for more (354 after DATA, 334 during AUTH). */
    [[nodiscard]] bool is_intermediate() const noexcept { return code_ / 100 == 3; }
    /** @brief 4yz: refused for now; the same command may succeed later. */
    [[nodiscard]] bool is_transient_failure() const noexcept { return code_ / 100 == 4; }
    /** @brief 5yz: refused; repeating the same command will fail again. */
    [[nodiscard]] bool is_permanent_failure() const noexcept { return code_ / 100 == 5; }
    /** @brief 4yz or 5yz. */
    [[nodiscard]] bool is_negative() const noexcept
    {
        return is_transient_failure() || is_permanent_failure();
    }

    /** @brief Equal when code and lines are equal (the enhanced code derives from them). */
    friend bool operator==(const reply& a, const reply& b) noexcept
    {
        return a.code_ == b.code_ && a.lines_ == b.lines_;
    }

private:
    int code_;
    std::optional<enhanced_status_code> enhanced_;
    std::vector<std::string> lines_;
};

}  // namespace mss::smtp
