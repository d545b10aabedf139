package io.gridgate.edge;

import io.gridgate.node.GatewayNode;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A gateway node on a Vert.x of its own built by {@link EdgeVertx} (as the node's main builds it, so
 * with connection caps and client timeouts), and what the edge tests ask of raw sockets to it.
 */
final class GuardedGateway implements AutoCloseable {
  private final Vertx vertx = EdgeVertx.builder(new VertxOptions().setEventLoopPoolSize(2)).build();
  private final GatewayNode node;

  private GuardedGateway(GatewayFixture fixture, String yaml) {
    this.node = fixture.startGateway(vertx, yaml);
  }

  /** Starts a node from {@code yaml}; {@code fixture}'s client and raw helpers then talk to it. */
  static GuardedGateway start(GatewayFixture fixture, String yaml) {
    return new GuardedGateway(fixture, yaml);
  }

  /** {@code nodeSection} (as {@link GatewayFixture#nodeYaml} writes it) and an upstream {@code app} behind the route {@code /api}. */
  static String apiConfig(String nodeSection, TestUpstream app) {
    return nodeSection + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: api, match: {path: {prefix: /api}}, upstream: app}
        """.formatted(app.address());
  }

  int port() {
    return node.httpPort();
  }

  /** A new connection from {@code 127.0.0.1} to the node's HTTP port. */
  Socket connect() throws IOException {
    return connectFrom(InetAddress.getLoopbackAddress());
  }

  /** A new connection from {@code local} (another loopback address such as 127.0.0.2) to the node's HTTP port. */
  Socket connectFrom(InetAddress local) throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), port(), local, 0);
  }

  /**
   * Reads (and drops) what {@code socket} receives until the gateway ends the connection (end of stream
   * or reset), for at most {@code within}; returns how long that took, or fails.
   */
  static Duration awaitEnd(Socket socket, Duration within) throws IOException {
    long start = System.nanoTime();
    socket.setSoTimeout((int) within.toMillis());
    InputStream in = socket.getInputStream();
    try {
      while (in.read() != -1) {
        // drop what the gateway still sends
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the gateway kept the connection open for " + within);
    } catch (IOException reset) {
      // the gateway reset the connection: ended too
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public void close() {
    GatewayFixture.await(vertx.close());
  }
}
