package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.LoopbackTls;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client timeouts on a TLS listener: a handshake that never completes is cut after
 * {@code request_header}; HTTP/1.1 and HTTP/2 chosen by ALPN are served and their idle connections
 * closed after {@code keep_alive}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgeTlsTest {
  private static final LoopbackTls TLS = LoopbackTls.shared();
  private static final Duration BOUND = Duration.ofSeconds(15);

  private Vertx vertx;
  private GatewayFixture fixture;
  private TestUpstream app;
  private GuardedGateway gateway;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    fixture = new GatewayFixture(vertx);
    app = fixture.echoUpstream("app");
  }

  private void start(String clientTimeouts) {
    gateway = GuardedGateway.start(fixture, GuardedGateway.apiConfig(
        GatewayFixture.tlsNodeYaml(TLS.listenerYaml()) + "  client_timeouts: " + clientTimeouts + "\n", app));
  }

  @AfterEach
  void tearDown() {
    gateway.close();
  }

  @Test
  void aHandshakeThatNeverCompletesIsClosedAfterRequestHeader() throws IOException {
    start("{request_header: 2s}");
    try (Socket socket = gateway.connect()) {
      socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // the start of a ClientHello

      Duration open = GuardedGateway.awaitEnd(socket, BOUND);

      assertTrue(open.toMillis() >= 1_500, "closed after " + open);
    }
  }

  @ParameterizedTest
  @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
  void aConnectionChosenByAlpnIsServedAndClosedOnceIdleForKeepAlive(HttpVersion version) {
    // request_header 30 s: a JVM's first TLS handshakes can take seconds here; keep_alive 4 s: the client
    // sees the answer late on a loaded machine, and the close must still come 2.5 s after
    start("{request_header: 30s, keep_alive: 4s}");
    HttpClient client = vertx.createHttpClient(TLS.clientOptions().setUseAlpn(true).setProtocolVersion(version)
        .setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()));
    Promise<Void> closed = Promise.promise();
    HttpClientResponse response = GatewayFixture.await(client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/x"))
        .compose(request -> {
          request.connection().closeHandler(closed::tryComplete);
          return request.send();
        }));
    long answeredAt = System.nanoTime();

    assertEquals(200, response.statusCode());
    assertEquals(version, response.version());
    GatewayFixture.await(closed.future(), BOUND);
    long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredAt);
    assertTrue(idleMillis >= 2_500, "closed after " + idleMillis + " ms");
  }
}
