// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/date.hpp>

#include "mime/ascii.hpp"

#include <array>
#include <cstdio>

namespace mss::mime
{
namespace
{

constexpr std::array<std::string_view, 12> month_names = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> day_names = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

bool is_digit(char c) noexcept
{
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Tokens of a date: numbers, words, signed zones, and the punctuation that matters (':' '.' ',').
class date_lexer
{
public:
    explicit date_lexer(std::string_view text) noexcept : text_(text) {}

    void skip_cfws() noexcept { detail::skip_cfws(text_, pos_); }

    bool at_end() noexcept
    {
        skip_cfws();
        return pos_ >= text_.size();
    }

    bool accept(char c) noexcept
    {
        skip_cfws();
        if (pos_ < text_.size() && text_[pos_] == c)
        {
            ++pos_;
            return true;
        }
        return false;
    }

    // A run of digits; `digits` receives how many.
    std::optional<int> number(std::size_t& digits) noexcept
    {
        skip_cfws();
        const std::size_t start = pos_;
        int value = 0;
        while (pos_ < text_.size() && is_digit(text_[pos_]) && pos_ - start < 9)
            value = value * 10 + (text_[pos_++] - '0');
        digits = pos_ - start;
        if (digits == 0)
            return std::nullopt;
        return value;
    }

    std::string_view word() noexcept
    {
        skip_cfws();
        const std::size_t start = pos_;
        while (pos_ < text_.size() && is_alpha(text_[pos_])) ++pos_;
        return text_.substr(start, pos_ - start);
    }

    [[nodiscard]] char peek() noexcept
    {
        skip_cfws();
        return pos_ < text_.size() ? text_[pos_] : '\0';
    }

    [[nodiscard]] std::size_t position() const noexcept { return pos_; }
    void rewind(std::size_t pos) noexcept { pos_ = pos; }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

std::optional<unsigned> month_from(std::string_view word) noexcept
{
    if (word.size() < 3)
        return std::nullopt;
    for (std::size_t i = 0; i < month_names.size(); ++i)
    {
        if (detail::iequals(word.substr(0, 3), month_names[i]))
            return static_cast<unsigned>(i + 1);
    }
    return std::nullopt;
}

bool is_day_name(std::string_view word) noexcept
{
    if (word.size() < 3)
        return false;
    for (const auto d : day_names)
    {
        if (detail::iequals(word.substr(0, 3), d))
            return true;
    }
    return false;
}

// Zone offset in minutes east of UTC for a zone name; unknown names count as -0000 (RFC 5322 §4.3).
int zone_from_name(std::string_view name) noexcept
{
    struct named_zone
    {
        std::string_view name;
        int minutes;
    };
    static constexpr std::array<named_zone, 12> zones = {{{"UT", 0},
                                                          {"UTC", 0},
                                                          {"GMT", 0},
                                                          {"Z", 0},
                                                          {"EST", -300},
                                                          {"EDT", -240},
                                                          {"CST", -360},
                                                          {"CDT", -300},
                                                          {"MST", -420},
                                                          {"MDT", -360},
                                                          {"PST", -480},
                                                          {"PDT", -420}}};
    for (const auto& z : zones)
    {
        if (detail::iequals(name, z.name))
            return z.minutes;
    }
    return 0;
}

int expand_year(int year, std::size_t digits) noexcept
{
    if (digits <= 2)
        return year < 50 ? 2000 + year : 1900 + year;
    if (digits == 3)
        return 1900 + year;
    return year;
}

struct time_of_day
{
    int hour = 0;
    int minute = 0;
    int second = 0;
};

bool read_time(date_lexer& lex, time_of_day& t) noexcept
{
    std::size_t digits = 0;
    auto h = lex.number(digits);
    if (!h || digits > 2 || !(lex.accept(':') || lex.accept('.')))
        return false;
    auto m = lex.number(digits);
    if (!m || digits > 2)
        return false;
    t.hour = *h;
    t.minute = *m;
    t.second = 0;
    const std::size_t before = lex.position();
    if (lex.accept(':') || lex.accept('.'))
    {
        auto s = lex.number(digits);
        if (!s || digits > 2)
            lex.rewind(before);
        else
            t.second = *s;
    }
    return t.hour <= 23 && t.minute <= 59 && t.second <= 60;
}

std::optional<int> read_zone(date_lexer& lex) noexcept
{
    const char c = lex.peek();
    if (c == '+' || c == '-')
    {
        lex.accept(c);
        std::size_t digits = 0;
        const std::size_t before = lex.position();
        auto v = lex.number(digits);
        if (!v || digits != 4)
        {
            lex.rewind(before);
            return 0;
        }
        const int hours = *v / 100;
        const int minutes = *v % 100;
        if (minutes > 59)
            return 0;
        const int offset = hours * 60 + minutes;
        return c == '-' ? -offset : offset;
    }
    const auto name = lex.word();
    if (name.empty())
        return 0;  // no zone: UTC
    return zone_from_name(name);
}

std::optional<std::chrono::sys_seconds> make_instant(int year, unsigned month, int day, const time_of_day& t,
                                                     int zone) noexcept
{
    using namespace std::chrono;
    if (day < 1 || day > 31 || year < 1 || year > 9999)
        return std::nullopt;
    const year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                             std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok())
        return std::nullopt;
    const int second = t.second == 60 ? 59 : t.second;  // a leap second is not representable
    return sys_seconds{sys_days{ymd}} + hours{t.hour} + minutes{t.minute} + seconds{second} - minutes{zone};
}

}  // namespace

std::optional<std::chrono::sys_seconds> parse_date(std::string_view value) noexcept
{
    date_lexer lex(value);
    std::size_t digits = 0;
    std::size_t mark = lex.position();
    const auto first = lex.word();
    if (!first.empty())
    {
        if (is_day_name(first))
        {
            lex.accept(',');
            mark = lex.position();
            const auto second = lex.word();
            if (auto month = month_from(second))
            {
                // asctime: "Tue Nov 26 14:03:00 2026", maybe with a zone.
                auto day = lex.number(digits);
                time_of_day t;
                if (!day || !read_time(lex, t))
                    return std::nullopt;
                auto year = lex.number(digits);
                if (!year)
                    return std::nullopt;
                const int y = expand_year(*year, digits);
                const int zone = lex.at_end() ? 0 : read_zone(lex).value_or(0);
                return make_instant(y, *month, *day, t, zone);
            }
            lex.rewind(mark);
        }
        else
            return std::nullopt;
    }
    else
        lex.rewind(mark);

    auto day = lex.number(digits);
    if (!day || digits > 2)
        return std::nullopt;
    lex.accept('-');  // "26-Nov-2026" from some gateways
    const auto month = month_from(lex.word());
    if (!month)
        return std::nullopt;
    lex.accept('-');
    auto year = lex.number(digits);
    if (!year || digits < 2)
        return std::nullopt;
    const int y = expand_year(*year, digits);
    time_of_day t;
    if (!read_time(lex, t))
        return std::nullopt;
    const int zone = read_zone(lex).value_or(0);
    return make_instant(y, *month, *day, t, zone);
}

void format_date(std::chrono::sys_seconds time, std::chrono::minutes zone, std::string& out)
{
    using namespace std::chrono;
    const auto limit = minutes{23 * 60 + 59};
    if (zone > limit)
        zone = limit;
    if (zone < -limit)
        zone = -limit;
    const auto local = time + zone;
    const auto day_point = floor<days>(local);
    const year_month_day ymd{day_point};
    const hh_mm_ss<seconds> hms{local - day_point};
    const weekday wd{day_point};
    static constexpr std::array<std::string_view, 7> day_text = {"Sun", "Mon", "Tue", "Wed",
                                                                 "Thu", "Fri", "Sat"};
    static constexpr std::array<std::string_view, 12> month_text = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const long offset = zone.count();
    const long magnitude = offset < 0 ? -offset : offset;
    char buffer[64];
    const int n = std::snprintf(
        buffer, sizeof buffer, "%s, %u %s %04d %02ld:%02ld:%02ld %c%02ld%02ld",
        day_text[wd.c_encoding()].data(), static_cast<unsigned>(ymd.day()),
        month_text[static_cast<unsigned>(ymd.month()) - 1].data(), static_cast<int>(ymd.year()),
        static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
        static_cast<long>(hms.seconds().count()), offset < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
    if (n > 0)
        out.append(buffer, static_cast<std::size_t>(n));
}

}  // namespace mss::mime
