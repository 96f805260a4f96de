// SPDX-License-Identifier: Apache-2.0
// Validation of the French health identifiers: rpps, rpps_rang, adeli, finess, siren, siret, ins,
// national_person_id and national_structure_id. One file, because the types share their checks.
#include <mss/domain/adeli.hpp>
#include <mss/domain/errc.hpp>
#include <mss/domain/finess.hpp>
#include <mss/domain/ins.hpp>
#include <mss/domain/national_person_id.hpp>
#include <mss/domain/national_structure_id.hpp>
#include <mss/domain/rpps.hpp>
#include <mss/domain/rpps_rang.hpp>
#include <mss/domain/siren.hpp>
#include <mss/domain/siret.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mss::domain {
namespace {

using boost::system::error_code;

// Where a check runs. `diag` is null when the caller wants no explanation, so that the plain
// parse() overloads never build a message. `base` is the offset of the checked text inside the
// caller's input and `outer` prefixes the message: both are set when a national id delegates
// the check of its number to the number's own validator.
struct check_context
{
    diagnostics* diag = nullptr;
    std::size_t base = 0;
    std::string_view outer{};
};

// Messages name the identifier kind and the problem, never the value (an INS is personal
// data): a bad character is described by its class, not echoed, which also keeps control
// bytes and broken UTF-8 out of logs.
template <class MakeMessage>
error_code fail(const check_context& ctx, errc code, std::size_t offset, MakeMessage&& make_message)
{
    if (ctx.diag != nullptr)
    {
        const std::size_t position = ctx.base + offset;
        std::string message(ctx.outer);
        message += make_message(position);
        ctx.diag->set_client_message(std::move(message));
        ctx.diag->set_position({position, 0, 0});
    }
    return code;
}

// ASCII-only classification: <cctype> depends on the locale and is undefined for negative chars.
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
constexpr int digit_value(char c) noexcept { return c - '0'; }

const char* describe(char c) noexcept
{
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ')
        return "a space";
    if (c == '\0')
        return "a NUL byte";
    if (u >= 0x80)
        return "a non-ASCII byte";
    if (u < 0x20 || u == 0x7f)
        return "a control character";
    if (is_alpha(c))
        return "a letter";
    if (is_digit(c))
        return "a digit";
    return "a punctuation character";
}

std::string found_at(char c, std::size_t position)
{
    return std::string("; found ") + describe(c) + " at offset " + std::to_string(position);
}

error_code check_length(const check_context& ctx, std::string_view text, std::string_view name,
                        std::size_t expected, std::string_view unit)
{
    if (text.size() == expected)
        return {};
    return fail(ctx, errc::identifier_wrong_length, text.size(), [&](std::size_t) {
        std::string m(name);
        m += " must have " + std::to_string(expected) + " ";
        m += unit;
        m += ", got " + std::to_string(text.size());
        return m;
    });
}

// Every character of text[first, last) must be an ASCII digit.
error_code check_digits(const check_context& ctx, std::string_view text, std::string_view name,
                        std::size_t first, std::size_t last)
{
    for (std::size_t i = first; i < last; ++i)
    {
        if (!is_digit(text[i]))
        {
            return fail(ctx, errc::identifier_bad_character, i, [&](std::size_t position) {
                return std::string(name) + " must contain only digits" + found_at(text[i], position);
            });
        }
    }
    return {};
}

// A department at text[at, at + 2): two digits, or the Corsican `2A` / `2B`.
error_code check_department(const check_context& ctx, std::string_view text, std::string_view name,
                            std::size_t at)
{
    const char first = text[at];
    const char second = text[at + 1];
    std::size_t bad = at;
    if (is_digit(first))
    {
        if (is_digit(second) || (first == '2' && (second == 'A' || second == 'B')))
            return {};
        bad = at + 1;
    }
    return fail(ctx, errc::identifier_bad_character, bad, [&](std::size_t position) {
        return std::string(name) + " department must be 2 digits, 2A or 2B" + found_at(text[bad], position);
    });
}

// Luhn over a string of ASCII digits whose last digit is the key.
bool luhn_valid(std::string_view digits) noexcept
{
    int sum = 0;
    bool twice = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it)
    {
        int d = digit_value(*it);
        if (twice)
        {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

error_code bad_luhn(const check_context& ctx, std::size_t key_offset, std::string_view what)
{
    return fail(ctx, errc::identifier_bad_key, key_offset,
                [&](std::size_t) { return std::string(what) + " check key (Luhn) does not match"; });
}

error_code validate_rpps(const check_context& ctx, std::string_view text)
{
    if (auto ec = check_length(ctx, text, "RPPS", rpps::length, "digits"))
        return ec;
    if (auto ec = check_digits(ctx, text, "RPPS", 0, text.size()))
        return ec;
    if (!luhn_valid(text))
        return bad_luhn(ctx, rpps::length - 1, "RPPS");
    return {};
}

error_code validate_rpps_rang(const check_context& ctx, std::string_view text)
{
    if (auto ec = check_length(ctx, text, "RPPS-rang", rpps_rang::length, "digits"))
        return ec;
    if (auto ec = check_digits(ctx, text, "RPPS-rang", 0, text.size()))
        return ec;
    if (!luhn_valid(text.substr(0, rpps::length)))
        return bad_luhn(ctx, rpps::length - 1, "RPPS-rang: the embedded RPPS");
    if (!luhn_valid(text))
        return bad_luhn(ctx, rpps_rang::length - 1, "RPPS-rang");
    return {};
}

error_code validate_adeli(const check_context& ctx, std::string_view text)
{
    if (auto ec = check_length(ctx, text, "ADELI", adeli::length, "characters"))
        return ec;
    if (auto ec = check_department(ctx, text, "ADELI", 0))
        return ec;
    return check_digits(ctx, text, "ADELI", 2, text.size());
}

error_code validate_finess(const check_context& ctx, std::string_view text)
{
    if (auto ec = check_length(ctx, text, "FINESS", finess::length, "characters"))
        return ec;
    if (auto ec = check_department(ctx, text, "FINESS", 0))
        return ec;
    return check_digits(ctx, text, "FINESS", 2, text.size());
}

error_code validate_siren(const check_context& ctx, std::string_view text)
{
    if (auto ec = check_length(ctx, text, "SIREN", siren::length, "digits"))
        return ec;
    if (auto ec = check_digits(ctx, text, "SIREN", 0, text.size()))
        return ec;
    if (!luhn_valid(text))
        return bad_luhn(ctx, siren::length - 1, "SIREN");
    return {};
}

// La Poste numbers its establishments without Luhn; their SIRET has a digit sum divisible by 5.
constexpr std::string_view la_poste_siren = "356000000";

bool la_poste_valid(std::string_view text) noexcept
{
    if (text.substr(0, siren::length) != la_poste_siren)
        return false;
    int sum = 0;
    for (char c : text)
        sum += digit_value(c);
    return sum % 5 == 0;
}

error_code validate_siret(const check_context& ctx, std::string_view text)
{
    if (auto ec = check_length(ctx, text, "SIRET", siret::length, "digits"))
        return ec;
    if (auto ec = check_digits(ctx, text, "SIRET", 0, text.size()))
        return ec;
    if (!luhn_valid(text.substr(0, siren::length)))
        return bad_luhn(ctx, siren::length - 1, "SIRET: the SIREN");
    if (!luhn_valid(text) && !la_poste_valid(text))
        return bad_luhn(ctx, siret::length - 1, "SIRET");
    return {};
}

// INS layout: 13-character registration number (department of birth at offsets 5-6), 2-digit key.
constexpr std::size_t ins_number_length = 13;
constexpr std::size_t ins_department = 5;

error_code validate_ins(const check_context& ctx, std::string_view text)
{
    if (auto ec = check_length(ctx, text, "INS", ins::length, "characters"))
        return ec;
    if (auto ec = check_digits(ctx, text, "INS", 0, ins_department))
        return ec;
    if (auto ec = check_department(ctx, text, "INS", ins_department))
        return ec;
    if (auto ec = check_digits(ctx, text, "INS", ins_department + 2, text.size()))
        return ec;

    // 13 digits are below 10^13 < 2^64: no overflow. Corsica counts as 19 (2A) and 18 (2B).
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < ins_number_length; ++i)
    {
        int d = 0;
        if (i == ins_department && text[i + 1] > '9')
            d = 1;
        else if (i == ins_department + 1 && text[i] > '9')
            d = text[i] == 'A' ? 9 : 8;
        else
            d = digit_value(text[i]);
        n = n * 10 + static_cast<std::uint64_t>(d);
    }
    const std::uint64_t expected = 97 - n % 97;
    const auto key = static_cast<std::uint64_t>(digit_value(text[13]) * 10 + digit_value(text[14]));
    if (key != expected)
    {
        return fail(ctx, errc::identifier_bad_key, ins_number_length,
                    [](std::size_t) { return std::string("INS key (97 - NIR mod 97) does not match"); });
    }
    return {};
}

error_code validate_national_person_id(const check_context& ctx, std::string_view text,
                                       national_person_id::kind& k)
{
    if (text.empty())
    {
        return fail(ctx, errc::identifier_wrong_length, 0,
                    [](std::size_t) { return std::string("national person id is empty"); });
    }
    const std::string_view number = text.substr(1);
    switch (text.front())
    {
    case '8':
        k = national_person_id::kind::rpps;
        return validate_rpps({ctx.diag, ctx.base + 1, "national person id with prefix 8: "}, number);
    case '0':
        k = national_person_id::kind::adeli;
        return validate_adeli({ctx.diag, ctx.base + 1, "national person id with prefix 0: "}, number);
    case '1':
    case '3':
    case '4':
    case '5':
    case '6': break;
    default:
        return fail(ctx, errc::identifier_unknown_prefix, 0, [](std::size_t) {
            return std::string("national person id has an unknown prefix (expected 0, 1, 3, 4, 5, 6 or 8)");
        });
    }

    k = national_person_id::kind::other;
    if (number.empty() || number.size() > national_person_id::max_other_length)
    {
        return fail(ctx, errc::identifier_wrong_length, text.size(), [&](std::size_t) {
            return std::string("national person id with prefix ") + text.front() + " must have 1 to " +
                   std::to_string(national_person_id::max_other_length) +
                   " characters after the prefix, got " + std::to_string(number.size());
        });
    }
    for (std::size_t i = 1; i < text.size(); ++i)
    {
        if (!is_digit(text[i]) && !is_alpha(text[i]))
        {
            return fail(ctx, errc::identifier_bad_character, i, [&](std::size_t position) {
                return "national person id must contain only ASCII letters and digits after the prefix" +
                       found_at(text[i], position);
            });
        }
    }
    return {};
}

error_code validate_national_structure_id(const check_context& ctx, std::string_view text,
                                          national_structure_id::kind& k)
{
    if (text.empty())
    {
        return fail(ctx, errc::identifier_wrong_length, 0,
                    [](std::size_t) { return std::string("national structure id is empty"); });
    }
    const std::string_view number = text.substr(1);
    switch (text.front())
    {
    case '1':
        k = national_structure_id::kind::finess;
        return validate_finess({ctx.diag, ctx.base + 1, "national structure id with prefix 1: "}, number);
    case '2':
        k = national_structure_id::kind::siren;
        return validate_siren({ctx.diag, ctx.base + 1, "national structure id with prefix 2: "}, number);
    case '3':
        k = national_structure_id::kind::siret;
        return validate_siret({ctx.diag, ctx.base + 1, "national structure id with prefix 3: "}, number);
    case '4':
        k = national_structure_id::kind::rpps_rang;
        return validate_rpps_rang({ctx.diag, ctx.base + 1, "national structure id with prefix 4: "},
                                  number);
    default:
        return fail(ctx, errc::identifier_unknown_prefix, 0, [](std::size_t) {
            return std::string("national structure id has an unknown prefix (expected 1, 2, 3 or 4)");
        });
    }
}

}  // namespace

// ---- rpps -------------------------------------------------------------------------------------

boost::system::result<rpps> rpps::parse(std::string_view text)
{
    if (auto ec = validate_rpps({}, text))
        return ec;
    return rpps(std::string(text));
}

boost::system::result<rpps> rpps::parse(std::string_view text, diagnostics& diag)
{
    diag.clear();
    if (auto ec = validate_rpps({&diag}, text))
        return ec;
    return rpps(std::string(text));
}

// ---- rpps_rang --------------------------------------------------------------------------------

boost::system::result<rpps_rang> rpps_rang::parse(std::string_view text)
{
    if (auto ec = validate_rpps_rang({}, text))
        return ec;
    return rpps_rang(std::string(text));
}

boost::system::result<rpps_rang> rpps_rang::parse(std::string_view text, diagnostics& diag)
{
    diag.clear();
    if (auto ec = validate_rpps_rang({&diag}, text))
        return ec;
    return rpps_rang(std::string(text));
}

mss::domain::rpps rpps_rang::rpps() const
{
    // parse() checked these 11 digits already, so this cannot fail.
    return *mss::domain::rpps::parse(std::string_view(value_).substr(0, mss::domain::rpps::length));
}

// ---- adeli ------------------------------------------------------------------------------------

boost::system::result<adeli> adeli::parse(std::string_view text)
{
    if (auto ec = validate_adeli({}, text))
        return ec;
    return adeli(std::string(text));
}

boost::system::result<adeli> adeli::parse(std::string_view text, diagnostics& diag)
{
    diag.clear();
    if (auto ec = validate_adeli({&diag}, text))
        return ec;
    return adeli(std::string(text));
}

// ---- finess -----------------------------------------------------------------------------------

boost::system::result<finess> finess::parse(std::string_view text)
{
    if (auto ec = validate_finess({}, text))
        return ec;
    return finess(std::string(text));
}

boost::system::result<finess> finess::parse(std::string_view text, diagnostics& diag)
{
    diag.clear();
    if (auto ec = validate_finess({&diag}, text))
        return ec;
    return finess(std::string(text));
}

// ---- siren ------------------------------------------------------------------------------------

boost::system::result<siren> siren::parse(std::string_view text)
{
    if (auto ec = validate_siren({}, text))
        return ec;
    return siren(std::string(text));
}

boost::system::result<siren> siren::parse(std::string_view text, diagnostics& diag)
{
    diag.clear();
    if (auto ec = validate_siren({&diag}, text))
        return ec;
    return siren(std::string(text));
}

// ---- siret ------------------------------------------------------------------------------------

boost::system::result<siret> siret::parse(std::string_view text)
{
    if (auto ec = validate_siret({}, text))
        return ec;
    return siret(std::string(text));
}

boost::system::result<siret> siret::parse(std::string_view text, diagnostics& diag)
{
    diag.clear();
    if (auto ec = validate_siret({&diag}, text))
        return ec;
    return siret(std::string(text));
}

mss::domain::siren siret::siren() const
{
    // parse() checked these 9 digits already, so this cannot fail.
    return *mss::domain::siren::parse(std::string_view(value_).substr(0, mss::domain::siren::length));
}

// ---- ins --------------------------------------------------------------------------------------

boost::system::result<ins> ins::parse(std::string_view text)
{
    if (auto ec = validate_ins({}, text))
        return ec;
    return ins(std::string(text));
}

boost::system::result<ins> ins::parse(std::string_view text, diagnostics& diag)
{
    diag.clear();
    if (auto ec = validate_ins({&diag}, text))
        return ec;
    return ins(std::string(text));
}

// ---- national_person_id -----------------------------------------------------------------------

boost::system::result<national_person_id> national_person_id::parse(std::string_view text)
{
    kind k{};
    if (auto ec = validate_national_person_id({}, text, k))
        return ec;
    return national_person_id(std::string(text), k);
}

boost::system::result<national_person_id> national_person_id::parse(std::string_view text,
                                                                    diagnostics& diag)
{
    diag.clear();
    kind k{};
    if (auto ec = validate_national_person_id({&diag}, text, k))
        return ec;
    return national_person_id(std::string(text), k);
}

national_person_id national_person_id::from_rpps(const mss::domain::rpps& number)
{
    return national_person_id('8' + number.value(), kind::rpps);
}

national_person_id national_person_id::from_adeli(const mss::domain::adeli& number)
{
    return national_person_id('0' + number.value(), kind::adeli);
}

std::optional<mss::domain::rpps> national_person_id::as_rpps() const
{
    if (kind_ != kind::rpps)
        return std::nullopt;
    return *mss::domain::rpps::parse(number());
}

std::optional<mss::domain::adeli> national_person_id::as_adeli() const
{
    if (kind_ != kind::adeli)
        return std::nullopt;
    return *mss::domain::adeli::parse(number());
}

// ---- national_structure_id --------------------------------------------------------------------

boost::system::result<national_structure_id> national_structure_id::parse(std::string_view text)
{
    kind k{};
    if (auto ec = validate_national_structure_id({}, text, k))
        return ec;
    return national_structure_id(std::string(text), k);
}

boost::system::result<national_structure_id> national_structure_id::parse(std::string_view text,
                                                                          diagnostics& diag)
{
    diag.clear();
    kind k{};
    if (auto ec = validate_national_structure_id({&diag}, text, k))
        return ec;
    return national_structure_id(std::string(text), k);
}

national_structure_id national_structure_id::from_finess(const mss::domain::finess& number)
{
    return national_structure_id('1' + number.value(), kind::finess);
}

national_structure_id national_structure_id::from_siren(const mss::domain::siren& number)
{
    return national_structure_id('2' + number.value(), kind::siren);
}

national_structure_id national_structure_id::from_siret(const mss::domain::siret& number)
{
    return national_structure_id('3' + number.value(), kind::siret);
}

national_structure_id national_structure_id::from_rpps_rang(const mss::domain::rpps_rang& number)
{
    return national_structure_id('4' + number.value(), kind::rpps_rang);
}

std::optional<mss::domain::finess> national_structure_id::as_finess() const
{
    if (kind_ != kind::finess)
        return std::nullopt;
    return *mss::domain::finess::parse(number());
}

std::optional<mss::domain::siren> national_structure_id::as_siren() const
{
    if (kind_ != kind::siren)
        return std::nullopt;
    return *mss::domain::siren::parse(number());
}

std::optional<mss::domain::siret> national_structure_id::as_siret() const
{
    if (kind_ != kind::siret)
        return std::nullopt;
    return *mss::domain::siret::parse(number());
}

std::optional<mss::domain::rpps_rang> national_structure_id::as_rpps_rang() const
{
    if (kind_ != kind::rpps_rang)
        return std::nullopt;
    return *mss::domain::rpps_rang::parse(number());
}

}  // namespace mss::domain
