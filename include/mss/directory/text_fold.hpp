// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Accent- and case-folding of names for directory searches ("Émilie" → "emilie").
 */
#pragma once

#include <mss/config.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mss::directory
{

/** @brief Folds UTF-8 text for searching: lower case, accents removed, words separated by one
 *         space.
 *
 *  - ASCII letters are lowered; ASCII letters and digits make up words, every other ASCII
 *    character (space, hyphen, apostrophe, dot, comma...) separates words;
 *  - Latin letters with diacritics (Latin-1 Supplement and Latin Extended-A: `É`, `ç`, `Ÿ`, `ő`...)
 *    become their base letter; ligatures and special letters are spelled out (`Œ` → `oe`,
 *    `Æ` → `ae`, `ß` → `ss`, `Þ` → `th`); combining diacritical marks (U+0300–U+036F, text typed
 *    in decomposed form) are dropped;
 *  - typographic apostrophes and dashes (`’`, `ʼ`, `‐`, `–`, `—`), no-break spaces and the
 *    multiplication and division signs separate words;
 *  - any other character (Greek, Cyrillic, CJK...) is kept as it is, as part of a word; a byte
 *    that is not well-formed UTF-8 separates words.
 *
 *  Examples: `"Émilie"` → `"emilie"`, `"D'AUBIGNÉ"` → `"d aubigne"`,
 *  `"Jean-Pierre  DE LA FONTAINE"` → `"jean pierre de la fontaine"`, `"Œuvre"` → `"oeuvre"`.
 */
MSS_API std::string fold_text(std::string_view text);

/** @brief The words of `fold_text(text)`, in order. */
MSS_API std::vector<std::string> fold_words(std::string_view text);

/** @brief Appends `fold_text(text)` to `out` (no allocation when `out` has the capacity). */
MSS_API void append_folded(std::string_view text, std::string& out);

}  // namespace mss::directory
