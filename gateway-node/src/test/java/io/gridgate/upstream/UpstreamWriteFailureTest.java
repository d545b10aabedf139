package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.H2FrameClient;
import io.gridgate.testing.LogCapture;
import io.gridgate.testing.RecordingUpstream;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Defence in depth on the forward path: a request head the upstream's protocol cannot carry (a
 * route's header value with a leading space, which HTTP/1.1 trims but HTTP/2 refuses, to an HTTP/2
 * upstream) or an answer head the client's protocol cannot carry (that value to an HTTP/2 client) is
 * answered 502 at once, logged once, and the upstream request is reset, so its pooled connection
 * goes back to the pool (at most 4 here) for everyone else.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamWriteFailureTest {
  /** How long an HTTP/2 answer may take, with room for a loaded machine (10 s was not, beside a CPU hog). */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private GatewayFixture gw;
  private RecordingUpstream app;
  private TestUpstream h2App;
  private LogCapture log;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = RecordingUpstream.start();
    h2App = gw.echoUpstream("h2-app");
    log = LogCapture.onRootLogger();
    // the failing routes wait up to 20 s for a pooled connection (not the default 5 s): 50 streams
    // at once share 4 connections, and a loaded machine made some wait longer than 5 s
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}], pool: {max_connections: 4}}
          h2-app: {targets: [{address: "%s"}], protocol: http2, pool: {max_connections: 4}}
        routes:
          - {id: bad-request-head, match: {path: {prefix: /bad-request-head}}, upstream: h2-app, timeouts: {connect: 20s},
             request_headers: {set: {X-Pad: " padded"}}}
          - {id: bad-answer-head, match: {path: {prefix: /bad-answer-head}}, upstream: app, timeouts: {connect: 20s},
             response_headers: {set: {X-Pad: " padded"}}}
          - {id: good-h2, match: {path: {prefix: /h2-good}}, upstream: h2-app}
          - {id: good, match: {path: {prefix: /}}, upstream: app}
        """.formatted(app.address(), h2App.address()));
  }

  @AfterEach
  void tearDown() {
    log.close();
    app.close();
  }

  @Test
  void aRequestHeadTheUpstreamsProtocolCannotCarryIs502AndReachesNothing() {
    GatewayFixture.Reply reply = gw.get("/bad-request-head");

    assertEquals(502, reply.status());
    assertEquals("bad_gateway", reply.json().getString("error"));
    assertFalse(reply.bodyString().contains("Exception"), reply.bodyString());
    assertEquals(0, app.count() + h2App.requests());
    assertEquals(1, log.linesWith("could not write the request head to upstream").size(), "logged once");
    assertEquals(0, log.linesWith("Unhandled exception").size());
  }

  @Test
  void aStreamedBodysRequestHeadThatCannotBeWrittenIs502() {
    GatewayFixture.Reply reply = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.POST, "/bad-request-head"), request -> GatewayFixture.sendChunked(request, 4, "body"),
        GatewayFixture::reply));

    assertEquals(502, reply.status());
    assertEquals("close", reply.header("Connection"), "the unread body cannot be skipped");
    assertEquals(0, h2App.requests());
  }

  @Test
  void anAnswerHeadTheClientsProtocolCannotCarryIs502() {
    try (H2FrameClient h2 = H2FrameClient.open(gw.port())) {
      H2FrameClient.Outcome reply = h2.await(h2.request(true, H2FrameClient.get("/bad-answer-head")), WAIT);

      assertEquals(502, reply.status(), reply.toString());
      assertEquals("bad_gateway", new JsonObject(reply.text()).getString("error"));
      assertEquals("application/json", reply.header("content-type"), "none of the upstream's head is kept");
    }
    assertEquals(1, app.count());
    assertEquals(1, log.linesWith("could not write the answer head from upstream 'app'").size(), "logged once");
  }

  @Test
  void theSameAnswerHeadReachesAnHttp11Client() {
    GatewayFixture.Reply reply = gw.get("/bad-answer-head");

    assertEquals(200, reply.status());
    assertEquals("padded", reply.header("X-Pad"));
  }

  @Test
  void threeHundredFailedHeadsOverHttp2LeaveThePoolUsable() {
    String[] paths = {"/bad-request-head", "/bad-answer-head"};
    try (H2FrameClient h2 = H2FrameClient.open(gw.port())) {
      for (int batch = 0; batch < 6; batch++) {
        List<Integer> streams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          streams.add(h2.request(true, H2FrameClient.get(paths[i % paths.length] + "/" + batch + "/" + i)));
        }
        for (int stream : streams) {
          H2FrameClient.Outcome reply = h2.await(stream, WAIT);
          assertEquals(502, reply.status(), "stream " + stream + ": " + reply);
        }
      }
    }
    app.clear();

    List<Future<GatewayFixture.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String path = (i % 3 == 0 ? "/h2-good/" : "/well-behaved/") + i;
      replies.add(GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.GET, path),
          request -> request.send(), GatewayFixture::reply));
    }
    GatewayFixture.await(Future.all(replies));
    for (Future<GatewayFixture.Reply> reply : replies) {
      assertEquals(200, reply.result().status());
    }
    assertEquals(20, app.count());
    assertEquals(10, h2App.requests());
    GatewayFixture.awaitCondition("at most pool.max_connections open", GatewayFixture.WAIT,
        () -> app.connectionsOpen() <= 4);
  }

  @Test
  void theGoodRouteOnTheSameUpstreamIsUnaffected() {
    for (int i = 0; i < 10; i++) {
      assertEquals(502, gw.send(HttpMethod.GET, "/bad-request-head", Map.of(), null).status());
      assertEquals(200, gw.get("/fine/" + i).status());
    }
    assertEquals(10, app.count());
  }
}
