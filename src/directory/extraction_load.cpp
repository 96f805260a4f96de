// SPDX-License-Identifier: Apache-2.0
// Loading the public extraction file into an extraction_index (see extraction_store.hpp for the
// layout). One pass over the lines interns the values and checks each line; `finish()` then sorts
// the rows into display order and builds the search structures.
#include "directory/extraction_store.hpp"

#include <mss/directory/text_fold.hpp>
#include <mss/domain/email_address.hpp>
#include <mss/domain/mailbox_type.hpp>
#include <mss/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>
#include <string>
#include <system_error>
#include <utility>

namespace mss::directory
{

using boost::system::error_code;
namespace d = detail;

namespace
{

// The 31 columns of the ANS file, in order, then the optional extras we understand.
const std::vector<std::string_view> known_names = {
    "Type de BAL",
    "Adresse BAL",
    "Type Identifiant PP",
    "Identifiant PP",
    "Identification nationale PP",
    "Type identifiant structure",
    "Identification Structure",
    "Service de rattachement",
    "Civilité d'exercice",
    "Nom d'exercice",
    "Prénom d'exercice",
    "Catégorie profession",
    "Libellé de catégorie profession",
    "Code Profession",
    "Libellé Profession",
    "Code savoir-faire",
    "Libellé savoir-faire",
    "Dématérialisation",
    "Raison Sociale structure BAL",
    "Enseigne commerciale structure BAL",
    "L2COMPLEMENTLOCALISATION structure BAL",
    "L3COMPLEMENTDISTRIBUTION structure BAL",
    "L4NUMEROVOIE structure BAL",
    "L4COMPLEMENTNUMEROVOIE structure BAL",
    "NL4TYPEVOIE structure BAL",
    "L4LIBELLEVOIE structure BAL",
    "L5LIEUDITMENTION structure BAL",
    "L6LIGNEACHEMINEMENT structure BAL",
    "Code postal structure BAL",
    "Département structure BAL",
    "Pays structure BAL",
    "Liste rouge",
};

// Without these a row cannot be keyed, displayed or searched as documented. The others (street
// lines, country, categories...) only enrich an entry and may be absent from a variant file.
constexpr int required[] = {
    d::col_type_bal,
    d::col_address,
    d::col_person_id_kind,
    d::col_person_id,
    d::col_national_person_id,
    d::col_structure_id,
    d::col_civility,
    d::col_family,
    d::col_given,
    d::col_profession,
    d::col_profession_label,
    d::col_specialty,
    d::col_specialty_label,
    d::col_company,
    d::col_l6,
    d::col_postal_code,
    d::col_department,
};

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool is_yes(std::string_view v) noexcept
{
    v = trim(v);
    return d::iequal_ascii(v, "o") || d::iequal_ascii(v, "oui") || d::iequal_ascii(v, "1") ||
           d::iequal_ascii(v, "true") || d::iequal_ascii(v, "y") || d::iequal_ascii(v, "yes");
}

// The city of a delivery line: "75012 PARIS" → "PARIS"; "PARIS CEDEX 12" stays whole.
std::string_view city_of(std::string_view l6) noexcept
{
    l6 = trim(l6);
    if (l6.size() > 6 && l6[5] == ' ' &&
        std::all_of(l6.begin(), l6.begin() + 5, [](char c) { return c >= '0' && c <= '9'; }))
        return trim(l6.substr(6));
    return l6;
}

/** Interns the values of one column: open addressing on (hash tag, id) slots; id 0 is "". */
class interner
{
public:
    interner() { pool.append(""); }

    /** The hash to intern `s` with, and its table slot prefetched; 0 when no lookup is needed
     *  (empty, or the same as the previous value). Interning a row goes in two passes, hashes
     *  and prefetches first, so that the tables' cache misses overlap instead of following one
     *  another. */
    std::uint64_t prepare(std::string_view s) noexcept
    {
        // Many columns repeat the previous row's value (a country, a category, a structure's
        // lines for its boxes): one comparison instead of a hash and a probe.
        if (s.empty() || d::same_bytes(pool.get(last_), s))
            return 0;
        const std::uint64_t h = d::hash_bytes(s) | 1;  // never 0
        if (!slots_.empty())
            __builtin_prefetch(slots_.data() + (static_cast<std::size_t>(h) & (slots_.size() - 1)));
        return h;
    }

    /** The number of `s`, given `h = prepare(s)`. */
    std::uint32_t intern(std::string_view s, std::uint64_t h)
    {
        if (s.empty())
            return 0;
        if (h != 0)
            last_ = lookup(s, h);
        return last_;
    }

    /** `prepare` and `intern` in one go, for values looked up one at a time. */
    std::uint32_t intern(std::string_view s) { return intern(s, prepare(s)); }

    void release() { std::vector<std::uint64_t>().swap(slots_); }

    d::string_pool pool;

private:
    std::uint32_t lookup(std::string_view s, std::uint64_t h)
    {
        if (slots_.empty())
            slots_.assign(256, 0);
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        std::size_t mask = slots_.size() - 1;
        std::size_t i = static_cast<std::size_t>(h) & mask;
        while (const std::uint64_t slot = slots_[i])
        {
            const auto id = static_cast<std::uint32_t>(slot) - 1;
            if (static_cast<std::uint32_t>(slot >> 32) == tag && d::same_bytes(pool.get(id), s))
                return id;
            i = (i + 1) & mask;
        }
        const std::uint32_t id = pool.append(s);
        slots_[i] = (std::uint64_t{tag} << 32) | (id + 1);
        if (2 * pool.size() > slots_.size())
            grow();
        return id;
    }

    void grow()
    {
        std::vector<std::uint64_t> old(slots_.size() * 2, 0);
        old.swap(slots_);
        const std::size_t mask = slots_.size() - 1;
        for (const std::uint64_t slot : old)
        {
            if (slot == 0)
                continue;
            const std::uint64_t h = d::hash_bytes(pool.get(static_cast<std::uint32_t>(slot) - 1)) | 1;
            std::size_t i = static_cast<std::size_t>(h) & mask;
            while (slots_[i] != 0) i = (i + 1) & mask;
            slots_[i] = slot;
        }
    }

    std::vector<std::uint64_t> slots_;
    std::uint32_t last_ = 0;  // the value interned last ("" at first)
};

/** Stable LSD radix sort of (hash, row) pairs on the hash: rows were appended in ascending
 *  order, so the result is sorted by (hash, row). Two 16-bit passes. */
void radix_sort(std::vector<d::hashed_row>& v)
{
    std::vector<d::hashed_row> tmp(v.size());
    for (int shift = 0; shift < 32; shift += 16)
    {
        std::vector<std::size_t> count(0x10001, 0);
        for (const auto& x : v) ++count[((x.hash >> shift) & 0xFFFFu) + 1];
        for (std::size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
        for (const auto& x : v) tmp[count[(x.hash >> shift) & 0xFFFFu]++] = x;
        v.swap(tmp);
    }
}

/** Ranks of a pool's values in folded order (ties: raw text), for sorting rows. */
std::vector<std::uint32_t> folded_ranks(const d::string_pool& pool)
{
    const std::size_t n = pool.size();
    std::vector<std::string> folded(n);
    for (std::uint32_t v = 0; v < n; ++v) folded[v] = fold_text(pool.get(v));
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b)
              {
                  if (folded[a] != folded[b])
                      return folded[a] < folded[b];
                  return pool.get(a) < pool.get(b);
              });
    std::vector<std::uint32_t> rank(n);
    for (std::uint32_t i = 0; i < n; ++i) rank[order[i]] = i;
    return rank;
}

d::postings make_postings(std::size_t values, std::size_t rows, const auto& value_of)
{
    d::postings p;
    p.offsets.assign(values + 1, 0);
    for (std::size_t r = 0; r < rows; ++r) ++p.offsets[value_of(r) + 1];
    for (std::size_t v = 1; v <= values; ++v) p.offsets[v] += p.offsets[v - 1];
    p.rows.resize(rows);
    std::vector<std::uint32_t> next(p.offsets.begin(), p.offsets.end() - 1);
    for (std::size_t r = 0; r < rows; ++r) p.rows[next[value_of(r)]++] = static_cast<std::uint32_t>(r);
    return p;
}

/** The searchable words of a value: its folded words and, for names of several words, the
 *  joined tails ("de la fontaine" also gives "delafontaine" and "lafontaine"), so that a name is
 *  found however its particles are typed. Written into `scratch` as (offset, length) pairs,
 *  sorted and without repeats; no allocation once the buffers have grown. */
void words_of(std::string_view value, std::string& folded, std::string& scratch,
              std::vector<std::pair<std::uint32_t, std::uint32_t>>& tokens)
{
    folded.clear();
    scratch.clear();
    tokens.clear();
    append_folded(value, folded);
    std::array<std::pair<std::size_t, std::size_t>, 8> words{};  // (offset, length) in `folded`
    std::size_t n = 0;
    for (std::size_t at = 0; at < folded.size();)
    {
        std::size_t end = folded.find(' ', at);
        if (end == std::string::npos)
            end = folded.size();
        if (n < words.size())
            words[n++] = {at, end - at};
        at = end + 1;
    }
    // Every word (even past the 8th), then the joined tails of the first 8.
    for (std::size_t at = 0; at < folded.size();)
    {
        std::size_t end = folded.find(' ', at);
        if (end == std::string::npos)
            end = folded.size();
        tokens.push_back({static_cast<std::uint32_t>(scratch.size()), static_cast<std::uint32_t>(end - at)});
        scratch.append(folded, at, end - at);
        at = end + 1;
    }
    for (std::size_t i = 0; n >= 2 && i + 1 < n; ++i)
    {
        const auto offset = static_cast<std::uint32_t>(scratch.size());
        for (std::size_t k = i; k < n; ++k) scratch.append(folded, words[k].first, words[k].second);
        tokens.push_back({offset, static_cast<std::uint32_t>(scratch.size() - offset)});
    }
    const auto text = [&](const std::pair<std::uint32_t, std::uint32_t>& t)
    { return std::string_view(scratch).substr(t.first, t.second); };
    std::sort(tokens.begin(), tokens.end(), [&](const auto& a, const auto& b) { return text(a) < text(b); });
    tokens.erase(std::unique(tokens.begin(), tokens.end(),
                             [&](const auto& a, const auto& b) { return text(a) == text(b); }),
                 tokens.end());
}

d::word_index make_word_index(const d::string_pool& pool, const d::postings& rows_of)
{
    d::word_index index;
    std::string folded;
    std::string scratch;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> tokens;
    for (std::uint32_t v = 1; v < pool.size(); ++v)
    {
        if (rows_of.count(v) == 0)
            continue;
        words_of(pool.get(v), folded, scratch, tokens);
        for (const auto& [offset, length] : tokens)
        {
            index.items.push_back({static_cast<std::uint32_t>(index.chars.size()), length, v});
            index.chars.append(scratch, offset, length);
        }
    }
    // Sorting on an 8-byte big-endian prefix first keeps most comparisons to one integer.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(index.items.size());
    for (std::uint32_t i = 0; i < index.items.size(); ++i)
    {
        const std::string_view w = index.word(index.items[i]);
        std::uint64_t key = 0;
        for (std::size_t k = 0; k < 8; ++k)
            key = (key << 8) | (k < w.size() ? static_cast<unsigned char>(w[k]) : 0u);
        keyed[i] = {key, i};
    }
    std::sort(keyed.begin(), keyed.end(),
              [&](const auto& a, const auto& b)
              {
                  if (a.first != b.first)
                      return a.first < b.first;
                  const auto& ia = index.items[a.second];
                  const auto& ib = index.items[b.second];
                  const std::string_view wa = index.word(ia);
                  const std::string_view wb = index.word(ib);
                  if (wa != wb)
                      return wa < wb;
                  return ia.value < ib.value;
              });
    std::vector<d::word_index::item> sorted(index.items.size());
    for (std::size_t i = 0; i < keyed.size(); ++i) sorted[i] = index.items[keyed[i].second];
    index.items.swap(sorted);
    index.items.shrink_to_fit();
    index.chars.shrink_to_fit();
    index.cumulative.resize(index.items.size() + 1);
    index.cumulative[0] = 0;
    for (std::size_t i = 0; i < index.items.size(); ++i)
        index.cumulative[i + 1] = index.cumulative[i] + rows_of.count(index.items[i].value);
    return index;
}

std::vector<std::uint32_t> sorted_by_text(const d::string_pool& pool)
{
    std::vector<std::uint32_t> order(pool.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return pool.get(a) < pool.get(b); });
    return order;
}

template <class T>
void permute(std::vector<T>& v, const std::vector<std::uint32_t>& order)
{
    std::vector<T> out(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) out[i] = v[order[i]];
    v.swap(out);
}

void permute(d::string_column& c, const std::vector<std::uint32_t>& order)
{
    d::string_column out;
    out.chars.reserve(c.chars.size());
    out.offsets.reserve(c.offsets.size());
    for (const std::uint32_t r : order) out.append(c.get(r));
    c = std::move(out);
}

/** Reads the lines one by one and builds the store. */
class builder
{
public:
    builder(load_report& report, diagnostics& diag, const load_options& options, std::uint64_t expected_bytes)
        : report_(report), diag_(diag), options_(options), expected_bytes_(expected_bytes)
    {
        position_.fill(-1);
    }

    /** Reads the header line; on error nothing is loaded. */
    error_code header(std::string_view line)
    {
        if (line.starts_with("\xEF\xBB\xBF"))
            line.remove_prefix(3);
        line = trim(line);
        if (line.empty())
        {
            diag_.set_client_message("the extraction file has no header line");
            return errc::extraction_empty;
        }
        std::vector<std::string> folded_known;
        for (const auto name : known_names) folded_known.push_back(fold_text(name));
        std::size_t index = 0;
        std::size_t start = 0;
        while (true)
        {
            const std::size_t bar = line.find('|', start);
            const std::string_view name =
                trim(line.substr(start, bar == std::string_view::npos ? bar : bar - start));
            const std::string folded = fold_text(name);
            for (int c = 0; c < d::column_count; ++c)
            {
                if (folded != folded_known[static_cast<std::size_t>(c)])
                    continue;
                if (position_[c] >= 0)
                {
                    diag_.set_client_message("the extraction file names the column '" +
                                             std::string(known_names[c]) + "' twice");
                    return errc::extraction_duplicate_column;
                }
                position_[c] = static_cast<int>(index);
            }
            ++index;
            if (bar == std::string_view::npos)
                break;
            start = bar + 1;
        }
        field_count_ = index;
        std::string missing;
        for (const int c : required)
        {
            if (position_[c] >= 0)
                continue;
            missing += missing.empty() ? "" : ", ";
            missing += "'" + std::string(known_names[c]) + "'";
        }
        if (!missing.empty())
        {
            diag_.set_client_message("the extraction file lacks the required column(s) " + missing +
                                     "; nothing was loaded");
            return errc::extraction_missing_column;
        }
        fields_.resize(field_count_);
        reserve();
        return {};
    }

    /** Loads or reports one data line. `cut`: only the line's first bytes, already more than
     *  `max_line` (the file load does not keep the rest); it is reported as too long, whatever
     *  those bytes are, as the whole line would be. */
    error_code line(std::string_view text, std::size_t number, bool cut = false)
    {
        if (!cut && !text.empty() && text.back() == '\r')
            text.remove_suffix(1);
        if (!cut && trim(text).empty())
        {
            ++report_.blank_lines;
            return {};
        }
        ++report_.data_lines;
        if (report_.data_lines > options_.max_rows)
        {
            diag_.set_client_message("the extraction file has more than " +
                                     std::to_string(options_.max_rows) + " data lines");
            return errc::extraction_too_large;
        }
        if (cut || text.size() > options_.max_line)
        {
            problem(number, errc::extraction_line_too_long,
                    "the line is " + std::string(cut ? "more than " : "") + std::to_string(text.size()) +
                        " bytes long, above the limit of " + std::to_string(options_.max_line));
            return {};
        }
        // One pass over the bytes: fields are short, a memchr call per field would cost more.
        std::size_t n = 0;
        std::size_t start = 0;
        const char* data = text.data();
        for (std::size_t i = 0; i < text.size(); ++i)
        {
            if (data[i] != '|')
                continue;
            if (n < field_count_)
                fields_[n] = std::string_view(data + start, i - start);
            ++n;
            start = i + 1;
        }
        if (n < field_count_)
            fields_[n] = std::string_view(data + start, text.size() - start);
        ++n;
        if (n != field_count_)
        {
            problem(
                number, errc::extraction_bad_field_count,
                "the line has " + std::to_string(n) + " fields, the header " + std::to_string(field_count_));
            return {};
        }
        const auto field = [&](int c) -> std::string_view {
            return position_[c] < 0 ? std::string_view()
                                    : trim(fields_[static_cast<std::size_t>(position_[c])]);
        };

        // Hashes first, with their table slots prefetched: the address and value tables are too
        // large for the cache, and the address parser's work below hides the memory latency.
        const std::string_view raw_address = field(d::col_address);
        const std::uint64_t raw_hash = d::hash_lower(raw_address);
        if (!address_slots_.empty())
            __builtin_prefetch(address_slots_.data() +
                               (static_cast<std::size_t>(raw_hash) & (address_slots_.size() - 1)));
        std::array<std::uint64_t, d::column_count> hashes{};
        for (int c = 0; c < d::col_liste_rouge; ++c)
        {
            if (!d::is_row_unique(c) && c != d::col_type_bal)
                hashes[c] = interners_[c].prepare(field(c));
        }

        const auto type = domain::parse_mailbox_type(field(d::col_type_bal));
        if (!type)
        {
            problem(number, errc::extraction_unknown_mailbox_type,
                    "the mailbox type is not PER, ORG, APP or CAB");
            return {};
        }
        const auto address = domain::email_address::parse(raw_address);
        if (!address)
        {
            problem(number, errc::extraction_bad_address,
                    "the mailbox address is not valid: " + address.error().message());
            return {};
        }
        if (position_[d::col_liste_rouge] >= 0 && is_yes(field(d::col_liste_rouge)))
        {
            ++report_.liste_rouge;
            return {};
        }
        const std::string canonical = address->str();
        const auto row = static_cast<std::uint32_t>(address_.size());
        // The canonical form differs from the raw one only in the domain's case, unless the
        // domain was internationalised (U-labels become A-labels).
        const std::uint64_t address_hash =
            d::iequal_ascii(canonical, raw_address) ? raw_hash : d::hash_lower(canonical);
        if (!remember_address(canonical, address_hash, row))
        {
            ++report_.duplicates;
            problem(number, errc::extraction_duplicate_address,
                    "the mailbox address was already loaded from an earlier line; that line is kept", false);
            return {};
        }
        address_.append(canonical);
        address_hash_.push_back(address_hash);
        person_id_.append(field(d::col_person_id));
        national_person_id_.append(field(d::col_national_person_id));
        type_.push_back(static_cast<std::uint8_t>(*type));
        for (int c = 0; c < d::col_liste_rouge; ++c)
        {
            if (!d::is_row_unique(c) && c != d::col_type_bal)
                ids_[c].push_back(interners_[c].intern(field(c), hashes[c]));
        }
        ++report_.loaded;
        return {};
    }

    /** Sorts the rows and builds the search structures. */
    std::unique_ptr<extraction_index::impl> finish()
    {
        auto s = std::make_unique<extraction_index::impl>();
        const std::size_t rows = address_.size();
        s->rows = rows;
        std::vector<std::uint64_t>().swap(address_slots_);

        // Display order: persons by family then given name, then structures by name; ties in
        // file order. Rows without a family name (structures) come after every person.
        const auto family_rank = folded_ranks(interners_[d::col_family].pool);
        const auto given_rank = folded_ranks(interners_[d::col_given].pool);
        const auto company_rank = folded_ranks(interners_[d::col_company].pool);
        // Family values are renumbered in rank order: the rows of each family value are then a
        // run, and the runs of increasing values follow each other, so a set of family values
        // read in increasing order lists its rows in display order (the searcher's best stream).
        // "" sorts first and keeps number 0; its rows (structures) still come last, but no word
        // ever matches it.
        {
            d::string_pool& old_pool = interners_[d::col_family].pool;
            std::vector<std::uint32_t> by_rank(old_pool.size());
            for (std::uint32_t v = 0; v < old_pool.size(); ++v) by_rank[family_rank[v]] = v;
            d::string_pool ranked;
            ranked.chars.reserve(old_pool.chars.size());
            ranked.offsets.reserve(old_pool.offsets.size());
            ranked.offsets.clear();
            ranked.offsets.push_back(0);
            for (const std::uint32_t v : by_rank) ranked.append(old_pool.get(v));
            interners_[d::col_family].release();
            old_pool = std::move(ranked);
            for (auto& id : ids_[d::col_family]) id = family_rank[id];
        }
        // Stable counting sorts from the least significant key up: company, given name, family
        // (structures, without family, last). Stability keeps file order among ties. Each pass
        // is linear in rows plus the key's number of values.
        std::vector<std::uint32_t> order(rows);
        std::iota(order.begin(), order.end(), 0u);
        {
            std::vector<std::uint32_t> next(rows);
            const auto pass = [&](std::size_t values, const auto& key_of)
            {
                std::vector<std::uint32_t> count(values + 1, 0);
                for (const std::uint32_t r : order) ++count[key_of(r) + 1];
                for (std::size_t v = 1; v <= values; ++v) count[v] += count[v - 1];
                for (const std::uint32_t r : order) next[count[key_of(r)]++] = r;
                order.swap(next);
            };
            const auto& company = ids_[d::col_company];
            const auto& given = ids_[d::col_given];
            const auto& family = ids_[d::col_family];
            const std::size_t families = interners_[d::col_family].pool.size();
            pass(company_rank.size(), [&](std::uint32_t r) { return company_rank[company[r]]; });
            pass(given_rank.size(), [&](std::uint32_t r) { return given_rank[given[r]]; });
            pass(families,
                 [&](std::uint32_t r)
                 {
                     const std::uint32_t f = family[r];
                     return f == 0 ? static_cast<std::uint32_t>(families - 1) : f - 1;  // "" after every name
                 });
        }

        permute(address_, order);
        permute(person_id_, order);
        permute(national_person_id_, order);
        permute(type_, order);
        permute(address_hash_, order);
        for (int c = 0; c < d::col_liste_rouge; ++c)
        {
            if (d::is_row_unique(c) || c == d::col_type_bal)
                continue;
            // Packed first, then permuted: the random reads of the permutation touch 1 or 2
            // bytes per row for most columns instead of 4, and stay in cache more often.
            const std::size_t distinct = interners_[c].pool.size();
            const d::packed_ids packed(ids_[c], distinct);
            std::vector<std::uint32_t>().swap(ids_[c]);
            s->ids[c] = packed.permuted(order);
            interners_[c].release();
            interners_[c].pool.chars.shrink_to_fit();
            interners_[c].pool.offsets.shrink_to_fit();
            s->pools[c] = std::move(interners_[c].pool);
        }

        // The city of each row, from its delivery line.
        interner cities;
        const auto& l6 = s->pools[d::col_l6];
        std::vector<std::uint32_t> city_of_l6(l6.size());
        for (std::uint32_t v = 0; v < l6.size(); ++v) city_of_l6[v] = cities.intern(city_of(l6.get(v)));
        std::vector<std::uint32_t> city(rows);
        for (std::size_t r = 0; r < rows; ++r) city[r] = city_of_l6[s->ids[d::col_l6].get(r)];
        s->city_ids = d::packed_ids(city, cities.pool.size());
        std::vector<std::uint32_t>().swap(city);
        cities.release();
        s->city_pool = std::move(cities.pool);

        s->address = std::move(address_);
        s->person_id = std::move(person_id_);
        s->national_person_id = std::move(national_person_id_);
        s->type = std::move(type_);
        s->address.chars.shrink_to_fit();
        s->person_id.chars.shrink_to_fit();
        s->national_person_id.chars.shrink_to_fit();

        for (int f = 0; f < d::field_count; ++f)
        {
            s->field_postings[f] = make_postings(s->field_pool(f).size(), rows,
                                                 [&](std::size_t r) { return s->field_value(f, r); });
            s->words[f] = make_word_index(s->field_pool(f), s->field_postings[f]);
        }
        const int filter_columns[] = {d::col_profession, d::col_specialty, d::col_postal_code,
                                      d::col_department};
        for (int f = 0; f < d::filter_type; ++f)
        {
            s->filter_postings[f] = make_postings(s->pools[filter_columns[f]].size(), rows,
                                                  [&](std::size_t r) { return s->filter_value(f, r); });
            s->sorted_values[f] = sorted_by_text(s->pools[filter_columns[f]]);
        }
        s->filter_postings[d::filter_type] =
            make_postings(4, rows, [&](std::size_t r) { return s->filter_value(d::filter_type, r); });

        // Exact lookups, and the fingerprint of the content in its final order.
        s->by_address.reserve(rows);
        std::uint64_t fingerprint = mix_seed_ ^ rows;
        for (std::uint32_t r = 0; r < rows; ++r)
        {
            const std::uint64_t h = address_hash_[r];
            s->by_address.push_back({static_cast<std::uint32_t>(h), r});
            fingerprint = d::mix64(fingerprint ^ h) + r;
        }
        std::vector<std::uint64_t>().swap(address_hash_);
        s->fingerprint = fingerprint;
        radix_sort(s->by_address);
        s->by_identifier.reserve(rows * 2);
        for (std::uint32_t r = 0; r < rows; ++r)
        {
            const std::string_view person = s->person_id.get(r);
            const std::string_view national = s->national_person_id.get(r);
            const std::string_view structure = s->text(d::col_structure_id, r);
            if (!person.empty())
                s->by_identifier.push_back({static_cast<std::uint32_t>(d::hash_bytes(person)), r});
            if (!national.empty() && national != person)
                s->by_identifier.push_back({static_cast<std::uint32_t>(d::hash_bytes(national)), r});
            if (!structure.empty() && structure != person && structure != national)
                s->by_identifier.push_back({static_cast<std::uint32_t>(d::hash_bytes(structure)), r});
        }
        radix_sort(s->by_identifier);
        s->by_identifier.shrink_to_fit();
        return s;
    }

private:
    // Room for the rows the file's size suggests (real lines are 150 to 300 bytes; 100 errs on
    // the generous side). Growing vectors by doubling would copy them and fault their pages in
    // twice; reserved but unused capacity costs address space only, never resident memory.
    void reserve()
    {
        const std::size_t rows = static_cast<std::size_t>(
            std::min<std::uint64_t>(expected_bytes_ / 100 + 16, options_.max_rows + std::uint64_t{16}));
        for (int c = 0; c < d::col_liste_rouge; ++c)
        {
            if (!d::is_row_unique(c) && c != d::col_type_bal)
                ids_[c].reserve(rows);
        }
        type_.reserve(rows);
        address_hash_.reserve(rows);
        for (d::string_column* column : {&address_, &person_id_, &national_person_id_})
        {
            column->offsets.reserve(rows + 1);
            column->chars.reserve(rows * (column == &address_ ? 48 : 16));
        }
        std::size_t slots = 1024;
        while (slots < 2 * rows) slots *= 2;
        address_slots_.assign(slots, 0);
    }

    // Remembers a (case-insensitive) address; false when it was already there.
    bool remember_address(std::string_view canonical, std::uint64_t h, std::uint32_t row)
    {
        if (2 * (address_.size() + 1) > address_slots_.size())
            grow_addresses();
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        const std::size_t mask = address_slots_.size() - 1;
        std::size_t i = static_cast<std::size_t>(h) & mask;
        while (const std::uint64_t slot = address_slots_[i])
        {
            if (static_cast<std::uint32_t>(slot >> 32) == tag &&
                d::iequal_ascii(address_.get(static_cast<std::uint32_t>(slot) - 1), canonical))
                return false;
            i = (i + 1) & mask;
        }
        address_slots_[i] = (std::uint64_t{tag} << 32) | (row + 1);
        return true;
    }

    void grow_addresses()
    {
        std::vector<std::uint64_t> old(std::max<std::size_t>(1024, address_slots_.size() * 2), 0);
        old.swap(address_slots_);
        const std::size_t mask = address_slots_.size() - 1;
        for (const std::uint64_t slot : old)
        {
            if (slot == 0)
                continue;
            const std::uint64_t h = address_hash_[static_cast<std::uint32_t>(slot) - 1];
            std::size_t i = static_cast<std::size_t>(h) & mask;
            while (address_slots_[i] != 0) i = (i + 1) & mask;
            address_slots_[i] = slot;
        }
    }

    void problem(std::size_t line, errc why, std::string message, bool malformed = true)
    {
        if (malformed)
            ++report_.malformed;
        if (report_.problems.size() < options_.max_reported_problems)
            report_.problems.push_back({line, make_error_code(why), std::move(message)});
        else
            ++report_.problems_not_described;
    }

    static constexpr std::uint64_t mix_seed_ = 0x6d73732d64697231ULL;  // "mss-dir1"

    load_report& report_;
    diagnostics& diag_;
    const load_options& options_;
    std::uint64_t expected_bytes_;
    std::array<int, d::column_count> position_{};
    std::size_t field_count_ = 0;
    std::vector<std::string_view> fields_;
    std::array<interner, d::column_count> interners_;
    std::array<std::vector<std::uint32_t>, d::column_count> ids_;
    d::string_column address_;
    d::string_column person_id_;
    d::string_column national_person_id_;
    std::vector<std::uint8_t> type_;
    std::vector<std::uint64_t> address_hash_;  // hash_lower of each row's address
    std::vector<std::uint64_t> address_slots_;
};

/** Numbers the lines and hands the first to `header()`, the others to `line()`. */
class line_feeder
{
public:
    explicit line_feeder(builder& b) noexcept : builder_(b) {}

    error_code operator()(std::string_view line, bool cut = false)
    {
        ++number_;
        if (header_done_)
            return builder_.line(line, number_, cut);
        header_done_ = true;
        return builder_.header(line);
    }

    /** Feeds every line of `content`; a final line without newline counts, an empty tail not. */
    error_code all(std::string_view content)
    {
        std::size_t at = 0;
        while (at < content.size())
        {
            const void* nl = std::memchr(content.data() + at, '\n', content.size() - at);
            const std::size_t end =
                nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - content.data()) : content.size();
            if (auto ec = (*this)(content.substr(at, end - at)))
                return ec;
            at = end + 1;
        }
        return {};
    }

    [[nodiscard]] bool header_done() const noexcept { return header_done_; }

private:
    builder& builder_;
    std::size_t number_ = 0;
    bool header_done_ = false;
};

}  // namespace

std::size_t extraction_index::impl::memory() const noexcept
{
    std::size_t total = address.memory() + person_id.memory() + national_person_id.memory() +
                        type.capacity() + city_pool.memory() + city_ids.memory();
    for (const auto& p : pools) total += p.memory();
    for (const auto& i : ids) total += i.memory();
    for (const auto& w : words) total += w.memory();
    for (const auto& p : field_postings) total += p.memory();
    for (const auto& p : filter_postings) total += p.memory();
    for (const auto& v : sorted_values) total += v.capacity() * sizeof(std::uint32_t);
    total += (by_address.capacity() + by_identifier.capacity()) * sizeof(detail::hashed_row);
    return total;
}

const std::vector<std::string_view>& extraction_index::known_columns()
{
    static const std::vector<std::string_view> names(known_names.begin(),
                                                     known_names.begin() + d::col_liste_rouge);
    return names;
}

const std::vector<std::string_view>& extraction_index::required_columns()
{
    static const std::vector<std::string_view> names = []
    {
        std::vector<std::string_view> out;
        for (const int c : required) out.push_back(known_names[static_cast<std::size_t>(c)]);
        return out;
    }();
    return names;
}

extraction_index::extraction_index(std::unique_ptr<impl> state) noexcept : impl_(std::move(state)) {}

extraction_index::~extraction_index() = default;

boost::system::result<std::shared_ptr<const extraction_index>> extraction_index::load(
    std::string_view content, load_report& report, diagnostics& diag, const load_options& options)
{
    report = {};
    diag.clear();
    if (content.size() > options.max_bytes)
    {
        diag.set_client_message("the extraction file is larger than " + std::to_string(options.max_bytes) +
                                " bytes");
        return make_error_code(errc::extraction_too_large);
    }
    builder b(report, diag, options, content.size());
    line_feeder feed(b);
    if (auto ec = feed.all(content))
        return ec;
    if (!feed.header_done())
    {
        diag.set_client_message("the extraction file is empty");
        return make_error_code(errc::extraction_empty);
    }
    return std::shared_ptr<const extraction_index>(new extraction_index(b.finish()));
}

boost::system::result<std::shared_ptr<const extraction_index>> extraction_index::load_file(
    const std::filesystem::path& path, load_report& report, diagnostics& diag, const load_options& options)
{
    report = {};
    diag.clear();
    const auto fail_io = [&](int err)
    {
        diag.set_client_message("cannot read the extraction file " + path.string() + ": " +
                                std::generic_category().message(err));
        return make_error_code(mss::errc::file_unreadable);
    };
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file)
        return fail_io(errno);
    std::error_code size_ec;
    const auto size = std::filesystem::file_size(path, size_ec);
    if (!size_ec && size > options.max_bytes)
    {
        diag.set_client_message("the extraction file is larger than " + std::to_string(options.max_bytes) +
                                " bytes");
        return make_error_code(errc::extraction_too_large);
    }

    // Large blocks, lines processed in place; only the unfinished last line of a block moves to
    // the front of the buffer. A line longer than the limit never has to fit: it is reported and
    // its bytes skipped up to the next newline.
    const std::size_t block = std::max<std::size_t>(options.read_block, 1);
    const std::size_t max_line = options.max_line;
    std::vector<char> buffer(block + max_line + 1);
    builder b(report, diag, options, size_ec ? 0 : size);
    line_feeder feed(b);
    std::size_t kept = 0;   // bytes of an unfinished line at the front of the buffer
    bool skipping = false;  // inside a line already reported as too long
    std::uint64_t total = 0;
    while (true)
    {
        const std::size_t n = std::fread(buffer.data() + kept, 1, block, file.get());
        if (n == 0 && std::ferror(file.get()))
            return fail_io(errno != 0 ? errno : EIO);
        const bool eof = n == 0;
        total += n;
        if (total > options.max_bytes)
        {
            diag.set_client_message("the extraction file is larger than " +
                                    std::to_string(options.max_bytes) + " bytes");
            return make_error_code(errc::extraction_too_large);
        }
        const std::string_view data(buffer.data(), kept + n);
        std::size_t at = 0;
        if (skipping)
        {
            const std::size_t nl = data.find('\n');
            if (nl == std::string_view::npos)
            {
                kept = 0;
                if (eof)
                    break;
                continue;
            }
            skipping = false;
            at = nl + 1;
        }
        while (const void* nl = std::memchr(data.data() + at, '\n', data.size() - at))
        {
            const auto end = static_cast<std::size_t>(static_cast<const char*>(nl) - data.data());
            if (auto ec = feed(data.substr(at, end - at)))
                return ec;
            at = end + 1;
        }
        const std::string_view rest = data.substr(at);
        if (eof)
        {
            if (!rest.empty())
            {
                if (auto ec = feed(rest))
                    return ec;
            }
            break;
        }
        if (rest.size() > max_line)
        {
            if (!feed.header_done())
            {
                diag.set_client_message("the extraction file's header line is longer than " +
                                        std::to_string(max_line) + " bytes");
                return make_error_code(errc::extraction_too_large);
            }
            if (auto ec = feed(rest, true))  // reported as too long by the builder
                return ec;
            skipping = true;
            kept = 0;
            continue;
        }
        std::memmove(buffer.data(), rest.data(), rest.size());
        kept = rest.size();
    }
    if (!feed.header_done())
    {
        diag.set_client_message("the extraction file is empty");
        return make_error_code(errc::extraction_empty);
    }
    return std::shared_ptr<const extraction_index>(new extraction_index(b.finish()));
}

}  // namespace mss::directory
