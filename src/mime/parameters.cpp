// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/parameters.hpp>

#include <mss/mime/charset.hpp>
#include <mss/mime/encoded_word.hpp>

#include "ascii.hpp"

#include <algorithm>
#include <array>

namespace mss::mime {
namespace {

// RFC 2045 token characters: printable ASCII except tspecials.
constexpr std::array<bool, 256> token_characters = [] {
    std::array<bool, 256> table{};
    for (int c = 0x21; c < 0x7f; ++c)
        table[c] = true;
    for (const char c : std::string_view("()<>@,;:\\\"/[]?="))
        table[static_cast<unsigned char>(c)] = false;
    return table;
}();

// RFC 2231 attribute-char: a token character other than '*', '\'' and '%'.
constexpr std::array<bool, 256> attribute_characters = [] {
    std::array<bool, 256> table = token_characters;
    table['*'] = false;
    table['\''] = false;
    table['%'] = false;
    return table;
}();

struct raw_parameter
{
    std::string name;        // lower case, RFC 2231 suffix removed
    int section = -1;        // N of "name*N", or -1
    bool extended = false;   // trailing '*': charset'language'percent-encoded
    std::string value;       // quotes and quoted-pairs removed
    std::size_t offset = 0;  // where the parameter starts, for diagnostics
};

enum class value_kind
{
    content_type,
    content_disposition,
};

class value_parser
{
public:
    value_parser(std::string_view text, const parameter_options& options, diagnostics* diag)
        : text_(text), options_(options), diag_(diag)
    {
    }

    boost::system::result<parameterized_value> run(value_kind kind)
    {
        parameterized_value result;
        if (!parse_type(kind, result) || !parse_parameters() || !assemble(result))
            return error_;
        return result;
    }

private:
    // ---- failures

    bool fail(errc code, std::size_t offset, const char* message)
    {
        error_ = code;
        if (diag_ != nullptr)
        {
            diag_->set_client_message(message);
            diag_->set_position({offset, 0, 0});
        }
        return false;
    }

    // ---- lexical level

    [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
    [[nodiscard]] char peek() const noexcept { return text_[pos_]; }

    bool skip_cfws()
    {
        while (!at_end())
        {
            const char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            {
                ++pos_;
                continue;
            }
            if (c != '(')
                break;
            // A comment, maybe nested, with quoted-pairs; a counter rather than recursion.
            const std::size_t start = pos_++;
            std::size_t depth = 1;
            while (!at_end() && depth > 0)
            {
                const char d = text_[pos_++];
                if (d == '\\' && !at_end())
                    ++pos_;
                else if (d == '(')
                    ++depth;
                else if (d == ')')
                    --depth;
            }
            if (depth > 0 && !options_.lenient)
                return fail(errc::bad_header_value, start, "comment is not closed");
        }
        return true;
    }

    std::string_view read_token()
    {
        const std::size_t start = pos_;
        while (!at_end() && token_characters[static_cast<unsigned char>(peek())])
            ++pos_;
        return text_.substr(start, pos_ - start);
    }

    // At the opening quote. Appends the unquoted content to `value`.
    bool read_quoted(std::string& value)
    {
        const std::size_t start = pos_++;
        while (!at_end())
        {
            const char c = text_[pos_++];
            if (c == '"')
                return true;
            if (c == '\\' && !at_end())
                value.push_back(text_[pos_++]);
            else if (c != '\r' && c != '\n')  // folding inside the quotes
                value.push_back(c);
        }
        if (!options_.lenient)
            return fail(errc::bad_parameter, start, "quoted string is not closed");
        return true;
    }

    void skip_to_semicolon()
    {
        const std::size_t next = text_.find(';', pos_);
        pos_ = next == std::string_view::npos ? text_.size() : next;
    }

    static std::string lower(std::string_view s)
    {
        std::string result(s);
        for (char& c : result)
            c = detail::to_lower(c);
        return result;
    }

    // ---- grammar

    bool parse_type(value_kind kind, parameterized_value& result)
    {
        if (!skip_cfws())
            return false;
        const std::size_t start = pos_;
        const std::string_view type = read_token();
        if (type.empty())
            return fail(errc::bad_header_value, start, "the value has no type");
        result.type = lower(type);
        if (kind == value_kind::content_disposition)
            return true;
        if (!skip_cfws())
            return false;
        if (at_end() || peek() != '/')
            return fail(errc::bad_header_value, pos_, "the media type has no '/' and subtype");
        ++pos_;
        if (!skip_cfws())
            return false;
        const std::size_t subtype_start = pos_;
        const std::string_view subtype = read_token();
        if (subtype.empty())
            return fail(errc::bad_header_value, subtype_start, "the media type has no subtype");
        result.subtype = lower(subtype);
        return true;
    }

    bool parse_parameters()
    {
        while (true)
        {
            if (!skip_cfws())
                return false;
            if (at_end())
                return true;
            if (peek() != ';')
            {
                if (!options_.lenient)
                    return fail(errc::bad_parameter, pos_, "expected ';' before a parameter");
                skip_to_semicolon();  // garbage after a value
                continue;
            }
            ++pos_;
            if (!skip_cfws())
                return false;
            if (at_end() || peek() == ';')
                continue;  // empty parameter, as in a trailing ';'
            if (!parse_parameter())
                return false;
        }
    }

    // One `name = value`. In lenient mode a malformed parameter is skipped, not reported.
    bool parse_parameter()
    {
        const std::size_t start = pos_;
        const std::string_view name = read_token();
        if (!skip_cfws())
            return false;
        if (name.empty() || at_end() || peek() != '=')
        {
            if (!options_.lenient)
                return fail(errc::bad_parameter, start, "parameter is not of the form name=value");
            skip_to_semicolon();
            return true;
        }
        ++pos_;
        if (!skip_cfws())
            return false;
        raw_parameter parameter;
        parameter.offset = start;
        if (!at_end() && peek() == '"')
        {
            if (!read_quoted(parameter.value))
                return false;
        }
        else
        {
            const std::size_t value_start = pos_;
            const std::string_view token = read_token();
            if (!skip_cfws())
                return false;
            if (at_end() || peek() == ';')
            {
                if (token.empty() && !options_.lenient)
                    return fail(errc::bad_parameter, value_start, "parameter value is empty");
                parameter.value = token;
            }
            else if (!options_.lenient)
                return fail(errc::bad_parameter, pos_, "parameter value is neither a token nor quoted");
            else
            {
                // Unquoted spaces or 8-bit bytes: take everything up to the next ';'.
                skip_to_semicolon();
                std::string_view raw = text_.substr(value_start, pos_ - value_start);
                while (!raw.empty() && (detail::is_wsp(raw.back()) || raw.back() == '\r' || raw.back() == '\n'))
                    raw.remove_suffix(1);
                parameter.value = raw;
            }
        }
        if (parameters_.size() >= options_.max_parameters)
            return fail(errc::limit_exceeded, start, "too many parameters");
        if (parameter.value.size() > options_.max_value_size)
            return fail(errc::limit_exceeded, start, "parameter value is too long");
        if (!split_name(lower(name), parameter))
        {
            if (!options_.lenient)
                return fail(errc::bad_parameter, start, "parameter name has a malformed RFC 2231 suffix");
            return true;
        }
        parameters_.push_back(std::move(parameter));
        return true;
    }

    // "name", "name*", "name*N" or "name*N*".
    static bool split_name(std::string name, raw_parameter& parameter)
    {
        const std::size_t star = name.find('*');
        if (star == std::string::npos)
        {
            parameter.name = std::move(name);
            return true;
        }
        if (star == 0)
            return false;
        std::string_view digits = std::string_view(name).substr(star + 1);
        if (digits.empty())
            parameter.extended = true;  // "name*"
        else
        {
            if (digits.back() == '*')
            {
                parameter.extended = true;  // "name*N*"
                digits.remove_suffix(1);
            }
            if (digits.empty() || digits.size() > 3)
                return false;
            int section = 0;
            for (const char c : digits)
            {
                if (c < '0' || c > '9')
                    return false;
                section = section * 10 + (c - '0');
            }
            parameter.section = section;
        }
        name.resize(star);
        parameter.name = std::move(name);
        return true;
    }

    // ---- assembly: RFC 2231 sections, charsets, RFC 2047 inside quotes

    bool assemble(parameterized_value& result)
    {
        // Group by name, keeping the order in which names first appear; the count is bounded
        // by max_parameters.
        std::vector<std::size_t> order(parameters_.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return parameters_[a].name < parameters_[b].name;
        });
        struct group
        {
            std::size_t first;  // index of the first appearance
            std::size_t begin;  // range in `order`
            std::size_t end;
        };
        std::vector<group> groups;
        for (std::size_t i = 0; i < order.size();)
        {
            std::size_t j = i + 1;
            while (j < order.size() && parameters_[order[j]].name == parameters_[order[i]].name)
                ++j;
            groups.push_back({order[i], i, j});  // stable sort: order[i] is the first appearance
            i = j;
        }
        std::sort(groups.begin(), groups.end(),
                  [](const group& a, const group& b) { return a.first < b.first; });

        for (const group& g : groups)
        {
            parameter decoded;
            decoded.name = parameters_[g.first].name;
            if (!assemble_one(order.data() + g.begin, order.data() + g.end, decoded.value))
                return false;
            result.parameters.push_back(std::move(decoded));
        }
        return true;
    }

    bool assemble_one(const std::size_t* begin, const std::size_t* end, std::string& value)
    {
        const raw_parameter* plain = nullptr;
        const raw_parameter* single_extended = nullptr;
        std::vector<const raw_parameter*> sections;
        for (const std::size_t* it = begin; it != end; ++it)
        {
            const raw_parameter& p = parameters_[*it];
            const raw_parameter** slot = nullptr;
            if (p.section >= 0)
            {
                const auto same_section = [&](const raw_parameter* s) { return s->section == p.section; };
                const bool duplicate = std::any_of(sections.begin(), sections.end(), same_section);
                if (!duplicate)
                {
                    sections.push_back(&p);
                    continue;
                }
            }
            else
            {
                slot = p.extended ? &single_extended : &plain;
                if (*slot == nullptr)
                {
                    *slot = &p;
                    continue;
                }
            }
            if (!options_.lenient)
                return fail(errc::bad_parameter, p.offset, "parameter appears more than once");
        }
        // RFC 2231 forms win over the plain one: they carry the charset.
        if (!sections.empty())
        {
            std::sort(sections.begin(), sections.end(),
                      [](const raw_parameter* a, const raw_parameter* b) { return a->section < b->section; });
            for (std::size_t k = 0; k < sections.size(); ++k)
            {
                if (sections[k]->section != static_cast<int>(k) && !options_.lenient)
                    return fail(errc::bad_parameter, sections[k]->offset,
                                "RFC 2231 sections are not numbered 0, 1, 2...");
            }
            return join_sections(sections, value);
        }
        if (single_extended != nullptr)
            return join_sections({single_extended}, value);
        return decode_plain(*plain, value);
    }

    bool join_sections(const std::vector<const raw_parameter*>& sections, std::string& value)
    {
        std::string bytes;
        std::string_view charset;
        for (std::size_t k = 0; k < sections.size(); ++k)
        {
            const raw_parameter& s = *sections[k];
            if (!s.extended)
            {
                bytes += s.value;
                continue;
            }
            std::string_view encoded = s.value;
            if (k == 0 && s.section <= 0)
            {
                // charset'language'text; only the first section carries them.
                const std::size_t q1 = encoded.find('\'');
                const std::size_t q2 = q1 == std::string_view::npos ? q1 : encoded.find('\'', q1 + 1);
                if (q2 == std::string_view::npos)
                {
                    if (!options_.lenient)
                        return fail(errc::bad_parameter, s.offset, "RFC 2231 value lacks charset'language'");
                }
                else
                {
                    charset = encoded.substr(0, q1);
                    encoded.remove_prefix(q2 + 1);
                }
            }
            if (!percent_decode(encoded, bytes, s.offset))
                return false;
            if (bytes.size() > options_.max_value_size)
                return fail(errc::limit_exceeded, s.offset, "parameter value is too long");
        }
        if (bytes.size() > options_.max_value_size)
            return fail(errc::limit_exceeded, sections.front()->offset, "parameter value is too long");
        return convert(charset.empty() ? std::string_view("utf-8") : charset, bytes, value,
                       sections.front()->offset);
    }

    bool percent_decode(std::string_view encoded, std::string& bytes, std::size_t offset)
    {
        for (std::size_t i = 0; i < encoded.size(); ++i)
        {
            const char c = encoded[i];
            if (c != '%')
            {
                bytes.push_back(c);
                continue;
            }
            if (i + 2 < encoded.size() && detail::hex_pair(encoded[i + 1], encoded[i + 2]) >= 0)
            {
                bytes.push_back(static_cast<char>(detail::hex_pair(encoded[i + 1], encoded[i + 2])));
                i += 2;
            }
            else if (!options_.lenient)
                return fail(errc::bad_parameter, offset, "RFC 2231 value has a malformed %XX escape");
            else
                bytes.push_back(c);
        }
        return true;
    }

    bool convert(std::string_view charset, const std::string& bytes, std::string& value, std::size_t offset)
    {
        const auto ec = to_utf8(charset, bytes, value, charset_options{.lenient = options_.lenient});
        if (!ec)
            return true;
        if (!options_.lenient)
        {
            return fail(static_cast<errc>(ec.value()), offset,
                        ec == errc::unknown_charset ? "RFC 2231 value has an unknown charset"
                                                    : "RFC 2231 value is not valid in its charset");
        }
        return to_utf8_with_fallback(bytes, value);
    }

    bool to_utf8_with_fallback(std::string_view bytes, std::string& value)
    {
        if (is_valid_utf8(bytes))
        {
            value += bytes;
            return true;
        }
        if (to_utf8(options_.fallback_charset, bytes, value, charset_options{.lenient = true}))
            (void)to_utf8("utf-8", bytes, value, charset_options{.lenient = true});
        return true;
    }

    bool decode_plain(const raw_parameter& p, std::string& value)
    {
        // Non-standard but widespread: RFC 2047 words inside a quoted value (Outlook, webmails).
        if (p.name != "boundary" && p.value.find("=?") != std::string::npos)
        {
            const header_text_options text_options{.fallback_charset = options_.fallback_charset};
            decode_header_text(p.value, value, text_options);
            return true;
        }
        if (is_valid_utf8(p.value))  // RFC 6532 allows UTF-8 as it is
        {
            value = p.value;
            return true;
        }
        if (!options_.lenient)
            return fail(errc::bad_charset_data, p.offset, "8-bit parameter value is not UTF-8");
        return to_utf8_with_fallback(p.value, value);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    const parameter_options& options_;
    diagnostics* diag_;
    boost::system::error_code error_;
    std::vector<raw_parameter> parameters_;
};

boost::system::result<parameterized_value> parse(std::string_view value, const parameter_options& options,
                                                 diagnostics* diag, value_kind kind)
{
    if (diag != nullptr)
        diag->clear();
    return value_parser(value, options, diag).run(kind);
}

}  // namespace

std::optional<std::string_view> parameterized_value::find(std::string_view name) const noexcept
{
    for (const parameter& p : parameters)
    {
        if (detail::iequals(p.name, name))
            return std::string_view(p.value);
    }
    return std::nullopt;
}

boost::system::result<parameterized_value> parse_content_type(std::string_view value,
                                                              const parameter_options& options)
{
    return parse(value, options, nullptr, value_kind::content_type);
}

boost::system::result<parameterized_value> parse_content_type(std::string_view value,
                                                              const parameter_options& options,
                                                              diagnostics& diag)
{
    return parse(value, options, &diag, value_kind::content_type);
}

boost::system::result<parameterized_value> parse_content_disposition(std::string_view value,
                                                                     const parameter_options& options)
{
    return parse(value, options, nullptr, value_kind::content_disposition);
}

boost::system::result<parameterized_value> parse_content_disposition(std::string_view value,
                                                                     const parameter_options& options,
                                                                     diagnostics& diag)
{
    return parse(value, options, &diag, value_kind::content_disposition);
}

boost::system::error_code format_parameter(std::string_view name, std::string_view utf8_value, std::string& out)
{
    if (name.empty())
        return errc::bad_parameter;
    for (const char c : name)
    {
        if (!attribute_characters[static_cast<unsigned char>(c)])
            return errc::bad_parameter;
    }
    if (!is_valid_utf8(utf8_value))
        return errc::bad_charset_data;
    // "=?" in a quoted value would be decoded as RFC 2047 by readers (this one included).
    const bool quotable = std::all_of(utf8_value.begin(), utf8_value.end(), [](char c) {
        return (c >= 0x20 && c < 0x7f) || c == '\t';
    }) && utf8_value.find("=?") == std::string_view::npos;
    out += name;
    if (quotable)
    {
        out += "=\"";
        for (const char c : utf8_value)
        {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
        return {};
    }
    out += "*=UTF-8''";
    for (const char c : utf8_value)
    {
        const auto b = static_cast<unsigned char>(c);
        if (attribute_characters[b])
            out += c;
        else
        {
            char escaped[3];
            detail::put_escaped(escaped, '%', b);
            out.append(escaped, 3);
        }
    }
    return {};
}

}  // namespace mss::mime
