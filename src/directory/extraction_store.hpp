// SPDX-License-Identifier: Apache-2.0
// Storage of the extraction index (internal to mss::core).
//
// Theory of operation. A million rows of 31 text columns must fit in a few hundred megabytes and
// answer a prefix search in well under a millisecond, so nothing is stored per row as an object:
//
// - every repetitive column (names, professions, cities, street names...) is *interned*: its
//   distinct values live once in a `string_pool` (one character buffer plus offsets), and each
//   row holds only the value's number, in a `packed_ids` column of 1, 2 or 4 bytes per row
//   depending on how many distinct values there are;
// - the three columns unique per row (address, person identifier, national identifier) are a
//   `string_column`: one buffer, one offset per row;
// - rows are sorted once, at load, in the order results are shown (family name, given name,
//   organisation, then file order), so "the first N results" are the N smallest row numbers;
//   family values are numbered in that same order, so the rows of a set of family values, read
//   value by value in increasing order, come out in display order (the searcher streams them);
// - each searchable column (family, given, organisation, trade name, city) has a `word_index`:
//   the folded words of its distinct values ("d aubigne" gives "d", "aubigne" and the joined
//   "daubigne"), sorted, each with its value number and a running total of rows. A prefix is two
//   binary searches, and the number of rows it can match is a subtraction: the query planner
//   gets exact-enough estimates for free;
// - each searched column also has `postings`: for each value, its rows in ascending order
//   (compressed sparse rows: one offset array, one row array).
//
// The loader (extraction_load.cpp) fills a `store`; the searcher (extraction_search.cpp) only
// reads it. A store is never modified after it is built.
#pragma once

#include <mss/directory/extraction_index.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace mss::directory::detail
{

// ---- hashing ---------------------------------------------------------------------------------

inline std::uint64_t mix64(std::uint64_t h) noexcept
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/** A fast non-cryptographic hash of bytes (the inputs are a public file's values). Short
 *  inputs, most of the file's fields, take overlapping word loads instead of a byte loop. */
inline std::uint64_t hash_bytes(std::string_view s) noexcept
{
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    const auto load64 = [](const unsigned char* q)
    {
        std::uint64_t w;
        std::memcpy(&w, q, 8);
        return w;
    };
    const auto load32 = [](const unsigned char* q)
    {
        std::uint32_t w;
        std::memcpy(&w, q, 4);
        return std::uint64_t{w};
    };
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xC2B2AE3D27D4EB4FULL);
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    if (n >= 8)
    {
        std::size_t i = 0;
        for (; i + 8 < n; i += 8) h = (h ^ mix64(load64(p + i))) * 0x9E3779B97F4A7C15ULL;
        a = load64(p + n - 8);  // the last 8 bytes, overlapping the loop's last word
    }
    else if (n >= 4)
    {
        a = load32(p);
        b = load32(p + n - 4);
    }
    else if (n > 0)
    {
        a = (std::uint64_t{p[0]} << 16) | (std::uint64_t{p[n >> 1]} << 8) | p[n - 1];
    }
    return mix64(h ^ mix64(a + 1) ^ (b * 0xff51afd7ed558ccdULL));
}

/** Byte equality without a library call for the short strings most fields are. */
inline bool same_bytes(std::string_view a, std::string_view b) noexcept
{
    const std::size_t n = a.size();
    if (n != b.size())
        return false;
    if (n > 16)
        return std::memcmp(a.data(), b.data(), n) == 0;
    const auto word = [](const char* p, std::size_t k)
    {
        std::uint64_t w = 0;
        std::memcpy(&w, p, k);
        return w;
    };
    if (n >= 8)
        return word(a.data(), 8) == word(b.data(), 8) &&
               word(a.data() + n - 8, 8) == word(b.data() + n - 8, 8);
    if (n >= 4)
        return word(a.data(), 4) == word(b.data(), 4) &&
               word(a.data() + n - 4, 4) == word(b.data() + n - 4, 4);
    for (std::size_t i = 0; i < n; ++i)
    {
        if (a[i] != b[i])
            return false;
    }
    return true;
}

inline char lower_ascii(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/** Hash of the ASCII-lowercased text: addresses are looked up without regard to case. */
inline std::uint64_t hash_lower(std::string_view s) noexcept
{
    std::array<char, 320> buffer;
    if (s.size() > buffer.size())
        s = s.substr(0, buffer.size());
    for (std::size_t i = 0; i < s.size(); ++i) buffer[i] = lower_ascii(s[i]);
    return hash_bytes(std::string_view(buffer.data(), s.size()));
}

inline bool iequal_ascii(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        if (lower_ascii(a[i]) != lower_ascii(b[i]))
            return false;
    }
    return true;
}

// ---- strings -------------------------------------------------------------------------------

/** Distinct values of one column: value `i` is `chars[offsets[i], offsets[i+1])`. */
struct string_pool
{
    std::string chars;
    std::vector<std::uint32_t> offsets{0};

    [[nodiscard]] std::size_t size() const noexcept { return offsets.size() - 1; }

    [[nodiscard]] std::string_view get(std::uint32_t id) const noexcept
    {
        return {chars.data() + offsets[id], offsets[id + 1] - offsets[id]};
    }

    std::uint32_t append(std::string_view s)
    {
        chars.append(s);
        offsets.push_back(static_cast<std::uint32_t>(chars.size()));
        return static_cast<std::uint32_t>(offsets.size() - 2);
    }

    [[nodiscard]] std::size_t memory() const noexcept
    {
        return chars.capacity() + offsets.capacity() * sizeof(std::uint32_t);
    }
};

/** Row-unique text (addresses, identifiers): the same layout, one entry per row. */
using string_column = string_pool;

/** Row values of an interned column, 1, 2 or 4 bytes each. */
class packed_ids
{
public:
    packed_ids() = default;

    /** Packs `ids`, whose values are all below `distinct`. */
    packed_ids(const std::vector<std::uint32_t>& ids, std::size_t distinct)
    {
        width_ = distinct <= 0x100 ? 1 : distinct <= 0x10000 ? 2 : 4;
        bytes_.resize(ids.size() * width_);
        switch (width_)
        {
        case 1:
            for (std::size_t i = 0; i < ids.size(); ++i) bytes_[i] = static_cast<std::uint8_t>(ids[i]);
            break;
        case 2:
            for (std::size_t i = 0; i < ids.size(); ++i)
            {
                const auto v = static_cast<std::uint16_t>(ids[i]);
                std::memcpy(bytes_.data() + 2 * i, &v, 2);
            }
            break;
        default:
            std::memcpy(bytes_.data(), ids.data(), ids.size() * 4);
            break;
        }
    }

    [[nodiscard]] std::uint32_t get(std::size_t row) const noexcept
    {
        switch (width_)
        {
        case 1:
            return bytes_[row];
        case 2:
        {
            std::uint16_t v;
            std::memcpy(&v, bytes_.data() + 2 * row, 2);
            return v;
        }
        default:
        {
            std::uint32_t v;
            std::memcpy(&v, bytes_.data() + 4 * row, 4);
            return v;
        }
        }
    }

    /** The same values in the order `order` gives: result[i] = this[order[i]]. */
    [[nodiscard]] packed_ids permuted(const std::vector<std::uint32_t>& order) const
    {
        packed_ids out;
        out.width_ = width_;
        out.bytes_.resize(order.size() * width_);
        switch (width_)
        {
        case 1:
            for (std::size_t i = 0; i < order.size(); ++i) out.bytes_[i] = bytes_[order[i]];
            break;
        case 2:
            for (std::size_t i = 0; i < order.size(); ++i)
                std::memcpy(out.bytes_.data() + 2 * i, bytes_.data() + 2 * std::size_t{order[i]}, 2);
            break;
        default:
            for (std::size_t i = 0; i < order.size(); ++i)
                std::memcpy(out.bytes_.data() + 4 * i, bytes_.data() + 4 * std::size_t{order[i]}, 4);
            break;
        }
        return out;
    }

    [[nodiscard]] std::size_t memory() const noexcept { return bytes_.capacity(); }

private:
    std::vector<std::uint8_t> bytes_;
    std::size_t width_ = 1;
};

/** For each value, its rows in ascending order. */
struct postings
{
    std::vector<std::uint32_t> offsets;  // size: values + 1
    std::vector<std::uint32_t> rows;

    [[nodiscard]] std::size_t count(std::uint32_t value) const noexcept
    {
        return offsets[value + 1] - offsets[value];
    }

    [[nodiscard]] const std::uint32_t* begin(std::uint32_t value) const noexcept
    {
        return rows.data() + offsets[value];
    }

    [[nodiscard]] const std::uint32_t* end(std::uint32_t value) const noexcept
    {
        return rows.data() + offsets[value + 1];
    }

    [[nodiscard]] std::size_t memory() const noexcept
    {
        return (offsets.capacity() + rows.capacity()) * sizeof(std::uint32_t);
    }
};

/** The folded words of a column's values, sorted, for prefix searches. */
struct word_index
{
    struct item
    {
        std::uint32_t offset;  // in `chars`
        std::uint32_t length;
        std::uint32_t value;  // the column's value this word belongs to
    };

    std::string chars;
    std::vector<item> items;                // sorted by word, then value
    std::vector<std::uint64_t> cumulative;  // rows of items [0, i): size items + 1

    [[nodiscard]] std::string_view word(const item& it) const noexcept
    {
        return std::string_view(chars).substr(it.offset, it.length);
    }

    /** Items whose word starts with `prefix`: [first, last). */
    [[nodiscard]] std::pair<std::size_t, std::size_t> find_prefix(std::string_view prefix) const noexcept
    {
        const auto lo = std::partition_point(items.begin(), items.end(),
                                             [&](const item& it) { return word(it) < prefix; });
        const auto hi = std::partition_point(
            lo, items.end(), [&](const item& it) { return word(it).substr(0, prefix.size()) == prefix; });
        return {static_cast<std::size_t>(lo - items.begin()), static_cast<std::size_t>(hi - items.begin())};
    }

    [[nodiscard]] std::size_t memory() const noexcept
    {
        return chars.capacity() + items.capacity() * sizeof(item) +
               cumulative.capacity() * sizeof(std::uint64_t);
    }
};

// ---- columns ------------------------------------------------------------------------------

/** The known columns of the ANS file, in the published order, and the optional extras. */
enum column : int
{
    col_type_bal,
    col_address,
    col_person_id_kind,
    col_person_id,
    col_national_person_id,
    col_structure_id_kind,
    col_structure_id,
    col_service,
    col_civility,
    col_family,
    col_given,
    col_category,
    col_category_label,
    col_profession,
    col_profession_label,
    col_specialty,
    col_specialty_label,
    col_paperless,
    col_company,
    col_trade_name,
    col_l2,
    col_l3,
    col_l4_number,
    col_l4_number_complement,
    col_l4_street_type,
    col_l4_street,
    col_l5,
    col_l6,
    col_postal_code,
    col_department,
    col_country,
    col_liste_rouge,  // not in the public file: private extractions may add it
    column_count,
};

/** Whether a column is stored as one string per row rather than interned. */
constexpr bool is_row_unique(int c) noexcept
{
    return c == col_address || c == col_person_id || c == col_national_person_id;
}

/** The searchable fields, each with its dictionary, word index and postings. `city` is derived
 *  from the delivery line (L6) at load. */
enum field : int
{
    field_family,
    field_given,
    field_company,
    field_trade_name,
    field_city,
    field_count,
};

/** The exact-match filters with postings. */
enum filter : int
{
    filter_profession,
    filter_specialty,
    filter_postal_code,
    filter_department,
    filter_type,
    filter_count,
};

/** A hash with its row, sorted by hash: a compact multimap for exact lookups. */
struct hashed_row
{
    std::uint32_t hash;
    std::uint32_t row;

    friend bool operator<(const hashed_row& a, const hashed_row& b) noexcept
    {
        return a.hash != b.hash ? a.hash < b.hash : a.row < b.row;
    }
};

}  // namespace mss::directory::detail

namespace mss::directory
{

/** Everything an index holds (see the file comment). */
struct extraction_index::impl
{
    std::size_t rows = 0;
    std::uint64_t fingerprint = 0;

    // Row-unique strings.
    detail::string_column address;
    detail::string_column person_id;
    detail::string_column national_person_id;
    // Mailbox type per row (domain::mailbox_type as a byte).
    std::vector<std::uint8_t> type;
    // Interned columns (unused slots for the row-unique ones and the liste-rouge flag).
    std::array<detail::string_pool, detail::column_count> pools;
    std::array<detail::packed_ids, detail::column_count> ids;
    // The derived city column.
    detail::string_pool city_pool;
    detail::packed_ids city_ids;

    std::array<detail::word_index, detail::field_count> words;
    std::array<detail::postings, detail::field_count> field_postings;
    std::array<detail::postings, detail::filter_count> filter_postings;
    // For exact filters: the values of the column sorted by text, to find a value's number.
    std::array<std::vector<std::uint32_t>, detail::filter_count> sorted_values;

    std::vector<detail::hashed_row> by_address;     // lowercased address
    std::vector<detail::hashed_row> by_identifier;  // person id, national id, structure id

    [[nodiscard]] const detail::string_pool& field_pool(int f) const noexcept
    {
        switch (f)
        {
        case detail::field_family:
            return pools[detail::col_family];
        case detail::field_given:
            return pools[detail::col_given];
        case detail::field_company:
            return pools[detail::col_company];
        case detail::field_trade_name:
            return pools[detail::col_trade_name];
        default:
            return city_pool;
        }
    }

    [[nodiscard]] std::uint32_t field_value(int f, std::size_t row) const noexcept
    {
        switch (f)
        {
        case detail::field_family:
            return ids[detail::col_family].get(row);
        case detail::field_given:
            return ids[detail::col_given].get(row);
        case detail::field_company:
            return ids[detail::col_company].get(row);
        case detail::field_trade_name:
            return ids[detail::col_trade_name].get(row);
        default:
            return city_ids.get(row);
        }
    }

    [[nodiscard]] std::uint32_t filter_value(int f, std::size_t row) const noexcept
    {
        switch (f)
        {
        case detail::filter_profession:
            return ids[detail::col_profession].get(row);
        case detail::filter_specialty:
            return ids[detail::col_specialty].get(row);
        case detail::filter_postal_code:
            return ids[detail::col_postal_code].get(row);
        case detail::filter_department:
            return ids[detail::col_department].get(row);
        default:
            return type[row];
        }
    }

    [[nodiscard]] std::string_view text(int c, std::size_t row) const noexcept
    {
        switch (c)
        {
        case detail::col_address:
            return address.get(static_cast<std::uint32_t>(row));
        case detail::col_person_id:
            return person_id.get(static_cast<std::uint32_t>(row));
        case detail::col_national_person_id:
            return national_person_id.get(static_cast<std::uint32_t>(row));
        default:
            return pools[c].get(ids[c].get(row));
        }
    }

    [[nodiscard]] std::size_t memory() const noexcept;
};

}  // namespace mss::directory
