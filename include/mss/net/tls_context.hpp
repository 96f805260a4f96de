// SPDX-License-Identifier: Apache-2.0
/** @file
 *  @brief Building an OpenSSL context from `tls_options`, and verifying a server's host name.
 */
#pragma once

#include <mss/config.hpp>
#include <mss/diagnostics.hpp>
#include <mss/net/tls_options.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/result.hpp>

#include <string_view>

typedef struct ssl_st SSL;

namespace mss::net {

/** @brief Makes a client TLS context: TLS ≥ the configured minimum, `verify_peer`, the configured
 *         trust anchors and, when given, the client certificate.
 *
 *  @par Errors
 *  - `mss::errc::configuration_error`: no trust anchor configured, or a certificate without key;
 *  - `mss::errc::file_unreadable`: a CA, certificate, key or PKCS#12 file cannot be loaded
 *    (the file's path and OpenSSL's reason are in `diag.client_message()`; never a password).
 */
MSS_API boost::system::result<boost::asio::ssl::context> make_tls_context(const tls_options& options,
                                                                          diagnostics& diag);

/** @brief Prepares one connection: sets SNI to `host` and makes the handshake fail unless the
 *         server certificate is valid for `host` (a DNS name or an IP address literal).
 *
 *  Call it on the stream's `native_handle()` before the handshake.
 *  @par Errors
 *  `mss::errc::invalid_argument` when `host` is empty or holds a NUL byte.
 */
MSS_API boost::system::error_code prepare_tls_connection(SSL* ssl, std::string_view host);

}  // namespace mss::net
