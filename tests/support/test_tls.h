// Test-time TLS material: a scoped temporary folder and a self-signed certificate generated
// with OpenSSL (EC P-256, by default for 127.0.0.1 / ::1 / localhost, valid from one hour ago
// for one day). Nothing is read from or written to the repository.
#pragma once

#include <string>

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

}  // namespace risksync::testing
