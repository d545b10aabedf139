package io.gridgate.edge;

import static io.gridgate.edge.BatteryNode.AUTHORITY;
import static io.gridgate.edge.BatteryNode.KEEP_ALIVE;
import static io.gridgate.edge.BatteryNode.REQUEST_BODY;
import static io.gridgate.edge.BatteryNode.REQUEST_HEADER;
import static io.gridgate.edge.BatteryNode.SLACK;
import static io.gridgate.testing.H2FrameClient.END_HEADERS;
import static io.gridgate.testing.H2FrameClient.END_STREAM;
import static io.gridgate.testing.H2FrameClient.block;
import static io.gridgate.testing.H2FrameClient.fields;
import static io.gridgate.testing.H2FrameClient.frame;
import static io.gridgate.testing.H2FrameClient.get;

import io.gridgate.testing.H2FrameClient;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edge battery's slow clients, one table row each: hundreds of sockets from 127.0.0.2
 * ({@link SlowClients}, or {@link H2Flood} connections that send their frames once) against a
 * {@link BatteryNode} whose client timeouts are short, measured by {@link ProbeUnderAttack}
 * against an unattacked twin node. Each attacker must be cut within its configured timeout (plus
 * {@link BatteryNode#SLACK}) in the way the spec says — closed, GOAWAY, 408 — while the probe keeps
 * its latency. Cases are listed in docs/security.md.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EdgeBatterySlowClientTest {
  private static final int SOCKETS = 300;
  private static final int H2_CONNECTIONS = 50;
  private static final String UPLOAD_HEAD = "POST /app/upload HTTP/1.1\r\nHost: " + AUTHORITY
      + "\r\nContent-Length: 102400\r\n\r\n";
  private static final Predicate<String> CLOSED_OR_408 = line -> line.isEmpty() || line.startsWith("HTTP/1.1 408");
  private static final Predicate<String> ANSWERED_408 = line -> line.startsWith("HTTP/1.1 408");

  private static ProbeUnderAttack.Case<SlowClients> sockets(String name, String head, String dribble, Duration every,
                                                            Duration cutWithin, Predicate<String> answer, String expected) {
    return new ProbeUnderAttack.Case<>(name, port -> SlowClients.start(port, SOCKETS, head, dribble, every),
        (clients, node) -> clients.assertAllClosedWithin(cutWithin, answer, expected));
  }

  /**
   * Uploads that never finish: checked while they are open, the upstream has no more connections
   * than the probe's (their bodies are buffered before a connection is taken); then each is cut
   * with 408.
   */
  private static ProbeUnderAttack.Case<SlowClients> uploads(String name, String head, String dribble, Duration every) {
    return new ProbeUnderAttack.Case<>(name, port -> SlowClients.start(port, SOCKETS, head, dribble, every),
        (clients, node) -> {
          node.assertUpstreamConnectionsOpenAtMost(2);
          clients.assertAllClosedWithin(REQUEST_BODY.plus(SLACK), ANSWERED_408, "408 request_timeout and a close");
        });
  }

  static Stream<ProbeUnderAttack.Case<?>> cases() {
    Duration second = Duration.ofSeconds(1);
    return Stream.of(
        sockets("slowloris-h1-heads", "GET /app/slowloris HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n",
            "X-Dribble: " + "d".repeat(200) + "\r\n", second, REQUEST_HEADER.plus(SLACK), CLOSED_OR_408, "a close (or 408)"),
        sockets("silent-connections", "", "", second, REQUEST_HEADER.plus(SLACK), CLOSED_OR_408, "a close (or 408)"),
        new ProbeUnderAttack.Case<>("idle-keep-alive-h1", port -> SlowClients.start(port, SOCKETS,
            "GET /app/keep-alive HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n").underWayOnceAnswered(),
            (clients, node) -> clients.assertAllClosedWithin(KEEP_ALIVE.plus(SLACK),
                line -> line.startsWith("HTTP/1.1 200"), "200, then a close")),
        uploads("slow-uploads", UPLOAD_HEAD + "0123456789", "", second),
        uploads("slow-upload-below-min-rate", UPLOAD_HEAD, "x".repeat(100), Duration.ofMillis(500)),
        sockets("h2-partial-preface", "PRI * HTTP/2.0\r\n", "", second, REQUEST_HEADER.plus(SLACK), CLOSED_OR_408,
            "a close (or 408)"),
        new ProbeUnderAttack.Case<>("h2-idle-connections", port -> H2Flood.connections(port, H2_CONNECTIONS, H2Flood.once()),
            (flood, node) -> flood.assertEveryConnectionCutWithin(KEEP_ALIVE.plus(SLACK))),
        new ProbeUnderAttack.Case<>("h2-header-block-never-finished", port -> H2Flood.connections(port, H2_CONNECTIONS,
            H2Flood.once(frame(Http2FrameTypes.HEADERS, END_STREAM, 1, block(get("/app/unfinished"))))),
            (flood, node) -> flood.assertEveryConnectionCutWithin(REQUEST_HEADER.plus(SLACK))),
        streamsNeverFinished());
  }

  /** 38 connections × 8 streams, each a POST declaring 100 kB that sends 10 bytes: every stream gets 408 or a reset. */
  private static ProbeUnderAttack.Case<H2Flood> streamsNeverFinished() {
    int connections = 38;
    int streamsEach = BatteryNode.MAX_CONCURRENT_STREAMS;
    byte[] head = block(fields("POST", "/app/upload", "content-length", "102400"));
    ByteArrayOutputStream streams = new ByteArrayOutputStream();
    for (int i = 0; i < streamsEach; i++) {
      int stream = 2 * i + 1;
      streams.writeBytes(frame(Http2FrameTypes.HEADERS, END_HEADERS, stream, head));
      streams.writeBytes(H2FrameClient.data(stream, 0, "0123456789".getBytes()));
    }
    return new ProbeUnderAttack.Case<>("h2-streams-never-finished",
        port -> H2Flood.connections(port, connections, H2Flood.once(streams.toByteArray())),
        (flood, node) -> {
          node.assertUpstreamConnectionsOpenAtMost(2);
          flood.assertEveryStreamAnswered(connections * streamsEach, REQUEST_BODY.plus(SLACK), "408", "RST_STREAM");
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void slowClient(ProbeUnderAttack.Case<?> c) {
    c.run();
  }
}
