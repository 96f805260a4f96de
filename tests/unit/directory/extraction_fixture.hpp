// SPDX-License-Identifier: Apache-2.0
// Builds extraction files in the real 31-column format for the directory tests. Every person,
// number and address is invented; RPPS numbers carry valid Luhn keys.
#pragma once

#include <mss/directory/extraction_index.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace directory_test
{

/** An RPPS number from 10 digits: the Luhn key appended. */
inline std::string rpps_with_key(std::string_view ten_digits)
{
    int sum = 0;
    // The key is the 11th digit: counting from the right of the 10 given, every first digit doubles.
    for (std::size_t i = 0; i < ten_digits.size(); ++i)
    {
        int digit = ten_digits[ten_digits.size() - 1 - i] - '0';
        if (i % 2 == 0)
        {
            digit *= 2;
            if (digit > 9)
                digit -= 9;
        }
        sum += digit;
    }
    return std::string(ten_digits) + static_cast<char>('0' + (10 - sum % 10) % 10);
}

/** One line of the file, by column name; unnamed columns are empty. */
using row = std::map<std::string, std::string>;

/** A file: the header (in `columns` order) and the rows, lines ended by `eol`. */
inline std::string make_file(const std::vector<std::string_view>& columns, const std::vector<row>& rows,
                             std::string_view eol = "\n")
{
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? "|" : "") + std::string(columns[i]);
    out += eol;
    for (const auto& r : rows)
    {
        for (std::size_t i = 0; i < columns.size(); ++i)
        {
            if (i)
                out += '|';
            const auto it = r.find(std::string(columns[i]));
            if (it != r.end())
                out += it->second;
        }
        out += eol;
    }
    return out;
}

inline std::vector<std::string_view> standard_columns()
{
    return mss::directory::extraction_index::known_columns();
}

/** A person's row (PER box). */
inline row person(std::string address, std::string family, std::string given, std::string rpps10,
                  std::string profession, std::string profession_label, std::string l6, std::string postal,
                  std::string department, std::string specialty = {}, std::string specialty_label = {})
{
    const std::string rpps = rpps_with_key(rpps10);
    return {
        {"Type de BAL", "PER"},
        {"Adresse BAL", std::move(address)},
        {"Type Identifiant PP", "8"},
        {"Identifiant PP", rpps},
        {"Identification nationale PP", "8" + rpps},
        {"Civilité d'exercice", "DR"},
        {"Nom d'exercice", std::move(family)},
        {"Prénom d'exercice", std::move(given)},
        {"Catégorie profession", "C"},
        {"Libellé de catégorie profession", "Civil"},
        {"Code Profession", std::move(profession)},
        {"Libellé Profession", std::move(profession_label)},
        {"Code savoir-faire", std::move(specialty)},
        {"Libellé savoir-faire", std::move(specialty_label)},
        {"Raison Sociale structure BAL", "CABINET MEDICAL"},
        {"L4NUMEROVOIE structure BAL", "12"},
        {"NL4TYPEVOIE structure BAL", "R"},
        {"L4LIBELLEVOIE structure BAL", "DES LILAS"},
        {"L6LIGNEACHEMINEMENT structure BAL", std::move(l6)},
        {"Code postal structure BAL", std::move(postal)},
        {"Département structure BAL", std::move(department)},
        {"Pays structure BAL", "FRANCE"},
    };
}

/** A structure's row (ORG box). */
inline row organisation(std::string address, std::string company, std::string service,
                        std::string structure_id, std::string l6, std::string postal, std::string department)
{
    return {
        {"Type de BAL", "ORG"},
        {"Adresse BAL", std::move(address)},
        {"Type identifiant structure", "1"},
        {"Identification Structure", std::move(structure_id)},
        {"Service de rattachement", std::move(service)},
        {"Raison Sociale structure BAL", std::move(company)},
        {"L6LIGNEACHEMINEMENT structure BAL", std::move(l6)},
        {"Code postal structure BAL", std::move(postal)},
        {"Département structure BAL", std::move(department)},
        {"Pays structure BAL", "FRANCE"},
    };
}

/** The small directory most tests search. */
inline std::vector<row> sample_rows()
{
    return {
        person("marie.martin@pharmacien.test.mssante.fr", "MARTIN", "Marie", "1000000001", "21", "Pharmacien",
               "69003 LYON", "69003", "69"),
        person("emilie.daubigne@medecin.test.mssante.fr", "D'AUBIGNÉ", "Émilie", "1000000002", "10",
               "Médecin", "75012 PARIS", "75012", "75", "SM26", "Qualifié en médecine générale"),
        organisation("cardiologie@chu-exemple.test.mssante.fr", "CHU D'EXEMPLE", "Cardiologie", "1330000001",
                     "33000 BORDEAUX", "33000", "33"),
        person("jp.delafontaine@infirmier.test.mssante.fr", "DE LA FONTAINE", "Jean-Pierre", "1000000003",
               "60", "Infirmier", "69003 LYON", "69003", "69"),
        person("martin.durand@medecin.test.mssante.fr", "DURAND", "Martin", "1000000004", "10", "Médecin",
               "PARIS CEDEX 12", "75012", "75", "SM26", "Qualifié en médecine générale"),
        person("zoe.oeuvray@sagefemme.test.mssante.fr", "ŒUVRAY", "Zoé", "1000000005", "50", "Sage-femme",
               "20000 AJACCIO", "20000", "2A"),
    };
}

}  // namespace directory_test
