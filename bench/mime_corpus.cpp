// SPDX-License-Identifier: Apache-2.0
// Deterministic generator of a realistic MIME corpus for the MIME parse benchmark: the same seed
// gives the same files, byte for byte, on any platform (own PRNG, no <random> distributions).
//
//   mss_bench_mime_corpus DIR [count=2000] [seed=1]
//
// Mix (by message): 33 % text/plain, 22 % multipart/alternative, 35 % multipart/mixed with 1–3
// base64 attachments of 10 KB–2 MB (mostly small), 10 % forwards holding a message/rfc822. Text is
// French, UTF-8 or ISO-8859-1, 8bit or quoted-printable; subjects and display names are RFC 2047
// encoded, file names RFC 2231 or RFC 2047-in-quotes; every message carries long folded Received,
// DKIM-Signature and References fields. All names and addresses are invented. Prints
// "files=<n> bytes=<total>".
#include <mss/mime/base64.hpp>
#include <mss/mime/encoded_word.hpp>
#include <mss/mime/parameters.hpp>
#include <mss/mime/quoted_printable.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace
{

// SplitMix64: tiny, fast, identical everywhere.
class prng
{
public:
    explicit prng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
    double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }

    template <class T>
    const T& pick(const std::vector<T>& v)
    {
        return v[below(v.size())];
    }

private:
    std::uint64_t state_;
};

const std::vector<std::string> first_names = {"Élise", "Jérôme", "François", "Hélène", "Zoé",    "Noël",
                                              "Agnès", "Benoît", "Céline",   "Loïc",   "Anaïs",  "Maëlle",
                                              "Jean",  "Marie",  "Pierre",   "Sophie", "Thomas", "Camille"};
const std::vector<std::string> last_names = {"Faure",    "Dupont", "Lefèvre", "Müller",
                                             "Gaillard", "Bérard", "Martin",  "Roux",
                                             "Girard",   "Leroy",  "Mercier", "Chevalier"};
const std::vector<std::string> domains = {"chu-exemple.mssante.test", "clinique-du-parc.mssante.test",
                                          "labo-bio.mssante.test", "cabinet.medecin.mssante.test",
                                          "ehpad-les-tilleuls.mssante.test"};
const std::vector<std::string> subjects = {"Compte rendu d'hospitalisation",
                                           "Résultats d'analyses biologiques",
                                           "Lettre de liaison — sortie",
                                           "Demande d'avis cardiologique",
                                           "Ordonnance de kinésithérapie",
                                           "Échographie abdominale",
                                           "Convocation consultation pré-anesthésique",
                                           "Rappel : vaccination",
                                           "Transfert du dossier patient",
                                           "Bilan orthophonique",
                                           "Synthèse réunion de concertation pluridisciplinaire"};
const std::vector<std::string> sentences = {
    "Le patient a été hospitalisé dans le service de médecine interne du 12 au 19 novembre.",
    "L'examen clinique à l'entrée retrouvait une fièvre à 39 °C et une dyspnée d'effort.",
    "Le bilan biologique montre une CRP à 85 mg/L et une hyperleucocytose à polynucléaires.",
    "Une antibiothérapie probabiliste par amoxicilline-acide clavulanique a été débutée.",
    "L'évolution a été favorable, avec une apyrexie obtenue en quarante-huit heures.",
    "Nous vous remercions de bien vouloir revoir ce patient en consultation dans un mois.",
    "Traitement de sortie : paracétamol 1 g trois fois par jour si douleur, pendant cinq jours.",
    "Pas d'allergie connue. Antécédents : hypertension artérielle traitée, appendicectomie.",
    "Je reste à votre disposition pour tout renseignement complémentaire. Bien confraternellement,",
    "Les résultats complets sont joints à ce message ; la créatinine est à 92 µmol/L.",
    "Prochain rendez-vous : jeudi à 14 h 30, bâtiment B, deuxième étage, accueil côté jardin."};
const std::vector<std::string> file_stems = {
    "compte-rendu", "résultats analyses", "ordonnance",           "CR_écho",     "lettre de liaison",
    "bilan",        "imagerie IRM genou", "courrier d'adressage", "synthèse RCP"};
const std::vector<std::string> file_types = {"application/pdf", "image/jpeg",      "application/dicom",
                                             "text/xml",        "application/zip", "image/png"};
const std::vector<std::string> file_exts = {".pdf", ".jpg", ".dcm", ".xml", ".zip", ".png"};

// UTF-8 French text to ISO-8859-1 (every character of the samples is in Latin-1 except a few
// punctuation marks, replaced).
std::string to_latin1(std::string_view utf8)
{
    std::string out;
    for (std::size_t i = 0; i < utf8.size(); ++i)
    {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80)
            out += static_cast<char>(c);
        else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size())
        {
            const auto d = static_cast<unsigned char>(utf8[++i]);
            out += static_cast<char>(c == 0xC2 ? d : d + 0x40);
        }
        else
        {
            // A three-byte sequence (—, ’, …): a plain hyphen.
            out += '-';
            i += (c >= 0xE0) ? 2 : 1;
        }
    }
    return out;
}

std::string paragraph(prng& rng, std::size_t target)
{
    std::string text;
    while (text.size() < target)
    {
        const std::size_t n = 1 + rng.below(4);
        for (std::size_t i = 0; i < n; ++i) text += (i ? " " : "") + rng.pick(sentences);
        text += "\n\n";
    }
    return text;
}

// Wraps text at ~72 columns with LF ends (the body writers turn them into CRLF).
std::string wrap(std::string_view text)
{
    std::string out;
    std::size_t column = 0;
    std::size_t i = 0;
    while (i < text.size())
    {
        if (text[i] == '\n')
        {
            out += '\n';
            column = 0;
            ++i;
            continue;
        }
        std::size_t end = text.find_first_of(" \n", i);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view word = text.substr(i, end - i);
        if (column > 0 && column + 1 + word.size() > 72)
        {
            out += '\n';
            column = 0;
        }
        else if (column > 0)
        {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        i = end < text.size() && text[end] == ' ' ? end + 1 : end;
    }
    return out;
}

std::string crlf(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    for (const char c : text)
    {
        if (c == '\n')
            out += '\r';
        out += c;
    }
    return out;
}

std::string person(prng& rng, std::string& address)
{
    const std::string& first = rng.pick(first_names);
    const std::string& last = rng.pick(last_names);
    address = std::string("p") + std::to_string(rng.below(100000)) + "." + std::to_string(rng.below(1000)) +
              "@" + rng.pick(domains);
    return first + " " + last;
}

// A display name as mailers write it: plain, quoted, or RFC 2047 (Q or B).
std::string mailbox(prng& rng)
{
    std::string address;
    const std::string name = person(rng, address);
    bool ascii = true;
    for (const char c : name) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii)
        return (rng.below(2) ? "\"" + name + "\"" : name) + " <" + address + ">";
    std::string encoded;
    (void)mss::mime::encode_header_text(name, 0, encoded);
    return encoded + " <" + address + ">";
}

void header_list(prng& rng, std::string& out, std::string_view field, std::size_t count)
{
    out += field;
    out += ": ";
    for (std::size_t i = 0; i < count; ++i)
    {
        if (i)
            out += ",\r\n ";
        out += mailbox(rng);
    }
    out += "\r\n";
}

std::string message_id(prng& rng)
{
    return std::string("<") + std::to_string(rng.next()) + "." + std::to_string(rng.below(1000000)) + "@" +
           rng.pick(domains) + ">";
}

void trace_headers(prng& rng, std::string& out)
{
    const std::size_t hops = 3 + rng.below(4);
    for (std::size_t i = 0; i < hops; ++i)
    {
        out += std::string("Received: from relay") + std::to_string(rng.below(50)) + "." + rng.pick(domains) +
               " (relay" + std::to_string(rng.below(50)) + " [10." + std::to_string(rng.below(255)) + "." +
               std::to_string(rng.below(255)) + "." + std::to_string(rng.below(255)) +
               "])\r\n\tby mx.mssante.test (Postfix) with ESMTPS id " +
               std::to_string(rng.next() % 100000000000ULL) + "\r\n\tfor <destinataire@" + rng.pick(domains) +
               ">; Thu, 26 Nov 2026 14:0" + std::to_string(rng.below(10)) + ":00 +0100 (CET)\r\n";
    }
    std::string signature;
    for (int i = 0; i < 344; ++i)
        signature += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rng.below(64)];
    out += "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + rng.pick(domains) +
           ";\r\n\ts=mss2026; "
           "t=1795000000;\r\n\th=from:to:subject:date:message-id:mime-version:content-type;\r\n"
           "\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\tb=";
    for (std::size_t i = 0; i < signature.size(); i += 70)
        out += (i ? "\r\n\t " : "") + signature.substr(i, 70);
    out += "\r\n";
}

void common_headers(prng& rng, std::string& out, std::size_t serial)
{
    trace_headers(rng, out);
    out += std::string("Date: Thu, ") + std::to_string(1 + rng.below(28)) + " Nov 2026 " +
           std::to_string(8 + rng.below(10)) + ":" + std::to_string(10 + rng.below(50)) + ":" +
           std::to_string(10 + rng.below(50)) + " +0100\r\n";
    header_list(rng, out, "From", 1);
    header_list(rng, out, "To", 1 + rng.below(3));
    if (rng.below(2))
        header_list(rng, out, "Cc", 1 + rng.below(4));
    std::string subject = rng.pick(subjects) + " n°" + std::to_string(serial);
    if (rng.below(3) == 0)
        subject = "Re: " + subject;
    out += "Subject: ";
    (void)mss::mime::encode_header_text(subject, 9, out);
    out += "\r\nMessage-ID: " + message_id(rng) + "\r\n";
    if (rng.below(2))
    {
        out += "In-Reply-To: " + message_id(rng) + "\r\nReferences:";
        const std::size_t refs = 3 + rng.below(12);
        for (std::size_t i = 0; i < refs; ++i) out += (i ? "\r\n " : " ") + message_id(rng);
        out += "\r\n";
    }
    out += std::string("X-MSS-NIL: PRODUIT-") + std::to_string(rng.below(100)) + " v" +
           std::to_string(1 + rng.below(5)) + "\r\n";
    out += "MIME-Version: 1.0\r\n";
}

std::string boundary(prng& rng)
{
    return std::string("----=_Part_") + std::to_string(rng.below(100000)) + "_" +
           std::to_string(rng.next() % 1000000000ULL);
}

// A text entity: UTF-8 or ISO-8859-1, 8bit or quoted-printable.
void text_entity(prng& rng, std::string& out, std::string_view subtype, std::string_view utf8)
{
    const bool latin1 = rng.below(4) == 0;
    const bool quoted = rng.below(3) != 0;
    const std::string bytes = latin1 ? to_latin1(utf8) : std::string(utf8);
    out += "Content-Type: text/";
    out += subtype;
    out += latin1 ? "; charset=ISO-8859-1\r\n" : "; charset=\"utf-8\"\r\n";
    if (quoted)
    {
        out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
        mss::mime::quoted_printable_encoder encoder;
        encoder.encode(bytes, out);
        encoder.finish(out);
    }
    else
    {
        out += "Content-Transfer-Encoding: 8bit\r\n\r\n";
        out += crlf(bytes);
    }
}

std::string html_of(std::string_view text)
{
    std::string html = "<html><head><meta charset=\"utf-8\"></head><body>\n<p>";
    for (const char c : text)
    {
        if (c == '\n')
            html += "<br>\n";
        else
            html += c;
    }
    return html + "</p>\n</body></html>\n";
}

void body_entity(prng& rng, std::string& out, bool alternative)
{
    const std::string text = wrap(paragraph(rng, 400 + rng.below(6000)));
    if (!alternative)
    {
        text_entity(rng, out, "plain", text);
        return;
    }
    const std::string b = boundary(rng);
    out += "Content-Type: multipart/alternative;\r\n\tboundary=\"" + b + "\"\r\n\r\n--" + b + "\r\n";
    text_entity(rng, out, "plain", text);
    out += "\r\n--" + b + "\r\n";
    text_entity(rng, out, "html", html_of(text));
    out += "\r\n--" + b + "--\r\n";
}

std::size_t attachment_size(prng& rng)
{
    // 10 KB to 2 MB, heavily skewed to small files like real mail: 10 KB * 200^(u^6), mean 88 KB.
    const double u = rng.unit();
    return static_cast<std::size_t>(10240.0 * std::pow(200.0, std::pow(u, 6.0)));
}

void attachment_entity(prng& rng, std::string& out)
{
    const std::size_t kind = rng.below(file_types.size());
    const std::string name = rng.pick(file_stems) + " " + std::to_string(rng.below(10000)) + file_exts[kind];
    out += "Content-Type: " + file_types[kind] + ";";
    if (rng.below(3) == 0)
    {
        // Outlook style: RFC 2047 inside quotes.
        std::string encoded;
        (void)mss::mime::encode_header_text(name, 0, encoded);
        out += "\r\n name=\"" + encoded + "\"\r\nContent-Disposition: attachment;\r\n filename=\"" + encoded +
               "\"\r\n";
    }
    else
    {
        std::string p;
        (void)mss::mime::format_parameter("name", name, p);
        out += "\r\n " + p + "\r\nContent-Disposition: attachment;\r\n ";
        p.clear();
        (void)mss::mime::format_parameter("filename", name, p);
        out += p + "\r\n";
    }
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    const std::size_t size = attachment_size(rng);
    std::string bytes(size, '\0');
    prng content(rng.next());  // its own stream: the structure does not depend on the sizes
    for (std::size_t i = 0; i + 8 <= size; i += 8)
    {
        const std::uint64_t v = content.next();
        for (int k = 0; k < 8; ++k) bytes[i + k] = static_cast<char>(v >> (8 * k));
    }
    mss::mime::base64_encoder encoder;
    encoder.encode(bytes, out);
    encoder.finish(out);
}

std::string make_message(prng& rng, std::size_t serial, bool nested = false)
{
    std::string out;
    out.reserve(64 * 1024);
    common_headers(rng, out, serial);
    const std::size_t kind = nested ? 1 + rng.below(2) : rng.below(100);
    if (kind < 33)
    {
        body_entity(rng, out, false);
        out += "\r\n";
    }
    else if (kind < 55)
        body_entity(rng, out, true);
    else
    {
        const std::string b = boundary(rng);
        out += "Content-Type: multipart/mixed;\r\n\tboundary=\"" + b +
               "\"\r\n\r\nThis is a multi-part message in MIME format.\r\n";
        out += "\r\n--" + b + "\r\n";
        body_entity(rng, out, rng.below(2) == 0);
        if (kind < 90 || nested)
        {
            const std::size_t count = nested ? 1 : 1 + rng.below(3);
            for (std::size_t i = 0; i < count; ++i)
            {
                out += "\r\n--" + b + "\r\n";
                attachment_entity(rng, out);
            }
        }
        else
        {
            out +=
                "\r\n--" + b + "\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n";
            out += make_message(rng, serial, true);
        }
        out += "\r\n--" + b + "--\r\n";
    }
    return out;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
    {
        std::fprintf(stderr, "usage: %s DIR [count=2000] [seed=1]\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    const std::size_t count = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 2000;
    const std::uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
    std::filesystem::create_directories(dir);
    prng rng(seed);
    std::size_t total = 0;
    for (std::size_t i = 0; i < count; ++i)
    {
        const std::string message = make_message(rng, i + 1);
        char name[32];
        std::snprintf(name, sizeof name, "msg-%05zu.eml", i + 1);
        std::FILE* f = std::fopen((dir / name).c_str(), "wb");
        if (f == nullptr || std::fwrite(message.data(), 1, message.size(), f) != message.size())
        {
            std::fprintf(stderr, "cannot write %s\n", (dir / name).c_str());
            return 1;
        }
        std::fclose(f);
        total += message.size();
    }
    std::printf("files=%zu bytes=%zu\n", count, total);
    return 0;
}
