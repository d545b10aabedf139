package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.H2FrameClient;
import io.gridgate.testing.RecordingUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;

/**
 * The node the HTTP/2, flood and slow-client batteries attack: one event loop, the battery's short
 * client timeouts ({@link #REQUEST_HEADER}, {@link #KEEP_ALIVE}, {@link #REQUEST_BODY}), at most
 * {@link #MAX_CONCURRENT_STREAMS} streams per HTTP/2 connection, and route {@code app}
 * ({@code /app...}) to a {@link RecordingUpstream} whose pool holds {@link #POOL_SIZE} connections.
 * The upstream answers {@code 200 ok} at once, and never answers {@code /app/hold...}.
 */
final class BatteryNode implements AutoCloseable {
  static final Duration REQUEST_HEADER = Duration.ofSeconds(2);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(3);
  static final Duration REQUEST_BODY = Duration.ofSeconds(2);
  static final int MAX_CONCURRENT_STREAMS = 8;
  static final int POOL_SIZE = 4;
  /** What a refusal may take beyond its configured timeout on a loaded machine (sweeps, scheduling). */
  static final Duration SLACK = Duration.ofSeconds(5);
  /** The path of the control requests {@link #assertServes} sends; cases use other paths. */
  static final String CONTROL_PATH = "/app/ok";
  /** The authority the batteries send: the HTTP/2 client's {@code :authority}, and Host over HTTP/1.1. */
  static final String AUTHORITY = H2FrameClient.AUTHORITY;

  final GatewayFixture gw;
  final RecordingUpstream upstream;

  private BatteryNode(GatewayFixture gw, RecordingUpstream upstream) {
    this.gw = gw;
    this.upstream = upstream;
  }

  /**
   * A node on a Vert.x instance of its own (closed with the node), built by {@link EdgeVertx} as the
   * node's main builds it (so with the connection caps and client timeouts at accept), whose event
   * loops are never another node's: an attacked node and its twin never share one.
   */
  static BatteryNode start() {
    Vertx vertx = EdgeVertx.builder(new VertxOptions()).build();
    RecordingUpstream upstream = RecordingUpstream.start().answer(r -> r.target().startsWith("/app/hold")
        ? new RecordingUpstream.Answer.Silence() : RecordingUpstream.Answer.status(200, "ok"));
    GatewayFixture gw = new GatewayFixture(vertx);
    gw.startGateway(GatewayFixture.nodeYaml(
        "client_timeouts: {request_header: %ds, keep_alive: %ds, request_body: %ds}".formatted(
            REQUEST_HEADER.toSeconds(), KEEP_ALIVE.toSeconds(), REQUEST_BODY.toSeconds()),
        // the attackers come from 127.0.0.2, the probes from 127.0.0.1; 300 sockets stay under the cap
        "limits: {max_concurrent_streams: %d, max_connections_per_client: 1000}".formatted(MAX_CONCURRENT_STREAMS))
        + """
        upstreams:
          app: {targets: [{address: "%s"}], pool: {max_connections: %d}}
        routes:
          - {id: app, match: {path: {prefix: /app}}, upstream: app, timeouts: {total: 10s}}
        """.formatted(upstream.address(), POOL_SIZE));
    return new BatteryNode(gw, upstream);
  }

  int port() {
    return gw.port();
  }

  /** Sends a control GET on a new stream of {@code client} and asserts it is answered 200. */
  static void assertStreamServed(H2FrameClient client, String context) {
    H2FrameClient.Outcome outcome = controlRequest(client);
    assertEquals(Integer.valueOf(200), outcome.status(), context + ": a well-formed stream got " + outcome);
  }

  /**
   * Like {@link #assertStreamServed}, but a GOAWAY with an error code that closes the connection
   * passes too: after a stream error, RFC 9113 5.4.1 lets the server end the whole connection.
   */
  static void assertStreamServedUnlessConnectionEnded(H2FrameClient client, String context) {
    H2FrameClient.Outcome outcome = controlRequest(client);
    assertTrue(Integer.valueOf(200).equals(outcome.status()) || (outcome.goAway() != null && outcome.closed()),
        context + ": a well-formed stream got " + outcome);
  }

  private static H2FrameClient.Outcome controlRequest(H2FrameClient client) {
    return client.await(client.request(true, H2FrameClient.get(CONTROL_PATH)), Duration.ofSeconds(10));
  }

  /**
   * The node still serves: a control GET over HTTP/1.1 and one over a new HTTP/2 connection are
   * answered 200, and the admin listener's {@code /ready} is 200.
   */
  void assertServes(String context) {
    assertEquals(200, gw.get(CONTROL_PATH).status(), context + ": HTTP/1.1 control request");
    try (H2FrameClient fresh = H2FrameClient.open(port())) {
      assertStreamServed(fresh, context + " (new HTTP/2 connection)");
    }
    assertEquals(200, gw.admin(HttpMethod.GET, "/ready", null).status(), context + ": /ready");
  }

  /** The requests the upstream recorded other than the control requests. */
  List<RecordingUpstream.Recorded> caseRequests() {
    return upstream.requests().stream().filter(r -> !r.target().equals(CONTROL_PATH)).toList();
  }

  /** Asserts that no request under {@code pathPrefix} reached the upstream. */
  void assertNoCaseRequestUnder(String pathPrefix) {
    List<String> reached = caseRequests().stream().map(RecordingUpstream.Recorded::requestLine)
        .filter(line -> line.contains(" " + pathPrefix)).toList();
    assertTrue(reached.isEmpty(), "reached the upstream: " + reached);
  }

  /** Asserts that the upstream has at most {@code count} connections from the node open right now. */
  void assertUpstreamConnectionsOpenAtMost(int count) {
    assertTrue(upstream.connectionsOpen() <= count, upstream.connectionsOpen() + " upstream connections open");
  }

  @Override
  public void close() {
    upstream.close();
    GatewayFixture.await(gw.vertx.close());
  }
}
