// SPDX-License-Identifier: Apache-2.0
#include <mss/error.hpp>
#include <mss/net/tls_context.hpp>

#include <doctest/doctest.h>
#include <openssl/ssl.h>

#include <filesystem>

namespace {
// Debian's ca-certificates bundle: any readable PEM bundle proves the loading path.
const char* const system_bundle = "/etc/ssl/certs/ca-certificates.crt";
}  // namespace

TEST_SUITE("tls context")
{
    TEST_CASE("a context without any trust anchor is a configuration error, not the OS store")
    {
        mss::diagnostics diag;
        auto context = mss::net::make_tls_context({}, diag);
        REQUIRE(context.has_error());
        CHECK(context.error() == mss::errc::configuration_error);
        CHECK(diag.client_message().find("trust anchor") != std::string::npos);
    }

    TEST_CASE("an unreadable CA file is reported with its path")
    {
        mss::diagnostics diag;
        mss::net::tls_options options;
        options.ca_file = "/nonexistent/ca.pem";
        auto context = mss::net::make_tls_context(options, diag);
        REQUIRE(context.has_error());
        CHECK(context.error() == mss::errc::file_unreadable);
        CHECK(diag.client_message().find("/nonexistent/ca.pem") != std::string::npos);
    }

    TEST_CASE("a certificate without its key is refused")
    {
        mss::diagnostics diag;
        mss::net::tls_options options;
        options.use_system_trust_store = true;
        options.client_certificate_file = "client.pem";
        auto context = mss::net::make_tls_context(options, diag);
        REQUIRE(context.has_error());
        CHECK(context.error() == mss::errc::configuration_error);
    }

    TEST_CASE("the context verifies the peer and refuses versions below TLS 1.2")
    {
        REQUIRE(std::filesystem::exists(system_bundle));
        mss::diagnostics diag;
        mss::net::tls_options options;
        options.ca_file = system_bundle;
        auto context = mss::net::make_tls_context(options, diag);
        REQUIRE_MESSAGE(context.has_value(), diag.client_message());
        SSL_CTX* ctx = context->native_handle();
        CHECK(SSL_CTX_get_min_proto_version(ctx) == TLS1_2_VERSION);
        CHECK((SSL_CTX_get_verify_mode(ctx) & SSL_VERIFY_PEER) != 0);

        options.minimum_version = mss::net::tls_version::tls1_3;
        auto strict = mss::net::make_tls_context(options, diag);
        REQUIRE(strict.has_value());
        CHECK(SSL_CTX_get_min_proto_version(strict->native_handle()) == TLS1_3_VERSION);
    }

    TEST_CASE("a connection is bound to the expected host name")
    {
        mss::diagnostics diag;
        mss::net::tls_options options;
        options.ca_file = system_bundle;
        auto context = mss::net::make_tls_context(options, diag);
        REQUIRE(context.has_value());
        SSL* ssl = SSL_new(context->native_handle());
        REQUIRE(ssl != nullptr);
        CHECK_FALSE(mss::net::prepare_tls_connection(ssl, "imap.sandbox.test"));
        CHECK(std::string(SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) == "imap.sandbox.test");
        CHECK(mss::net::prepare_tls_connection(ssl, "") == mss::errc::invalid_argument);
        CHECK(mss::net::prepare_tls_connection(ssl, std::string_view("a\0b", 3)) == mss::errc::invalid_argument);
        SSL_free(ssl);
    }
}
