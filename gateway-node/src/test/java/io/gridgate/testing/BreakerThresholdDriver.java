package io.gridgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream of two real targets on loopback that answer every request 503 after a few
 * milliseconds (so concurrent requests overlap and a failed attempt is retried on the other
 * target), counting what reaches them; and clients that send requests to a gateway route in
 * front of it until the gateway answers {@code 503 circuit_open}.
 */
public final class BreakerThresholdDriver implements AutoCloseable {
  /** A client gives up after this many requests without meeting an open breaker. */
  private static final int MAX_REQUESTS_PER_CLIENT = 200;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(64));
  private final AtomicInteger received = new AtomicInteger();
  private final List<Integer> ports = new ArrayList<>();

  /** Starts the two failing targets. */
  public BreakerThresholdDriver() {
    for (int i = 0; i < 2; i++) {
      HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
        received.incrementAndGet();
        vertx.setTimer(3, t -> request.response().setStatusCode(503).end("failing target"));
      }).listen(0, "127.0.0.1"));
      ports.add(server.actualPort());
    }
  }

  /** Upstream {@code name} over the two targets with {@code breaker}, passive health checks off so the breaker alone reacts. */
  private String upstreamYaml(String name, String breaker) {
    return """
          %s:
            targets: [{address: "127.0.0.1:%d"}, {address: "127.0.0.1:%d"}]
            health_check: {passive: {max_failures: 0}}
            circuit_breaker: %s
        """.formatted(name, ports.get(0), ports.get(1), breaker);
  }

  /**
   * The {@code upstreams} and {@code routes} sections of a document: upstreams {@code sequential}
   * and {@code concurrent} whose breakers open after 5 consecutive failures, {@code ratio} whose
   * breaker opens at a failure ratio of 0.5 over at least 8 calls (each open for an hour, with
   * {@code breakerExtra} such as {@code ", scope: local"}), each behind the route of its name with one retry.
   */
  public String document(String breakerExtra) {
    String breaker = "{%s, open_for: 1h" + breakerExtra + "}";
    StringBuilder routes = new StringBuilder("routes:\n");
    for (String name : List.of("sequential", "concurrent", "ratio")) {
      routes.append("  - {id: %s, match: {path: {prefix: /%s}}, upstream: %s, retries: {attempts: 1}}\n"
          .formatted(name, name, name));
    }
    return "upstreams:\n"
        + upstreamYaml("sequential", breaker.formatted("consecutive_failures: 5"))
        + upstreamYaml("concurrent", breaker.formatted("consecutive_failures: 5"))
        + upstreamYaml("ratio", breaker.formatted("failure_ratio: 0.5, min_calls: 8")) + routes;
  }

  /** Requests (attempts, retries included) that reached the targets so far. */
  public int received() {
    return received.get();
  }

  /**
   * Sends GET {@code path} to {@code 127.0.0.1:port} one request after another until one is
   * answered 503 {@code circuit_open}; answers how many failures reached the targets meanwhile.
   */
  public int sequentialUntilOpen(int port, String path) {
    int before = received();
    await(untilOpen(port, path));
    return received() - before;
  }

  /**
   * Runs {@code clients} clients at once, each sending GET {@code path} to {@code 127.0.0.1:port}
   * one request after another until one is answered 503 {@code circuit_open}; answers how many
   * failures reached the targets meanwhile.
   */
  public int concurrentUntilOpen(int clients, int port, String path) {
    int before = received();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      loops.add(untilOpen(port, path));
    }
    await(Future.all(loops));
    return received() - before;
  }

  private Future<Void> untilOpen(int port, String path) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> next(port, path, new AtomicInteger(), done));
    return done.future();
  }

  private void next(int port, String path, AtomicInteger sent, Promise<Void> done) {
    if (sent.incrementAndGet() > MAX_REQUESTS_PER_CLIENT) {
      done.fail("no circuit_open answer in " + MAX_REQUESTS_PER_CLIENT + " requests");
      return;
    }
    client.get(port, "127.0.0.1", path).send().onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (isCircuitOpen(ar.result())) {
        done.complete();
      } else {
        next(port, path, sent, done);
      }
    });
  }

  private static boolean isCircuitOpen(HttpResponse<Buffer> reply) {
    return reply.statusCode() == 503 && reply.bodyAsString().contains("\"circuit_open\"");
  }

  /**
   * Asserts the documented bound on what reaches the upstream per trip: at least {@code threshold}
   * failures, and at most {@code threshold} plus the attempts other clients had in flight when the
   * threshold was reached ({@code clients - 1}, each client having one attempt at a time).
   */
  public static void assertWithinBound(int threshold, int clients, int reached) {
    assertTrue(reached >= threshold, reached + " failures reached the upstream, fewer than the threshold " + threshold);
    assertTrue(reached <= threshold + clients - 1, reached + " failures reached the upstream with " + clients
        + " clients; the bound is " + threshold + " + " + (clients - 1));
  }

  /** Asserts that exactly {@code threshold} failures reached the upstream for one sequential client. */
  public static void assertExactly(int threshold, int reached) {
    assertEquals(threshold, reached, "failures that reached the upstream before the breaker opened");
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
