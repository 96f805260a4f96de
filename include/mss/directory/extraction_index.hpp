// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::directory::extraction_index`: an in-memory, read-only search index of the public
 *         extraction file of MSSanté mailboxes, and `live_index`, which swaps a newer one in while
 *         searches go on.
 *
 *  The file (`Extraction_Correspondance_MSSante_<date>.txt`, published daily by ANS) is UTF-8,
 *  `|`-separated, with one header line naming 31 columns (`Type de BAL`, `Adresse BAL`,
 *  `Nom d'exercice`, ...). Columns are found by their names, never by their positions.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/directory/entry.hpp>
#include <mss/directory/errc.hpp>
#include <mss/directory/query.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mss::directory
{

/** @brief Limits of a load: a file beyond them is refused (`errc::extraction_too_large`). */
struct load_options
{
    /** @brief Largest file accepted, in bytes (the real file is about 150 MB in 2026). */
    std::uint64_t max_bytes = std::uint64_t{4} << 30;
    /** @brief Most data lines accepted. */
    std::size_t max_rows = 20'000'000;
    /** @brief Longest line accepted, in bytes; a longer line is reported and skipped. */
    std::size_t max_line = 64 * 1024;
    /** @brief Bytes read at a time by `extraction_index::load_file` (at least 1). */
    std::size_t read_block = std::size_t{8} << 20;
    /** @brief How many line problems are described one by one in `load_report::problems`; the
     *         others are still counted.
     */
    std::size_t max_reported_problems = 1000;
};

/** @brief One line of the file that was not loaded, and why. */
struct line_problem
{
    /** @brief Line number in the file, counting the header as line 1. */
    std::size_t line = 0;
    /** @brief Why: `errc::extraction_bad_field_count`, `extraction_bad_address`,
     *         `extraction_unknown_mailbox_type`, `extraction_duplicate_address` or
     *         `extraction_line_too_long`.
     */
    boost::system::error_code error;
    /** @brief An English explanation (field counts, the address parser's reason). It never quotes
     *         the line's content.
     */
    std::string message;
};

/** @brief What a load did with each line of the file. */
struct load_report
{
    /** @brief Data lines read (the header and blank lines excluded). */
    std::size_t data_lines = 0;
    /** @brief Mailboxes indexed. */
    std::size_t loaded = 0;
    /** @brief Lines refused as malformed (wrong field count, invalid address, unknown type,
     *         too long); each is in `problems` while there is room.
     */
    std::size_t malformed = 0;
    /** @brief Lines that repeat an address already loaded (the first line is kept). */
    std::size_t duplicates = 0;
    /** @brief Lines of liste-rouge mailboxes, left out (only when the file has a `Liste rouge`
     *         column: the public file already omits them).
     */
    std::size_t liste_rouge = 0;
    /** @brief Empty lines, ignored. */
    std::size_t blank_lines = 0;
    /** @brief The first `load_options::max_reported_problems` problems (malformed lines and
     *         duplicates), in file order.
     */
    std::vector<line_problem> problems;
    /** @brief Problems counted but not described (beyond the limit). */
    std::size_t problems_not_described = 0;
};

/** @brief A read-only search index of the public extraction file.
 *
 *  @par Loading
 *  The header line is read first: every required column must be there (see `required_columns()`),
 *  else the whole file is refused with `errc::extraction_missing_column` and nothing is loaded.
 *  Other known columns are optional (empty when absent); unknown columns are ignored. Column names
 *  are compared without regard to case, accents and punctuation. A UTF-8 byte-order mark is
 *  skipped; lines end with LF or CRLF; fields are trimmed of spaces.
 *
 *  Each data line is then loaded or reported: a line with the wrong number of fields, an invalid
 *  address or an unknown mailbox type is counted in `load_report::malformed` and described with
 *  its line number in `load_report::problems`; the load goes on. An address already loaded is a
 *  duplicate: the first line wins. If the file has a `Liste rouge` column (private extractions),
 *  liste-rouge lines are left out; the public file never lists them.
 *
 *  @par Searching
 *  Text criteria match word prefixes, accents and case folded (see `query`); exact criteria
 *  compare whole values. Entries come in a fixed order: persons by family name, given name, then
 *  structures by name; ties in file order. The first `limit` matches after `offset` are
 *  returned; `next_cursor` continues from the last one.
 *
 *  @par Performance
 *  Designed for the whole national file and beyond (measured on 1,000,000 synthetic rows, one
 *  core: load about 2.5 s, a family + city prefix search 0.1 ms at the median and 0.2–0.3 ms at
 *  p99, about 200 MB held; see bench/directory_query.cpp): columnar storage of interned values;
 *  per searchable field, a sorted array of folded words with their values and row counts, so a
 *  prefix is two binary searches; posting lists per value; a query planner that streams the
 *  candidates already in display order, collects the smallest candidate list, or scans rows in
 *  order when the criteria are broad.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: safe; an index never changes after it is built, so any
 *  number of threads may search it at once. To replace it while searches run, see `live_index`.
 */
class MSS_API extraction_index
{
public:
    /** @brief Builds an index from the whole file's content.
     *
     *  `report` is reset first, then says what happened to each line. `diag` is cleared first; on
     *  failure it explains why the file was refused (e.g. which column is missing).
     *
     *  @par Errors
     *  `errc::extraction_empty`, `errc::extraction_missing_column`,
     *  `errc::extraction_duplicate_column`, `errc::extraction_too_large`. Malformed lines are not
     *  errors: they are in `report`.
     */
    static boost::system::result<std::shared_ptr<const extraction_index>> load(
        std::string_view content, load_report& report, diagnostics& diag, const load_options& options = {});

    /** @brief Builds an index from a file, read in large blocks (the file is never held whole in
     *         memory).
     *
     *  @par Errors
     *  Those of `load()`, and `mss::errc::file_unreadable` (path and reason in `diag`).
     */
    static boost::system::result<std::shared_ptr<const extraction_index>> load_file(
        const std::filesystem::path& path, load_report& report, diagnostics& diag,
        const load_options& options = {});

    /** @brief The columns a file must have, as the ANS file names them. */
    static const std::vector<std::string_view>& required_columns();

    /** @brief The 31 columns of the ANS file, in the published order. */
    static const std::vector<std::string_view>& known_columns();

    /** @brief Runs a query.
     *
     *  @par Errors
     *  `errc::invalid_query` (see `validate()`), `errc::invalid_cursor`, `errc::stale_cursor` (the
     *  cursor came from another index: start again from the first page). Explained in `diag`,
     *  which is cleared first.
     */
    boost::system::result<search_result> search(const query& q, diagnostics& diag) const;

    /** @brief Number of mailboxes indexed. */
    [[nodiscard]] std::size_t size() const noexcept;

    /** @brief A fingerprint of the indexed content (addresses and order): two loads of the same
     *         file have the same one; cursors carry it to detect a reload.
     */
    [[nodiscard]] std::uint64_t fingerprint() const noexcept;

    /** @brief Approximate memory held by the index, in bytes. */
    [[nodiscard]] std::size_t memory_usage() const noexcept;

    /** @brief The entry of `address` (compared without regard to case); `errc::not_found` when
     *         it is not indexed.
     */
    [[nodiscard]] boost::system::result<entry> find(std::string_view address) const;

    /** @brief Frees the index. */
    ~extraction_index();
    extraction_index(const extraction_index&) = delete;
    extraction_index& operator=(const extraction_index&) = delete;

    struct impl;

private:
    explicit extraction_index(std::unique_ptr<impl> state) noexcept;

    std::unique_ptr<impl> impl_;
};

/** @brief Holds the current `extraction_index` and replaces it atomically.
 *
 *  Searches take a reference to the current index (`current()`) and keep using it even if a
 *  reload replaces it meanwhile; the old index is freed when its last search ends. A reload builds
 *  the new index completely before swapping it in: a failed reload (missing column, unreadable
 *  file) leaves the current index in place.
 *
 *  @par Thread safety
 *  Every member is safe to call from any number of threads at once. Loads are serialised with one
 *  another (the second waits), never with searches.
 */
class MSS_API live_index
{
public:
    /** @brief Starts empty: searches fail with `errc::no_index` until the first load. */
    live_index() = default;

    /** @brief The current index, or null before the first successful load. */
    [[nodiscard]] std::shared_ptr<const extraction_index> current() const;

    /** @brief Replaces the current index by `next` (null empties it). */
    void replace(std::shared_ptr<const extraction_index> next);

    /** @brief Loads `path` and, on success, swaps it in (see `extraction_index::load_file`). */
    boost::system::error_code reload(const std::filesystem::path& path, load_report& report,
                                     diagnostics& diag, const load_options& options = {});

    /** @brief Searches the current index. `errc::no_index` before the first load. */
    boost::system::result<search_result> search(const query& q, diagnostics& diag) const;

private:
    // A mutex rather than std::atomic<std::shared_ptr>: the critical section is one reference
    // count increment, far below a search's cost, and it is portable and sanitizer-friendly.
    mutable std::mutex mutex_;
    std::shared_ptr<const extraction_index> current_;
    std::mutex load_mutex_;
};

}  // namespace mss::directory
