package io.gridgate.cluster;

import static io.gridgate.testing.ClusterFixture.ROUTES_A_AND_B;
import static io.gridgate.testing.ClusterFixture.ROUTE_A;
import static io.gridgate.testing.ClusterFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.distribution.ConfigService;
import io.gridgate.testing.ClusterFixture;
import io.gridgate.testing.GatewayFixture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load spread round-robin over three members (an L4 balancer's view) while 20 pushes
 * swap the route table under it: not one request may fail or see a half-applied version.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PushUnderLoadTest {
  private static final int PUSHES = 20;
  private static final int CONCURRENCY = 8;
  private static final int MAX_REQUESTS = 50_000;
  /** Requests sent on each version before the next push: 20 × 50 makes the 1,000 the test asks for. */
  private static final int REQUESTS_PER_VERSION = 50;

  @TempDir
  Path dir;

  @Test
  void twentyPushesUnderLoadFailNoRequest() throws Exception {
    try (ClusterFixture cluster = new ClusterFixture(dir, 3, 3)) {
      for (int i = 0; i < 3; i++) {
        cluster.startNode(i);
      }
      Vertx vertx = Vertx.vertx();
      HttpClient client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(CONCURRENCY));
      AtomicBoolean pushing = new AtomicBoolean(true);
      AtomicInteger sent = new AtomicInteger();
      Map<String, Integer> outcomes = new ConcurrentHashMap<>();
      List<Future<Void>> loops = new ArrayList<>();
      for (int c = 0; c < CONCURRENCY; c++) {
        Promise<Void> done = Promise.promise();
        vertx.runOnContext(v -> loop(client, cluster, pushing, sent, outcomes, done));
        loops.add(done.future());
      }

      long version = cluster.node(0).configService().appliedVersion();
      for (int i = 0; i < PUSHES; i++) {
        ConfigService pusher = cluster.node(i % 3).configService();
        String document = cluster.shared(i % 2 == 0 ? ROUTES_A_AND_B : ROUTE_A);
        int sentBefore = sent.get();
        ConfigService.PushResult result = await(pusher.push(version, document, "load test"));
        assertEquals(List.of(), result.lagging());
        version = result.version();
        // let traffic run on each version, as operators' pushes are spaced out: 50 requests, however slow the machine
        GatewayFixture.awaitCondition("50 requests on version " + version, Duration.ofSeconds(30),
            () -> sent.get() >= sentBefore + REQUESTS_PER_VERSION);
      }
      pushing.set(false);
      await(Future.all(loops));
      await(vertx.close());

      System.out.printf("push under load: %d requests over 3 nodes during %d pushes, outcomes %s%n",
          sent.get(), PUSHES, outcomes);
      assertEquals(Map.of("200 upstream-a", sent.get()), outcomes, "every request served by route a");
      assertTrue(sent.get() >= 1_000, "the load ran through the pushes (" + sent.get() + " requests)");
      for (int i = 0; i < 3; i++) {
        assertEquals(version, cluster.node(i).configService().appliedVersion());
      }
    }
  }

  /** One client slot: request after request, round-robin over the nodes, until the pushes end. */
  private static void loop(HttpClient client, ClusterFixture cluster, AtomicBoolean pushing, AtomicInteger sent,
                           Map<String, Integer> outcomes, Promise<Void> done) {
    int n = sent.getAndIncrement();
    if (!pushing.get() || n >= MAX_REQUESTS) {
      sent.decrementAndGet();
      done.tryComplete();
      return;
    }
    client.request(HttpMethod.GET, cluster.node(n % 3).httpPort(), "127.0.0.1", "/a")
        .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode() + " " + body)))
        .recover(err -> Future.succeededFuture("failed " + err.getClass().getSimpleName()))
        .onComplete(ar -> {
          outcomes.merge(ar.result(), 1, Integer::sum);
          loop(client, cluster, pushing, sent, outcomes, done);
        });
  }
}
