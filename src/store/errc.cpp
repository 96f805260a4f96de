// SPDX-License-Identifier: Apache-2.0
#include <mss/store/errc.hpp>

#include <string>

namespace mss::store {
namespace {

class store_category_impl final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "mss.store"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value))
        {
        case errc::open_failed: return "the database cannot be opened";
        case errc::statement_failed: return "a database statement failed";
        case errc::busy: return "the database is locked by another writer";
        case errc::schema_too_new: return "the database was written by a newer version of mss";
        case errc::migration_failed: return "a schema migration failed; the database was left unchanged";
        }
        return "unknown mss.store error";
    }
};

}  // namespace

const boost::system::error_category& store_category() noexcept
{
    static const store_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), store_category()};
}

}  // namespace mss::store
