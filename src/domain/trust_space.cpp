// SPDX-License-Identifier: Apache-2.0
#include <mss/domain/email_address.hpp>
#include <mss/domain/errc.hpp>
#include <mss/domain/trust_space.hpp>
#include <mss/error.hpp>

#include <expat.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <string>

namespace mss::domain {
namespace {

// Element names as expat reports them with namespace processing: "<namespace URI>|<local name>".
constexpr std::string_view whitelist_namespace = "https://listeblanche.mssante.fr/schema";

enum class field
{
    none,
    generated_at,
    name,
    description,
    operator_dn,
    responsible,
    support,
    updated_at,
};

field field_of(std::string_view local_name)
{
    if (local_name == "Nom") return field::name;
    if (local_name == "Description") return field::description;
    if (local_name == "DNCertificatOperateur") return field::operator_dn;
    if (local_name == "ResponsableContact") return field::responsible;
    if (local_name == "SupportContact") return field::support;
    if (local_name == "DateMAJ") return field::updated_at;
    return field::none;
}

char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower_ascii(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

std::string trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::string sha256_hex(std::string_view bytes)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i)
    {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

}  // namespace

/// Streams expat events into a trust_space. The state is the element path, kept as a depth
/// plus flags, because the whitelist's structure is fixed:
///   depth 1 ListeBlancheMSSante › depth 2 DateDeGeneration | ListeDomaines
///   › depth 3 Domaine › depth 4 Nom, Description, ... (text only).
class trust_space_reader
{
public:
    trust_space_reader(diagnostics& diag, const trust_space_limits& limits) : diag_(diag), limits_(limits) {}

    boost::system::result<trust_space> read(std::string_view xml)
    {
        std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> parser(
            XML_ParserCreateNS("UTF-8", '|'), &XML_ParserFree);
        if (!parser)
            throw std::bad_alloc();
        parser_ = parser.get();
        XML_SetUserData(parser_, this);
        XML_SetElementHandler(parser_, &on_start, &on_end);
        XML_SetCharacterDataHandler(parser_, &on_text);
        // A DTD could declare entities (billion laughs, external files): the whitelist has none.
        XML_SetStartDoctypeDeclHandler(parser_, &on_doctype);

        // Parsed as a non-final chunk first, so that a missing root end tag can be told apart
        // from a truncation before expat reports "unclosed token" at the end.
        if (!feed(xml, false))
            return error_;
        if (depth_ == 1 && domains_closed_)
        {
            // ANS publishes the file without </ListeBlancheMSSante>: close the root ourselves.
            static constexpr std::string_view root_end = "</ListeBlancheMSSante>";
            if (!feed(root_end, false))
                return error_;
        }
        if (!feed({}, true))
            return error_;
        if (!domains_closed_)
            return structure_error("the file has no complete ListeDomaines element");
        return std::move(result_);
    }

private:
    bool feed(std::string_view bytes, bool final)
    {
        if (XML_Parse(parser_, bytes.data(), static_cast<int>(bytes.size()), final ? XML_TRUE : XML_FALSE) ==
            XML_STATUS_OK)
            return true;
        if (!error_)  // a handler may have stopped the parser with an error of its own
        {
            record_position();
            diag_.set_client_message(std::string("trust-space file is not well-formed XML: ") +
                                     XML_ErrorString(XML_GetErrorCode(parser_)) + " at " + where());
            error_ = errc::trust_space_malformed;
        }
        return false;
    }

    void record_position()
    {
        position_.offset = static_cast<std::size_t>(XML_GetCurrentByteIndex(parser_));
        position_.line = static_cast<std::size_t>(XML_GetCurrentLineNumber(parser_));
        position_.column = static_cast<std::size_t>(XML_GetCurrentColumnNumber(parser_)) + 1;
        diag_.set_position(position_);
    }

    std::string where() const
    {
        return "line " + std::to_string(position_.line) + ", column " + std::to_string(position_.column) +
               " (byte " + std::to_string(position_.offset) + ")";
    }

    boost::system::error_code stop(boost::system::error_code code, const std::string& message)
    {
        if (!error_)
        {
            record_position();
            diag_.set_client_message(message + " at " + where());
            error_ = code;
        }
        XML_StopParser(parser_, XML_FALSE);
        return code;
    }

    boost::system::error_code structure_error(const std::string& message)
    {
        return stop(errc::trust_space_bad_structure, "trust-space file: " + message);
    }

    static std::string_view local_name(std::string_view qualified, bool& in_namespace)
    {
        const auto bar = qualified.rfind('|');
        in_namespace = bar != std::string_view::npos && qualified.substr(0, bar) == whitelist_namespace;
        return bar == std::string_view::npos ? qualified : qualified.substr(bar + 1);
    }

    static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char**)
    {
        static_cast<trust_space_reader*>(self)->start(name);
    }
    static void XMLCALL on_end(void* self, const XML_Char* name) { static_cast<trust_space_reader*>(self)->end(name); }
    static void XMLCALL on_text(void* self, const XML_Char* text, int length)
    {
        static_cast<trust_space_reader*>(self)->text(std::string_view(text, static_cast<std::size_t>(length)));
    }
    static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int)
    {
        static_cast<trust_space_reader*>(self)->structure_error("a DOCTYPE is not allowed");
    }

    void start(std::string_view qualified)
    {
        bool ours = false;
        const auto name = local_name(qualified, ours);
        ++depth_;
        text_.clear();
        current_ = field::none;
        if (depth_ == 1 && !(ours && name == "ListeBlancheMSSante"))
            structure_error("the root element is not ListeBlancheMSSante in namespace " +
                            std::string(whitelist_namespace));
        else if (depth_ == 2 && ours && name == "DateDeGeneration")
            current_ = field::generated_at;
        else if (depth_ == 2 && ours && name == "ListeDomaines")
        {
            if (domains_closed_ || in_domains_)
                structure_error("ListeDomaines appears twice");
            in_domains_ = true;
        }
        else if (depth_ == 3 && in_domains_ && ours && name == "Domaine")
            begin_entry();
        else if (depth_ == 4 && in_domain_ && ours)
            current_ = field_of(name);
        // Anything else is an unknown element: tolerated, for forward compatibility.
    }

    void end(std::string_view qualified)
    {
        bool ours = false;
        const auto name = local_name(qualified, ours);
        if (depth_ == 4 && in_domain_)
            store_field();
        else if (depth_ == 3 && in_domain_)
        {
            finish_entry();
            in_domain_ = false;
        }
        else if (depth_ == 2 && current_ == field::generated_at)
            result_.generated_at_ = trim(text_);
        else if (depth_ == 2 && in_domains_ && ours && name == "ListeDomaines")
        {
            in_domains_ = false;
            domains_closed_ = true;
        }
        current_ = field::none;
        text_.clear();
        --depth_;
    }

    void begin_entry()
    {
        if (result_.entry_count_ + result_.anomalies_.size() >= limits_.max_entries)
        {
            stop(mss::errc::limit_exceeded,
                 "trust-space file has more than " + std::to_string(limits_.max_entries) + " entries");
            return;
        }
        entry_ = trust_space_entry{};
        entry_.line = static_cast<std::size_t>(XML_GetCurrentLineNumber(parser_));
        has_name_ = false;
        in_domain_ = true;
    }

    void text(std::string_view chunk)
    {
        if (current_ == field::none)
            return;  // whitespace between elements, or text of an element we do not keep
        if (text_.size() + chunk.size() > limits_.max_field_size)
        {
            stop(mss::errc::limit_exceeded,
                 "trust-space field longer than " + std::to_string(limits_.max_field_size) + " bytes");
            return;
        }
        text_.append(chunk);
    }

    void store_field()
    {
        std::string value = trim(text_);
        switch (current_)
        {
        case field::name:
            if (has_name_)
            {
                structure_error("a Domaine has two Nom elements");
                return;
            }
            has_name_ = true;
            entry_.domain = to_lower_ascii(value);
            break;
        case field::description: entry_.description = std::move(value); break;
        case field::operator_dn: entry_.operator_certificate_dn = std::move(value); break;
        case field::responsible: entry_.responsible_contact = std::move(value); break;
        case field::support: entry_.support_contact = std::move(value); break;
        case field::updated_at: entry_.updated_at = std::move(value); break;
        case field::none:
        case field::generated_at: break;
        }
    }

    void finish_entry()
    {
        if (!has_name_ || entry_.domain.empty())
        {
            structure_error("the Domaine starting on line " + std::to_string(entry_.line) + " has no Nom");
            return;
        }
        // An entry whose name is not a host name is kept and reported, never matched.
        if (!result_.add(entry_))
            result_.anomalies_.push_back({entry_.domain, entry_.line});
    }

    diagnostics& diag_;
    const trust_space_limits& limits_;
    XML_Parser parser_ = nullptr;
    trust_space result_;
    trust_space_entry entry_;
    std::string text_;
    field current_ = field::none;
    int depth_ = 0;
    bool in_domains_ = false;  // inside ListeDomaines
    bool in_domain_ = false;   // inside one Domaine
    bool has_name_ = false;
    bool domains_closed_ = false;
    input_position position_;
    boost::system::error_code error_;
};

boost::system::result<trust_space> trust_space::parse(std::string_view xml, diagnostics& diag,
                                                      std::optional<std::string_view> expected_sha256,
                                                      const trust_space_limits& limits)
{
    diag.clear();
    if (xml.size() > limits.max_file_size)
    {
        diag.set_client_message("trust-space file is larger than " + std::to_string(limits.max_file_size) + " bytes");
        return mss::errc::limit_exceeded;
    }
    if (expected_sha256)
    {
        const std::string expected = to_lower_ascii(*expected_sha256);
        if (expected.size() != 64 || expected.find_first_not_of("0123456789abcdef") != std::string::npos)
        {
            diag.set_client_message("the expected SHA-256 must be 64 hexadecimal digits");
            return errc::trust_space_bad_checksum_format;
        }
        const std::string actual = sha256_hex(xml);
        if (actual != expected)
        {
            diag.set_client_message("trust-space file SHA-256 is " + actual + ", expected " + expected);
            return errc::trust_space_checksum_mismatch;
        }
    }
    return trust_space_reader(diag, limits).read(xml);
}

namespace {

boost::system::result<std::string> read_whole_file(const std::filesystem::path& path, std::size_t max_size,
                                                   diagnostics& diag)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        diag.set_client_message("cannot open " + path.string());
        return mss::errc::file_unreadable;
    }
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0)
    {
        diag.set_client_message("cannot read " + path.string());
        return mss::errc::file_unreadable;
    }
    if (static_cast<std::size_t>(size) > max_size)
    {
        diag.set_client_message(path.string() + " is larger than " + std::to_string(max_size) + " bytes");
        return mss::errc::limit_exceeded;
    }
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.seekg(0);
    if (!in.read(bytes.data(), size))
    {
        diag.set_client_message("cannot read " + path.string());
        return mss::errc::file_unreadable;
    }
    return bytes;
}

}  // namespace

boost::system::result<trust_space> trust_space::load_file(const std::filesystem::path& file, diagnostics& diag,
                                                          const std::optional<std::filesystem::path>& checksum_file,
                                                          const trust_space_limits& limits)
{
    diag.clear();
    std::optional<std::string> expected;
    if (checksum_file)
    {
        auto text = read_whole_file(*checksum_file, 4096, diag);
        if (!text)
            return text.error();
        // `sha256sum` style: the digest, then optionally white space and a file name.
        const auto first = text->find_first_not_of(" \t\r\n");
        const auto last = text->find_first_of(" \t\r\n", first);
        expected = first == std::string::npos ? std::string() : text->substr(first, last - first);
    }
    auto bytes = read_whole_file(file, limits.max_file_size, diag);
    if (!bytes)
        return bytes.error();
    return parse(*bytes, diag, expected, limits);
}

bool trust_space::contains(std::string_view domain) const noexcept { return !entries_of(domain).empty(); }

std::span<const trust_space_entry> trust_space::entries_of(std::string_view domain) const noexcept
{
    // Domains are at most 253 octets; anything longer cannot be in the map.
    std::array<char, 256> lowered{};
    if (domain.empty() || domain.size() > lowered.size())
        return {};
    std::transform(domain.begin(), domain.end(), lowered.begin(), ascii_lower);
    const auto it = by_domain_.find(std::string_view(lowered.data(), domain.size()));
    if (it == by_domain_.end())
        return {};
    return it->second;
}

boost::system::result<void> trust_space::add(trust_space_entry entry)
{
    // A name is a valid mail domain exactly when postmaster@name is a valid address.
    auto address = email_address::parse("postmaster@" + entry.domain);
    if (!address)
        return errc::address_bad_domain;
    entry.domain = std::string(address->domain());
    auto& bucket = by_domain_[entry.domain];
    bucket.push_back(std::move(entry));
    ++entry_count_;
    return {};
}

}  // namespace mss::domain
