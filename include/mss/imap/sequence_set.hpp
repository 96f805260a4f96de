// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::sequence_set`: sets of message numbers or UIDs such as `1:5,7,9:*`.
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mss::imap {

/** @brief One `first:last` range of a sequence set; a single number has `first == last`. */
struct sequence_range
{
    /** @brief Lower bound (inclusive). */
    std::uint32_t first = 0;
    /** @brief Upper bound (inclusive); `sequence_set::star` stands for `*`, the largest number in
     *         use in the mailbox. */
    std::uint32_t last = 0;

    friend bool operator==(const sequence_range&, const sequence_range&) = default;
};

/** @brief A set of message sequence numbers or UIDs (RFC 3501 `sequence-set`).
 *
 *  Built from UIDs (compressed into ranges) to write commands, or parsed from a server's
 *  `VANISHED`, `ESEARCH ALL`, `COPYUID`, `APPENDUID` or `MODIFIED` data.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: unsafe.
 */
class MSS_API sequence_set
{
public:
    /** @brief The value that stands for `*` (so the number 2^32-1 itself reads as `*`). */
    static constexpr std::uint32_t star = std::numeric_limits<std::uint32_t>::max();

    /** @brief Constructs an empty set (which cannot be written: IMAP has no empty set). */
    sequence_set() = default;

    /** @brief Builds the shortest set holding `numbers` (any order, duplicates allowed; 0 ignored):
     *         `{1,2,3,4,5,7,9}` becomes `1:5,7,9`. */
    static sequence_set from_numbers(std::span<const std::uint32_t> numbers);

    /** @brief Parses `text` (e.g. `1:5,7,9:*`); `n:m` with `n > m` is stored as `m:n`.
     *  @par Errors
     *  `mss::errc::malformed_response` on an empty set, a zero, a number above 2^32-1 or any other
     *  character.
     */
    static boost::system::result<sequence_set> parse(std::string_view text);

    /** @brief Parses `text` into `out`, reusing its storage (see the other overload). */
    static boost::system::error_code parse(std::string_view text, sequence_set& out);

    /** @brief Appends `n` (`star` allowed) as a range of its own, or extends the last range when
     *         `n` follows it. */
    void add(std::uint32_t n);

    /** @brief Appends the range `first:last` (order of the bounds does not matter). */
    void add_range(std::uint32_t first, std::uint32_t last);

    /** @brief The ranges, in the order they were added or parsed. */
    [[nodiscard]] std::span<const sequence_range> ranges() const noexcept { return ranges_; }

    /** @brief True when the set holds nothing. */
    [[nodiscard]] bool empty() const noexcept { return ranges_.empty(); }

    /** @brief True when `n` is in one of the ranges (`*` is compared as the largest number). */
    [[nodiscard]] bool contains(std::uint32_t n) const noexcept;

    /** @brief How many numbers the set holds, counting ranges that end in `*` up to 2^32-1 and
     *         overlapping ranges twice. */
    [[nodiscard]] std::uint64_t count() const noexcept;

    /** @brief Appends the IMAP form (`1:5,7,9:*`) to `out`. */
    void append_to(std::string& out) const;

    /** @brief Returns the IMAP form. */
    [[nodiscard]] std::string to_string() const;

    /** @brief Empties the set, keeping its storage. */
    void clear() noexcept { ranges_.clear(); }

    friend bool operator==(const sequence_set&, const sequence_set&) = default;

private:
    std::vector<sequence_range> ranges_;
};

}  // namespace mss::imap
