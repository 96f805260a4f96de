// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/mime/errc.hpp>
#include <mss/mime/header_block.hpp>

#include "mime/ascii.hpp"

namespace mss::mime {
namespace {

bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

boost::system::error_code fail(diagnostics& diag, boost::system::error_code ec, std::size_t offset, std::string text)
{
    diag.set_client_message(std::move(text) + " at byte " + std::to_string(offset));
    diag.set_position({offset, 0, 0});
    return ec;
}

}  // namespace

boost::system::error_code header_block::parse(std::string_view input, header_block& out, diagnostics& diag,
                                              const header_options& options)
{
    out.fields_.clear();
    out.size_ = 0;
    std::size_t pos = 0;
    while (pos < input.size())
    {
        // One physical line: [pos, eol), next line at `next`.
        auto nl = input.find('\n', pos);
        const std::size_t next = nl == std::string_view::npos ? input.size() : nl + 1;
        std::size_t eol = nl == std::string_view::npos ? input.size() : nl;
        if (eol > pos && input[eol - 1] == '\r')
            --eol;
        if (eol - pos > options.max_line_length)
            return fail(diag, mss::errc::limit_exceeded, pos, "header line longer than the configured limit");
        if (next > options.max_size)
            return fail(diag, mss::errc::limit_exceeded, pos, "header block larger than the configured limit");
        if (eol == pos)  // the empty line ending the header
        {
            out.size_ = next;
            return {};
        }
        if (is_blank(input[pos]))
        {
            // A continuation of the previous field; before any field it is stray text.
            if (!out.fields_.empty())
            {
                auto& last = out.fields_.back();
                last.raw_value = std::string_view(last.raw_value.data(),
                                                  static_cast<std::size_t>(input.data() + eol - last.raw_value.data()));
            }
            else if (options.strict)
                return fail(diag, errc::bad_header_value, pos, "continuation line before any header field");
        }
        else
        {
            const auto line = input.substr(pos, eol - pos);
            const auto colon = line.find(':');
            std::size_t name_end = colon;
            while (name_end != std::string_view::npos && name_end > 0 && is_blank(line[name_end - 1]))
                --name_end;  // obs-field: "Subject : x"
            bool valid = colon != std::string_view::npos && name_end > 0;
            for (std::size_t i = 0; valid && i < name_end; ++i)
                valid = line[i] > ' ' && line[i] < 0x7f;
            if (valid)
            {
                if (out.fields_.size() >= options.max_fields)
                    return fail(diag, mss::errc::limit_exceeded, pos, "more header fields than the configured limit");
                out.fields_.push_back({line.substr(0, name_end), line.substr(colon + 1), pos});
            }
            else if (options.strict)
                return fail(diag, errc::bad_header_value, pos, "header line without a field name and colon");
            // Lenient: a line that is not a field (a stray "From " line, garbage) is skipped.
        }
        pos = next;
    }
    out.size_ = input.size();  // no body: the header ran to the end of the input
    return {};
}

const header_field* header_block::find(std::string_view name) const noexcept
{
    for (const auto& f : fields_)
    {
        if (f.name.size() == name.size() &&
            std::equal(name.begin(), name.end(), f.name.begin(),
                       [](char a, char b) { return detail::to_lower(a) == detail::to_lower(b); }))
            return &f;
    }
    return nullptr;
}

std::string unfold(std::string_view raw_value)
{
    std::string out;
    out.reserve(raw_value.size());
    for (char c : raw_value)
    {
        if (c != '\r' && c != '\n')
            out += c;
    }
    const auto first = out.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = out.find_last_not_of(" \t");
    return out.substr(first, last - first + 1);
}

}  // namespace mss::mime
