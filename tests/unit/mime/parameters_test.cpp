// SPDX-License-Identifier: Apache-2.0
// File names and values below are synthetic.
#include <mss/diagnostics.hpp>
#include <mss/mime/parameters.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using mss::mime::errc;
using mss::mime::format_parameter;
using mss::mime::parameter_options;
using mss::mime::parameterized_value;
using mss::mime::parse_content_disposition;
using mss::mime::parse_content_type;
using namespace std::string_view_literals;

namespace {

constexpr parameter_options lenient{.lenient = true};

parameterized_value content_type(std::string_view text, const parameter_options& options = {})
{
    auto r = parse_content_type(text, options);
    INFO("Content-Type: ", std::string(text));
    if (!r)
        INFO("error: ", r.error().message());
    REQUIRE(r.has_value());
    return *r;
}

parameterized_value disposition(std::string_view text, const parameter_options& options = {})
{
    auto r = parse_content_disposition(text, options);
    INFO("Content-Disposition: ", std::string(text));
    REQUIRE(r.has_value());
    return *r;
}

/** The value of a parameter that must be present. */
std::string param(const parameterized_value& v, std::string_view name)
{
    const auto found = v.find(name);
    INFO("parameter ", std::string(name));
    REQUIRE(found.has_value());
    return std::string(*found);
}

/** The file name of a Content-Disposition that must parse. */
std::string filename(std::string_view text, const parameter_options& options = {})
{
    return param(disposition(text, options), "filename");
}

/** Parses a Content-Type that must be refused with `code`; returns the recorded offset. */
std::size_t refused(std::string_view text, errc code, const parameter_options& options = {})
{
    INFO("Content-Type: ", std::string(text));
    mss::diagnostics diag;
    diag.set_client_message("stale");
    const auto with_diag = parse_content_type(text, options, diag);
    const auto without = parse_content_type(text, options);
    REQUIRE_FALSE(with_diag.has_value());
    REQUIRE_FALSE(without.has_value());
    CHECK(with_diag.error() == code);
    CHECK(without.error() == with_diag.error());
    CHECK_FALSE(diag.client_message().empty());
    CHECK(diag.client_message() != "stale");
    REQUIRE(diag.position().has_value());
    CHECK(diag.position()->line == 0);
    return diag.position()->offset;
}

}  // namespace

TEST_SUITE("mime parameters")
{
    TEST_CASE("type and subtype are lower-cased and parameters are found by any case")
    {
        const auto v = content_type("TEXT/Plain; CharSet=\"UTF-8\"; Format=flowed");
        CHECK(v.type == "text");
        CHECK(v.subtype == "plain");
        REQUIRE(v.parameters.size() == 2);
        CHECK(v.parameters[0].name == "charset");
        CHECK(v.parameters[0].value == "UTF-8");  // values keep their case
        CHECK(param(v, "CHARSET") == "UTF-8");
        CHECK(param(v, "format") == "flowed");
        CHECK_FALSE(v.find("boundary").has_value());
    }

    TEST_CASE("tokens, quoted strings, quoted pairs, comments and folding are understood")
    {
        const auto v = content_type("multipart/mixed (a comment (nested)) ;\r\n boundary=\"----=_Part_0\";"
                                    "\tname=\"a \\\"quoted\\\" \\\\ name\" (trailing comment)");
        CHECK(v.type == "multipart");
        CHECK(v.subtype == "mixed");
        CHECK(param(v, "boundary") == "----=_Part_0");
        CHECK(param(v, "name") == "a \"quoted\" \\ name");
        CHECK(content_type(" text / html ").subtype == "html");
        CHECK(content_type("text/plain;").parameters.empty());  // trailing ';' is common
        CHECK(content_type("text/plain;; charset=us-ascii;").parameters.size() == 1);
    }

    TEST_CASE("a content disposition has a type and no subtype")
    {
        const auto v = disposition("Attachment; filename=\"cr-consultation.pdf\"; size=12345");
        CHECK(v.type == "attachment");
        CHECK(v.subtype.empty());
        CHECK(param(v, "filename") == "cr-consultation.pdf");
        CHECK(param(v, "size") == "12345");
        CHECK(disposition("inline").type == "inline");
    }

    TEST_CASE("the RFC 2231 examples are reassembled as the RFC says")
    {
        const auto external =
            content_type("message/external-body; access-type=URL;\r\n"
                         "         URL*0=\"ftp://\";\r\n"
                         "         URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"");
        CHECK(param(external, "access-type") == "URL");
        CHECK(param(external, "url") == "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar");

        const auto fun = content_type("application/x-stuff;\r\n"
                                      "         title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A");
        CHECK(param(fun, "title") == "This is ***fun***");

        // The RFC's third example, with the ';' its erratum adds between the parameters.
        const auto more = content_type("application/x-stuff;\r\n"
                                       "         title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n"
                                       "         title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n"
                                       "         title*2=\"isn't it!\"");
        CHECK(param(more, "title") == "This is even more ***fun*** isn't it!");
        CHECK(more.parameters.size() == 1);
    }

    TEST_CASE("RFC 2231 values are converted from their charset to UTF-8")
    {
        CHECK(filename("attachment; filename*=UTF-8''compte%20rendu%20J%C3%A9r%C3%B4me.pdf")
              == "compte rendu J\xC3\xA9r\xC3\xB4me.pdf");
        CHECK(filename("attachment; filename*=iso-8859-1'fr'caf%E9.pdf") == "caf\xC3\xA9.pdf");
        CHECK(filename("attachment; filename*=windows-1252''%80%20%9C.txt") == "\xE2\x82\xAC \xC5\x93.txt");
        CHECK(filename("attachment; filename*=''plain.txt") == "plain.txt");
        // Percent-decoded bytes are joined across sections before the conversion.
        CHECK(filename("attachment; filename*0*=UTF-8''J%C3; filename*1*=%A9r%C3%B4me.pdf")
              == "J\xC3\xA9r\xC3\xB4me.pdf");
    }

    TEST_CASE("sections may come in any order and the RFC 2231 form wins over the plain one")
    {
        CHECK(param(content_type("text/plain; title*1=\"b\"; title*0=\"a\"; title*2=c"), "title") == "abc");
        const auto both = disposition("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''r%C3%A9el.pdf");
        CHECK(param(both, "filename") == "r\xC3\xA9" "el.pdf");
        CHECK(both.parameters.size() == 1);
    }

    TEST_CASE("RFC 2047 encoded-words inside quoted file names are decoded")
    {
        CHECK(filename("attachment; filename=\"=?UTF-8?B?Y29tcHRlLXJlbmR1IMOpLnBkZg==?=\"")
              == "compte-rendu \xC3\xA9.pdf");
        const auto pdf =
            content_type("application/pdf; name=\"=?UTF-8?B?UsOpc3VsdGF0cyBk4oCZYW5hbHlzZS5wZGY=?=\"");
        CHECK(param(pdf, "name") == "R\xC3\xA9sultats d\xE2\x80\x99" "analyse.pdf");
        CHECK(filename("attachment; filename=\"=?ISO-8859-1?Q?caf=E9?= =?ISO-8859-1?Q?.pdf?=\"")
              == "caf\xC3\xA9.pdf");
        // A boundary may contain "=?": it is never decoded.
        const auto multipart = content_type("multipart/mixed; boundary=\"=?UTF-8?Q?x?=\"");
        CHECK(param(multipart, "boundary") == "=?UTF-8?Q?x?=");
    }

    TEST_CASE("raw UTF-8 values are accepted and other 8-bit values need lenient mode")
    {
        CHECK(filename("attachment; filename=\"J\xC3\xA9r\xC3\xB4me.pdf\"") == "J\xC3\xA9r\xC3\xB4me.pdf");
        CHECK(refused("text/plain; name=\"caf\xE9.pdf\"", errc::bad_charset_data) == 12);
        CHECK(param(content_type("text/plain; name=\"caf\xE9.pdf\"", lenient), "name") == "caf\xC3\xA9.pdf");
        parameter_options latin9 = lenient;
        latin9.fallback_charset = "iso-8859-15";
        CHECK(param(content_type("text/plain; name=\"\xA4.txt\"", latin9), "name") == "\xE2\x82\xAC.txt");
    }

    TEST_CASE("malformed media types are refused in both modes")
    {
        CHECK(refused("", errc::bad_header_value) == 0);
        CHECK(refused("text", errc::bad_header_value) == 4);
        CHECK(refused("text/", errc::bad_header_value) == 5);
        CHECK(refused("/plain", errc::bad_header_value) == 0);
        CHECK(refused("text/plain (open comment", errc::bad_header_value) == 11);
        refused("text", errc::bad_header_value, lenient);
        CHECK(disposition("attachment (open comment", lenient).type == "attachment");
    }

    TEST_CASE("strict mode refuses malformed parameters with their offset")
    {
        CHECK(refused("text/plain; =x", errc::bad_parameter) == 12);
        CHECK(refused("text/plain; charset", errc::bad_parameter) == 12);
        CHECK(refused("text/plain; charset=", errc::bad_parameter) == 20);
        CHECK(refused("text/plain charset=utf-8", errc::bad_parameter) == 11);
        CHECK(refused("text/plain; name=two words", errc::bad_parameter) == 21);
        CHECK(refused("text/plain; name=\"open", errc::bad_parameter) == 17);
        CHECK(refused("text/plain; a=1; A=2", errc::bad_parameter) == 17);
        CHECK(refused("text/plain; t*0=a; t*2=c", errc::bad_parameter) == 19);
        CHECK(refused("text/plain; t*0=a; t*0=b", errc::bad_parameter) == 19);
        CHECK(refused("text/plain; t*x=a", errc::bad_parameter) == 12);
        CHECK(refused("text/plain; t*1234=a", errc::bad_parameter) == 12);
        CHECK(refused("text/plain; *=a", errc::bad_parameter) == 12);
        CHECK(refused("text/plain; t*=nocharset", errc::bad_parameter) == 12);
        CHECK(refused("text/plain; t*=utf-8''%G1", errc::bad_parameter) == 12);
        CHECK(refused("text/plain; t*=x-unknown''abc", errc::unknown_charset) == 12);
        CHECK(refused("text/plain; t*=utf-8''%E9", errc::bad_charset_data) == 12);
    }

    TEST_CASE("lenient mode repairs what the strict mode refuses")
    {
        const auto v = content_type("text/plain charset=utf-8; =x; broken; name=compte rendu.pdf ;"
                                    " a=1; A=2; t*0=a; t*2=c; u*x=1; v*=nocharset%20here; w*=utf-8''%G1;"
                                    " x*=x-unknown''caf%C3%A9; y*=utf-8''%E9; q=\"open",
                                    lenient);
        CHECK(v.type == "text");
        CHECK_FALSE(v.find("charset").has_value());
        CHECK(param(v, "name") == "compte rendu.pdf");
        CHECK(param(v, "a") == "1");
        CHECK(param(v, "t") == "ac");
        CHECK_FALSE(v.find("u").has_value());
        CHECK(param(v, "v") == "nocharset here");
        CHECK(param(v, "w") == "%G1");
        CHECK(param(v, "x") == "caf\xC3\xA9");
        CHECK(param(v, "y") == "\xEF\xBF\xBD");
        CHECK(param(v, "q") == "open");
        CHECK(param(content_type("text/plain; name=J\xC3\xA9r\xC3\xB4me.pdf", lenient), "name")
              == "J\xC3\xA9r\xC3\xB4me.pdf");
        CHECK(param(content_type("text/plain; empty=", lenient), "empty").empty());
    }

    TEST_CASE("the number of parameters and the size of values are bounded")
    {
        std::string many = "text/plain";
        for (int i = 0; i < 65; ++i)
            many += "; p" + std::to_string(i) + "=v";
        refused(many, errc::limit_exceeded);
        refused(many, errc::limit_exceeded, lenient);
        parameter_options roomy{.max_parameters = 100};
        CHECK(content_type(many, roomy).parameters.size() == 65);

        const std::string long_value = "text/plain; name=\"" + std::string(4097, 'a') + "\"";
        CHECK(refused(long_value, errc::limit_exceeded) == 12);
        CHECK(content_type("text/plain; name=\"" + std::string(4096, 'a') + "\"").parameters.size() == 1);

        // Sections that are small one by one but too long together.
        std::string sections = "text/plain";
        for (int i = 0; i < 3; ++i)
            sections += "; t*" + std::to_string(i) + "=\"" + std::string(2000, 'b') + "\"";
        refused(sections, errc::limit_exceeded);
        refused(sections, errc::limit_exceeded, lenient);
    }

    TEST_CASE("ASCII parameter values are written as quoted strings")
    {
        std::string out;
        CHECK_FALSE(format_parameter("filename", "cr-consultation.pdf", out));
        CHECK(out == "filename=\"cr-consultation.pdf\"");
        out.clear();
        CHECK_FALSE(format_parameter("name", "a \"b\" \\ c", out));
        CHECK(out == "name=\"a \\\"b\\\" \\\\ c\"");
        out.clear();
        CHECK_FALSE(format_parameter("boundary", "", out));
        CHECK(out == "boundary=\"\"");
    }

    TEST_CASE("other parameter values are written with RFC 2231 percent-encoding in UTF-8")
    {
        std::string out;
        CHECK_FALSE(format_parameter("filename", "compte rendu J\xC3\xA9r\xC3\xB4me.pdf", out));
        CHECK(out == "filename*=UTF-8''compte%20rendu%20J%C3%A9r%C3%B4me.pdf");
        out.clear();
        CHECK_FALSE(format_parameter("filename", "a\r\nb", out));
        CHECK(out == "filename*=UTF-8''a%0D%0Ab");
        out.clear();
        CHECK_FALSE(format_parameter("filename", "=?x", out));  // would be read as RFC 2047
        CHECK(out == "filename*=UTF-8''%3D%3Fx");
    }

    TEST_CASE("formatted parameters parse back to the same value")
    {
        for (const std::string_view value :
             {"simple.pdf"sv, "avec espaces.pdf"sv, "R\xC3\xA9sultats d\xE2\x80\x99" "analyse (1).pdf"sv,
              "quote\"back\\slash"sv, "100% * 'x'.txt"sv, "\xF0\x9F\x98\x80.png"sv, "=?UTF-8?Q?x?=.txt"sv})
        {
            std::string header = "attachment; ";
            REQUIRE_FALSE(format_parameter("filename", value, header));
            INFO("header: ", header);
            CHECK(param(disposition(header), "filename") == value);
        }
    }

    TEST_CASE("bad parameter names and invalid UTF-8 values are refused")
    {
        std::string out = "kept";
        CHECK(format_parameter("", "x", out) == errc::bad_parameter);
        CHECK(format_parameter("file name", "x", out) == errc::bad_parameter);
        CHECK(format_parameter("name*", "x", out) == errc::bad_parameter);
        CHECK(format_parameter("na\"me", "x", out) == errc::bad_parameter);
        CHECK(format_parameter("name\r\nBcc", "x", out) == errc::bad_parameter);
        CHECK(format_parameter("name", "caf\xE9", out) == errc::bad_charset_data);
        CHECK(out == "kept");
    }
}
