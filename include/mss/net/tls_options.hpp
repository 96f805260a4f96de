// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief `mss::net::tls_options`: how the Asio adapters set up TLS.
 */
#pragma once

#include <mss/config.hpp>

#include <string>

namespace mss::net {

/** @brief Minimum TLS protocol version accepted from a server. */
enum class tls_version
{
    /** @brief TLS 1.2, the MSSanté minimum (ECO.1.1.10). */
    tls1_2,
    /** @brief TLS 1.3 only. */
    tls1_3,
};

/** @brief TLS settings shared by the SMTP, IMAP and directory clients.
 *
 *  Secure by default: the server certificate and its host name are always verified, and the
 *  minimum version is TLS 1.2. There is deliberately no switch to turn verification off.
 *
 *  Trust anchors come from configuration. In production MSSanté accepts one CA only, IGC Santé,
 *  whose roots are not in public trust stores: set `ca_file` or `ca_directory` to them. The
 *  operating system's store is used only when `use_system_trust_store` is set explicitly.
 *  With no anchor at all, building a context fails with `mss::errc::configuration_error`.
 *
 *  A client certificate (an APP mailbox's organisation certificate, mutual TLS) is given either
 *  as PEM files (`client_certificate_file` + `client_key_file`) or as one PKCS#12 file.
 */
struct tls_options
{
    /** @brief PEM file of trusted CA certificates. */
    std::string ca_file;
    /** @brief Directory of trusted CA certificates, hashed as by `openssl rehash`. */
    std::string ca_directory;
    /** @brief Also trust the operating system's default store. Off unless asked for. */
    bool use_system_trust_store = false;
    /** @brief Lowest protocol version accepted. */
    tls_version minimum_version = tls_version::tls1_2;
    /** @brief Client certificate chain, PEM (optional). */
    std::string client_certificate_file;
    /** @brief Private key of the client certificate, PEM (optional, required with the former). */
    std::string client_key_file;
    /** @brief Client certificate and key as one PKCS#12 file (alternative to the PEM pair). */
    std::string client_pkcs12_file;
    /** @brief Password of the PKCS#12 file. Never logged. */
    std::string client_pkcs12_password;
};

}  // namespace mss::net
