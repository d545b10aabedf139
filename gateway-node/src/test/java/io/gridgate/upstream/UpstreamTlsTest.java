package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS to upstreams trusting only the upstream's pinned CA: a target with a certificate from
 * that CA is reached, one from another CA (or for another name) is a 502, and health probes use
 * the same TLS settings.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamTlsTest {
  @TempDir
  static Path dir;
  private static TestCertificates.Issued pinnedCa;
  private static TestCertificates.Issued byIp;
  private static TestCertificates.Issued byName;
  private static TestCertificates.Issued foreign;

  private GatewayFixture gw;
  private Vertx vertx;

  @BeforeAll
  static void certificates() {
    TestCertificates certs = new TestCertificates(dir);
    pinnedCa = certs.authority("pinned-ca");
    byIp = certs.issue(pinnedCa, "by-ip", "/CN=upstream", "IP:127.0.0.1");
    byName = certs.issue(pinnedCa, "by-name", "/CN=api.internal", "DNS:api.internal");
    foreign = certs.issue(certs.authority("public-ca"), "foreign", "/CN=upstream", "IP:127.0.0.1");
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    gw = new GatewayFixture(vertx);
  }

  /** An HTTPS upstream with {@code cert} that counts requests ({@code /health} probes separately) and answers "secure". */
  private record HttpsUpstream(int port, AtomicInteger requests, AtomicInteger probes) {}

  private HttpsUpstream httpsUpstream(TestCertificates.Issued cert) {
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger probes = new AtomicInteger();
    int port = GatewayFixture.await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(cert.cert().toString()).setKeyPath(cert.key().toString())))
        .requestHandler(request -> {
          (request.path().equals("/health") ? probes : requests).incrementAndGet();
          request.response().end("secure");
        })
        .listen()).actualPort();
    return new HttpsUpstream(port, requests, probes);
  }

  private void start(HttpsUpstream target, String tlsExtras, String upstreamExtras) {
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app:
            targets: [{address: "127.0.0.1:%d"}]
            tls: {ca: "%s"%s}
            %s
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app}
        """.formatted(target.port(), pinnedCa.cert(), tlsExtras, upstreamExtras));
  }

  @Test
  void targetWithACertificateFromThePinnedCaIsReachedOverHttps() {
    HttpsUpstream upstream = httpsUpstream(byIp);
    start(upstream, "", "");

    GatewayFixture.Reply reply = gw.get("/orders");
    assertEquals(200, reply.status());
    assertEquals("secure", reply.bodyString());
    assertEquals(1, upstream.requests().get());
  }

  @Test
  void targetWithACertificateFromAnotherCaIsABadGateway() {
    HttpsUpstream upstream = httpsUpstream(foreign);
    start(upstream, "", "");

    GatewayFixture.Reply reply = gw.get("/orders");
    assertEquals(502, reply.status());
    assertEquals(0, upstream.requests().get());
  }

  @Test
  void serverNameIsWhatTheCertificateIsCheckedAgainst() {
    HttpsUpstream upstream = httpsUpstream(byName);
    start(upstream, ", server_name: api.internal", "");

    assertEquals(200, gw.get("/orders").status());
    assertEquals(1, upstream.requests().get());
  }

  @Test
  void certificateForAnotherNameIsABadGateway() {
    HttpsUpstream upstream = httpsUpstream(byName);
    start(upstream, "", "");

    assertEquals(502, gw.get("/orders").status());
    assertEquals(0, upstream.requests().get());
  }

  @Test
  void withoutHostVerificationOnlyThePinnedCaIsChecked() {
    HttpsUpstream upstream = httpsUpstream(byName);
    start(upstream, ", verify_host: false", "");

    assertEquals(200, gw.get("/orders").status());
    assertEquals(1, upstream.requests().get());
  }

  @Test
  void activeHealthProbesUseTheUpstreamsTls() {
    HttpsUpstream upstream = httpsUpstream(byIp);
    start(upstream, "", "health_check: {active: {path: /health, interval: 100ms, unhealthy_threshold: 1}}");

    GatewayFixture.awaitCondition("three probes", Duration.ofSeconds(30), () -> upstream.probes().get() >= 3);
    assertTrue(gw.node().state().pools().get("app").targets().get(0).isActiveHealthy());
    assertEquals(200, gw.get("/orders").status());
  }
}
