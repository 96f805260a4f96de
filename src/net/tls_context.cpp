// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/net/tls_context.hpp>

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <string>

namespace mss::net {
namespace {

std::string openssl_reason()
{
    unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0)
        return "unknown reason";
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return buffer;
}

boost::system::error_code fail(diagnostics& diag, mss::errc code, std::string message)
{
    diag.set_client_message(std::move(message));
    return code;
}

boost::system::error_code load_pkcs12(SSL_CTX* ctx, const tls_options& options, diagnostics& diag)
{
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(options.client_pkcs12_file.c_str(), "rb"), &std::fclose);
    if (!file)
        return fail(diag, mss::errc::file_unreadable, "cannot open PKCS#12 file " + options.client_pkcs12_file);
    std::unique_ptr<PKCS12, void (*)(PKCS12*)> p12(d2i_PKCS12_fp(file.get(), nullptr), &PKCS12_free);
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509)* chain = nullptr;
    if (!p12 || PKCS12_parse(p12.get(), options.client_pkcs12_password.c_str(), &key, &cert, &chain) != 1)
        return fail(diag, mss::errc::file_unreadable,
                    "cannot read PKCS#12 file " + options.client_pkcs12_file + ": " + openssl_reason());
    std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key_guard(key, &EVP_PKEY_free);
    std::unique_ptr<X509, void (*)(X509*)> cert_guard(cert, &X509_free);
    auto free_chain = [](STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); };
    std::unique_ptr<STACK_OF(X509), decltype(free_chain)> chain_guard(chain, free_chain);
    if (SSL_CTX_use_certificate(ctx, cert) != 1 || SSL_CTX_use_PrivateKey(ctx, key) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1)
        return fail(diag, mss::errc::file_unreadable,
                    "PKCS#12 certificate or key rejected: " + openssl_reason());
    for (int i = 0; chain && i < sk_X509_num(chain); ++i)
    {
        // add1 takes its own reference, so the stack can be freed afterwards.
        if (SSL_CTX_add1_chain_cert(ctx, sk_X509_value(chain, i)) != 1)
            return fail(diag, mss::errc::file_unreadable, "PKCS#12 chain rejected: " + openssl_reason());
    }
    return {};
}

}  // namespace

boost::system::result<boost::asio::ssl::context> make_tls_context(const tls_options& options, diagnostics& diag)
{
    diag.clear();
    if (options.ca_file.empty() && options.ca_directory.empty() && !options.use_system_trust_store)
        return fail(diag, mss::errc::configuration_error,
                    "no trust anchor configured: set ca_file or ca_directory (IGC Sante roots in production), "
                    "or use_system_trust_store explicitly");
    if (options.client_certificate_file.empty() != options.client_key_file.empty())
        return fail(diag, mss::errc::configuration_error,
                    "a client certificate needs both client_certificate_file and client_key_file");

    boost::asio::ssl::context context(boost::asio::ssl::context::tls_client);
    SSL_CTX* ctx = context.native_handle();
    // Compression (CRIME) and renegotiation stay off; versions below the minimum are refused.
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    const int minimum = options.minimum_version == tls_version::tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION;
    if (SSL_CTX_set_min_proto_version(ctx, minimum) != 1)
        return fail(diag, mss::errc::configuration_error, "cannot set the minimum TLS version: " + openssl_reason());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);

    if (!options.ca_file.empty() && SSL_CTX_load_verify_locations(ctx, options.ca_file.c_str(), nullptr) != 1)
        return fail(diag, mss::errc::file_unreadable,
                    "cannot load CA file " + options.ca_file + ": " + openssl_reason());
    if (!options.ca_directory.empty() &&
        SSL_CTX_load_verify_locations(ctx, nullptr, options.ca_directory.c_str()) != 1)
        return fail(diag, mss::errc::file_unreadable,
                    "cannot use CA directory " + options.ca_directory + ": " + openssl_reason());
    if (options.use_system_trust_store && SSL_CTX_set_default_verify_paths(ctx) != 1)
        return fail(diag, mss::errc::file_unreadable, "cannot load the system trust store: " + openssl_reason());

    if (!options.client_certificate_file.empty())
    {
        if (SSL_CTX_use_certificate_chain_file(ctx, options.client_certificate_file.c_str()) != 1)
            return fail(diag, mss::errc::file_unreadable,
                        "cannot load client certificate " + options.client_certificate_file + ": " + openssl_reason());
        if (SSL_CTX_use_PrivateKey_file(ctx, options.client_key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(ctx) != 1)
            return fail(diag, mss::errc::file_unreadable,
                        "cannot load client key " + options.client_key_file + ": " + openssl_reason());
    }
    else if (!options.client_pkcs12_file.empty())
    {
        if (auto ec = load_pkcs12(ctx, options, diag))
            return ec;
    }
    return context;
}

boost::system::error_code prepare_tls_connection(SSL* ssl, std::string_view host)
{
    if (host.empty() || host.find('\0') != std::string_view::npos)
        return mss::errc::invalid_argument;
    const std::string name(host);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    // An IP literal is checked against the certificate's IP SANs; SNI is only sent for names.
    if (X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) == 1)
        return {};
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size()) != 1 ||
        SSL_set_tlsext_host_name(ssl, name.c_str()) != 1)
        return mss::errc::invalid_argument;
    return {};
}

}  // namespace mss::net
