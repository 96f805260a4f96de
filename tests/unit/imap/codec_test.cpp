// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/imap/errc.hpp>
#include <mss/imap/modified_utf7.hpp>
#include <mss/imap/sequence_set.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace imap = mss::imap;

TEST_SUITE("imap modified utf-7")
{
    TEST_CASE("the RFC 3501 examples encode and decode")
    {
        CHECK(imap::encode_modified_utf7("☺").value() == "&Jjo-");
        CHECK(imap::decode_modified_utf7("&Jjo-").value() == "☺");
        CHECK(imap::encode_modified_utf7("Entwürfe").value() == "Entw&APw-rfe");
        CHECK(imap::decode_modified_utf7("Entw&APw-rfe").value() == "Entwürfe");
        CHECK(imap::encode_modified_utf7("~peter/mail/台北/日本語").value() == "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        CHECK(imap::decode_modified_utf7("~peter/mail/&U,BTFw-/&ZeVnLIqe-").value() == "~peter/mail/台北/日本語");
    }

    TEST_CASE("ampersands, plain ASCII and characters outside the BMP round-trip")
    {
        CHECK(imap::encode_modified_utf7("Patients & suivis").value() == "Patients &- suivis");
        CHECK(imap::decode_modified_utf7("Patients &- suivis").value() == "Patients & suivis");
        for (std::string s : {"", "INBOX", "Éléments envoyés", "Boîte 📬 reçue", "a&b&c", "日本語&日本語", "tab\there"})
        {
            const auto encoded = imap::encode_modified_utf7(s);
            REQUIRE(encoded.has_value());
            for (unsigned char c : *encoded)
                CHECK((c >= 0x20 && c <= 0x7e));
            CHECK(imap::decode_modified_utf7(*encoded).value() == s);
        }
    }

    TEST_CASE("invalid input is refused")
    {
        CHECK(imap::encode_modified_utf7("\xff\xfe").error() == mss::errc::invalid_argument);
        CHECK(imap::encode_modified_utf7("\xc3").error() == mss::errc::invalid_argument);
        for (const char* bad : {"&Jjo", "&-&", "&AGE-", "&3gA-", "&Jj!-", "&-\xc3\xa9", "&Jjp-", "&2D0-", "&-\x01"})
        {
            INFO(bad);
            CHECK(imap::decode_modified_utf7(bad).error() == mss::errc::malformed_response);
        }
    }

    TEST_CASE("the appending overloads leave the output unchanged on error")
    {
        std::string out = "prefix";
        CHECK(imap::decode_modified_utf7("&Jjo", out) == mss::errc::malformed_response);
        CHECK(out == "prefix");
        CHECK(imap::encode_modified_utf7("ok\xff", out) == mss::errc::invalid_argument);
        CHECK(out == "prefix");
    }
}

TEST_SUITE("imap sequence set")
{
    TEST_CASE("sorted UIDs are compressed into ranges")
    {
        const std::vector<std::uint32_t> uids{1, 2, 3, 4, 5, 7, 9, 10, 11};
        CHECK(imap::sequence_set::from_numbers(uids).to_string() == "1:5,7,9:11");
        const std::vector<std::uint32_t> unsorted{9, 3, 1, 2, 3, 0, 4294967294u};
        CHECK(imap::sequence_set::from_numbers(unsorted).to_string() == "1:3,9,4294967294");
        CHECK(imap::sequence_set::from_numbers({}).empty());
    }

    TEST_CASE("ranges and star are written and parsed")
    {
        imap::sequence_set s;
        s.add_range(1, 5);
        s.add(7);
        s.add_range(9, imap::sequence_set::star);
        CHECK(s.to_string() == "1:5,7,9:*");
        auto parsed = imap::sequence_set::parse("1:5,7,9:*");
        REQUIRE(parsed.has_value());
        CHECK(*parsed == s);
        CHECK(parsed->contains(4));
        CHECK_FALSE(parsed->contains(8));
        CHECK(parsed->contains(100000));
        CHECK(imap::sequence_set::parse("4:2").value().ranges()[0] == imap::sequence_range{2, 4});
        CHECK(imap::sequence_set::parse("*").value().to_string() == "*");
        CHECK(imap::sequence_set::parse("3:3").value().count() == 1);
    }

    TEST_CASE("malformed sets are refused")
    {
        for (const char* bad : {"", "0", "1,", ",1", "1::2", "a", "1:0", "01", "4294967296", "1 2", "1,,2", ":"})
        {
            INFO(bad);
            CHECK(imap::sequence_set::parse(bad).error() == mss::errc::malformed_response);
        }
    }
}

TEST_SUITE("imap errors")
{
    TEST_CASE("the IMAP category has a name, messages and a fatal classifier")
    {
        boost::system::error_code ec = imap::errc::command_no;
        CHECK(std::string(ec.category().name()) == "mss.imap");
        for (int v = 1; v <= static_cast<int>(imap::errc::auth_failed); ++v)
            CHECK(imap::make_error_code(static_cast<imap::errc>(v)).message() != "unknown mss.imap error");
        CHECK(imap::is_fatal(imap::errc::bye));
        CHECK(imap::is_fatal(imap::errc::unknown_tag));
        CHECK(imap::is_fatal(imap::errc::literal_too_large));
        CHECK_FALSE(imap::is_fatal(imap::errc::command_no));
        CHECK_FALSE(imap::is_fatal(imap::errc::uidvalidity_changed));
        CHECK(imap::is_fatal(mss::errc::malformed_response));
        CHECK_FALSE(imap::is_fatal({}));
    }
}
