// SPDX-License-Identifier: Apache-2.0
// Searching an extraction_index, and the live_index that swaps indexes.
//
// A query becomes a list of criteria, each able to give its number of candidate rows, test one
// row, and list its candidates:
//
// | criterion                                   | rows                     | candidates            |
// |---------------------------------------------|--------------------------|-----------------------|
// | words on one field (family, given, city)    | exact: the words' value  | postings of the values|
// |                                             | sets intersected         |                       |
// | a word on several fields (free text, org.)  | estimate: running totals | postings, per field   |
// | an exact filter (code, department, type)    | the value's posting count| its posting list      |
// | an identifier, an address                   | exact (hash, verified)   | the rows found        |
//
// Rows are stored in display order, so a page is the smallest matching row numbers above the
// cursor. Several ways to get them are costed, and the cheapest is run:
// - *stream* a candidate list that is already in row order, testing the other criteria and
//   stopping at the page's end: the family filter (family values are numbered in display order
//   and each one's rows are a run, so its value set read in order is its rows in order), an exact
//   filter's posting list, an identifier's rows. Cost ≈ rows needed / density of the others;
// - *collect* every candidate of a criterion, test them, keep the smallest: cost ≈ its rows;
// - *scan* all rows in order: cost ≈ rows needed / density of all criteria.
// Densities are taken as independent, which a family criterion contradicts (its matches cluster
// in row order): a stream or scan that overruns twice the cheapest complete strategy falls back
// to it, so a wrong guess costs a constant factor.
#include "directory/extraction_store.hpp"

#include <mss/directory/text_fold.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

namespace mss::directory
{

using boost::system::error_code;
namespace d = detail;

namespace
{

constexpr std::size_t max_words_per_field = 8;

class bitset
{
public:
    explicit bitset(std::size_t bits) : words_((bits + 63) / 64, 0) {}

    void set(std::uint32_t i) noexcept { words_[i >> 6] |= std::uint64_t{1} << (i & 63); }

    [[nodiscard]] bool test(std::uint32_t i) const noexcept { return (words_[i >> 6] >> (i & 63)) & 1u; }

    void intersect(const bitset& other) noexcept
    {
        for (std::size_t w = 0; w < words_.size(); ++w) words_[w] &= other.words_[w];
    }

    template <class F>
    void for_each(F&& f) const
    {
        for_each_until(
            [&](std::uint32_t i)
            {
                f(i);
                return true;
            });
    }

    /** Calls `f` on each set bit in increasing order while it returns true. */
    template <class F>
    void for_each_until(F&& f) const
    {
        for (std::size_t w = 0; w < words_.size(); ++w)
        {
            std::uint64_t bits = words_[w];
            while (bits != 0)
            {
                const int b = __builtin_ctzll(bits);
                if (!f(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(b))))
                    return;
                bits &= bits - 1;
            }
        }
    }

private:
    std::vector<std::uint64_t> words_;
};

/** The values of one field allowed by every query word on that field alone. */
struct field_filter
{
    int field = -1;
    bitset values{0};
    std::uint64_t rows = 0;  // exact
};

/** One folded query word over several fields: one of them has a word it begins. */
struct word_term
{
    struct part
    {
        int field;
        bitset values;
    };
    std::vector<part> parts;
    std::uint64_t estimate = 0;
};

/** One exact filter: the row's value of the filter's column is `value`. */
struct exact_term
{
    int filter;
    std::uint32_t value;
    std::uint64_t rows;
};

std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

constexpr std::string_view cursor_prefix = "ix1-";

std::string make_cursor(std::uint64_t fingerprint, std::uint32_t row)
{
    char buffer[64];
    const int n =
        std::snprintf(buffer, sizeof buffer, "%.*s%016llx-%u", static_cast<int>(cursor_prefix.size()),
                      cursor_prefix.data(), static_cast<unsigned long long>(fingerprint), row);
    return std::string(buffer, static_cast<std::size_t>(n));
}

class searcher
{
public:
    searcher(const extraction_index::impl& s, const query& q) : s_(s), q_(q) {}

    /** Builds the criteria; false when one of them cannot match anything. */
    bool prepare()
    {
        const int names[] = {d::field_family, d::field_given, d::field_company, d::field_trade_name};
        const int organisation[] = {d::field_company, d::field_trade_name};
        return add_field_words(q_.family_name, d::field_family) &&
               add_field_words(q_.given_name, d::field_given) && add_field_words(q_.city, d::field_city) &&
               add_words(q_.text, names) && add_words(q_.organisation, organisation) &&
               add_exact(q_.profession_code, d::filter_profession, d::col_profession) &&
               add_exact(q_.specialty_code, d::filter_specialty, d::col_specialty) &&
               add_exact(q_.postal_code, d::filter_postal_code, d::col_postal_code) &&
               add_exact(q_.department, d::filter_department, d::col_department) && add_type() &&
               add_identifier() && add_address();
    }

    /** The smallest matching rows from `start`, at most `needed` of them, in ascending order. */
    std::vector<std::uint32_t> run(std::uint32_t start, std::size_t needed)
    {
        const std::size_t rows = s_.rows;
        out_.clear();
        // Exact lookups are a handful of rows: always the way in.
        if (has_row_set_)
        {
            stream_sorted(row_set_.data(), row_set_.data() + row_set_.size(), start, needed, {});
            return std::move(out_);
        }
        std::sort(terms_.begin(), terms_.end(),
                  [](const word_term& a, const word_term& b) { return a.estimate < b.estimate; });

        // Densities of the criteria.
        const double n = static_cast<double>(std::max<std::size_t>(rows, 1));
        std::vector<std::pair<criterion, double>> all;
        for (std::size_t i = 0; i < filters_.size(); ++i)
            all.push_back({{kind::filter, i}, static_cast<double>(filters_[i].rows)});
        for (std::size_t i = 0; i < terms_.size(); ++i)
            all.push_back({{kind::term, i}, static_cast<double>(terms_[i].estimate)});
        for (std::size_t i = 0; i < exacts_.size(); ++i)
            all.push_back({{kind::exact, i}, static_cast<double>(exacts_[i].rows)});
        if (all.empty())
        {
            for (std::size_t r = start; r < rows && out_.size() < needed; ++r)
                out_.push_back(static_cast<std::uint32_t>(r));
            return std::move(out_);
        }
        double density = 1.0;
        for (const auto& [c, count] : all) density *= std::min(1.0, count / n);
        const auto others_density = [&](double own)
        { return std::min(1.0, density / std::min(1.0, own / n)); };

        // Complete strategies go through all of one criterion's candidates: cost, its rows.
        criterion complete;
        double complete_cost = std::numeric_limits<double>::max();
        for (const auto& [c, count] : all)
        {
            if (count < complete_cost)
            {
                complete_cost = count;
                complete = c;
            }
        }
        // Optimistic strategies stop at the page's end: a stream in row order (an exact filter's
        // postings, the family filter's runs) or a scan of every row. Their cost takes the other
        // criteria as spread evenly over the rows, which a family criterion contradicts (its
        // matches cluster): one that overspends its budget falls back to the complete strategy.
        criterion optimistic;
        double optimistic_cost = std::numeric_limits<double>::max();
        for (const auto& [c, count] : all)
        {
            if (c.what != kind::exact &&
                !(c.what == kind::filter && filters_[c.index].field == d::field_family))
                continue;
            const double cost =
                std::min(count, static_cast<double>(needed) / std::max(others_density(count), 1.0 / n));
            if (cost < optimistic_cost)
            {
                optimistic_cost = cost;
                optimistic = c;
            }
        }
        bool scan = false;
        const double scan_cost = static_cast<double>(needed) / std::max(density, 1.0 / n);
        if (family_filter() == nullptr && scan_cost < optimistic_cost)
        {
            optimistic_cost = scan_cost;
            scan = true;
        }
        if (optimistic_cost < complete_cost)
        {
            budget_ = static_cast<std::uint64_t>(std::max(2.0 * complete_cost, 4096.0));
            if (scan)
                run_scan(start, needed);
            else
                run_strategy(optimistic, start, needed);
            if (!over_budget_)
                return std::move(out_);
            out_.clear();  // the criteria were correlated: do it the sure way
        }
        budget_ = std::numeric_limits<std::uint64_t>::max();
        over_budget_ = false;
        run_strategy(complete, start, needed);
        return std::move(out_);
    }

private:
    enum class kind
    {
        filter,
        term,
        exact,
        none,
    };

    struct criterion
    {
        kind what = kind::none;
        std::size_t index = 0;
    };

    const field_filter* family_filter() const noexcept
    {
        for (const auto& f : filters_)
        {
            if (f.field == d::field_family)
                return &f;
        }
        return nullptr;
    }

    bitset word_values(int field, std::string_view word) const
    {
        const d::word_index& index = s_.words[field];
        bitset values(s_.field_pool(field).size());
        const auto [lo, hi] = index.find_prefix(word);
        for (std::size_t i = lo; i < hi; ++i) values.set(index.items[i].value);
        return values;
    }

    // Words on one field: their value sets intersect (every word must begin a word of the same
    // value), which also makes the row count exact.
    bool add_field_words(std::string_view text, int field)
    {
        if (trim(text).empty())
            return true;
        std::vector<std::string> words = fold_words(text);
        if (words.empty())
            return true;
        if (words.size() > max_words_per_field)
            words.resize(max_words_per_field);
        field_filter filter;
        filter.field = field;
        filter.values = word_values(field, words[0]);
        for (std::size_t i = 1; i < words.size(); ++i) filter.values.intersect(word_values(field, words[i]));
        const d::postings& p = s_.field_postings[field];
        filter.values.for_each([&](std::uint32_t v) { filter.rows += p.count(v); });
        if (filter.rows == 0)
            return false;
        filters_.push_back(std::move(filter));
        return true;
    }

    template <std::size_t N>
    bool add_words(std::string_view text, const int (&fields)[N])
    {
        if (trim(text).empty())
            return true;
        std::vector<std::string> words = fold_words(text);
        if (words.size() > max_words_per_field)
            words.resize(max_words_per_field);
        for (const auto& w : words)
        {
            word_term term;
            for (const int f : fields)
            {
                const d::word_index& index = s_.words[f];
                const auto [lo, hi] = index.find_prefix(w);
                if (lo == hi)
                    continue;
                term.estimate += index.cumulative[hi] - index.cumulative[lo];
                word_term::part part{f, bitset(s_.field_pool(f).size())};
                for (std::size_t i = lo; i < hi; ++i) part.values.set(index.items[i].value);
                term.parts.push_back(std::move(part));
            }
            if (term.parts.empty())
                return false;
            terms_.push_back(std::move(term));
        }
        return true;
    }

    bool add_exact(std::string_view wanted, int filter, int column)
    {
        wanted = trim(wanted);
        if (wanted.empty())
            return true;
        const d::string_pool& pool = s_.pools[column];
        const auto& sorted = s_.sorted_values[filter];
        const auto it =
            std::lower_bound(sorted.begin(), sorted.end(), wanted,
                             [&](std::uint32_t v, std::string_view w) { return pool.get(v) < w; });
        if (it == sorted.end() || pool.get(*it) != wanted)
            return false;
        const std::uint64_t count = s_.filter_postings[filter].count(*it);
        if (count == 0)
            return false;
        exacts_.push_back({filter, *it, count});
        return true;
    }

    bool add_type()
    {
        if (!q_.mailbox_type)
            return true;
        const auto value = static_cast<std::uint32_t>(*q_.mailbox_type);
        const std::uint64_t count = s_.filter_postings[d::filter_type].count(value);
        if (count == 0)
            return false;
        exacts_.push_back({d::filter_type, value, count});
        return true;
    }

    // Intersects the row set with `rows` (sorted), or sets it first.
    bool restrict_rows(std::vector<std::uint32_t> rows)
    {
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        if (has_row_set_)
        {
            std::vector<std::uint32_t> both;
            std::set_intersection(row_set_.begin(), row_set_.end(), rows.begin(), rows.end(),
                                  std::back_inserter(both));
            rows.swap(both);
        }
        row_set_.swap(rows);
        has_row_set_ = true;
        return !row_set_.empty();
    }

    bool add_identifier()
    {
        const std::string_view wanted = trim(q_.identifier);
        if (wanted.empty())
            return true;
        const auto h = static_cast<std::uint32_t>(d::hash_bytes(wanted));
        auto [lo, hi] =
            std::equal_range(s_.by_identifier.begin(), s_.by_identifier.end(), d::hashed_row{h, 0},
                             [](const d::hashed_row& a, const d::hashed_row& b) { return a.hash < b.hash; });
        std::vector<std::uint32_t> rows;
        for (auto it = lo; it != hi; ++it)
        {
            const std::uint32_t r = it->row;
            if (s_.person_id.get(r) == wanted || s_.national_person_id.get(r) == wanted ||
                s_.text(d::col_structure_id, r) == wanted)
                rows.push_back(r);
        }
        return restrict_rows(std::move(rows));
    }

    bool add_address()
    {
        const std::string_view wanted = trim(q_.mailbox_address);
        if (wanted.empty())
            return true;
        const auto h = static_cast<std::uint32_t>(d::hash_lower(wanted));
        auto [lo, hi] =
            std::equal_range(s_.by_address.begin(), s_.by_address.end(), d::hashed_row{h, 0},
                             [](const d::hashed_row& a, const d::hashed_row& b) { return a.hash < b.hash; });
        std::vector<std::uint32_t> rows;
        for (auto it = lo; it != hi; ++it)
        {
            if (d::iequal_ascii(s_.address.get(it->row), wanted))
                rows.push_back(it->row);
        }
        return restrict_rows(std::move(rows));
    }

    // Tests every criterion but `skip` (the driver's own, true by construction). The row set, when
    // there is one, is always the driver.
    bool matches(std::uint32_t row, criterion skip) const
    {
        for (std::size_t i = 0; i < exacts_.size(); ++i)
        {
            if ((skip.what != kind::exact || skip.index != i) &&
                s_.filter_value(exacts_[i].filter, row) != exacts_[i].value)
                return false;
        }
        for (std::size_t i = 0; i < filters_.size(); ++i)
        {
            if ((skip.what != kind::filter || skip.index != i) &&
                !filters_[i].values.test(s_.field_value(filters_[i].field, row)))
                return false;
        }
        for (std::size_t i = 0; i < terms_.size(); ++i)
        {
            if (skip.what == kind::term && skip.index == i)
                continue;
            bool found = false;
            for (const auto& part : terms_[i].parts)
            {
                if (part.values.test(s_.field_value(part.field, row)))
                {
                    found = true;
                    break;
                }
            }
            if (!found)
                return false;
        }
        return true;
    }

    // Counts one examined row against the budget of an optimistic strategy; false when spent.
    bool spend() noexcept
    {
        if (++examined_ <= budget_)
            return true;
        over_budget_ = true;
        return false;
    }

    // Every row in order from `start`.
    void run_scan(std::uint32_t start, std::size_t needed)
    {
        for (std::size_t r = start; r < s_.rows && out_.size() < needed && spend(); ++r)
        {
            if (matches(static_cast<std::uint32_t>(r), {}))
                out_.push_back(static_cast<std::uint32_t>(r));
        }
    }

    // A candidate list in row order: test from `start`, stop at the page's end.
    void stream_sorted(const std::uint32_t* first, const std::uint32_t* last, std::uint32_t start,
                       std::size_t needed, criterion skip)
    {
        for (const std::uint32_t* p = std::lower_bound(first, last, start);
             p != last && out_.size() < needed && spend(); ++p)
        {
            if (matches(*p, skip))
                out_.push_back(*p);
        }
    }

    void run_strategy(criterion driver, std::uint32_t start, std::size_t needed)
    {
        if (driver.what == kind::exact)
        {
            const auto& e = exacts_[driver.index];
            const auto& p = s_.filter_postings[e.filter];
            stream_sorted(p.begin(e.value), p.end(e.value), start, needed, driver);
            return;
        }
        if (driver.what == kind::filter && filters_[driver.index].field == d::field_family)
        {
            // Increasing family values are runs of increasing rows: an ordered stream.
            const auto& p = s_.field_postings[d::field_family];
            filters_[driver.index].values.for_each_until(
                [&](std::uint32_t value)
                {
                    const std::uint32_t* last = p.end(value);
                    if (last == p.begin(value) || *(last - 1) < start)
                        return true;
                    stream_sorted(p.begin(value), last, start, needed, driver);
                    return out_.size() < needed && !over_budget_;
                });
            return;
        }
        // Collect: the union of the driver's postings, in no order. Test them all, then keep the
        // smallest. A row reached through two fields of one word (family and given name both
        // "Martin") is there twice: at most once per field, which bounds the selection below.
        std::size_t copies = 1;
        const auto collect = [&](int field, const bitset& values)
        {
            const auto& p = s_.field_postings[field];
            values.for_each(
                [&](std::uint32_t value)
                {
                    for (const std::uint32_t* r = p.begin(value); r != p.end(value); ++r)
                    {
                        if (*r >= start && matches(*r, driver))
                            out_.push_back(*r);
                    }
                });
        };
        if (driver.what == kind::filter)
        {
            collect(filters_[driver.index].field, filters_[driver.index].values);
        }
        else
        {
            const word_term& term = terms_[driver.index];
            for (const auto& part : term.parts) collect(part.field, part.values);
            copies = term.parts.size();
        }
        const std::size_t keep = needed * copies;
        if (out_.size() > keep)
        {
            std::nth_element(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(keep), out_.end());
            out_.resize(keep);
        }
        std::sort(out_.begin(), out_.end());
        out_.erase(std::unique(out_.begin(), out_.end()), out_.end());
        if (out_.size() > needed)
            out_.resize(needed);
    }

    const extraction_index::impl& s_;
    const query& q_;
    std::vector<field_filter> filters_;
    std::vector<word_term> terms_;
    std::vector<exact_term> exacts_;
    std::vector<std::uint32_t> row_set_;
    bool has_row_set_ = false;
    std::vector<std::uint32_t> out_;
    std::uint64_t budget_ = std::numeric_limits<std::uint64_t>::max();  // rows an optimistic run may examine
    std::uint64_t examined_ = 0;
    bool over_budget_ = false;
};

entry make_entry(const extraction_index::impl& s, std::uint32_t row)
{
    entry e;
    const auto text = [&](int c) { return std::string(s.text(c, row)); };
    e.address = text(d::col_address);
    e.type = static_cast<domain::mailbox_type>(s.type[row]);
    e.holder = holder_of(e.type);
    e.civility = text(d::col_civility);
    e.family_name = text(d::col_family);
    e.given_name = text(d::col_given);
    e.profession_category = {text(d::col_category), text(d::col_category_label)};
    e.profession = {text(d::col_profession), text(d::col_profession_label)};
    e.specialty = {text(d::col_specialty), text(d::col_specialty_label)};
    e.organisation = text(d::col_company);
    e.trade_name = text(d::col_trade_name);
    e.service = text(d::col_service);
    const auto add_line = [&](std::string line)
    {
        if (!line.empty())
            e.address_lines.push_back(std::move(line));
    };
    add_line(text(d::col_l2));
    add_line(text(d::col_l3));
    std::string street;
    for (const int c :
         {d::col_l4_number, d::col_l4_number_complement, d::col_l4_street_type, d::col_l4_street})
    {
        const std::string_view part = s.text(c, row);
        if (part.empty())
            continue;
        if (!street.empty())
            street += ' ';
        street += part;
    }
    add_line(std::move(street));
    add_line(text(d::col_l5));
    add_line(text(d::col_l6));
    e.postal_code = text(d::col_postal_code);
    e.city = std::string(s.city_pool.get(s.city_ids.get(row)));
    e.department = text(d::col_department);
    e.country = text(d::col_country);
    e.identifiers.person_kind = text(d::col_person_id_kind);
    e.identifiers.person = text(d::col_person_id);
    e.identifiers.national_person = text(d::col_national_person_id);
    e.identifiers.structure_kind = text(d::col_structure_id_kind);
    e.identifiers.structure = text(d::col_structure_id);
    return e;
}

}  // namespace

boost::system::result<search_result> extraction_index::search(const query& q, diagnostics& diag) const
{
    diag.clear();
    if (auto ec = validate(q, diag))
        return ec;
    const impl& s = *impl_;

    std::uint32_t start = 0;
    std::size_t skip = q.offset;
    if (!q.cursor.empty())
    {
        // ix1-<fingerprint, 16 hex digits>-<last row returned>
        const std::string_view c = q.cursor;
        std::uint64_t fingerprint = 0;
        std::uint32_t row = 0;
        const bool shaped = c.size() > cursor_prefix.size() + 17 && c.starts_with(cursor_prefix) &&
                            c[cursor_prefix.size() + 16] == '-';
        const char* fp_begin = c.data() + cursor_prefix.size();
        const char* row_begin = fp_begin + 17;
        if (!shaped || std::from_chars(fp_begin, fp_begin + 16, fingerprint, 16).ptr != fp_begin + 16 ||
            std::from_chars(row_begin, c.data() + c.size(), row).ptr != c.data() + c.size())
        {
            diag.set_client_message("the cursor was not made by an extraction index");
            return make_error_code(errc::invalid_cursor);
        }
        if (fingerprint != s.fingerprint)
        {
            diag.set_client_message(
                "the cursor belongs to an index that has been reloaded since: start again");
            return make_error_code(errc::stale_cursor);
        }
        start = row + 1;
        skip = 0;  // the offset applied to the first page only
    }

    search_result result;
    searcher plan(s, q);
    if (start >= s.rows || !plan.prepare())
        return result;
    const std::size_t needed = skip + q.limit + 1;
    const std::vector<std::uint32_t> rows = plan.run(start, needed);
    const std::size_t end = std::min(rows.size(), skip + q.limit);
    for (std::size_t i = skip; i < end; ++i) result.entries.push_back(make_entry(s, rows[i]));
    if (rows.size() > skip + q.limit)
        result.next_cursor = make_cursor(s.fingerprint, rows[end - 1]);
    return result;
}

std::size_t extraction_index::size() const noexcept
{
    return impl_->rows;
}

std::uint64_t extraction_index::fingerprint() const noexcept
{
    return impl_->fingerprint;
}

std::size_t extraction_index::memory_usage() const noexcept
{
    return impl_->memory();
}

boost::system::result<entry> extraction_index::find(std::string_view address) const
{
    query q;
    q.mailbox_address = std::string(address);
    q.limit = 1;
    diagnostics diag;
    auto found = search(q, diag);
    if (!found)
        return found.error();
    if (found->entries.empty())
        return make_error_code(errc::not_found);
    return std::move(found->entries.front());
}

std::shared_ptr<const extraction_index> live_index::current() const
{
    const std::lock_guard lock(mutex_);
    return current_;
}

void live_index::replace(std::shared_ptr<const extraction_index> next)
{
    std::shared_ptr<const extraction_index> old;
    {
        const std::lock_guard lock(mutex_);
        old = std::exchange(current_, std::move(next));
    }
    // `old` is released here, outside the lock: freeing a large index takes time.
}

error_code live_index::reload(const std::filesystem::path& path, load_report& report, diagnostics& diag,
                              const load_options& options)
{
    const std::lock_guard serialise(load_mutex_);
    auto loaded = extraction_index::load_file(path, report, diag, options);
    if (!loaded)
        return loaded.error();
    replace(std::move(*loaded));
    return {};
}

boost::system::result<search_result> live_index::search(const query& q, diagnostics& diag) const
{
    const auto index = current();
    if (!index)
    {
        diag.clear();
        diag.set_client_message("no directory index has been loaded yet");
        return make_error_code(errc::no_index);
    }
    return index->search(q, diag);
}

}  // namespace mss::directory
