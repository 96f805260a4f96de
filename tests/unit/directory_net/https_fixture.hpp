// SPDX-License-Identifier: Apache-2.0
// Test support for the directory's HTTPS client, no real server needed: a throwaway PKI made in
// process with OpenSSL (a CA and server certificates, EC P-256, valid one day), and a small
// scripted HTTPS server on 127.0.0.1 written with Beast and Asio coroutines, running on the
// test's own io_context.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

namespace directory_net_test
{

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------------
// PKI

/** A key and its certificate, in PEM. */
struct identity
{
    std::string certificate;
    std::string key;
};

class test_pki
{
public:
    test_pki()
        : dir_(std::filesystem::temp_directory_path() /
               ("mss-directory-net-test-" + std::to_string(::getpid())))
    {
        std::filesystem::create_directories(dir_);
        ca_key_ = EVP_EC_gen("P-256");
        ca_cert_ = make_certificate(ca_key_, "mss directory test CA", nullptr, true, nullptr);
        std::ofstream(ca_file()) << pem(ca_cert_);
    }

    ~test_pki()
    {
        X509_free(ca_cert_);
        EVP_PKEY_free(ca_key_);
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    test_pki(const test_pki&) = delete;
    test_pki& operator=(const test_pki&) = delete;

    /** A server certificate for `san` (e.g. "DNS:localhost,IP:127.0.0.1"), signed by the CA. */
    identity server(const std::string& common_name, const std::string& san)
    {
        EVP_PKEY* key = EVP_EC_gen("P-256");
        X509* cert = make_certificate(key, common_name, ca_key_, false, san.c_str());
        identity id{pem(cert), pem(key)};
        X509_free(cert);
        EVP_PKEY_free(key);
        return id;
    }

    /** The CA certificate's PEM file, to trust. */
    [[nodiscard]] std::string ca_file() const { return (dir_ / "ca.pem").string(); }

private:
    X509* make_certificate(EVP_PKEY* key, const std::string& cn, EVP_PKEY* issuer_key, bool ca,
                           const char* san)
    {
        X509* x = X509_new();
        X509_set_version(x, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(x), serial_++);
        X509_gmtime_adj(X509_getm_notBefore(x), -3600);
        X509_gmtime_adj(X509_getm_notAfter(x), 86400);
        X509_set_pubkey(x, key);
        X509_NAME* name = X509_get_subject_name(x);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
        X509_set_issuer_name(x, ca ? name : X509_get_subject_name(ca_cert_));
        X509V3_CTX ctx;
        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, ca ? x : ca_cert_, x, nullptr, nullptr, 0);
        const auto add = [&](int nid, const char* value)
        {
            X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
            if (!ext)
                throw std::runtime_error("cannot make a certificate extension");
            X509_add_ext(x, ext, -1);
            X509_EXTENSION_free(ext);
        };
        add(NID_subject_key_identifier, "hash");
        if (ca)
        {
            add(NID_basic_constraints, "critical,CA:TRUE");
            add(NID_key_usage, "critical,keyCertSign,cRLSign");
        }
        else
        {
            add(NID_basic_constraints, "CA:FALSE");
            add(NID_key_usage, "critical,digitalSignature");
            add(NID_ext_key_usage, "serverAuth");
            add(NID_subject_alt_name, san);
            add(NID_authority_key_identifier, "keyid");
        }
        X509_sign(x, ca ? key : issuer_key, EVP_sha256());
        return x;
    }

    static std::string pem(X509* cert)
    {
        BIO* bio = BIO_new(BIO_s_mem());
        PEM_write_bio_X509(bio, cert);
        return take(bio);
    }

    static std::string pem(EVP_PKEY* key)
    {
        BIO* bio = BIO_new(BIO_s_mem());
        PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
        return take(bio);
    }

    static std::string take(BIO* bio)
    {
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio, &data);
        std::string out(data, static_cast<std::size_t>(n));
        BIO_free(bio);
        return out;
    }

    std::filesystem::path dir_;
    EVP_PKEY* ca_key_ = nullptr;
    X509* ca_cert_ = nullptr;
    long serial_ = 1;
};

inline test_pki& pki()
{
    static test_pki instance;
    return instance;
}

// ---------------------------------------------------------------------------------------------
// A scripted HTTPS server

/** What the server answers to one request. */
struct reply
{
    unsigned status = 200;
    std::string body;
    /** Wait this long before answering. */
    std::chrono::milliseconds delay{0};
    /** Answer with `Connection: close` and close. */
    bool close = false;
    /** Close the connection right after answering, without saying so (an idle time-out). */
    bool silent_close = false;
};

/** One request as the server saw it. */
struct seen_request
{
    std::string target;
    std::string api_key;
    std::string host;
};

class https_server
{
public:
    using responder = std::function<reply(const seen_request&)>;

    https_server(asio::io_context& io, const identity& id, responder respond)
        : state_(std::make_shared<state>(io, std::move(respond)))
    {
        state_->tls.use_certificate_chain(asio::buffer(id.certificate));
        state_->tls.use_private_key(asio::buffer(id.key), asio::ssl::context::pem);
        asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
        state_->acceptor.open(endpoint.protocol());
        state_->acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true));
        state_->acceptor.bind(endpoint);
        state_->acceptor.listen();
        asio::co_spawn(io, accept_loop(state_), asio::detached);
    }

    ~https_server()
    {
        boost::system::error_code ignored;
        state_->acceptor.close(ignored);
    }

    https_server(const https_server&) = delete;
    https_server& operator=(const https_server&) = delete;

    [[nodiscard]] unsigned short port() const { return state_->acceptor.local_endpoint().port(); }

    /** The base URL of the API on this server, by host name (the certificate names localhost). */
    [[nodiscard]] std::string base_url() const
    {
        return "https://localhost:" + std::to_string(port()) + "/fhir/v2";
    }

    [[nodiscard]] const std::vector<seen_request>& requests() const { return state_->requests; }
    [[nodiscard]] int connections() const { return state_->connections; }

private:
    struct state
    {
        state(asio::io_context& io_context, responder r)
            : io(io_context), tls(asio::ssl::context::tls_server), acceptor(io_context), respond(std::move(r))
        {
        }

        asio::io_context& io;
        asio::ssl::context tls;
        asio::ip::tcp::acceptor acceptor;
        responder respond;
        std::vector<seen_request> requests;
        int connections = 0;
    };

    static asio::awaitable<void> accept_loop(std::shared_ptr<state> s)
    {
        constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
        while (true)
        {
            auto [ec, socket] = co_await s->acceptor.async_accept(tuple);
            if (ec)
                co_return;
            ++s->connections;
            asio::co_spawn(s->io, session(s, std::move(socket)), asio::detached);
        }
    }

    static asio::awaitable<void> session(std::shared_ptr<state> s, asio::ip::tcp::socket socket)
    {
        constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
        asio::ssl::stream<asio::ip::tcp::socket> stream(std::move(socket), s->tls);
        auto [hs] = co_await stream.async_handshake(asio::ssl::stream_base::server, tuple);
        if (hs)
            co_return;
        boost::beast::flat_buffer buffer;
        while (true)
        {
            http::request<http::string_body> request;
            auto [rec, n] = co_await http::async_read(stream, buffer, request, tuple);
            if (rec)
                co_return;
            seen_request seen{std::string(request.target()), std::string(request["ESANTE-API-KEY"]),
                              std::string(request[http::field::host])};
            s->requests.push_back(seen);
            const reply r = s->respond(seen);
            if (r.delay.count() > 0)
            {
                asio::steady_timer timer(s->io, r.delay);
                auto [tec] = co_await timer.async_wait(tuple);
                if (tec)
                    co_return;
            }
            http::response<http::string_body> response{static_cast<http::status>(r.status), 11};
            response.set(http::field::content_type, "application/fhir+json;charset=UTF-8");
            response.keep_alive(!r.close && request.keep_alive());
            response.body() = r.body;
            response.prepare_payload();
            auto [wec, m] = co_await http::async_write(stream, response, tuple);
            if (wec || r.close || r.silent_close)
            {
                boost::system::error_code ignored;
                stream.next_layer().close(ignored);
                co_return;
            }
        }
    }

    std::shared_ptr<state> state_;
};

/** Runs `io` until `done()` or a time limit. */
template <class Done>
void run_until(asio::io_context& io, Done done, std::chrono::milliseconds limit = 10s)
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < end)
    {
        io.run_one_for(20ms);
        if (io.stopped())
            io.restart();
    }
}

}  // namespace directory_net_test
