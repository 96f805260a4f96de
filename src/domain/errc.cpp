// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/errc.hpp>

#include <string>

namespace mss::domain {
namespace {

class domain_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss.domain"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value))
        {
        case errc::identifier_wrong_length: return "identifier has the wrong length";
        case errc::identifier_bad_character: return "identifier contains a character its format does not allow";
        case errc::identifier_bad_key: return "identifier check key does not match";
        case errc::identifier_unknown_prefix: return "national identifier has an unknown prefix";
        case errc::address_empty: return "address is empty";
        case errc::address_forbidden_character:
            return "address contains CR, LF, NUL or another control character (header injection refused)";
        case errc::address_missing_at: return "address has no '@' between local part and domain";
        case errc::address_bad_local_part: return "address local part is not valid";
        case errc::address_bad_domain: return "address domain is not a valid host name";
        case errc::address_too_long: return "address is longer than RFC 5321 allows";
        case errc::address_bad_display_name: return "display name cannot be used in a header";
        case errc::trust_space_malformed: return "trust-space file is not well-formed XML";
        case errc::trust_space_bad_structure: return "trust-space file does not have the ANS whitelist structure";
        case errc::trust_space_checksum_mismatch: return "trust-space file does not match its SHA-256 checksum";
        case errc::trust_space_bad_checksum_format: return "checksum is not 64 hexadecimal digits";
        }
        return "unknown mss.domain error";
    }
};

}  // namespace

const boost::system::error_category& domain_category() noexcept
{
    static const domain_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), domain_category()};
}

}  // namespace mss::domain
