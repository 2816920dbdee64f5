#include "support/test_tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

namespace risksync::testing {

namespace {

struct Deleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(std::FILE* p) const { std::fclose(p); }
};

std::string openssl_error(const char* what) {
  const unsigned long code = ERR_get_error();
  char buf[256] = {0};
  ERR_error_string_n(code, buf, sizeof buf);
  return std::string(what) + ": " + buf;
}

}  // namespace

ScopedTempDir::ScopedTempDir() {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / "risksync-test-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) != nullptr) path_ = buf.data();
}

ScopedTempDir::~ScopedTempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool write_self_signed_identity(const std::string& dir, TlsIdentity& out, std::string& error,
                                const std::string& common_name,
                                const std::string& subject_alt_names) {
  CertificateSpec spec;
  spec.common_name = common_name;
  spec.subject_alt_names = subject_alt_names;
  if (!write_identity(dir, spec, out, error)) return false;
  return true;
}

bool write_identity(const std::string& dir, const CertificateSpec& spec, TlsIdentity& out,
                    std::string& error) {
  std::unique_ptr<EVP_PKEY, Deleter> key(EVP_EC_gen("P-256"));
  if (!key) {
    error = openssl_error("EVP_EC_gen");
    return false;
  }
  std::unique_ptr<X509, Deleter> cert(X509_new());
  if (!cert) {
    error = openssl_error("X509_new");
    return false;
  }
  std::unique_ptr<X509, Deleter> issuer_cert;
  std::unique_ptr<EVP_PKEY, Deleter> issuer_key;
  if (spec.issuer != nullptr) {
    std::unique_ptr<std::FILE, Deleter> cf(std::fopen(spec.issuer->cert_path.c_str(), "r"));
    std::unique_ptr<std::FILE, Deleter> kf(std::fopen(spec.issuer->key_path.c_str(), "r"));
    if (cf) issuer_cert.reset(PEM_read_X509(cf.get(), nullptr, nullptr, nullptr));
    if (kf) issuer_key.reset(PEM_read_PrivateKey(kf.get(), nullptr, nullptr, nullptr));
    if (!issuer_cert || !issuer_key) {
      error = "cannot read the issuer " + spec.issuer->cert_path;
      return false;
    }
  }
  static long serial = 1;
  X509_set_version(cert.get(), 2);  // v3
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.valid_from_seconds);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.valid_until_seconds);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* cn = reinterpret_cast<const unsigned char*>(spec.common_name.c_str());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer_cert ? X509_get_subject_name(issuer_cert.get()) : name);
  X509* signer = issuer_cert ? issuer_cert.get() : cert.get();
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  const auto add = [&](int nid, const std::string& value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (ext == nullptr) return false;
    const int ok = X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
    return ok == 1;
  };
  if (!add(NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE") ||
      !add(NID_subject_key_identifier, "hash") ||
      (!spec.subject_alt_names.empty() && !add(NID_subject_alt_name, spec.subject_alt_names))) {
    error = openssl_error("X509 extension");
    return false;
  }
  if (X509_sign(cert.get(), issuer_key ? issuer_key.get() : key.get(), EVP_sha256()) == 0) {
    error = openssl_error("X509_sign");
    return false;
  }

  out.cert_path = dir + "/" + spec.file_prefix + ".pem";
  out.key_path = dir + "/" + spec.file_prefix + "-key.pem";
  if (spec.file_prefix == "cert") out.key_path = dir + "/key.pem";  // historical names
  {
    std::unique_ptr<std::FILE, Deleter> f(std::fopen(out.cert_path.c_str(), "w"));
    if (!f || PEM_write_X509(f.get(), cert.get()) != 1) {
      error = "cannot write " + out.cert_path;
      return false;
    }
  }
  {
    std::unique_ptr<std::FILE, Deleter> f(std::fopen(out.key_path.c_str(), "w"));
    if (!f ||
        PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
      error = "cannot write " + out.key_path;
      return false;
    }
  }
  return true;
}

// ---- TlsVersionServer ----

TlsVersionServer::TlsVersionServer(const TlsIdentity& identity, int min_version, int max_version) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return;
  ctx_ = ctx;
  SSL_CTX_set_security_level(ctx, 0);
  if (SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0") != 1 ||
      SSL_CTX_set_min_proto_version(ctx, min_version) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, max_version) != 1 ||
      SSL_CTX_use_certificate_file(ctx, identity.cert_path.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, identity.key_path.c_str(), SSL_FILETYPE_PEM) != 1)
    return;
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) return;
  const int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, sa, sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, sa, &len) != 0)
    return;
  thread_ = std::thread([this, ctx] {
    while (!stop_.load()) {
      pollfd pfd{listen_fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 20) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      const timeval two_seconds{2, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &two_seconds, sizeof two_seconds);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &two_seconds, sizeof two_seconds);
      SSL* ssl = SSL_new(ctx);
      if (ssl != nullptr) {
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) == 1) {
          ++handshakes_;
          SSL_shutdown(ssl);
        }
        SSL_free(ssl);
      }
      ERR_clear_error();
      ::close(fd);
    }
  });
  port_ = ntohs(addr.sin_port);
}

TlsVersionServer::~TlsVersionServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

std::string TlsVersionServer::base_url() const {
  return "https://127.0.0.1:" + std::to_string(port_);
}

}  // namespace risksync::testing
