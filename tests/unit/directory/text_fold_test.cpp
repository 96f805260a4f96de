// SPDX-License-Identifier: Apache-2.0
#include <mss/directory/text_fold.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using mss::directory::fold_text;
using mss::directory::fold_words;

TEST_SUITE("directory text folding")
{
    TEST_CASE("accents and case are folded away")
    {
        CHECK(fold_text("Émilie") == "emilie");
        CHECK(fold_text("ÉMILIE") == "emilie");
        CHECK(fold_text("François Hélène Noël Ãçôûÿ") == "francois helene noel acouy");
        CHECK(fold_text("Łukasz Dvořák Ørsted") == "lukasz dvorak orsted");
    }

    TEST_CASE("ligatures and special letters are spelled out")
    {
        CHECK(fold_text("ŒUVRAY") == "oeuvray");
        CHECK(fold_text("Lætitia") == "laetitia");
        CHECK(fold_text("Strauß") == "strauss");
    }

    TEST_CASE("apostrophes, hyphens and spaces separate words, whatever their typography")
    {
        CHECK(fold_text("D'AUBIGNÉ") == "d aubigne");
        CHECK(fold_text("D\u2019Aubigné") == "d aubigne");
        CHECK(fold_text("Jean-Pierre") == "jean pierre");
        CHECK(fold_text("Jean\u2010Pierre") == "jean pierre");
        CHECK(fold_text("  de   LA\u00A0Fontaine  ") == "de la fontaine");
        CHECK(fold_words("Jean-Pierre  DE LA FONTAINE") ==
              std::vector<std::string>{"jean", "pierre", "de", "la", "fontaine"});
    }

    TEST_CASE("decomposed accents (combining marks) fold like precomposed ones")
    {
        CHECK(fold_text("E\u0301milie") == "emilie");
        CHECK(fold_text("Ame\u0301lie") == "amelie");
    }

    TEST_CASE("other scripts are kept, invalid UTF-8 separates words")
    {
        CHECK(fold_text("Σοφία") == "Σοφία");
        CHECK(fold_text("ab\xFF"
                        "cd") == "ab cd");
        CHECK(fold_text("ab\xC3") == "ab");
        CHECK(fold_text("").empty());
        CHECK(fold_text(" -' ").empty());
        CHECK(fold_words("--").empty());
    }
}
