// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::imap::index_range`: a slice of one of the pools of a parsed FETCH response.
 */
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mss::imap {

/** @brief `count` consecutive elements of a pool, starting at `first`.
 *
 *  The parser stores addresses, parameters and languages of a FETCH response in flat vectors
 *  (reused from one response to the next, so that a steady stream of FETCH responses allocates
 *  nothing) and refers to them by index ranges rather than by pointers, which a growing vector
 *  would invalidate.
 */
struct index_range
{
    /** @brief Index of the first element. */
    std::uint32_t first = 0;
    /** @brief Number of elements. */
    std::uint32_t count = 0;

    /** @brief The elements of `pool` this range designates (empty when out of bounds). */
    template <class T>
    [[nodiscard]] std::span<const T> of(const std::vector<T>& pool) const noexcept
    {
        if (std::size_t{first} + count > pool.size())
            return {};
        return std::span<const T>(pool.data() + first, count);
    }

    friend bool operator==(const index_range&, const index_range&) = default;
};

}  // namespace mss::imap
