// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::errc`: refusals of the pure domain layer (identifiers, addresses,
 *         the trust space, and later the MSSanté rules).
 */
#pragma once

#include <mss/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace mss::domain {

/** @brief Errors of the domain layer. None of them is fatal for a connection. */
enum class errc : int
{
    // Identifiers (RPPS, ADELI, FINESS, SIRET, SIREN, INS, national ids).
    /** @brief The identifier has the wrong number of characters. */
    identifier_wrong_length = 1,
    /** @brief The identifier holds a character its format does not allow. */
    identifier_bad_character,
    /** @brief The identifier's check key (Luhn or mod 97) does not match. */
    identifier_bad_key,
    /** @brief A national id starts with a prefix that is not defined for its kind. */
    identifier_unknown_prefix,

    // Addresses.
    /** @brief The address is empty. */
    address_empty,
    /** @brief CR, LF, NUL or another control character: refused to prevent header injection. */
    address_forbidden_character,
    /** @brief There is no `@` separating local part and domain. */
    address_missing_at,
    /** @brief The local part does not follow RFC 5321/5322 (dot-atom or quoted string). */
    address_bad_local_part,
    /** @brief The domain is not a valid host name (labels, length, IDN). */
    address_bad_domain,
    /** @brief The address or one of its parts is longer than RFC 5321 allows. */
    address_too_long,
    /** @brief The display name cannot be represented safely in a header. */
    address_bad_display_name,

    // Trust space (the ANS whitelist).
    /** @brief The whitelist file is not well-formed XML (truncated, corrupted). */
    trust_space_malformed,
    /** @brief The XML is well-formed but not a whitelist (wrong root, missing `Nom`, ...). */
    trust_space_bad_structure,
    /** @brief The file's SHA-256 differs from the published checksum. */
    trust_space_checksum_mismatch,
    /** @brief The checksum given is not 64 hexadecimal digits. */
    trust_space_bad_checksum_format,
};

/** @brief The category of `mss::domain::errc`; its name is `"mss.domain"`. */
MSS_API const boost::system::error_category& domain_category() noexcept;

/** @brief Makes an `error_code` from a domain `errc` (found by argument-dependent lookup). */
MSS_API boost::system::error_code make_error_code(errc e) noexcept;

}  // namespace mss::domain

namespace boost::system {
template <>
struct is_error_code_enum<mss::domain::errc> : std::true_type
{
};
}  // namespace boost::system
