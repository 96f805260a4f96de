// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/address_list.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/header_block.hpp>

#include <string>

namespace mss::mime {
namespace {

// A small lexer over an unfolded address-list value. Quoted strings keep their quotes in the
// raw text so that the address parser sees quoted local parts intact; comments are dropped.
class address_lexer
{
public:
    explicit address_lexer(std::string_view text) : text_(text) {}

    // Splits the list into entries at top-level commas, tracking groups: "name: a, b;" yields
    // the members; the group's display name is dropped.
    std::vector<std::string> entries()
    {
        std::vector<std::string> out;
        std::string current;
        bool in_angle = false;
        for (std::size_t i = 0; i < text_.size(); ++i)
        {
            const char c = text_[i];
            if (c == '"')
            {
                const auto end = skip_quoted(i);
                current.append(text_.substr(i, end - i));
                i = end - 1;
            }
            else if (c == '(')
                i = skip_comment(i) - 1;
            else if (c == '<')
            {
                in_angle = true;
                current += c;
            }
            else if (c == '>')
            {
                in_angle = false;
                current += c;
            }
            else if (c == ':' && !in_angle && !looks_like_route(current))
                current.clear();  // a group's name ends here
            else if ((c == ',' || c == ';') && !in_angle)
            {
                out.push_back(std::move(current));
                current.clear();
            }
            else
                current += c;
        }
        out.push_back(std::move(current));
        return out;
    }

private:
    // Obsolete source routes ("<@relay:a@b>") are inside angle brackets, handled above; a colon
    // outside them after an '@' cannot start a group either.
    static bool looks_like_route(const std::string& current) { return current.find('@') != std::string::npos; }

    std::size_t skip_quoted(std::size_t open) const
    {
        std::size_t i = open + 1;
        while (i < text_.size() && text_[i] != '"')
            i += text_[i] == '\\' ? 2 : 1;
        return std::min(i + 1, text_.size());
    }

    std::size_t skip_comment(std::size_t open) const
    {
        int depth = 0;
        std::size_t i = open;
        for (; i < text_.size(); ++i)
        {
            if (text_[i] == '\\')
                ++i;
            else if (text_[i] == '(')
                ++depth;
            else if (text_[i] == ')' && --depth == 0)
                return i + 1;
        }
        return text_.size();
    }

    std::string_view text_;
};

std::string trim(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

}  // namespace

std::size_t parse_address_list(std::string_view value, std::vector<domain::named_address>& out)
{
    const std::string unfolded = unfold(value);
    std::size_t skipped = 0;
    for (const auto& raw : address_lexer(unfolded).entries())
    {
        std::string entry = trim(raw);
        if (entry.empty())
            continue;
        // Drop an obsolete route inside the angle brackets: "<@a.fr,@b.fr:x@y.fr>".
        if (auto lt = entry.find("<@"); lt != std::string::npos)
        {
            if (auto colon = entry.find(':', lt); colon != std::string::npos)
                entry.erase(lt + 1, colon - lt);
        }
        auto parsed = domain::named_address::parse(entry);
        if (!parsed)
        {
            ++skipped;
            continue;
        }
        const std::string_view name = parsed->display_name();
        if (name.find("=?") == std::string_view::npos)
        {
            out.push_back(std::move(*parsed));
            continue;
        }
        std::string decoded;
        decode_header_text(name, decoded);
        auto renamed = domain::named_address::make(std::move(decoded), parsed->address());
        if (renamed)
            out.push_back(std::move(*renamed));
        else
            out.push_back(std::move(*parsed));  // a decoded name with control characters: keep it encoded
    }
    return skipped;
}

}  // namespace mss::mime
