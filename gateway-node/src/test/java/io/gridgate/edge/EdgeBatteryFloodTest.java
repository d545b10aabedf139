package io.gridgate.edge;

import static io.gridgate.edge.BatteryNode.KEEP_ALIVE;
import static io.gridgate.edge.BatteryNode.SLACK;
import static io.gridgate.testing.H2FrameClient.END_HEADERS;
import static io.gridgate.testing.H2FrameClient.END_STREAM;
import static io.gridgate.testing.H2FrameClient.block;
import static io.gridgate.testing.H2FrameClient.fields;
import static io.gridgate.testing.H2FrameClient.frame;
import static io.gridgate.testing.H2FrameClient.get;
import static io.gridgate.edge.H2Flood.repeating;
import static io.gridgate.edge.H2Flood.times;

import io.gridgate.testing.H2FrameClient;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edge battery's HTTP/2 floods and pool-starvation cases, one table row each: an attacker
 * ({@link H2Flood}) from 127.0.0.2 against a {@link BatteryNode}, measured by
 * {@link ProbeUnderAttack} against an unattacked twin node. Floods the codec catches must be cut
 * (GOAWAY or close) promptly; floods that open no stream must be cut once the connection has had
 * no open stream for {@code keep_alive} (or sooner, as Netty cuts a peer that leaves 10,000 control
 * frame answers unread); streams with invalid headers must all be answered and must not starve
 * the upstream's small pool. Cases are listed in docs/security.md.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgeBatteryFloodTest {
  /** How long a flood the codec recognises may run before the cut. */
  private static final Duration PROMPTLY = Duration.ofSeconds(5);
  /** How long a flood that never opens a stream may run: the HTTP/2 idle timeout, with slack. */
  private static final Duration IDLE_CUT = KEEP_ALIVE.plus(SLACK);
  /** Control frames a flooding connection writes per {@link H2Flood#TICK} (1 ms): 50,000 a second. */
  private static final int BURST = 50;
  /** HEADERS + RST_STREAM pairs a rapid-reset connection writes per tick: 1,000 streams a second. */
  private static final int RAPID_RESETS = 1;
  /** 16 KB CONTINUATION frames a connection writes per tick. */
  private static final int BIG_CONTINUATIONS = 1;

  private static ProbeUnderAttack.Case<H2Flood> sustained(String name, boolean reads, Supplier<H2Flood.FrameSource> sources, Duration cutWithin) {
    return new ProbeUnderAttack.Case<>(name, port -> H2Flood.sustained(port, reads, sources), (flood, node) -> flood.assertCutWithin(cutWithin));
  }

  /** A source that first sends {@code opening} once, then {@code frame(i)} for i = 0, 1, 2... {@code perTick} at a time. */
  private static Supplier<H2Flood.FrameSource> openingThen(byte[] opening, int perTick, IntFunction<byte[]> frame) {
    return () -> {
      int[] next = {-1};
      return () -> {
        if (next[0] < 0) {
          next[0] = 0;
          return opening;
        }
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (int i = 0; i < perTick; i++) {
          chunk.writeBytes(frame.apply(next[0]++));
        }
        return chunk.toByteArray();
      };
    };
  }

  /** The n-th client stream id (1, 3, 5...). */
  private static final IntUnaryOperator STREAM = n -> 2 * n + 1;

  static Stream<ProbeUnderAttack.Case<H2Flood>> cases() {
    byte[] rapidResetHead = block(get("/app/rapid-reset"));
    byte[] heldPost = frame(Http2FrameTypes.HEADERS, END_HEADERS, 1, block(fields("POST", "/app/hold")));
    byte[] unfinishedHead = frame(Http2FrameTypes.HEADERS, END_STREAM, 1, block(get("/app/continued")));
    byte[] bigFragment = block("x-filler", "f".repeat(16_000));
    return Stream.of(
        sustained("flood-rapid-reset", true, openingThen(new byte[0], RAPID_RESETS, n -> H2FrameClient.concat(
            frame(Http2FrameTypes.HEADERS, END_HEADERS | END_STREAM, STREAM.applyAsInt(n), rapidResetHead),
            H2FrameClient.rstStream(STREAM.applyAsInt(n), Http2Error.CANCEL))), PROMPTLY),
        sustained("flood-settings", true, repeating(times(BURST, H2FrameClient.settings())), IDLE_CUT),
        sustained("flood-settings-unread", false, repeating(times(BURST, H2FrameClient.settings())), IDLE_CUT),
        sustained("flood-ping", true, repeating(times(BURST, H2FrameClient.ping(0, 42))), IDLE_CUT),
        sustained("flood-ping-unread", false, repeating(times(BURST, H2FrameClient.ping(0, 42))), IDLE_CUT),
        new ProbeUnderAttack.Case<>("flood-empty-data", port -> H2Flood.sustained(port, true,
            openingThen(heldPost, BURST, n -> H2FrameClient.data(1, 0, new byte[0]))), (flood, node) -> {
              flood.assertCutWithin(PROMPTLY);
              node.assertUpstreamConnectionsOpenAtMost(2);
            }),
        sustained("flood-priority", true, openingThen(new byte[0], BURST,
            n -> H2FrameClient.priority(STREAM.applyAsInt(n), 0, 16)), IDLE_CUT),
        sustained("flood-window-update", true, repeating(times(BURST, H2FrameClient.windowUpdate(0, 1))), IDLE_CUT),
        sustained("flood-continuation", true, openingThen(unfinishedHead, BIG_CONTINUATIONS,
            n -> H2FrameClient.continuation(1, 0, bigFragment)), PROMPTLY),
        sustained("flood-continuation-empty", true, openingThen(unfinishedHead, BURST,
            n -> H2FrameClient.continuation(1, 0, new byte[0])), PROMPTLY),
        poolStarvation(),
        poisonedUpstreamConnection());
  }

  /**
   * Pool starvation (a): 304 streams on 38 connections, each with a request head that HTTP/1.1
   * cannot carry ({@code :path} with a space, or a whole request line as {@code :method}), aimed
   * at the upstream whose pool holds 4 connections; every stream must be refused, and the probe
   * (to the same upstream) served meanwhile and afterwards.
   */
  private static ProbeUnderAttack.Case<H2Flood> poolStarvation() {
    int connections = 38;
    int streamsEach = BatteryNode.MAX_CONCURRENT_STREAMS;
    ByteArrayOutputStream streams = new ByteArrayOutputStream();
    for (int i = 0; i < streamsEach; i++) {
      String[] head = i % 2 == 0 ? get("/app/starve me") : fields("GET /app/starve HTTP/1.1", "/app/starve");
      streams.writeBytes(frame(Http2FrameTypes.HEADERS, END_HEADERS | END_STREAM, STREAM.applyAsInt(i), block(head)));
    }
    return new ProbeUnderAttack.Case<>("pool-starvation-invalid-h2-streams",
        port -> H2Flood.connections(port, connections, H2Flood.once(streams.toByteArray())),
        (flood, node) -> {
          flood.assertEveryStreamAnswered(connections * streamsEach, PROMPTLY, "400", "RST_STREAM PROTOCOL_ERROR");
          node.assertNoCaseRequestUnder("/app/starve");
        });
  }

  /**
   * Pool starvation (b): one stream whose {@code :path} HTTP/1.1 cannot carry; its upstream
   * connection must not be left leased or half-written, so the probe's unrelated requests to the
   * same upstream on the same event loop keep being answered.
   */
  private static ProbeUnderAttack.Case<H2Flood> poisonedUpstreamConnection() {
    byte[] poison = frame(Http2FrameTypes.HEADERS, END_HEADERS | END_STREAM, 1, block(get("/app/poison x")));
    return new ProbeUnderAttack.Case<>("pool-poisoned-http1-connection",
        port -> H2Flood.connections(port, 1, H2Flood.once(poison)),
        (flood, node) -> {
          flood.assertEveryStreamAnswered(1, PROMPTLY, "400", "RST_STREAM PROTOCOL_ERROR");
          node.assertNoCaseRequestUnder("/app/poison");
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void flood(ProbeUnderAttack.Case<H2Flood> c) {
    c.run();
  }
}
