// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::trust_space`: the MSSanté trust space (ANS whitelist of mail domains).
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/domain/trust_space_entry.hpp>

#include <boost/system/result.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mss::domain {

/** @brief Limits that keep the loader bounded whatever the file holds. */
struct trust_space_limits
{
    /** @brief Largest file accepted, in bytes (the real list is about 3.7 MB). */
    std::size_t max_file_size = 64 * 1024 * 1024;
    /** @brief Most `Domaine` entries accepted. */
    std::size_t max_entries = 1'000'000;
    /** @brief Longest text of one field, in bytes. */
    std::size_t max_field_size = 8 * 1024;
};

/** @brief An entry whose `Nom` is not a valid host name. It is kept (every entry is), reported here,
 *         and can never match a lookup. The real list of March 2025 has one: an e-mail address. */
struct trust_space_anomaly
{
    /** @brief The `Nom` text as found. */
    std::string name;
    /** @brief Line of its `Domaine` element. */
    std::size_t line = 0;
};

/** @brief The set of mail domains allowed to exchange MSSanté mail, loaded from the ANS whitelist.
 *
 *  The whitelist is an XML file (`ListeBlancheMSSante` › `ListeDomaines` › `Domaine`*) published
 *  with its SHA-256. Loading is all or nothing: a file that is not well-formed, does not have the
 *  whitelist's structure, exceeds a limit or fails its checksum gives an error with the line and
 *  byte where it broke, and no `trust_space` — so a caller's previously loaded list stays in force.
 *  DTDs are refused (no entity expansion).
 *
 *  One leniency is documented and deliberate: the file ANS publishes ends after
 *  `</ListeDomaines>` without closing its root element. A missing root end tag is accepted when,
 *  and only when, `ListeDomaines` was closed; a file cut anywhere else is refused as truncated.
 *
 *  Lookups are by domain in O(1) (a hash map from the lower-case domain to its entries).
 *  Domains are compared in their ASCII form (A-labels for internationalised names), without
 *  regard to ASCII case; use `email_address::domain()` to get that form from user input.
 *
 *  @par Thread safety
 *  Distinct objects: safe. Shared objects: const member functions are safe; `add()` is not.
 */
class MSS_API trust_space
{
public:
    /** @brief An empty trust space (no domain is trusted). */
    trust_space() = default;

    /** @brief Parses a whitelist held in memory.
     *  @param xml the file's bytes.
     *  @param expected_sha256 when set, 64 hexadecimal digits (either case) that the SHA-256 of
     *         `xml` must equal; checked before parsing.
     *  @par Errors
     *  `errc::trust_space_malformed` (position in `diag`), `errc::trust_space_bad_structure`
     *  (position in `diag`), `errc::trust_space_checksum_mismatch`,
     *  `errc::trust_space_bad_checksum_format`, `mss::errc::limit_exceeded`.
     */
    static boost::system::result<trust_space> parse(std::string_view xml, diagnostics& diag,
                                                    std::optional<std::string_view> expected_sha256 = {},
                                                    const trust_space_limits& limits = {});

    /** @brief Reads and parses a whitelist file, optionally checking it against a checksum file
     *         (the ANS `checksum` file: 64 hexadecimal digits, optionally followed by a file name).
     *  @par Errors
     *  Those of `parse()`, plus `mss::errc::file_unreadable`.
     */
    static boost::system::result<trust_space> load_file(const std::filesystem::path& file, diagnostics& diag,
                                                        const std::optional<std::filesystem::path>& checksum_file = {},
                                                        const trust_space_limits& limits = {});

    /** @brief Tells whether `domain` is in the trust space (ASCII case ignored). */
    [[nodiscard]] bool contains(std::string_view domain) const noexcept;

    /** @brief The entries of `domain` (one per operator certificate); empty when not trusted. */
    [[nodiscard]] std::span<const trust_space_entry> entries_of(std::string_view domain) const noexcept;

    /** @brief Adds an entry (e.g. a test operator's domain beside the ANS list). The domain is
     *         lower-cased; entries of the same domain are kept together.
     *  @par Errors
     *  `errc::address_bad_domain` when `entry.domain` is not a valid host name.
     */
    boost::system::result<void> add(trust_space_entry entry);

    /** @brief Number of entries that can match (valid `Nom`), all domains together. */
    [[nodiscard]] std::size_t entry_count() const noexcept { return entry_count_; }

    /** @brief Number of `Domaine` elements read from the file or added: usable plus anomalies. */
    [[nodiscard]] std::size_t total_entry_count() const noexcept { return entry_count_ + anomalies_.size(); }

    /** @brief Number of distinct domain names that can match. */
    [[nodiscard]] std::size_t domain_count() const noexcept { return by_domain_.size(); }

    /** @brief `DateDeGeneration` of the file, as written. */
    [[nodiscard]] const std::string& generated_at() const noexcept { return generated_at_; }

    /** @brief Entries kept but unusable (their `Nom` is not a host name). */
    [[nodiscard]] const std::vector<trust_space_anomaly>& anomalies() const noexcept { return anomalies_; }

private:
    // Transparent hashing lets lookups take a string_view without building a std::string.
    struct domain_hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::vector<trust_space_entry>, domain_hash, std::equal_to<>> by_domain_;
    std::vector<trust_space_anomaly> anomalies_;
    std::string generated_at_;
    std::size_t entry_count_ = 0;

    friend class trust_space_reader;
};

}  // namespace mss::domain
