// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/mime/address_list.hpp>
#include <mss/mime/errc.hpp>
#include <mss/mime/header_block.hpp>

#include <doctest/doctest.h>

using namespace mss;

namespace {

std::vector<std::string> addresses(std::string_view value, std::size_t* skipped = nullptr)
{
    std::vector<domain::named_address> list;
    const auto s = mime::parse_address_list(value, list);
    if (skipped)
        *skipped = s;
    std::vector<std::string> out;
    for (const auto& a : list)
        out.push_back(std::string(a.display_name()) + "|" + a.address().str());
    return out;
}

}  // namespace

TEST_SUITE("mime: header block")
{
    TEST_CASE("fields are found by name in any case, folded values kept raw and unfolded on demand")
    {
        const std::string_view input =
            "From: Dr Martin <dr.martin@regional.mssante.test>\r\n"
            "Subject: Compte rendu\r\n d'hospitalisation\r\n"
            "X-MSS-NIL : PRODUIT-1\r\n"
            "\r\n"
            "body";
        mime::header_block block;
        diagnostics diag;
        REQUIRE_FALSE(mime::header_block::parse(input, block, diag));
        REQUIRE(block.fields().size() == 3);
        CHECK(block.find("from")->raw_value == " Dr Martin <dr.martin@regional.mssante.test>");
        CHECK(mime::unfold(block.find("SUBJECT")->raw_value) == "Compte rendu d'hospitalisation");
        CHECK(block.find("x-mss-nil")->name == "X-MSS-NIL");  // obs-field: space before the colon
        CHECK(block.find("To") == nullptr);
        CHECK(input.substr(block.size()) == "body");
        // Zero-copy: the values point into the input.
        CHECK(block.find("From")->raw_value.data() >= input.data());
        CHECK(block.find("From")->raw_value.data() < input.data() + input.size());
    }

    TEST_CASE("bare LF line ends and a header without body are read")
    {
        mime::header_block block;
        diagnostics diag;
        REQUIRE_FALSE(mime::header_block::parse("To: a@b.fr\nCc: c@d.fr\n", block, diag));
        CHECK(block.fields().size() == 2);
        CHECK(mime::unfold(block.find("Cc")->raw_value) == "c@d.fr");
    }

    TEST_CASE("lenient reading skips garbage lines; strict reading reports their offset")
    {
        const std::string_view input = "From: a@b.fr\r\nthis is not a field\r\nTo: c@d.fr\r\n\r\n";
        mime::header_block block;
        diagnostics diag;
        REQUIRE_FALSE(mime::header_block::parse(input, block, diag));
        CHECK(block.fields().size() == 2);
        mime::header_options strict;
        strict.strict = true;
        CHECK(mime::header_block::parse(input, block, diag, strict) == mime::errc::bad_header_value);
        CHECK(diag.position()->offset == 14);
    }

    TEST_CASE("a 1 MB header line is refused with its offset, without unbounded memory")
    {
        std::string input = "Subject: x\r\nX-Long: " + std::string(1024 * 1024, 'a') + "\r\n\r\n";
        mime::header_block block;
        diagnostics diag;
        CHECK(mime::header_block::parse(input, block, diag) == mss::errc::limit_exceeded);
        CHECK(diag.position()->offset == 12);
    }

    TEST_CASE("too many fields are refused")
    {
        std::string input;
        for (int i = 0; i < 30; ++i)
            input += "X-A: b\r\n";
        mime::header_options options;
        options.max_fields = 20;
        mime::header_block block;
        diagnostics diag;
        CHECK(mime::header_block::parse(input, block, diag, options) == mss::errc::limit_exceeded);
    }
}

TEST_SUITE("mime: address lists")
{
    TEST_CASE("plain, named, quoted and encoded display names")
    {
        CHECK(addresses("a@regional.mssante.test") == std::vector<std::string>{"|a@regional.mssante.test"});
        CHECK(addresses("Dr Jean Martin <dr.martin@regional.mssante.test>, \"Dupont, Anne\" <anne@x.fr>") ==
              std::vector<std::string>{"Dr Jean Martin|dr.martin@regional.mssante.test", "Dupont, Anne|anne@x.fr"});
        CHECK(addresses("=?UTF-8?Q?J=C3=A9r=C3=B4me_Dupr=C3=A9?= <jerome@x.fr>") ==
              std::vector<std::string>{"Jérôme Dupré|jerome@x.fr"});
    }

    TEST_CASE("folding, comments and groups")
    {
        CHECK(addresses("a@x.fr (le docteur),\r\n b@x.fr") == std::vector<std::string>{"|a@x.fr", "|b@x.fr"});
        CHECK(addresses("Équipe de soins: a@x.fr, Dr B <b@x.fr>;, c@x.fr") ==
              std::vector<std::string>{"|a@x.fr", "Dr B|b@x.fr", "|c@x.fr"});
        CHECK(addresses("undisclosed-recipients:;").empty());
        CHECK(addresses("<@relay.x.fr:a@x.fr>") == std::vector<std::string>{"|a@x.fr"});
    }

    TEST_CASE("invalid entries are skipped and counted, never fatal")
    {
        std::size_t skipped = 0;
        CHECK(addresses("a@x.fr, not an address, b@y.fr", &skipped) == std::vector<std::string>{"|a@x.fr", "|b@y.fr"});
        CHECK(skipped == 1);
        CHECK(addresses("", &skipped).empty());
        CHECK(skipped == 0);
    }

    TEST_CASE("a quoted local part with a comma stays one address")
    {
        CHECK(addresses("\"a,b\"@x.fr, c@x.fr") == std::vector<std::string>{"|\"a,b\"@x.fr", "|c@x.fr"});
    }
}
