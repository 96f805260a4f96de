// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::domain::patient_info`: the patient a coordination file and its documents concern.
 */
#pragma once

#include <mss/domain/ins.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace mss::domain {

/** @brief The patient of a coordination file. Health data: never logged. */
struct patient_info
{
    /** @brief Family name (written in capitals in subjects). */
    std::string family_name;
    /** @brief Given name. */
    std::string given_name;
    /** @brief Date of birth. */
    std::chrono::year_month_day birth_date{};
    /** @brief Qualified INS, when the platform has it. */
    std::optional<ins> qualified_ins;

    /** @brief Same person: same INS when both have one, else same names and birth date. */
    [[nodiscard]] bool same_patient(const patient_info& other) const
    {
        if (qualified_ins && other.qualified_ins)
            return *qualified_ins == *other.qualified_ins;
        return family_name == other.family_name && given_name == other.given_name && birth_date == other.birth_date;
    }
};

}  // namespace mss::domain
