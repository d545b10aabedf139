package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code node.limits.max_connections_per_client} and {@code max_connections}: a connection over a cap
 * is closed at accept, connections under it are served, a closed connection frees its place, and
 * trusted proxies are not held to the per-client cap. {@code request_header} is 30 s here, so a
 * connection that ends within seconds was refused by a cap, not timed out.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgeConnectionCapsTest {
  private static final Duration REFUSED_WITHIN = Duration.ofSeconds(10);
  private static final InetAddress OTHER_CLIENT = address("127.0.0.2");

  private final List<Socket> sockets = new ArrayList<>();
  private GatewayFixture fixture;
  private TestUpstream app;
  private GuardedGateway gateway;

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = new GatewayFixture(vertx);
    app = fixture.echoUpstream("app");
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    gateway.close();
  }

  private void start(String... nodeLines) {
    List<String> lines = new ArrayList<>(List.of(nodeLines));
    lines.add("client_timeouts: {request_header: 30s}");
    gateway = GuardedGateway.start(fixture, GuardedGateway.apiConfig(GatewayFixture.nodeYaml(lines.toArray(String[]::new)), app));
  }

  @Test
  void aClientOverItsCapIsClosedAtAcceptAndItsPlaceFreesWhenOneOfItsConnectionsCloses() throws IOException {
    start("limits: {max_connections_per_client: 3}");
    Socket first = served(InetAddress.getLoopbackAddress());
    served(InetAddress.getLoopbackAddress());
    Socket third = served(InetAddress.getLoopbackAddress());

    assertRefused(connect(InetAddress.getLoopbackAddress()));
    assertEquals(200, get(third), "the admitted connections are still served");
    served(OTHER_CLIENT);

    first.close();
    GatewayFixture.awaitCondition("a place for 127.0.0.1 again", REFUSED_WITHIN, this::isServedNow);
  }

  @Test
  void aTrustedProxyIsNotHeldToThePerClientCap() throws IOException {
    start("limits: {max_connections_per_client: 2}", "trusted_proxies: [127.0.0.2/32]");
    for (int i = 0; i < 5; i++) {
      served(OTHER_CLIENT);
    }
    served(InetAddress.getLoopbackAddress());
    served(InetAddress.getLoopbackAddress());

    assertRefused(connect(InetAddress.getLoopbackAddress()));
  }

  @Test
  void theNodeCapCountsEveryClientAndLeavesTheAdminListenerAlone() throws IOException {
    start("limits: {max_connections: 3}");
    Socket first = served(InetAddress.getLoopbackAddress());
    served(InetAddress.getLoopbackAddress());
    served(OTHER_CLIENT);

    assertRefused(connect(OTHER_CLIENT));
    assertRefused(connect(InetAddress.getLoopbackAddress()));
    assertEquals(200, fixture.admin(HttpMethod.GET, "/health", null).status());

    first.close();
    GatewayFixture.awaitCondition("a place on the node again", REFUSED_WITHIN, this::isServedNow);
  }

  /** A new connection from {@code from} that was served one request (and stays open). */
  private Socket served(InetAddress from) throws IOException {
    Socket socket = connect(from);
    assertEquals(200, get(socket), "a connection from " + from + " under the caps is served");
    return socket;
  }

  private boolean isServedNow() {
    try {
      return get(connect(InetAddress.getLoopbackAddress())) == 200;
    } catch (IOException refused) {
      return false;
    }
  }

  private Socket connect(InetAddress from) throws IOException {
    Socket socket = gateway.connectFrom(from);
    sockets.add(socket);
    return socket;
  }

  private static int get(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write("GET /api/x HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return RawHttp.read(socket.getInputStream()).status();
  }

  private static void assertRefused(Socket socket) throws IOException {
    Duration open = GuardedGateway.awaitEnd(socket, REFUSED_WITHIN);
    assertTrue(open.compareTo(REFUSED_WITHIN) < 0);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
