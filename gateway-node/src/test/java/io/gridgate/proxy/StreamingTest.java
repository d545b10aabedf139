package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bodies larger than this JVM's whole heap pass through the gateway in both directions: they can
 * only arrive intact if every hop streams with back-pressure instead of buffering.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@io.vertx.junit5.Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class StreamingTest {
  /** More than the heap can hold: the heap limit plus 64 MiB. */
  private static final long LARGER_THAN_HEAP = Runtime.getRuntime().maxMemory() + 64L * 1024 * 1024;

  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
  }

  private static void report(String what, long bytes, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("%s: %,d bytes in %.1f s (%.0f MB/s), heap max %,d%n",
        what, bytes, seconds, bytes / seconds / 1e6, Runtime.getRuntime().maxMemory());
  }

  /** Starts a counting upstream behind an {@code /upload} route without a body size limit. */
  private TestUpstream startUploadSink() {
    TestUpstream sink = TestUpstream.counting(gw.vertx, "sink");
    gw.startGateway(GatewayFixture.nodeYaml("limits: {max_body_size: 0}") + """
        upstreams:
          sink: {targets: [{address: "%s"}]}
        routes:
          - {id: upload, match: {path: {prefix: /upload}}, upstream: sink}
        """.formatted(sink.address()));
    return sink;
  }

  @Test
  void chunkedRequestBodyLargerThanTheHeapReachesTheUpstreamByteExact(VertxTestContext ctx) {
    TestUpstream sink = startUploadSink();
    long start = System.nanoTime();

    GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.POST, "/upload"),
            request -> {
              request.setChunked(true);
              GatewayFixture.writeGenerated(request, LARGER_THAN_HEAP);
              return request.response();
            },
            GatewayFixture::reply)
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          report("request body through the gateway", LARGER_THAN_HEAP, start);
          assertTrue(LARGER_THAN_HEAP > Runtime.getRuntime().maxMemory());
          assertEquals(200, reply.status());
          assertEquals(Long.toString(LARGER_THAN_HEAP), reply.bodyString(), "bytes counted by the upstream");
          assertEquals(1, sink.completedBodies());
          assertEquals(LARGER_THAN_HEAP, sink.bodyBytes());
          ctx.completeNow();
        })));
  }

  @Test
  void declaredLengthRequestBodyLargerThanTheHeapKeepsItsContentLength(VertxTestContext ctx) {
    TestUpstream sink = startUploadSink();

    GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.PUT, "/upload")
            .putHeader("Content-Length", Long.toString(LARGER_THAN_HEAP)),
            request -> {
              GatewayFixture.writeGenerated(request, LARGER_THAN_HEAP);
              return request.response();
            },
            GatewayFixture::reply)
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(200, reply.status());
          assertEquals(Long.toString(LARGER_THAN_HEAP), reply.bodyString());
          assertEquals(Long.toString(LARGER_THAN_HEAP), sink.last().header("Content-Length"));
          assertNull(sink.last().header("Transfer-Encoding"));
          ctx.completeNow();
        })));
  }

  @Test
  void responseBodyLargerThanTheHeapReachesTheClientByteExact(VertxTestContext ctx) {
    TestUpstream source = gw.upstream("source", request -> {
      request.response().setChunked(true);
      GatewayFixture.writeGenerated(request.response(), LARGER_THAN_HEAP);
    });
    gw.startGateway(GatewayFixture.singleRoute("", source));
    long start = System.nanoTime();
    AtomicLong received = new AtomicLong();

    GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.GET, "/download"),
            HttpClientRequest::send,
            response -> GatewayFixture.countBody(response, received))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          report("response body through the gateway", received.get(), start);
          assertEquals(200, status);
          assertEquals(LARGER_THAN_HEAP, received.get());
          ctx.completeNow();
        })));
  }
}
