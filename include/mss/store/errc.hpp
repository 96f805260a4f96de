// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::store::errc`: failures of the persistence layer.
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace mss::store {

/** @brief Errors of the store implementations. */
enum class errc : int
{
    /** @brief The database file cannot be opened or created. */
    open_failed = 1,
    /** @brief A statement failed; SQLite's message is in the diagnostics. */
    statement_failed,
    /** @brief The database is locked by another writer beyond the busy time-out. */
    busy,
    /** @brief The file was written by a newer version of mss: refusing to touch it. */
    schema_too_new,
    /** @brief A schema migration step failed; the database stays at its previous version. */
    migration_failed,
};

/** @brief The category of `mss::store::errc`; its name is `"mss.store"`. */
MSS_API const boost::system::error_category& store_category() noexcept;

/** @brief Makes an `error_code` from a store `errc` (found by argument-dependent lookup). */
MSS_API boost::system::error_code make_error_code(errc e) noexcept;

}  // namespace mss::store

namespace boost::system {
template <>
struct is_error_code_enum<mss::store::errc> : std::true_type
{
};
}  // namespace boost::system
