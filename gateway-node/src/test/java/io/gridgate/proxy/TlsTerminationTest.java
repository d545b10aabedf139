package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestCertificates;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the client listener: TLS 1.2 and 1.3 handshakes, older protocols refused, h2 by ALPN,
 * PKCS#12 stores, and client certificates required or requested.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTerminationTest {
  @TempDir
  static Path dir;
  private static TestCertificates.Issued ca;
  private static TestCertificates.Issued server;
  private static TestCertificates.Issued client;
  private static TestCertificates.Issued stranger;

  private GatewayFixture gw;
  private TestUpstream app;
  private Vertx vertx;

  @BeforeAll
  static void certificates() {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("edge-ca");
    server = certs.issue(ca, "gateway", "/CN=gateway", "IP:127.0.0.1,DNS:localhost");
    client = certs.issue(ca, "client", "/O=Acme/CN=orders-service", "DNS:orders-service");
    stranger = certs.issue(certs.authority("other-ca"), "stranger", "/CN=stranger", "DNS:stranger");
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
  }

  private void start(String tls) {
    gw.startGateway(GatewayFixture.tlsNodeYaml(tls) + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app}
        """.formatted(app.address()));
  }

  private String pem(String extra) {
    return "{cert: \"%s\", key: \"%s\"%s}".formatted(server.cert(), server.key(), extra);
  }

  private HttpClientOptions trusting() {
    return new HttpClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString()));
  }

  /** What a client saw over TLS: the status, the negotiated TLS protocol and the HTTP version. */
  private record Answer(int status, String protocol, HttpVersion version) {}

  /** One GET over a fresh connection; fails when the handshake fails. */
  private Future<Answer> get(HttpClientOptions options) {
    HttpClient http = vertx.createHttpClient(options);
    return GatewayFixture.exchange(http,
        new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(gw.port()).setURI("/tls"),
        request -> request.send(), response -> response.body().map(body -> new Answer(response.statusCode(),
            response.request().connection().sslSession().getProtocol(), response.version())))
        .eventually(() -> http.close());
  }

  @Test
  void tls12AndTls13HandshakesSucceed() {
    start(pem(""));

    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      Answer answer = GatewayFixture.await(get(trusting().setEnabledSecureTransportProtocols(Set.of(protocol))));
      assertEquals(200, answer.status());
      assertEquals(protocol, answer.protocol());
    }
    assertEquals(2, app.requests());
  }

  @Test
  void tls11IsRefusedByTheListener() throws Exception {
    start(pem(""));

    // openssl can still speak TLS 1.1 at security level 0; the same command with TLS 1.2 shows it works
    assertTrue(openSslHandshake("-tls1_2").contains("New, TLSv1.2, Cipher is"));
    String tls11 = openSslHandshake("-tls1_1");
    assertTrue(tls11.contains("alert protocol version") && tls11.contains("Cipher is (NONE)"), tls11);
    assertEquals(0, app.requests());
  }

  @Test
  void configuredProtocolsNarrowTheListenerToTls13() {
    start(pem(", protocols: [TLSv1.3]"));

    assertTrue(GatewayFixture.failed(get(trusting().setEnabledSecureTransportProtocols(Set.of("TLSv1.2")))));
    assertEquals("TLSv1.3", GatewayFixture.await(get(trusting())).protocol());
  }

  @Test
  void alpnNegotiatesHttp2() {
    start(pem(""));

    Answer answer = GatewayFixture.await(get(trusting().setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2)));
    assertEquals(200, answer.status());
    assertEquals(HttpVersion.HTTP_2, answer.version());
  }

  @Test
  void pkcs12StoreServesTheSameCertificate() {
    Path store = new TestCertificates(dir).pkcs12(server, "s3cret");
    start("{pkcs12: \"%s\", password: s3cret}".formatted(store));

    assertEquals(200, GatewayFixture.await(get(trusting())).status());
  }

  @Test
  void requiredClientCertificateRefusesClientsWithoutOneOrFromAnotherCa() {
    start(pem(", client_auth: require, ca: \"%s\"".formatted(ca.cert())));

    assertTrue(GatewayFixture.failed(get(trusting())));
    assertTrue(GatewayFixture.failed(get(trusting().setKeyCertOptions(keyCert(stranger)))));
    assertEquals(200, GatewayFixture.await(get(trusting().setKeyCertOptions(keyCert(client)))).status());
    assertEquals(1, app.requests());
  }

  @Test
  void requestedClientCertificateIsOptional() {
    start(pem(", client_auth: request, ca: \"%s\"".formatted(ca.cert())));

    assertEquals(200, GatewayFixture.await(get(trusting())).status());
    assertEquals(200, GatewayFixture.await(get(trusting().setKeyCertOptions(keyCert(client)))).status());
    // the listener names its CAs, so a client whose certificate is from another one goes on without
    assertEquals(200, GatewayFixture.await(get(trusting().setKeyCertOptions(keyCert(stranger)))).status());
  }

  private static PemKeyCertOptions keyCert(TestCertificates.Issued issued) {
    return new PemKeyCertOptions().setCertPath(issued.cert().toString()).setKeyPath(issued.key().toString());
  }

  /** Runs {@code openssl s_client} against the gateway with {@code protocolFlag}; returns its output. */
  private String openSslHandshake(String protocolFlag) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + gw.port(), protocolFlag,
        "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", ca.cert().toString())
        .redirectErrorStream(true).start();
    process.getOutputStream().close();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "openssl s_client did not finish");
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
