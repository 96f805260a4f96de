// SPDX-License-Identifier: Apache-2.0
// IMAP synchronisation benchmark against the sandbox Dovecot (scripts/sandbox up), mss::net::imap_client.
//
//   mss_bench_imap_sync prepare FOLDER [N=2000]   fill FOLDER of the CARDIOLOGIE_CHU mailbox with N
//                                                 realistic messages (doveadm import, as root), then
//                                                 warm Dovecot's cache (one full metadata and body fetch)
//   mss_bench_imap_sync run FOLDER [ROUNDS=5]     measure, on one connection:
//     (a) metadata: UID FETCH 1:* (UID FLAGS ENVELOPE BODYSTRUCTURE INTERNALDATE), every response
//         decoded by the codec into typed values, subject and sender name decoded from RFC 2047;
//     (b) full bodies: UID FETCH 1:* (BODY.PEEK[]), and the server-bound rate of the same command
//         read by a raw TLS client that only looks for the tagged OK (nothing parsed);
//     (c) the incremental resynchronisation of an unchanged folder (QRESYNC SELECT: one round trip).
//   (a) and (b) count the best of ROUNDS runs; (c) reports the median and maximum of 50.
//
// The environment comes from `eval "$(scripts/sandbox env)"`. Output: `key=value` lines.
#include <mss/imap/envelope.hpp>
#include <mss/net/imap_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{

namespace asio = boost::asio;
using boost::system::error_code;
using clock_type = std::chrono::steady_clock;

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

std::string env(const char* name)
{
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0')
        throw std::runtime_error(std::string(name) +
                                 " is not set: run `eval \"$(scripts/sandbox env)\"` first");
    return value;
}

const std::string user_key = "CARDIOLOGIE_CHU";

std::string user()
{
    return env(("MSS_SANDBOX_" + user_key + "_ADDRESS").c_str());
}
std::string password()
{
    return env(("MSS_SANDBOX_" + user_key + "_PASSWORD").c_str());
}

mss::net::imap_client_config config()
{
    mss::net::imap_client_config c;
    c.host = env("MSS_SANDBOX_HOST");
    c.port = static_cast<std::uint16_t>(std::stoi(env("MSS_SANDBOX_IMAP_PORT")));
    c.tls_server_name = env("MSS_SANDBOX_TLS_NAME");
    c.tls_options.ca_file = env("MSS_SANDBOX_CA");
    c.credentials.user = user();
    c.credentials.password = password();
    return c;
}

double ms_of(clock_type::duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

// ---------------------------------------------------------------------------------------------
// Realistic MSSanté traffic: relay headers, encoded subjects, text + HTML alternative, and one
// message in three with a PDF attachment (base64), 3 to 80 KB. Deterministic.

struct lcg
{
    std::uint64_t state;
    std::uint32_t next()
    {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::uint32_t>(state >> 33);
    }
};

std::string make_message(int i, lcg& random)
{
    static const char* const senders[] = {
        "Dr Jean Martin <dr.martin@regional.mssante.test>",
        "=?UTF-8?Q?Pharmacie_centrale_de_l=27H=C3=B4pital?= "
        "<pharmacie.centrale@national.mssante.test>",
        "Laboratoire Biolab <resultats@labo.mssante.test>",
        "=?UTF-8?B?SW5maXJtacOocmUgRHVyYW5k?= <infirmier.durand@regional.mssante.test>"};
    static const char* const subjects[] = {
        "=?UTF-8?Q?Compte_rendu_d=27hospitalisation?=", "=?UTF-8?Q?R=C3=A9sultats_biologiques_du_patient?=",
        "Ordonnance de sortie", "=?UTF-8?B?TGV0dHJlIGRlIGxpYWlzb24gbcOpZGljYWxl?="};
    const std::string id = std::to_string(i);
    std::string m;
    m += "Return-Path: <relay@regional.mssante.test>\r\n";
    m += "Received: from mx.regional.mssante.test (mx.regional.mssante.test [192.0.2.10])\r\n"
         "\tby imap.regional.mssante.test with LMTP id " +
         id +
         "\r\n\tfor <cardiologie.chu@regional.mssante.test>; "
         "Mon, 6 Jan 2025 09:15:02 +0100\r\n";
    m += "Received: from smtp.national.mssante.test (smtp.national.mssante.test [192.0.2.20])\r\n"
         "\tby mx.regional.mssante.test (Postfix) with ESMTPS id 4F" +
         id +
         "\r\n\tfor "
         "<cardiologie.chu@regional.mssante.test>; Mon, 6 Jan 2025 09:15:01 +0100 (CET)\r\n";
    m += std::string("From: ") + senders[random.next() % 4] + "\r\n";
    m += "To: Cardiologie CHU <cardiologie.chu@regional.mssante.test>\r\n";
    if (random.next() % 2 == 0)
        m += "Cc: Dr Paul Bernard <dr.bernard@national.mssante.test>, secretariat@regional.mssante.test\r\n";
    m += std::string("Subject: ") + subjects[random.next() % 4] + " " + id + "\r\n";
    m += "Date: Mon, 6 Jan 2025 09:" + std::to_string(10 + i % 50) + ":02 +0100\r\n";
    m += "Message-ID: <bench-" + id + "@national.mssante.test>\r\n";
    if (i % 5 == 0)
        m += "In-Reply-To: <bench-" + std::to_string(i - 1) + "@national.mssante.test>\r\n";
    m += "X-MSS-NIL: 1.2.250.1.213.1.1.1\r\nMIME-Version: 1.0\r\n";
    const bool attachment = i % 3 == 0;
    const std::string outer = "outer-" + id;
    const std::string inner = "inner-" + id;
    m += "Content-Type: multipart/" + std::string(attachment ? "mixed" : "alternative") + "; boundary=\"" +
         (attachment ? outer : inner) + "\"\r\n\r\n";
    std::string text;
    const std::size_t text_size = 1000 + random.next() % 6000;
    while (text.size() < text_size)
        text +=
            "Patient vu en consultation ce jour. Examen clinique sans particularit=C3=A9, suite du "
            "traitement.\r\n";
    std::string alternative = "--" + inner +
                              "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                              "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
                              text + "--" + inner +
                              "\r\nContent-Type: text/html; charset=utf-8\r\n"
                              "Content-Transfer-Encoding: quoted-printable\r\n\r\n<html><body><p>" +
                              text + "</p></body></html>\r\n--" + inner + "--\r\n";
    if (!attachment)
        return m + alternative;
    m += "--" + outer + "\r\nContent-Type: multipart/alternative; boundary=\"" + inner + "\"\r\n\r\n" +
         alternative;
    m += "--" + outer + "\r\nContent-Type: application/pdf; name=\"compte-rendu-" + id +
         ".pdf\"\r\n"
         "Content-Disposition: attachment; filename=\"compte-rendu-" +
         id +
         ".pdf\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n";
    const std::size_t pdf_size = 8000 + random.next() % 60000;
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string line;
    for (std::size_t n = 0; n < pdf_size; n += 76)
    {
        line.clear();
        for (int k = 0; k < 76; ++k) line += alphabet[random.next() % 64];
        m += line + "\r\n";
    }
    return m + "--" + outer + "--\r\n";
}

int shell(const std::string& command)
{
    return std::system((command + " >/dev/null 2>&1").c_str());
}

// ---------------------------------------------------------------------------------------------

template <class Body>
void run_io(Body body)
{
    asio::io_context io;
    std::exception_ptr failure;
    asio::co_spawn(io, body(io), [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure)
        std::rethrow_exception(failure);
}

void check(const error_code& ec, const mss::diagnostics& diag, const char* what)
{
    if (ec)
        throw std::runtime_error(std::string(what) + ": " + ec.message() + ": " + diag.client_message());
}

struct metadata_totals
{
    std::size_t messages = 0;
    std::size_t parts = 0;
    std::size_t subject_bytes = 0;
    std::size_t name_bytes = 0;
};

// (a) One metadata pass; every FETCH is decoded by the parser; the callback reads the typed
// values and decodes what an application shows (subject, sender's name).
asio::awaitable<metadata_totals> metadata_pass(mss::net::imap_client& client, const std::string& folder)
{
    mss::imap::fetch_params params;
    params.uids.add_range(1, mss::imap::sequence_set::star);
    params.items = static_cast<std::uint32_t>(mss::imap::fetch_item::uid) |
                   static_cast<std::uint32_t>(mss::imap::fetch_item::flags) |
                   static_cast<std::uint32_t>(mss::imap::fetch_item::envelope) |
                   static_cast<std::uint32_t>(mss::imap::fetch_item::body_structure) |
                   static_cast<std::uint32_t>(mss::imap::fetch_item::internal_date);
    metadata_totals totals;
    mss::diagnostics diag;
    auto [ec] = co_await client.async_fetch(
        folder, params,
        [&totals](const mss::imap::fetch_data& f)
        {
            if (!f.has(mss::imap::fetch_item::envelope))
                return;
            ++totals.messages;
            totals.parts += f.body_structure.size();
            totals.subject_bytes += mss::imap::decode_subject(f.envelope).size();
            for (const auto& a : f.addresses_of(f.envelope.from))
                totals.name_bytes += mss::imap::decode_display_name(a).size();
        },
        diag, tuple_awaitable);
    check(ec, diag, "metadata fetch");
    co_return totals;
}

// (b) One body pass.
asio::awaitable<std::pair<std::size_t, std::size_t>> body_pass(mss::net::imap_client& client,
                                                               const std::string& folder)
{
    static constexpr std::string_view whole[] = {""};
    mss::imap::fetch_params params;
    params.uids.add_range(1, mss::imap::sequence_set::star);
    params.items = static_cast<std::uint32_t>(mss::imap::fetch_item::uid);
    params.body_sections = whole;
    std::size_t messages = 0;
    std::size_t bytes = 0;
    mss::diagnostics diag;
    auto [ec] = co_await client.async_fetch(
        folder, params,
        [&](const mss::imap::fetch_data& f)
        {
            for (const auto& s : f.sections)
            {
                if (s.section.empty())
                {
                    ++messages;
                    bytes += s.size;
                }
            }
        },
        diag, tuple_awaitable);
    check(ec, diag, "body fetch");
    co_return std::pair{messages, bytes};
}

// The server-bound rate: the same UID FETCH over implicit TLS, read in 64 KiB pieces by a client
// that parses nothing and only looks for the tagged OK at the end.
asio::awaitable<double> raw_pass_ms(asio::io_context& io, const std::string& folder, const std::string& items,
                                    int rounds)
{
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.load_verify_file(env("MSS_SANDBOX_CA"));
    tls.set_verify_mode(asio::ssl::verify_peer);
    asio::ip::tcp::resolver resolver(io);
    asio::ssl::stream<asio::ip::tcp::socket> stream(io, tls);
    SSL_set_tlsext_host_name(stream.native_handle(), env("MSS_SANDBOX_TLS_NAME").c_str());
    auto endpoints = co_await resolver.async_resolve(env("MSS_SANDBOX_HOST"), env("MSS_SANDBOX_IMAPS_PORT"),
                                                     asio::use_awaitable);
    co_await asio::async_connect(stream.next_layer(), endpoints, asio::use_awaitable);
    stream.next_layer().set_option(asio::ip::tcp::no_delay(true));
    co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    asio::streambuf line;
    const auto expect = [&](const std::string& tag) -> asio::awaitable<void>
    {
        for (;;)
        {
            const std::size_t n = co_await asio::async_read_until(stream, line, "\r\n", asio::use_awaitable);
            std::string text(asio::buffers_begin(line.data()), asio::buffers_begin(line.data()) + n);
            line.consume(n);
            if (text.starts_with(tag + " "))
            {
                if (text.compare(tag.size() + 1, 2, "OK") != 0)
                    throw std::runtime_error("raw client: " + text);
                co_return;
            }
        }
    };
    co_await expect("*");  // greeting
    std::string quoted = "\"";
    for (char c : password())
    {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    std::string login = "a LOGIN \"" + user() + "\" " + quoted + "\r\n";
    co_await asio::async_write(stream, asio::buffer(login), asio::use_awaitable);
    co_await expect("a");
    std::string select = "b EXAMINE \"" + folder + "\"\r\n";
    co_await asio::async_write(stream, asio::buffer(select), asio::use_awaitable);
    co_await expect("b");
    double best = 1e300;
    std::vector<char> buffer(64 * 1024);
    for (int round = 0; round <= rounds; ++round)  // round 0 warms up
    {
        const std::string tag = "f" + std::to_string(round);
        const std::string fetch = tag + " UID FETCH 1:* (" + items + ")\r\n";
        const std::string end = "\r\n" + tag + " OK";
        const auto started = clock_type::now();
        co_await asio::async_write(stream, asio::buffer(fetch), asio::use_awaitable);
        std::string tail;
        for (;;)
        {
            const std::size_t n = co_await stream.async_read_some(asio::buffer(buffer), asio::use_awaitable);
            tail.append(buffer.data(), n);
            if (tail.find(end) != std::string::npos && tail.ends_with("\r\n"))
                break;
            if (tail.size() > 256)
                tail.erase(0, tail.size() - 256);
        }
        if (round > 0)
            best = std::min(best, ms_of(clock_type::now() - started));
    }
    co_return best;
}

void prepare(const std::string& folder, int count)
{
    const std::string conf = env("MSS_SANDBOX_DOVECOT_CONF");
    shell("doveadm -c '" + conf + "' mailbox delete -u '" + user() + "' '" + folder + "'");
    const std::filesystem::path source =
        std::filesystem::temp_directory_path() / ("mss-bench-imap-" + folder);
    std::filesystem::remove_all(source);
    const auto dir = source / ("." + folder);
    for (const char* sub : {"cur", "new", "tmp"}) std::filesystem::create_directories(dir / sub);
    lcg random{20250106};
    std::size_t bytes = 0;
    for (int i = 1; i <= count; ++i)
    {
        const std::string m = make_message(i, random);
        bytes += m.size();
        char file[64];
        std::snprintf(file, sizeof file, "%010d.M%dP1.bench", 1700000000 + i, i);
        std::ofstream(dir / "new" / file, std::ios::binary) << m;
    }
    if (shell("chown -R mss-vmail:mss-vmail '" + source.string() + "'") != 0 ||
        shell("doveadm -c '" + conf + "' import -u '" + user() + "' maildir:'" + source.string() +
              "' '' mailbox '" + folder + "'") != 0)
        throw std::runtime_error("doveadm import failed (run as root with the sandbox up)");
    std::filesystem::remove_all(source);
    // Warm Dovecot's cache: the first FETCH of ENVELOPE and BODYSTRUCTURE after an import is much
    // slower (test-servers.md).
    run_io(
        [&](asio::io_context& io) -> asio::awaitable<void>
        {
            mss::net::imap_client client(io.get_executor(), config());
            const auto started = clock_type::now();
            const auto totals = co_await metadata_pass(client, folder);
            const auto warm = clock_type::now() - started;
            co_await body_pass(client, folder);
            co_await metadata_pass(client, folder);
            std::cout << "prepared_messages=" << totals.messages << " bytes=" << bytes
                      << " first_metadata_ms=" << ms_of(warm) << "\n";
            co_await client.async_logout(tuple_awaitable);
        });
}

void measure(const std::string& folder, int rounds)
{
    run_io(
        [&](asio::io_context& io) -> asio::awaitable<void>
        {
            mss::net::imap_client client(io.get_executor(), config());
            co_await metadata_pass(client, folder);  // connect, select, warm
            double best = 1e300;
            metadata_totals totals;
            for (int i = 0; i < rounds; ++i)
            {
                const auto started = clock_type::now();
                totals = co_await metadata_pass(client, folder);
                best = std::min(best, ms_of(clock_type::now() - started));
            }
            std::cout << "metadata_messages=" << totals.messages << " parts=" << totals.parts
                      << " decoded_subject_bytes=" << totals.subject_bytes << " metadata_best_ms=" << best
                      << "\n";
            const double metadata_rate = static_cast<double>(totals.messages) / (best / 1000);
            std::cout << "metadata_msg_per_s=" << static_cast<long>(metadata_rate) << "\n";
            const double raw_metadata_ms =
                co_await raw_pass_ms(io, folder, "UID FLAGS ENVELOPE BODYSTRUCTURE INTERNALDATE", rounds);
            std::cout << "raw_metadata_best_ms=" << raw_metadata_ms << "\n";
            std::cout << "raw_metadata_msg_per_s="
                      << static_cast<long>(static_cast<double>(totals.messages) / (raw_metadata_ms / 1000))
                      << "\n";

            co_await body_pass(client, folder);
            best = 1e300;
            std::pair<std::size_t, std::size_t> bodies{};
            for (int i = 0; i < rounds; ++i)
            {
                const auto started = clock_type::now();
                bodies = co_await body_pass(client, folder);
                best = std::min(best, ms_of(clock_type::now() - started));
            }
            const double body_rate = static_cast<double>(bodies.first) / (best / 1000);
            std::cout << "bodies_messages=" << bodies.first << " bodies_bytes=" << bodies.second
                      << " bodies_best_ms=" << best << "\n";
            std::cout << "bodies_msg_per_s=" << static_cast<long>(body_rate) << "\n";
            const double raw_ms = co_await raw_pass_ms(io, folder, "BODY.PEEK[]", rounds);
            const double raw_rate = static_cast<double>(bodies.first) / (raw_ms / 1000);
            std::cout << "raw_bodies_best_ms=" << raw_ms << "\n";
            std::cout << "raw_bodies_msg_per_s=" << static_cast<long>(raw_rate) << "\n";
            std::cout << "bodies_vs_server_bound=" << body_rate / raw_rate << "\n";

            // (c) Nothing changed: one QRESYNC SELECT per synchronisation.
            mss::diagnostics diag;
            auto [ec, full] = co_await client.async_sync_folder(folder, {}, diag, tuple_awaitable);
            check(ec, diag, "full sync");
            std::vector<double> latencies;
            for (int i = 0; i < 50; ++i)
            {
                const auto started = clock_type::now();
                auto [sync_ec, changes] =
                    co_await client.async_sync_folder(folder, full.state, diag, tuple_awaitable);
                latencies.push_back(ms_of(clock_type::now() - started));
                check(sync_ec, diag, "incremental sync");
                if (!changes.empty())
                    throw std::runtime_error("the folder changed during the benchmark");
            }
            std::sort(latencies.begin(), latencies.end());
            std::cout << "full_sync_messages=" << full.new_messages.size() << "\n";
            std::cout << "resync_median_ms=" << latencies[latencies.size() / 2]
                      << " resync_max_ms=" << latencies.back() << "\n";
            co_await client.async_logout(tuple_awaitable);
        });
}

}  // namespace

int main(int argc, char** argv)
{
    try
    {
        const std::string mode = argc > 1 ? argv[1] : "";
        if (argc < 3 || (mode != "prepare" && mode != "run"))
        {
            std::cerr << "usage: " << argv[0] << " prepare FOLDER [N=2000] | run FOLDER [ROUNDS=5]\n";
            return 2;
        }
        const std::string folder = argv[2];
        if (mode == "prepare")
            prepare(folder, argc > 3 ? std::stoi(argv[3]) : 2000);
        else
            measure(folder, argc > 3 ? std::stoi(argv[3]) : 5);
        return 0;
    }
    catch (const std::exception& e)
    {
        std::cerr << "mss_bench_imap_sync: " << e.what() << "\n";
        return 1;
    }
}
