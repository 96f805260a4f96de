// SPDX-License-Identifier: Apache-2.0
#include <mss/mime/encoded_word.hpp>

#include <mss/mime/base64.hpp>
#include <mss/mime/charset.hpp>

#include "ascii.hpp"

#include <algorithm>
#include <array>

namespace mss::mime {
namespace {

// ---------------------------------------------------------------------------------------------
// Recognising and decoding one word

constexpr std::size_t max_charset_field = 80;  // charset plus RFC 2231 language

// RFC 2047 `token` characters (no especials), plus '.' which some charset names use.
constexpr std::array<bool, 256> charset_characters = [] {
    std::array<bool, 256> table{};
    for (int c = 0x21; c < 0x7f; ++c)
        table[c] = true;
    for (const char c : std::string_view("()<>@,;:\"/[]?="))
        table[static_cast<unsigned char>(c)] = false;
    return table;
}();

struct word_parts
{
    std::string_view charset;  // language suffix removed
    char encoding = 0;         // 'b' or 'q'
    std::string_view text;
    std::size_t length = 0;    // of the whole word, "=?" to "?="
};

// Parses the encoded-word that starts at raw[pos] (which holds "=?").
bool parse_word(std::string_view raw, std::size_t pos, word_parts& word) noexcept
{
    std::size_t i = pos + 2;
    const std::size_t charset_begin = i;
    while (i < raw.size() && i - charset_begin <= max_charset_field
           && charset_characters[static_cast<unsigned char>(raw[i])])
        ++i;
    if (i == charset_begin || i + 2 >= raw.size() || raw[i] != '?' || raw[i + 2] != '?')
        return false;
    std::string_view charset = raw.substr(charset_begin, i - charset_begin);
    charset = charset.substr(0, charset.find('*'));  // RFC 2231 §5: "charset*language"
    const char encoding = detail::to_lower(raw[i + 1]);
    if (charset.empty() || (encoding != 'b' && encoding != 'q'))
        return false;
    i += 3;
    const std::size_t text_begin = i;
    // Encoded text is printable ASCII without '?' and without space: the first '?' must end it.
    while (i < raw.size() && raw[i] != '?')
    {
        const auto c = static_cast<unsigned char>(raw[i]);
        if (c <= 0x20 || c >= 0x7f)
            return false;
        ++i;
    }
    if (i + 1 >= raw.size() || raw[i + 1] != '=')
        return false;
    word.charset = charset;
    word.encoding = encoding;
    word.text = raw.substr(text_begin, i - text_begin);
    word.length = i + 2 - pos;
    return true;
}

// Appends the bytes the word's text stands for; false (nothing appended) when it is broken.
bool decode_text(const word_parts& word, std::string& bytes)
{
    const std::size_t start = bytes.size();
    if (word.encoding == 'b')
    {
        constexpr std::string_view base64_characters =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
        if (word.text.find_first_not_of(base64_characters) != std::string_view::npos)
            return false;
        // Lenient only to accept missing padding: the alphabet was checked above.
        base64_decoder decoder(base64_decoder_options{.lenient = true});
        if (decoder.decode(word.text, bytes) || decoder.finish(bytes))
        {
            bytes.resize(start);
            return false;
        }
        return true;
    }
    const std::string_view text = word.text;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (c == '_')
            bytes.push_back(' ');  // RFC 2047 §4.2 rule 2, whatever the charset
        else if (c != '=')
            bytes.push_back(c);
        else if (i + 2 < text.size() && detail::hex_pair(text[i + 1], text[i + 2]) >= 0)
        {
            bytes.push_back(static_cast<char>(detail::hex_pair(text[i + 1], text[i + 2])));
            i += 2;
        }
        else
        {
            bytes.resize(start);
            return false;
        }
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Decoding header text

bool is_linear_space(std::string_view text) noexcept
{
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Replaces the control characters that would break a header line by spaces.
void neutralise_line_breaks(std::string& out, std::size_t from) noexcept
{
    for (std::size_t i = from; i < out.size(); ++i)
    {
        if (out[i] == '\r' || out[i] == '\n' || out[i] == '\0')
            out[i] = ' ';
    }
}

class header_text_decoder
{
public:
    header_text_decoder(std::string_view raw, std::string& out, const header_text_options& options)
        : raw_(raw), out_(out), options_(options)
    {
    }

    void run()
    {
        std::size_t plain_begin = 0;  // text since the last decoded word
        std::size_t i = 0;
        bool after_word = false;
        while ((i = raw_.find("=?", i)) != std::string_view::npos)
        {
            word_parts word;
            word_bytes_.clear();
            if (!parse_word(raw_, i, word) || !decode_text(word, word_bytes_))
            {
                i += 2;  // a broken word stays in the plain text
                continue;
            }
            const std::string_view between = raw_.substr(plain_begin, i - plain_begin);
            if (!(after_word && is_linear_space(between)))
            {
                flush_group();
                append_plain(between);
            }
            if (group_open_ && detail::iequals(group_charset_, word.charset))
                group_bytes_ += word_bytes_;  // joined before conversion: split characters survive
            else
            {
                flush_group();
                group_open_ = true;
                group_charset_ = word.charset;
                group_begin_ = i;
                group_bytes_ = word_bytes_;
            }
            i += word.length;
            group_end_ = i;
            plain_begin = i;
            after_word = true;
        }
        flush_group();
        append_plain(raw_.substr(plain_begin));
    }

private:
    void flush_group()
    {
        if (!group_open_)
            return;
        group_open_ = false;
        const std::size_t start = out_.size();
        if (to_utf8(group_charset_, group_bytes_, out_, charset_options{.lenient = true}))
        {
            append_plain(raw_.substr(group_begin_, group_end_ - group_begin_));  // unknown charset
            return;
        }
        neutralise_line_breaks(out_, start);
    }

    // Unfolds, then keeps valid UTF-8 as it is and converts anything else from the fallback.
    void append_plain(std::string_view text)
    {
        if (text.empty())
            return;
        const std::size_t start = out_.size();
        for (const char c : text)
        {
            if (c != '\r' && c != '\n')
                out_.push_back(c == '\0' ? ' ' : c);
        }
        if (is_valid_utf8(std::string_view(out_).substr(start)))
            return;
        plain_bytes_.assign(out_, start);
        out_.resize(start);
        if (to_utf8(options_.fallback_charset, plain_bytes_, out_, charset_options{.lenient = true}))
            (void)to_utf8("utf-8", plain_bytes_, out_, charset_options{.lenient = true});
    }

    std::string_view raw_;
    std::string& out_;
    const header_text_options& options_;
    bool group_open_ = false;
    std::string_view group_charset_;
    std::size_t group_begin_ = 0;
    std::size_t group_end_ = 0;
    std::string group_bytes_;
    std::string word_bytes_;
    std::string plain_bytes_;
};

// ---------------------------------------------------------------------------------------------
// Encoding header text

constexpr std::size_t max_line = 78;             // RFC 5322 §2.1.1, CRLF excluded
constexpr std::size_t max_word = 75;             // RFC 2047 §2
constexpr std::string_view q_prefix = "=?UTF-8?Q?";
constexpr std::string_view b_prefix = "=?UTF-8?B?";
constexpr std::size_t word_overhead = 12;        // prefix and "?="
constexpr std::size_t min_word = word_overhead + 12;  // room for one 4-byte character in Q

// Bytes Q may write as they are: the RFC 2047 §5 (3) set, safe even in a phrase.
constexpr std::array<bool, 256> q_literals = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c)
        table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!'
                   || c == '*' || c == '+' || c == '-' || c == '/';
    return table;
}();

std::size_t q_cost(unsigned char c) noexcept
{
    return (c == ' ' || q_literals[c]) ? 1 : 3;
}

std::size_t utf8_sequence_length(unsigned char lead) noexcept
{
    if (lead < 0x80)
        return 1;
    if (lead < 0xe0)
        return 2;
    if (lead < 0xf0)
        return 3;
    return 4;
}

bool needs_encoding(std::string_view word) noexcept
{
    for (const char c : word)
    {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x21 || b >= 0x7f)
            return true;
    }
    return word.find("=?") != std::string_view::npos;  // would be taken for an encoded-word
}

class header_text_encoder
{
public:
    header_text_encoder(std::string& out, std::size_t column) : out_(out), column_(column) {}

    void run(std::string_view text)
    {
        std::size_t i = 0;
        while (i < text.size())
        {
            const std::size_t word_begin = std::min(text.find_first_not_of(" \t", i), text.size());
            const std::string_view space = text.substr(i, word_begin - i);
            if (word_begin == text.size())
            {
                out_ += space;  // trailing whitespace
                column_ += space.size();
                break;
            }
            std::size_t word_end = std::min(text.find_first_of(" \t", word_begin), text.size());
            if (!needs_encoding(text.substr(word_begin, word_end - word_begin)))
            {
                put_plain(space, text.substr(word_begin, word_end - word_begin));
                i = word_end;
                continue;
            }
            // Encode the whole run of words that need it, with the spaces between them: the
            // space between two encoded-words would be dropped by the reader.
            while (word_end < text.size())
            {
                const std::size_t next = text.find_first_not_of(" \t", word_end);
                if (next == std::string_view::npos)
                    break;
                const std::size_t next_end = std::min(text.find_first_of(" \t", next), text.size());
                if (!needs_encoding(text.substr(next, next_end - next)))
                    break;
                word_end = next_end;
            }
            put_encoded(space, text.substr(word_begin, word_end - word_begin));
            i = word_end;
        }
    }

private:
    void put_plain(std::string_view space, std::string_view word)
    {
        if (!space.empty() && column_ + space.size() + word.size() > max_line)
        {
            out_ += "\r\n";  // the existing whitespace becomes the fold
            column_ = 0;
        }
        out_ += space;
        out_ += word;
        column_ += space.size() + word.size();
    }

    void put_encoded(std::string_view space, std::string_view span)
    {
        std::size_t q_length = 0;
        for (const char c : span)
            q_length += q_cost(static_cast<unsigned char>(c));
        const bool use_q = q_length < (span.size() + 2) / 3 * 4;

        std::size_t pos = 0;
        bool first = true;
        while (pos < span.size())
        {
            std::size_t limit = max_word;
            if (first)
            {
                const std::size_t after_space = column_ + space.size();
                const std::size_t room = after_space < max_line ? max_line - after_space : 0;
                const std::size_t first_length = utf8_sequence_length(static_cast<unsigned char>(span[0]));
                // Split the span here only when it would not fit whole on a new line either, or
                // when there is no whitespace to fold at (a fold would add a space).
                const std::size_t whole = word_overhead + payload_length(use_q, span);
                const std::string_view first_character = span.substr(0, first_length);
                const std::size_t first_word = word_overhead + payload_length(use_q, first_character);
                const bool starts_here = room >= first_word;
                if (starts_here && (whole <= room || whole > max_word || space.empty()))
                    limit = std::min(max_word, room);
                else
                {
                    out_ += "\r\n";
                    column_ = 0;
                    if (space.empty())
                        space = " ";  // a fold needs whitespace; before an encoded-word it is ignored
                    // Absurdly long whitespace could leave no room at all: overflow rather than loop.
                    const std::size_t after_fold = space.size();
                    const std::size_t fresh_room = after_fold < max_line ? max_line - after_fold : 0;
                    limit = std::max(std::min(max_word, fresh_room), min_word);
                }
                out_ += space;
                column_ += space.size();
            }
            else
            {
                out_ += "\r\n ";
                column_ = 1;
            }
            first = false;

            // Take whole UTF-8 sequences while the word stays within `limit`.
            std::size_t end = pos;
            std::size_t length = word_overhead;
            while (end < span.size())
            {
                const std::size_t n = utf8_sequence_length(static_cast<unsigned char>(span[end]));
                const std::string_view taken = span.substr(pos, end + n - pos);
                const std::size_t candidate = word_overhead + payload_length(use_q, taken);
                if (candidate > limit && end > pos)
                    break;
                length = candidate;
                end += n;
            }
            put_word(use_q, span.substr(pos, end - pos));
            column_ += length;
            pos = end;
        }
    }

    static std::size_t payload_length(bool use_q, std::string_view bytes) noexcept
    {
        if (!use_q)
            return (bytes.size() + 2) / 3 * 4;
        std::size_t length = 0;
        for (const char c : bytes)
            length += q_cost(static_cast<unsigned char>(c));
        return length;
    }

    void put_word(bool use_q, std::string_view bytes)
    {
        if (use_q)
        {
            out_ += q_prefix;
            for (const char c : bytes)
            {
                const auto b = static_cast<unsigned char>(c);
                if (b == ' ')
                    out_ += '_';
                else if (q_literals[b])
                    out_ += c;
                else
                {
                    char escaped[3];
                    detail::put_escaped(escaped, '=', b);
                    out_.append(escaped, 3);
                }
            }
        }
        else
        {
            out_ += b_prefix;
            base64_encoder encoder(base64_encoder_options{.line_length = 0});
            encoder.encode(bytes, out_);
            encoder.finish(out_);
        }
        out_ += "?=";
    }

    std::string& out_;
    std::size_t column_;
};

}  // namespace

void decode_header_text(std::string_view raw, std::string& out, const header_text_options& options)
{
    header_text_decoder(raw, out, options).run();
}

boost::system::error_code decode_encoded_word(std::string_view word, std::string& out)
{
    word_parts parts;
    std::string bytes;
    if (word.size() < 2 || word[0] != '=' || word[1] != '?' || !parse_word(word, 0, parts)
        || parts.length != word.size() || !decode_text(parts, bytes))
        return errc::bad_encoded_word;
    return to_utf8(parts.charset, bytes, out);
}

boost::system::error_code encode_header_text(std::string_view utf8, std::size_t first_line_used,
                                             std::string& out)
{
    if (utf8.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
        return errc::forbidden_character;
    if (!is_valid_utf8(utf8))
        return errc::bad_charset_data;
    header_text_encoder(out, first_line_used).run(utf8);
    return {};
}

}  // namespace mss::mime
