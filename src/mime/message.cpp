// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/message.hpp>

#include <mss/error.hpp>
#include <mss/mime/address_list.hpp>
#include <mss/mime/base64.hpp>
#include <mss/mime/charset.hpp>
#include <mss/mime/date.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/quoted_printable.hpp>

#include "mime/ascii.hpp"

namespace mss::mime
{

// Builds the tree from the reader's events; a friend of `entity` and `message`.
class message_tree_builder
{
public:
    static boost::system::result<message> run(std::string_view bytes, const parser_options& options,
                                              diagnostics& diag)
    {
        diag.clear();
        message msg;
        msg.bytes_ = bytes;
        msg.options_ = options;
        parser_options reader_options = options;
        reader_options.decode_bodies = false;  // the tree decodes on demand
        header_options header_limits;
        header_limits.max_size = options.max_header_block_size;
        header_limits.max_fields = options.max_header_fields;
        header_limits.max_line_length = options.max_line_length;
        parameter_options params;
        params.lenient = !options.strict;

        reader r(reader_options);
        std::vector<entity*> open;
        open.reserve(16);
        std::string_view rest = bytes;
        for (;;)
        {
            const event& e = r.feed(rest, true);
            rest.remove_prefix(e.consumed);
            switch (e.kind)
            {
            case event_kind::part_begin:
            {
                const part_info& p = *e.part;
                entity* target = &msg.root_;
                if (!open.empty())
                    target = &open.back()->children_.emplace_back();
                target->header_bytes_ = bytes.substr(p.header_offset, p.body_offset - p.header_offset);
                if (auto ec =
                        header_block::parse(target->header_bytes_, target->headers_, diag, header_limits))
                    return ec;
                target->content_type_ = p.content_type;
                target->encoding_ = p.encoding;
                target->kind_ = p.kind;
                target->depth_ = p.depth;
                target->path_ = p.path;
                target->offset_ = p.header_offset;
                target->strict_ = options.strict;
                target->body_ = bytes.substr(p.body_offset, 0);
                if (const auto* field = target->headers_.find("Content-Disposition"))
                {
                    auto parsed = parse_content_disposition(field->raw_value, params);
                    if (parsed)
                        target->disposition_ = std::move(*parsed);
                    else if (options.strict)
                    {
                        diag.set_client_message("malformed Content-Disposition at byte " +
                                                std::to_string(p.header_offset + field->offset));
                        diag.set_position({p.header_offset + field->offset, 0, 0});
                        return parsed.error();
                    }
                }
                open.push_back(target);
                break;
            }
            case event_kind::part_end:
            {
                entity* target = open.back();
                const std::size_t begin = static_cast<std::size_t>(target->body_.data() - bytes.data());
                target->body_ = bytes.substr(begin, e.part->end_offset - begin);
                target->complete_ = e.part->complete;
                open.pop_back();
                break;
            }
            case event_kind::message_end:
                return msg;
            case event_kind::error:
                diag = r.diag();
                return e.error;
            case event_kind::need_more:
                // Impossible with the end of input announced; never loop on it.
                diag.set_client_message("reader asked for more input after the end");
                return mss::errc::invalid_argument;
            default:
                break;
            }
        }
    }

    static boost::system::result<message> run_owning(std::string bytes, const parser_options& options,
                                                     diagnostics& diag)
    {
        // The string lives on the heap behind a shared pointer: its address never changes again.
        auto owned = std::make_shared<const std::string>(std::move(bytes));
        auto parsed = run(*owned, options, diag);
        if (!parsed)
            return parsed.error();
        parsed->owned_ = std::move(owned);
        return parsed;
    }
};

namespace
{

// Lenient decoders may still report a lost final byte; in lenient mode that is not a failure.
boost::system::error_code decode_into(std::string_view body, transfer_encoding encoding, bool strict,
                                      std::string& out)
{
    boost::system::error_code ec;
    switch (encoding)
    {
    case transfer_encoding::base64:
    {
        out.reserve(out.size() + body.size() / 4 * 3 + 3);
        base64_decoder decoder(base64_decoder_options{!strict});
        ec = decoder.decode(body, out);
        if (!ec)
            ec = decoder.finish(out);
        break;
    }
    case transfer_encoding::quoted_printable:
    {
        out.reserve(out.size() + body.size());
        quoted_printable_decoder decoder(quoted_printable_decoder_options{!strict});
        ec = decoder.decode(body, out);
        if (!ec)
            ec = decoder.finish(out);
        break;
    }
    default:
        out.append(body);
        break;
    }
    return strict ? ec : boost::system::error_code{};
}

std::string_view trim_id(std::string_view id) noexcept
{
    while (!id.empty() && (detail::is_wsp(id.front()) || id.front() == '\r' || id.front() == '\n'))
        id.remove_prefix(1);
    while (!id.empty() && (detail::is_wsp(id.back()) || id.back() == '\r' || id.back() == '\n'))
        id.remove_suffix(1);
    return id;
}

}  // namespace

void parse_message_ids(std::string_view value, std::vector<std::string_view>& out)
{
    bool bracketed = false;
    std::size_t i = 0;
    while (i < value.size())
    {
        detail::skip_cfws(value, i);
        if (i >= value.size())
            break;
        if (value[i] == '<')
        {
            const std::size_t close = value.find('>', i + 1);
            if (close == std::string_view::npos)
                break;
            const auto id = trim_id(value.substr(i + 1, close - i - 1));
            if (!id.empty())
                out.push_back(id);
            bracketed = true;
            i = close + 1;
        }
        else
        {
            // Obsolete forms: a bare identifier or a phrase between identifiers.
            const std::size_t start = i;
            while (i < value.size() && value[i] != '<' && value[i] != '(' && value[i] != ' ' &&
                   value[i] != '\t' && value[i] != '\r' && value[i] != '\n' && value[i] != ',')
                ++i;
            if (i == start)
                ++i;  // a lone ','
            else if (!bracketed && value.substr(start, i - start).find('@') != std::string_view::npos)
                out.push_back(value.substr(start, i - start));
        }
    }
}

boost::system::error_code entity::decode_body(std::string& out) const
{
    return decode_into(body_, encoding_, strict_, out);
}

std::string entity::decoded_body() const
{
    std::string out;
    (void)decode_into(body_, encoding_, false, out);
    return out;
}

boost::system::error_code entity::text(std::string& out) const
{
    std::string bytes;
    if (auto ec = decode_into(body_, encoding_, strict_, bytes))
        return ec;
    const auto charset_param = content_type_.find("charset");
    const std::string_view charset = charset_param && !charset_param->empty() ? *charset_param : "us-ascii";
    charset_options options;
    options.lenient = !strict_;
    auto ec = to_utf8(charset, bytes, out, options);
    if (ec && !strict_)
    {
        // Unknown charset: keep valid UTF-8, read anything else as Windows-1252.
        ec = to_utf8(is_valid_utf8(bytes) ? "utf-8" : "windows-1252", bytes, out, options);
    }
    return ec;
}

std::string entity::text() const
{
    std::string out;
    std::string bytes;
    (void)decode_into(body_, encoding_, false, bytes);
    const auto charset_param = content_type_.find("charset");
    const std::string_view charset = charset_param && !charset_param->empty() ? *charset_param : "us-ascii";
    charset_options options;
    options.lenient = true;
    if (to_utf8(charset, bytes, out, options))
        (void)to_utf8(is_valid_utf8(bytes) ? "utf-8" : "windows-1252", bytes, out, options);
    return out;
}

std::string_view entity::file_name() const noexcept
{
    if (disposition_)
    {
        if (auto name = disposition_->find("filename"); name && !name->empty())
            return *name;
    }
    if (auto name = content_type_.find("name"); name && !name->empty())
        return *name;
    return {};
}

bool entity::is_attachment() const noexcept
{
    if (disposition_ && disposition_->type == "attachment")
        return true;
    if (kind_ != part_kind::leaf || file_name().empty())
        return false;
    return !(disposition_ && disposition_->type == "inline");
}

std::string entity::subject() const
{
    std::string out;
    if (const auto* field = headers_.find("Subject"))
        decode_header_text(field->raw_value, out);
    // decode_header_text keeps the space after the colon and any final white space.
    const auto first = out.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = out.find_last_not_of(" \t");
    return out.substr(first, last - first + 1);
}

std::vector<domain::named_address> entity::addresses(std::string_view name) const
{
    std::vector<domain::named_address> out;
    for (const auto& field : headers_.fields())
    {
        if (detail::iequals(field.name, name))
            (void)parse_address_list(field.raw_value, out);
    }
    return out;
}

std::vector<domain::named_address> entity::from() const
{
    return addresses("From");
}

std::vector<domain::named_address> entity::to() const
{
    return addresses("To");
}

std::vector<domain::named_address> entity::cc() const
{
    return addresses("Cc");
}

std::vector<domain::named_address> entity::reply_to() const
{
    return addresses("Reply-To");
}

std::optional<std::chrono::sys_seconds> entity::date() const
{
    if (const auto* field = headers_.find("Date"))
        return parse_date(field->raw_value);
    return std::nullopt;
}

std::string_view entity::message_id() const
{
    if (const auto* field = headers_.find("Message-ID"))
    {
        std::vector<std::string_view> ids;
        parse_message_ids(field->raw_value, ids);
        if (!ids.empty())
            return ids.front();
    }
    return {};
}

std::vector<std::string_view> entity::in_reply_to() const
{
    std::vector<std::string_view> ids;
    if (const auto* field = headers_.find("In-Reply-To"))
        parse_message_ids(field->raw_value, ids);
    return ids;
}

std::vector<std::string_view> entity::references() const
{
    std::vector<std::string_view> ids;
    if (const auto* field = headers_.find("References"))
        parse_message_ids(field->raw_value, ids);
    return ids;
}

message message::copy() const
{
    if (owned_)
        return *this;
    diagnostics diag;
    auto copied = parse_message_owning(std::string(bytes_), options_, diag);
    return copied ? std::move(*copied) : message{};
}

namespace
{

void collect_attachments(const entity& e, std::vector<const entity*>& out)
{
    if (e.depth() > 0 && e.is_attachment())
    {
        out.push_back(&e);
        return;
    }
    for (const auto& child : e.children()) collect_attachments(child, out);
}

const entity* find_body(const entity& e, std::string_view subtype) noexcept
{
    if (e.is_attachment() && e.depth() > 0)
        return nullptr;
    if (e.kind() == part_kind::leaf)
        return e.content_type().type == "text" && e.content_type().subtype == subtype ? &e : nullptr;
    if (e.is_message() && e.depth() > 0)
        return nullptr;  // a forwarded message keeps its own body
    for (const auto& child : e.children())
    {
        if (const auto* found = find_body(child, subtype))
            return found;
    }
    return nullptr;
}

}  // namespace

std::vector<const entity*> message::attachments() const
{
    std::vector<const entity*> out;
    collect_attachments(root_, out);
    return out;
}

const entity* message::text_body() const noexcept
{
    return find_body(root_, "plain");
}

const entity* message::html_body() const noexcept
{
    return find_body(root_, "html");
}

boost::system::result<message> parse_message(std::string_view bytes, const parser_options& options,
                                             diagnostics& diag)
{
    return message_tree_builder::run(bytes, options, diag);
}

boost::system::result<message> parse_message(std::string_view bytes, const parser_options& options)
{
    diagnostics diag;
    return message_tree_builder::run(bytes, options, diag);
}

boost::system::result<message> parse_message_owning(std::string bytes, const parser_options& options,
                                                    diagnostics& diag)
{
    return message_tree_builder::run_owning(std::move(bytes), options, diag);
}

}  // namespace mss::mime
