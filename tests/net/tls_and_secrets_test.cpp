// TLS verification against a loopback HTTPS server with a certificate generated at test time,
// proxy use through a raw fake proxy, and secrets kept out of logs and errors.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <openssl/ssl.h>
#include "net/http_client.h"

#include "support/fake_http_server.h"
#include "support/raw_http_server.h"
#include "support/test_tls.h"

namespace risksync::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::CertificateSpec;
using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RawHttpServer;
using testing::RawStep;
using testing::RawTcpServer;
using testing::RecordedRequest;
using testing::ScopedTempDir;
using testing::TlsIdentity;

constexpr const char* kToken = "s3cr3t-token";

NetDeps no_sleep_deps() {
  NetDeps d;
  d.sleep = [](milliseconds) {};
  d.jitter = [] { return 0.0; };
  return d;
}

HttpClientOptions options_for(const std::string& base_url) {
  HttpClientOptions o;
  o.base_url = base_url;
  o.connect_timeout = seconds(2);
  o.read_timeout = seconds(2);
  o.write_timeout = seconds(2);
  o.retry.max_attempts = 2;
  o.retry.base_delay = milliseconds(10);
  o.min_write_interval = milliseconds(0);
  o.default_headers.emplace("Authorization", std::string("Bearer ") + kToken);
  return o;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir.ok());
    std::string error;
    ASSERT_TRUE(testing::write_self_signed_identity(dir.path(), identity, error)) << error;
    server = std::make_unique<FakeHttpServer>(identity);
    ASSERT_TRUE(server->ok());
    server->on("GET", "/ping",
               [](const RecordedRequest&) { return FakeResponse::json(200, R"({"pong":true})"); });
  }
  ScopedTempDir dir;
  TlsIdentity identity;
  std::unique_ptr<FakeHttpServer> server;
};

TEST_F(TlsTest, SelfSignedCertificateIsRefusedBecauseVerificationIsOn) {
  auto client = HttpClient::create(options_for(server->base_url()), no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  HttpRequest req;
  req.path_and_query = "/ping";
  auto r = (*client)->send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_NE(r.error().message.find("TLS certificate verification failed for 127.0.0.1:"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("self-signed certificate"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("unknown certificate authority"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(server->request_count(), 0u);      // nothing was sent
  EXPECT_EQ((*client)->stats().attempts, 1u);  // a verification failure is not retried
}

TEST_F(TlsTest, SelfSignedCertificateIsAcceptedWhenItIsTheCaBundle) {
  HttpClientOptions o = options_for(server->base_url());
  o.ca_bundle_path = identity.cert_path;
  auto client = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  HttpRequest req;
  req.path_and_query = "/ping";
  for (int i = 0; i < 3; ++i) {  // keep-alive: the same TLS connection serves all three
    auto r = (*client)->send(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, R"({"pong":true})");
  }
  EXPECT_EQ(server->request_count(), 3u);
  EXPECT_EQ(server->last_request().header("Authorization"), std::string("Bearer ") + kToken);
}

TEST(TlsHostName, CertificateMustNameTheHost) {
  ScopedTempDir dir;
  ASSERT_TRUE(dir.ok());
  TlsIdentity other;
  std::string error;
  ASSERT_TRUE(testing::write_self_signed_identity(dir.path(), other, error, "other.example",
                                                  "DNS:other.example"))
      << error;
  auto server = std::make_unique<FakeHttpServer>(other);
  ASSERT_TRUE(server->ok());
  HttpClientOptions o = options_for(server->base_url());
  o.ca_bundle_path = other.cert_path;  // trusted, but issued for another name
  auto client = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  HttpRequest req;
  req.path_and_query = "/ping";
  auto r = (*client)->send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("does not match the host name 127.0.0.1"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(server->request_count(), 0u);
  EXPECT_EQ((*client)->stats().attempts, 1u);
}

// ---- TLS failures, classified, never retried, stopping the run (issue 11) ----

HttpRequest ping() {
  HttpRequest req;
  req.path_and_query = "/ping";
  return req;
}

TEST(TlsFailures, ServerOfferingOnlyTls11IsNamedAndNotRetried) {
  ScopedTempDir dir;
  ASSERT_TRUE(dir.ok());
  TlsIdentity identity;
  std::string error;
  ASSERT_TRUE(testing::write_identity(dir.path(), CertificateSpec{}, identity, error)) << error;
  testing::TlsVersionServer server(identity, TLS1_VERSION, TLS1_1_VERSION);
  ASSERT_TRUE(server.ok());
  HttpClientOptions o = options_for(server.base_url());
  o.ca_bundle_path = identity.cert_path;
  o.retry.max_attempts = 3;
  auto client = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto r = (*client)->send(ping());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(
                "failed: the server offers only TLS 1.1; risksync requires TLS 1.2 or later"),
            std::string::npos)
      << r.error().message;
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ((*client)->stats().attempts, 1u) << r.error().message;
  // The refused handshake, then the diagnostic probe that offers only TLS 1.0-1.1 to learn the
  // server's version (it completes, carries no request, and is closed).
  EXPECT_EQ(server.connections(), 2u);
  EXPECT_EQ(server.handshakes(), 1u);
}

TEST(TlsFailures, ServerOfferingOnlyTls10IsNamed) {
  ScopedTempDir dir;
  ASSERT_TRUE(dir.ok());
  TlsIdentity identity;
  std::string error;
  ASSERT_TRUE(testing::write_identity(dir.path(), CertificateSpec{}, identity, error)) << error;
  testing::TlsVersionServer server(identity, TLS1_VERSION, TLS1_VERSION);
  ASSERT_TRUE(server.ok());
  HttpClientOptions o = options_for(server.base_url());
  o.ca_bundle_path = identity.cert_path;
  auto client = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto r = (*client)->send(ping());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("the server offers only TLS 1.0; risksync requires TLS 1.2"),
            std::string::npos)
      << r.error().message;
  EXPECT_TRUE(r.error().stops_run());
}

TEST(TlsFailures, ModernServerStillWorksThroughTheSameObservation) {
  ScopedTempDir dir;
  ASSERT_TRUE(dir.ok());
  TlsIdentity identity;
  std::string error;
  ASSERT_TRUE(testing::write_identity(dir.path(), CertificateSpec{}, identity, error)) << error;
  FakeHttpServer server(identity);
  ASSERT_TRUE(server.ok());
  server.on("GET", "/ping", [](const RecordedRequest&) { return FakeResponse::json(200, "{}"); });
  HttpClientOptions o = options_for(server.base_url());
  o.ca_bundle_path = identity.cert_path;
  auto client = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto r = (*client)->send(ping());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
}

TEST(TlsFailures, ExpiredCertificateIsNamedAndNotRetried) {
  ScopedTempDir dir;
  ASSERT_TRUE(dir.ok());
  CertificateSpec spec;
  spec.valid_from_seconds = -2 * 24 * 3600;
  spec.valid_until_seconds = -24 * 3600;  // expired yesterday
  TlsIdentity expired;
  std::string error;
  ASSERT_TRUE(testing::write_identity(dir.path(), spec, expired, error)) << error;
  FakeHttpServer server(expired);
  ASSERT_TRUE(server.ok());
  HttpClientOptions o = options_for(server.base_url());
  o.ca_bundle_path = expired.cert_path;  // trusted, but out of date
  o.retry.max_attempts = 3;
  auto client = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto r = (*client)->send(ping());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("TLS certificate verification failed for 127.0.0.1:"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("certificate has expired"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ((*client)->stats().attempts, 1u);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(TlsFailures, CertificateFromAnUnknownCaIsNamed) {
  ScopedTempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string error;
  CertificateSpec ca_spec;
  ca_spec.file_prefix = "corp-ca";
  ca_spec.common_name = "Corp Root CA";
  ca_spec.subject_alt_names = "";
  TlsIdentity corp_ca;
  ASSERT_TRUE(testing::write_identity(dir.path(), ca_spec, corp_ca, error)) << error;
  ca_spec.file_prefix = "other-ca";
  ca_spec.common_name = "Other Root CA";
  TlsIdentity other_ca;
  ASSERT_TRUE(testing::write_identity(dir.path(), ca_spec, other_ca, error)) << error;
  CertificateSpec leaf_spec;
  leaf_spec.file_prefix = "leaf";
  leaf_spec.is_ca = false;
  leaf_spec.issuer = &corp_ca;
  TlsIdentity leaf;
  ASSERT_TRUE(testing::write_identity(dir.path(), leaf_spec, leaf, error)) << error;
  FakeHttpServer server(leaf);
  ASSERT_TRUE(server.ok());
  server.on("GET", "/ping", [](const RecordedRequest&) { return FakeResponse::json(200, "{}"); });

  HttpClientOptions o = options_for(server.base_url());
  o.ca_bundle_path = other_ca.cert_path;
  auto client = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto r = (*client)->send(ping());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("issued by an unknown certificate authority (unable to get "
                                   "local issuer certificate)"),
            std::string::npos)
      << r.error().message;
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ((*client)->stats().attempts, 1u);

  // The right CA makes the same server trusted: the chain itself is sound.
  o.ca_bundle_path = corp_ca.cert_path;
  auto trusting = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(trusting.ok()) << trusting.error().message;
  auto ok = (*trusting)->send(ping());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->status, 200);
}

TEST(TlsFailures, ResetDuringTheHandshakeIsNamedAndNotRetried) {
  RawStep reset;
  reset.read_request = false;  // the ClientHello
  reset.then = RawStep::Then::reset;
  RawHttpServer raw({{reset}});
  ASSERT_TRUE(raw.ok());
  HttpClientOptions o = options_for(raw.https_url());
  o.retry.max_attempts = 3;
  auto client = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto r = (*client)->send(ping());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("the connection was reset during the TLS handshake"),
            std::string::npos)
      << r.error().message;
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ((*client)->stats().attempts, 1u);
  EXPECT_EQ(raw.connections(), 1u);
  ASSERT_EQ(raw.requests().size(), 1u);
  EXPECT_EQ(raw.requests()[0].substr(0, 1), "\x16");  // a TLS handshake record was sent
}

TEST(TlsFailures, PlainHttpServerOnAnHttpsUrlIsNamed) {
  RawStep plain = RawStep::answer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
                                  RawStep::Then::close);
  plain.read_request = false;
  RawHttpServer raw({{plain}});
  ASSERT_TRUE(raw.ok());
  auto client = HttpClient::create(options_for(raw.https_url()), no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto r = (*client)->send(ping());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("is it a plain http:// server?"), std::string::npos)
      << r.error().message;
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ((*client)->stats().attempts, 1u);
}

TEST(CaBundle, MissingOrEmptyBundleIsRefusedAtCreation) {
  HttpClientOptions o = options_for("https://127.0.0.1:1");
  o.ca_bundle_path = "/nonexistent/risksync/ca.pem";
  auto c = HttpClient::create(o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::local_io);
  EXPECT_EQ(c.error().where.file, "/nonexistent/risksync/ca.pem");

  ScopedTempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string empty = dir.path() + "/empty.pem";
  std::ofstream(empty) << "not a certificate\n";
  o.ca_bundle_path = empty;
  c = HttpClient::create(o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::bad_input);
  EXPECT_NE(c.error().message.find("no PEM certificate"), std::string::npos);
}

// Captures spdlog's default logger output at debug level for the test's duration.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::trace);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return stream_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream stream_;
};

TEST(Secrets, TokenNeverAppearsInLogsOrErrorsEvenWhenTheServerEchoesIt) {
  FakeHttpServer server;
  ASSERT_TRUE(server.ok());
  // A hostile or buggy server that echoes the credentials it received.
  const auto echo = [](int status) {
    return [status](const RecordedRequest& req) {
      return FakeResponse::json(status,
                                R"({"message":"bad credentials: )" + req.header("Authorization") +
                                    " token=" + req.header("Authorization").substr(7) + "\"}");
    };
  };
  server.on("GET", "/boom", echo(502));
  server.on("GET", "/denied", echo(401));
  server.on("GET", "/limited", [](const RecordedRequest& req) {
    return FakeResponse::json(429, req.header("Authorization"))
        .with_header("Retry-After", "999999");
  });
  LogCapture capture;
  auto created = HttpClient::create(options_for(server.base_url()), no_sleep_deps());
  ASSERT_TRUE(created.ok());
  auto& client = *created;

  HttpRequest req;
  req.path_and_query = "/boom?access_token=also-secret";
  auto r = client->send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find(kToken), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("also-secret"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message, "GET " + server.base_url() +
                                   "/boom?access_token=***: server error HTTP 502: "
                                   R"({"message":"bad credentials: *** token=***"} (gave up )"
                                   "after 2 attempts)");

  req.path_and_query = "/limited";
  r = client->send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find(kToken), std::string::npos) << r.error().message;

  // A per-request credential header is protected too.
  req.path_and_query = "/denied";
  req.headers.emplace("PRIVATE-TOKEN", "glpat-per-request-42");
  auto denied = client->send(req);
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->status, 401);
  // The body is the caller's data, untouched; the client's redactor cleans it for messages.
  EXPECT_NE(denied->body.find(kToken), std::string::npos);
  EXPECT_EQ(client->redactor().redact(denied->body).find(kToken), std::string::npos);
  EXPECT_EQ(client->redactor().redact("glpat-per-request-42"), "***");

  const std::string logs = capture.text();
  EXPECT_NE(logs.find("HTTP GET " + server.base_url() + "/boom?access_token=*** -> 502"),
            std::string::npos)
      << logs;
  EXPECT_NE(logs.find("/denied -> 401"), std::string::npos) << logs;
  EXPECT_NE(logs.find("retrying in"), std::string::npos) << logs;
  EXPECT_EQ(logs.find(kToken), std::string::npos) << logs;
  EXPECT_EQ(logs.find("also-secret"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("glpat-per-request-42"), std::string::npos) << logs;
}

// A "proxy" that refuses every CONNECT with 407 and a Basic challenge.
constexpr const char* k407 =
    "HTTP/1.1 407 Proxy Authentication Required\r\n"
    "Proxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n";

TEST(Proxy, HttpsGoesThroughConnectAndA407IsReported) {
  RawTcpServer proxy(k407);
  ASSERT_TRUE(proxy.ok());
  HttpClientOptions o = options_for("https://api.github.example");
  o.proxy = ProxyConfig{"127.0.0.1", proxy.port(), "", ""};
  auto created = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(created.ok()) << created.error().message;
  HttpRequest req;
  req.path_and_query = "/repos/o/r/issues";
  auto r = (*created)->send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "GET https://api.github.example/repos/o/r/issues: the proxy http://127.0.0.1:" +
                std::to_string(proxy.port()) +
                " requires authentication (HTTP 407); give credentials in the proxy URL");
  EXPECT_TRUE(r.error().stops_run());
  const auto heads = proxy.heads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].rfind("CONNECT api.github.example:443 HTTP/1.1\r\n", 0), 0u) << heads[0];
  EXPECT_EQ(heads[0].find(kToken), std::string::npos) << heads[0];  // the token stays inside TLS
}

TEST(Proxy, CredentialsAreNeverSentAsBasicNorShown) {
  RawTcpServer proxy(k407);
  ASSERT_TRUE(proxy.ok());
  LogCapture capture;
  HttpClientOptions o = options_for("https://api.github.example");
  o.proxy = ProxyConfig{"127.0.0.1", proxy.port(), "alice", "pr0xy-pa55"};
  auto created = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(created.ok()) << created.error().message;
  HttpRequest req;
  req.path_and_query = "/repos/o/r/issues";
  auto r = (*created)->send(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(
      r.error().message.find("through proxy http://***@127.0.0.1:" + std::to_string(proxy.port())),
      std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("only Digest proxy authentication is supported"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(r.error().message.find("pr0xy-pa55"), std::string::npos);
  EXPECT_EQ(capture.text().find("pr0xy-pa55"), std::string::npos) << capture.text();
  const auto heads = proxy.heads();
  ASSERT_GE(heads.size(), 1u);
  for (const auto& head : heads) {
    EXPECT_EQ(head.rfind("CONNECT api.github.example:443 HTTP/1.1\r\n", 0), 0u) << head;
    EXPECT_EQ(head.find("Proxy-Authorization"), std::string::npos) << head;  // no Basic
    EXPECT_EQ(head.find(kToken), std::string::npos) << head;
  }
}

// Exit code 0 when the client failed cleanly against a proxy that answers and closes (the
// client then writes its TLS hello into a closed socket).
int exchange_with_closing_peer() {
  RawTcpServer proxy(k407);
  HttpClientOptions o = options_for("https://api.github.example");
  o.proxy = ProxyConfig{"127.0.0.1", proxy.port(), "alice", "pr0xy-pa55"};
  o.retry.max_attempts = 3;
  auto created = HttpClient::create(o, no_sleep_deps());
  if (!created.ok()) return 2;
  HttpRequest req;
  req.path_and_query = "/x";
  const bool failed_cleanly = !(*created)->send(req).ok();
  created = Error{};  // destroy the client too
  return failed_cleanly ? 0 : 1;
}

TEST(Signals, PeerClosingTheConnectionDoesNotKillTheProcessWithSigpipe) {
  // A child process with SIGPIPE at its default action (kill), as in the risksync binary,
  // which never creates the httplib::Server that would ignore it process-wide.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        std::signal(SIGPIPE, SIG_DFL);
        std::exit(exchange_with_closing_peer());
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace risksync::net
