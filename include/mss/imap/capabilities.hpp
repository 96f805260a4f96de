// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::capability_set`: what the server said it supports.
 */
#pragma once

#include <mss/config.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mss::imap {

/** @brief The capabilities of a server (from `* CAPABILITY` or a `[CAPABILITY ...]` code).
 *
 *  Owns its strings: it outlives the responses it was built from. Names compare ASCII
 *  case-insensitively. The capabilities the library acts on have shortcuts.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API capability_set
{
public:
    /** @brief Constructs an empty set (nothing known yet). */
    capability_set() = default;

    /** @brief Replaces the set with `atoms` (as sent by the server). */
    void assign(std::span<const std::string_view> atoms);

    /** @brief Forgets everything (e.g. after STARTTLS, RFC 3501 §6.2.1: earlier capabilities
     *         must be discarded). */
    void clear() noexcept;

    /** @brief True when nothing is known. */
    [[nodiscard]] bool empty() const noexcept { return names_.empty(); }

    /** @brief True when `name` (e.g. `"IDLE"`, `"AUTH=PLAIN"`) was announced. */
    [[nodiscard]] bool has(std::string_view name) const noexcept;

    /** @brief True when the SASL mechanism `mechanism` (`"XOAUTH2"`) was announced as `AUTH=...`. */
    [[nodiscard]] bool has_auth(std::string_view mechanism) const noexcept;

    /** @brief Every capability, upper-cased, in the order sent. */
    [[nodiscard]] std::span<const std::string> names() const noexcept { return names_; }

    /** @brief `IMAP4rev1`. */
    [[nodiscard]] bool imap4rev1() const noexcept { return bit(known::imap4rev1); }
    /** @brief `STARTTLS`. */
    [[nodiscard]] bool starttls() const noexcept { return bit(known::starttls); }
    /** @brief `LOGINDISABLED`: the LOGIN command must not be used. */
    [[nodiscard]] bool login_disabled() const noexcept { return bit(known::logindisabled); }
    /** @brief `SASL-IR` (RFC 4959): initial response on the AUTHENTICATE line. */
    [[nodiscard]] bool sasl_ir() const noexcept { return bit(known::sasl_ir); }
    /** @brief `LITERAL+` (RFC 7888): non-synchronising literals of any size. */
    [[nodiscard]] bool literal_plus() const noexcept { return bit(known::literal_plus); }
    /** @brief `LITERAL-` (RFC 7888): non-synchronising literals up to 4096 octets. */
    [[nodiscard]] bool literal_minus() const noexcept { return bit(known::literal_minus); }
    /** @brief `IDLE` (RFC 2177). */
    [[nodiscard]] bool idle() const noexcept { return bit(known::idle); }
    /** @brief `CONDSTORE` (RFC 7162). */
    [[nodiscard]] bool condstore() const noexcept { return bit(known::condstore); }
    /** @brief `QRESYNC` (RFC 7162). */
    [[nodiscard]] bool qresync() const noexcept { return bit(known::qresync); }
    /** @brief `ENABLE` (RFC 5161). */
    [[nodiscard]] bool enable() const noexcept { return bit(known::enable); }
    /** @brief `UIDPLUS` (RFC 4315). */
    [[nodiscard]] bool uidplus() const noexcept { return bit(known::uidplus); }
    /** @brief `MOVE` (RFC 6851). */
    [[nodiscard]] bool move() const noexcept { return bit(known::move); }
    /** @brief `SPECIAL-USE` (RFC 6154). */
    [[nodiscard]] bool special_use() const noexcept { return bit(known::special_use); }
    /** @brief `UTF8=ACCEPT` (RFC 6855). */
    [[nodiscard]] bool utf8_accept() const noexcept { return bit(known::utf8_accept); }
    /** @brief `ESEARCH` (RFC 4731). */
    [[nodiscard]] bool esearch() const noexcept { return bit(known::esearch); }
    /** @brief `BINARY` (RFC 3516). */
    [[nodiscard]] bool binary() const noexcept { return bit(known::binary); }

private:
    enum class known : std::uint32_t
    {
        imap4rev1,
        starttls,
        logindisabled,
        sasl_ir,
        literal_plus,
        literal_minus,
        idle,
        condstore,
        qresync,
        enable,
        uidplus,
        move,
        special_use,
        utf8_accept,
        esearch,
        binary,
    };

    [[nodiscard]] bool bit(known k) const noexcept { return (bits_ >> static_cast<std::uint32_t>(k)) & 1u; }

    std::vector<std::string> names_;
    std::uint32_t bits_ = 0;
};

}  // namespace mss::imap
