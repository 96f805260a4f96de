// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/builder.hpp>

#include <mss/error.hpp>
#include <mss/mime/base64.hpp>
#include <mss/mime/charset.hpp>
#include <mss/mime/date.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/errc.hpp>
#include <mss/mime/parameters.hpp>
#include <mss/mime/quoted_printable.hpp>

#include "mime/ascii.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

namespace mss::mime
{
namespace
{

constexpr std::size_t fold_column = 78;        // RFC 5322 §2.1.1: SHOULD
constexpr std::size_t max_line = 998;          // RFC 5322 §2.1.1: MUST
constexpr std::size_t read_chunk = 48 * 1024;  // a multiple of 3: whole base64 groups per chunk

using boost::system::error_code;

error_code fail(diagnostics& diag, error_code ec, const std::string& message)
{
    diag.set_client_message(message);
    return ec;
}

bool is_atext(char c) noexcept
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// RFC 2047 §5(3): characters allowed unencoded in a Q word that stands in a phrase.
bool is_phrase_q_safe(unsigned char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' ||
           c == '*' || c == '+' || c == '-' || c == '/';
}

// RFC 2231 attribute-char: kept as they are in a percent-encoded value.
bool is_attribute_char(unsigned char c) noexcept
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

std::size_t utf8_sequence_length(unsigned char lead) noexcept
{
    if (lead < 0x80)
        return 1;
    if ((lead >> 5) == 0x6)
        return 2;
    if ((lead >> 4) == 0xe)
        return 3;
    if ((lead >> 3) == 0x1e)
        return 4;
    return 1;
}

std::size_t longest_line(std::string_view text) noexcept
{
    std::size_t longest = 0;
    std::size_t start = 0;
    while (start <= text.size())
    {
        std::size_t end = text.find("\r\n", start);
        if (end == std::string_view::npos)
            end = text.size();
        longest = std::max(longest, end - start);
        start = end + 2;
    }
    return longest;
}

// Writes one header field, folding before a word when the line would pass 78 columns.
class folded_field
{
public:
    folded_field(std::string& out, std::string_view name) : out_(out), first_(name.size() + 1)
    {
        out_ += name;
        out_ += ':';
        column_ = first_;
    }

    void word(std::string_view w)
    {
        if (column_ > first_ && column_ + 1 + w.size() > fold_column)
        {
            out_ += "\r\n ";
            column_ = 1;
        }
        else
        {
            out_ += ' ';
            ++column_;
        }
        out_ += w;
        column_ += w.size();
    }

    // Text glued to the previous word (a comma, a semicolon).
    void glue(std::string_view w)
    {
        out_ += w;
        column_ += w.size();
    }

    void end() { out_ += "\r\n"; }

private:
    std::string& out_;
    std::size_t first_;
    std::size_t column_;
};

// Encoded-words in B encoding for any UTF-8 text, each on its own line: the fallback when the
// usual encoding would leave a line over 998 octets (a huge unbroken word).
void encode_all_b(std::string_view utf8, std::string& out)
{
    base64_encoder encoder(base64_encoder_options{0});
    bool first = true;
    std::size_t i = 0;
    while (i < utf8.size())
    {
        std::size_t n = 0;
        while (i + n < utf8.size())
        {
            const std::size_t len = utf8_sequence_length(static_cast<unsigned char>(utf8[i + n]));
            if (n + len > 45)
                break;
            n += len;
        }
        if (n == 0)
            n = 1;
        out += first ? " " : "\r\n ";
        out += "=?UTF-8?B?";
        encoder.encode(utf8.substr(i, n), out);
        encoder.finish(out);
        out += "?=";
        first = false;
        i += n;
    }
}

// Unstructured value (Subject, extra headers): RFC 2047 where needed, folded at 78 columns.
error_code append_unstructured(std::string& out, std::string_view name, std::string_view utf8)
{
    std::string value;
    if (auto ec = encode_header_text(utf8, name.size() + 2, value))
        return ec;
    out += name;
    out += ':';
    if (longest_line(value) + name.size() + 2 > max_line)
        encode_all_b(utf8, out);
    else
    {
        if (!value.empty())
            out += ' ';
        out += value;
    }
    out += "\r\n";
    return {};
}

// The words of a display name in a phrase: atoms, one quoted string, or Q encoded-words.
void phrase_words(std::string_view name, std::vector<std::string>& words)
{
    if (name.empty())
        return;
    bool atoms = name.front() != ' ' && name.back() != ' ' && name.find("  ") == std::string_view::npos &&
                 name.find("=?") == std::string_view::npos;
    bool printable = name.size() <= 200 && name.find("=?") == std::string_view::npos;
    for (const char c : name)
    {
        const auto u = static_cast<unsigned char>(c);
        atoms = atoms && (c == ' ' || is_atext(c));
        printable = printable && u >= 0x20 && u < 0x7f;
    }
    if (atoms)
    {
        std::size_t start = 0;
        while (start < name.size())
        {
            const std::size_t end = std::min(name.find(' ', start), name.size());
            words.emplace_back(name.substr(start, end - start));
            start = end + 1;
        }
        return;
    }
    if (printable)
    {
        std::string quoted = "\"";
        for (const char c : name)
        {
            if (c == '"' || c == '\\')
                quoted += '\\';
            quoted += c;
        }
        quoted += '"';
        words.push_back(std::move(quoted));
        return;
    }
    // Q words of at most 75 characters, never splitting a UTF-8 sequence.
    constexpr std::string_view prefix = "=?UTF-8?Q?";
    constexpr std::size_t max_payload = 75 - prefix.size() - 2;
    std::string payload;
    std::size_t i = 0;
    while (i < name.size())
    {
        const std::size_t len =
            std::min(utf8_sequence_length(static_cast<unsigned char>(name[i])), name.size() - i);
        std::string piece;
        for (std::size_t k = 0; k < len; ++k)
        {
            const auto c = static_cast<unsigned char>(name[i + k]);
            if (c == ' ')
                piece += '_';
            else if (is_phrase_q_safe(c))
                piece += static_cast<char>(c);
            else
            {
                char esc[3];
                detail::put_escaped(esc, '=', c);
                piece.append(esc, 3);
            }
        }
        if (payload.size() + piece.size() > max_payload)
        {
            words.push_back(std::string(prefix) + payload + "?=");
            payload.clear();
        }
        payload += piece;
        i += len;
    }
    if (!payload.empty())
        words.push_back(std::string(prefix) + payload + "?=");
}

void append_address_field(std::string& out, std::string_view name,
                          const std::vector<domain::named_address>& list)
{
    folded_field field(out, name);
    for (std::size_t i = 0; i < list.size(); ++i)
    {
        std::vector<std::string> words;
        phrase_words(list[i].display_name(), words);
        for (const auto& w : words) field.word(w);
        std::string angle_address = "<";
        angle_address += list[i].address().str();
        angle_address += '>';
        field.word(angle_address);
        if (i + 1 < list.size())
            field.glue(",");
    }
    field.end();
}

// `; name=value` for a header being written, folded; long values go into RFC 2231 sections.
error_code append_parameter(std::string& out, std::size_t& column, std::string_view name,
                            std::string_view value)
{
    std::string p;
    if (auto ec = format_parameter(name, value, p))
        return ec;
    out += ';';
    ++column;
    if (column + 1 + p.size() <= fold_column)
    {
        out += ' ';
        out += p;
        column += 1 + p.size();
        return {};
    }
    if (1 + p.size() <= fold_column)
    {
        out += "\r\n ";
        out += p;
        column = 1 + p.size();
        return {};
    }
    // RFC 2231 §3 and §4: name*0*=UTF-8''..., name*1*=..., every section percent-encoded.
    std::string encoded;
    for (const char c : value)
    {
        const auto u = static_cast<unsigned char>(c);
        if (is_attribute_char(u))
            encoded += c;
        else
        {
            char esc[3];
            detail::put_escaped(esc, '%', u);
            encoded.append(esc, 3);
        }
    }
    constexpr std::size_t section = 60;
    std::size_t pos = 0;
    unsigned index = 0;
    while (pos < encoded.size() || index == 0)
    {
        std::size_t n = std::min(section, encoded.size() - pos);
        // Never split a %XX escape.
        if (pos + n < encoded.size())
        {
            if (n >= 1 && encoded[pos + n - 1] == '%')
                n -= 1;
            else if (n >= 2 && encoded[pos + n - 2] == '%')
                n -= 2;
        }
        if (index > 0)
            out += ';';
        out += "\r\n ";
        out += name;
        out += '*';
        out += std::to_string(index);
        out += "*=";
        if (index == 0)
            out += "UTF-8''";
        out.append(encoded, pos, n);
        column = 1 + name.size() + 12 + n;
        pos += n;
        ++index;
    }
    return {};
}

std::string make_boundary(const random_source& random)
{
    static constexpr std::string_view alphabet =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::array<unsigned char, 24> bytes{};
    random(bytes);
    // "=_" never occurs in base64 or quoted-printable output: the boundary cannot collide with
    // any body the builder writes.
    std::string boundary = "=_mss_";
    for (const auto b : bytes) boundary += alphabet[b % alphabet.size()];
    return boundary;
}

bool valid_media_type(std::string_view type) noexcept
{
    const auto slash = type.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size() || type.size() > 127)
        return false;
    for (std::size_t i = 0; i < type.size(); ++i)
    {
        if (i == slash)
            continue;
        const auto c = static_cast<unsigned char>(type[i]);
        if (c <= ' ' || c >= 0x7f ||
            std::string_view("()<>@,;:\\\"/[]?=").find(static_cast<char>(c)) != std::string_view::npos)
            return false;
    }
    return !detail::iequals(type.substr(0, slash), "multipart");
}

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char& c : out) c = detail::to_lower(c);
    return out;
}

}  // namespace

struct message_builder::plan
{
    struct segment
    {
        std::string text;
        const attachment* source = nullptr;
        std::size_t size = 0;      // bytes of the attachment
        std::string_view raw;      // bytes written as they are (an attached message)
    };
    std::vector<segment> segments;

    std::string& text() { return segments.back().text; }

    void add_attachment(const attachment& a, std::size_t size)
    {
        segments.push_back({{}, &a, size, {}});
        segments.push_back({});
    }

    void add_raw(std::string_view bytes)
    {
        segments.push_back({{}, nullptr, 0, bytes});
        segments.push_back({});
    }

    [[nodiscard]] std::size_t total_size() const noexcept
    {
        std::size_t total = 0;
        for (const auto& s : segments)
            total += s.source != nullptr ? base64_encoder::encoded_size(s.size) : s.text.size() + s.raw.size();
        return total;
    }
};

message_builder& message_builder::from(domain::named_address address)
{
    from_ = std::move(address);
    return *this;
}

message_builder& message_builder::to(domain::named_address address)
{
    to_.push_back(std::move(address));
    return *this;
}

message_builder& message_builder::cc(domain::named_address address)
{
    cc_.push_back(std::move(address));
    return *this;
}

message_builder& message_builder::subject(std::string utf8)
{
    subject_ = std::move(utf8);
    return *this;
}

message_builder& message_builder::date(std::chrono::sys_seconds time, std::chrono::minutes zone)
{
    date_ = time;
    zone_ = zone;
    return *this;
}

message_builder& message_builder::message_id(std::string id)
{
    message_id_ = std::move(id);
    return *this;
}

error_code message_builder::add_header(std::string_view name, std::string_view utf8_value)
{
    if (name.empty() || name.size() > 76)
        return mss::errc::invalid_argument;
    for (const char c : name)
    {
        const auto u = static_cast<unsigned char>(c);
        if (u <= ' ' || u >= 0x7f || c == ':')
            return mss::errc::invalid_argument;
    }
    // Bcc is refused too: blind recipients belong to the SMTP envelope, never to the message.
    static constexpr std::array<std::string_view, 8> reserved = {
        "From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "MIME-Version"};
    for (const auto r : reserved)
    {
        if (detail::iequals(name, r))
            return mss::errc::invalid_argument;
    }
    if (name.size() >= 8 && detail::iequals(name.substr(0, 8), "Content-"))
        return mss::errc::invalid_argument;
    if (utf8_value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
        return errc::forbidden_character;
    if (!is_valid_utf8(utf8_value))
        return errc::bad_charset_data;
    headers_.push_back({std::string(name), std::string(utf8_value)});
    return {};
}

message_builder& message_builder::text(std::string utf8)
{
    text_ = std::move(utf8);
    return *this;
}

message_builder& message_builder::html(std::string utf8)
{
    html_ = std::move(utf8);
    return *this;
}

message_builder& message_builder::attach_view(std::string_view bytes, std::string file_name,
                                              std::string content_type)
{
    attachment a;
    a.view = bytes;
    a.file_name = std::move(file_name);
    a.content_type = std::move(content_type);
    attachments_.push_back(std::move(a));
    return *this;
}

message_builder& message_builder::attach_owned(std::string bytes, std::string file_name,
                                               std::string content_type)
{
    attachment a;
    a.owned = std::move(bytes);
    a.is_owned = true;
    a.file_name = std::move(file_name);
    a.content_type = std::move(content_type);
    attachments_.push_back(std::move(a));
    return *this;
}

message_builder& message_builder::attach_message(std::string rfc822)
{
    attached_message_ = std::move(rfc822);
    return *this;
}

message_builder& message_builder::attach_file(std::filesystem::path path, std::string file_name,
                                              std::string content_type)
{
    attachment a;
    a.path = std::move(path);
    a.file_name = std::move(file_name);
    a.content_type = std::move(content_type);
    attachments_.push_back(std::move(a));
    return *this;
}

error_code message_builder::make_plan(plan& p, const random_source& random, diagnostics& diag) const
{
    diag.clear();
    if (!from_)
        return fail(diag, mss::errc::invalid_argument, "the message has no From");
    if (!date_)
        return fail(diag, mss::errc::invalid_argument, "the message has no Date");
    if (!random)
        return fail(diag, mss::errc::invalid_argument, "no random source for the boundaries");
    std::string id = message_id_;
    if (!id.empty())
    {
        if (id.front() == '<' && id.back() == '>' && id.size() >= 2)
            id = id.substr(1, id.size() - 2);
        bool valid = !id.empty() && id.size() <= 900;
        for (const char c : id)
        {
            const auto u = static_cast<unsigned char>(c);
            valid = valid && u > ' ' && u < 0x7f && c != '<' && c != '>';
        }
        if (!valid)
            return fail(diag, mss::errc::invalid_argument,
                        "the Message-ID is not printable ASCII without space");
    }
    for (const auto& a : attachments_)
    {
        if (!valid_media_type(a.content_type))
            return fail(diag, mss::errc::invalid_argument, "an attachment has an invalid content type");
        if (!is_valid_utf8(a.file_name))
            return fail(diag, errc::bad_charset_data, "an attachment file name is not UTF-8");
    }
    for (const auto* body : {&text_, &html_})
    {
        if (*body && !is_valid_utf8(**body))
            return fail(diag, errc::bad_charset_data, "a text body is not UTF-8");
    }

    p.segments.clear();
    p.segments.emplace_back();
    std::string& top = p.text();
    top.reserve(2048);
    {
        top += "Date: ";
        format_date(*date_, zone_, top);
        top += "\r\n";
    }
    append_address_field(top, "From", {*from_});
    if (!to_.empty())
        append_address_field(top, "To", to_);
    if (!cc_.empty())
        append_address_field(top, "Cc", cc_);
    if (auto ec = append_unstructured(top, "Subject", subject_))
        return fail(diag, ec, "the subject cannot be written in a header");
    if (!id.empty())
    {
        top += "Message-ID: <";
        top += id;
        top += ">\r\n";
    }
    for (const auto& h : headers_)
    {
        if (auto ec = append_unstructured(top, h.name, h.value))
            return fail(diag, ec, "an extra header cannot be written");
    }
    top += "MIME-Version: 1.0\r\n";

    // Bodies: quoted-printable, whose lines are short and whose "=_" never starts a boundary.
    const auto write_text = [&](std::string_view subtype, const std::string& body, bool top_level)
    {
        std::string& out = p.text();
        out += "Content-Type: text/";
        out += subtype;
        out += "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
        quoted_printable_encoder encoder;
        out.reserve(out.size() + body.size() + body.size() / 8 + 16);
        encoder.encode(body, out);
        encoder.finish(out);
        // The message must end with CRLF; a soft line break adds one without adding text.
        if (top_level && !out.ends_with("\r\n"))
            out += "=\r\n";
    };
    const auto write_body = [&](bool top_level)
    {
        if (text_ && html_)
        {
            const std::string boundary = make_boundary(random);
            p.text() += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
            p.text() += "--" + boundary + "\r\n";
            write_text("plain", *text_, false);
            p.text() += "\r\n--" + boundary + "\r\n";
            write_text("html", *html_, false);
            p.text() += "\r\n--" + boundary + "--\r\n";
            return true;  // ends with CRLF
        }
        write_text(html_ ? "html" : "plain", html_ ? *html_ : text_ ? *text_ : std::string(), top_level);
        return false;
    };

    if (attachments_.empty() && !attached_message_)
    {
        write_body(true);
        return {};
    }
    std::string mixed = make_boundary(random);
    p.text() += "Content-Type: multipart/mixed;\r\n boundary=\"" + mixed + "\"\r\n\r\n";
    bool ends_with_crlf = true;  // before the first delimiter: the empty line of the header
    if (text_ || html_)
    {
        p.text() += "--" + mixed + "\r\n";
        ends_with_crlf = write_body(false);
    }
    for (const auto& a : attachments_)
    {
        std::size_t size = 0;
        if (a.path)
        {
            std::error_code fs_error;
            size = static_cast<std::size_t>(std::filesystem::file_size(*a.path, fs_error));
            if (fs_error)
                return fail(diag, mss::errc::file_unreadable, "an attachment file cannot be read");
        }
        else
            size = a.is_owned ? a.owned.size() : a.view.size();
        std::string& out = p.text();
        if (!ends_with_crlf)
            out += "\r\n";
        out += "--" + mixed + "\r\n";
        out += "Content-Type: " + lower(a.content_type);
        std::size_t column = 14 + a.content_type.size();
        if (!a.file_name.empty())
        {
            if (auto ec = append_parameter(out, column, "name", a.file_name))
                return fail(diag, ec, "an attachment file name cannot be written");
        }
        out += "\r\nContent-Disposition: attachment";
        column = 31;
        if (!a.file_name.empty())
        {
            if (auto ec = append_parameter(out, column, "filename", a.file_name))
                return fail(diag, ec, "an attachment file name cannot be written");
        }
        out += "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        p.add_attachment(a, size);
        ends_with_crlf = size > 0;  // base64 lines, the last one included, end with CRLF
    }
    if (attached_message_)
    {
        std::string& out = p.text();
        if (!ends_with_crlf)
            out += "\r\n";
        const bool eight_bit = std::any_of(attached_message_->begin(), attached_message_->end(),
                                           [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
        out += "--" + mixed + "\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n";
        if (eight_bit)
            out += "Content-Transfer-Encoding: 8bit\r\n";
        out += "\r\n";
        p.add_raw(*attached_message_);
        ends_with_crlf = attached_message_->ends_with("\r\n");
    }
    if (!ends_with_crlf)
        p.text() += "\r\n";
    p.text() += "--" + mixed + "--\r\n";
    return {};
}

namespace
{

struct file_closer
{
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

// Feeds the bytes of an attachment, chunk by chunk, to `consume`; checks the size planned.
template <class Consume>
error_code read_attachment(std::string_view bytes, const std::filesystem::path* path, std::size_t planned,
                           diagnostics& diag, Consume&& consume)
{
    if (path == nullptr)
    {
        for (std::size_t pos = 0; pos < bytes.size(); pos += read_chunk)
            consume(bytes.substr(pos, read_chunk));
        return {};
    }
    std::unique_ptr<std::FILE, file_closer> file(std::fopen(path->c_str(), "rb"));
    if (!file)
        return fail(diag, mss::errc::file_unreadable, "an attachment file cannot be opened");
    std::unique_ptr<char[]> buffer(new char[read_chunk]);
    std::size_t total = 0;
    for (;;)
    {
        const std::size_t n = std::fread(buffer.get(), 1, read_chunk, file.get());
        if (n > 0)
        {
            total += n;
            if (total > planned)
                return fail(diag, mss::errc::file_unreadable, "an attachment file grew while being read");
            consume(std::string_view(buffer.get(), n));
        }
        if (n < read_chunk)
            break;
    }
    if (std::ferror(file.get()) != 0)
        return fail(diag, mss::errc::file_unreadable, "an attachment file cannot be read");
    if (total != planned)
        return fail(diag, mss::errc::file_unreadable, "an attachment file shrank while being read");
    return {};
}

}  // namespace

error_code message_builder::write(const byte_sink& sink, const random_source& random, diagnostics& diag) const
{
    plan p;
    if (auto ec = make_plan(p, random, diag))
        return ec;
    std::string scratch;
    for (const auto& s : p.segments)
    {
        if (s.source == nullptr)
        {
            if (!s.text.empty())
                sink(s.text);
            if (!s.raw.empty())
                sink(s.raw);
            continue;
        }
        const attachment& a = *s.source;
        base64_encoder encoder;
        scratch.reserve(base64_encoder::encoded_size(read_chunk) + 8);
        auto ec = read_attachment(a.is_owned ? std::string_view(a.owned) : a.view,
                                  a.path ? &*a.path : nullptr, s.size, diag,
                                  [&](std::string_view chunk)
                                  {
                                      scratch.clear();
                                      encoder.encode(chunk, scratch);
                                      sink(scratch);
                                  });
        if (ec)
            return ec;
        scratch.clear();
        encoder.finish(scratch);
        if (!scratch.empty())
            sink(scratch);
    }
    return {};
}

error_code message_builder::write(std::string& out, const random_source& random, diagnostics& diag) const
{
    plan p;
    if (auto ec = make_plan(p, random, diag))
        return ec;
    const std::size_t start = out.size();
    out.reserve(start + p.total_size());
    for (const auto& s : p.segments)
    {
        if (s.source == nullptr)
        {
            out += s.text;
            out += s.raw;
            continue;
        }
        const attachment& a = *s.source;
        base64_encoder encoder;
        auto ec =
            read_attachment(a.is_owned ? std::string_view(a.owned) : a.view, a.path ? &*a.path : nullptr,
                            s.size, diag, [&](std::string_view chunk) { encoder.encode(chunk, out); });
        if (ec)
        {
            out.resize(start);
            return ec;
        }
        encoder.finish(out);
    }
    return {};
}

}  // namespace mss::mime
