// Test-time TLS material: a scoped temporary folder and a self-signed certificate generated
// with OpenSSL (EC P-256, by default for 127.0.0.1 / ::1 / localhost, valid from one hour ago
// for one day). Nothing is read from or written to the repository.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "support/fake_http_server.h"

namespace risksync::testing {

// mkdtemp() under $TMPDIR or /tmp; removed with its content on destruction.
class ScopedTempDir {
 public:
  ScopedTempDir();
  ~ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Writes `dir`/cert.pem and `dir`/key.pem for a certificate with common name
// `common_name` and the given subjectAltName list (OpenSSL config syntax). Returns false and
// sets `error` on failure.
bool write_self_signed_identity(
    const std::string& dir, TlsIdentity& out, std::string& error,
    const std::string& common_name = "localhost",
    const std::string& subject_alt_names = "IP:127.0.0.1,IP:::1,DNS:localhost");

// A certificate to generate: self-signed, or signed by `issuer` (a CA written before).
struct CertificateSpec {
  std::string file_prefix = "cert";  // writes <prefix>.pem and <prefix>-key.pem
  std::string common_name = "localhost";
  std::string subject_alt_names = "IP:127.0.0.1,IP:::1,DNS:localhost";  // empty: none
  long valid_from_seconds = -3600;                                      // relative to now
  long valid_until_seconds = 24 * 3600;
  bool is_ca = true;
  const TlsIdentity* issuer = nullptr;  // null: self-signed
};

bool write_identity(const std::string& dir, const CertificateSpec& spec, TlsIdentity& out,
                    std::string& error);

// A bare TLS server on 127.0.0.1 whose protocol versions are set (e.g. only TLS 1.0-1.1, at
// OpenSSL security level 0 so that OpenSSL 3 agrees to offer them). Each accepted connection
// runs the handshake (bounded by a 2 s socket timeout) and is closed; handshakes() counts the
// ones that completed. RAII like the other fake servers.
class TlsVersionServer {
 public:
  TlsVersionServer(const TlsIdentity& identity, int min_version, int max_version);
  ~TlsVersionServer();
  TlsVersionServer(const TlsVersionServer&) = delete;
  TlsVersionServer& operator=(const TlsVersionServer&) = delete;

  bool ok() const { return port_ > 0; }
  std::string base_url() const;  // "https://127.0.0.1:PORT"
  std::size_t connections() const { return connections_.load(); }
  std::size_t handshakes() const { return handshakes_.load(); }

 private:
  void* ctx_ = nullptr;  // SSL_CTX
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> handshakes_{0};
  std::thread thread_;
};

}  // namespace risksync::testing
