package io.gridgate.proxy;

import static io.gridgate.testing.H2FrameClient.END_STREAM;
import static io.gridgate.testing.H2FrameClient.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.testing.Closer;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.H2FrameClient;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request bodies held before the upstream is called ({@code routes[].request_buffering}, up to
 * {@code node.limits.request_buffer_size} within {@code request_buffer_memory}): what the upstream
 * receives, when, and what can be retried; with buffering off or past the bound, bodies stream.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestBodyBufferingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension
  final Closer closer = new Closer();
  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
  }

  private RecordingUpstream recording() {
    return closer.add(RecordingUpstream.start());
  }

  /** A gateway whose route {@code all} goes to {@code targets} with {@code routeExtras}, and {@code nodeLines} in {@code node}. */
  private void start(String routeExtras, List<String> targets, String... nodeLines) {
    StringBuilder list = new StringBuilder();
    for (String t : targets) {
      list.append(list.length() == 0 ? "" : ", ").append("{address: \"").append(t).append("\"}");
    }
    gw.startGateway(GatewayFixture.nodeYaml(nodeLines) + """
        upstreams:
          app: {targets: [%s], health_check: {passive: {max_failures: 0}}}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app%s}
        """.formatted(list, routeExtras.isEmpty() ? "" : ", " + routeExtras));
  }

  /** The exchange ends (and gives its held bytes back) just after the client has its answer: wait for it. */
  private void awaitMemoryReturned() {
    GatewayFixture.awaitCondition("the held bytes given back to the budget", WAIT, () -> budget().held() == 0);
  }

  private RequestBufferBudget budget() {
    return gw.node().state().services().requestBuffers();
  }

  private Socket open(String head) throws IOException {
    return closer.add(RawHttp.send(gw.port(), head));
  }

  private static void write(Socket socket, String bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String post(String path, int contentLength) {
    return "POST " + path + " HTTP/1.1\r\nHost: gw.test\r\nContent-Length: " + contentLength + "\r\n\r\n";
  }

  /** An upstream that completes {@code firstBytes} with the first body chunk it reads and answers the byte count at the end. */
  private TestUpstream firstBytesUpstream(Promise<String> firstBytes) {
    return gw.upstream("streaming", request -> {
      long[] count = {0};
      request.handler(chunk -> {
        firstBytes.tryComplete(chunk.toString(StandardCharsets.ISO_8859_1));
        count[0] += chunk.length();
      });
      request.endHandler(v -> request.response().end(Long.toString(count[0])));
    });
  }

  /** A chunked body that ends within the buffer goes upstream with Content-Length; a longer one streams chunked. */
  @ParameterizedTest(name = "{0} chunks of {1} bytes, buffer {2}: Content-Length {3}")
  @CsvSource({"3, 100, 64KB, true", "64, 1000, 1KB, false"})
  void aChunkedBodyGoesUpstreamWithContentLengthWhenItEndsWithinTheBuffer(int chunks, int size, String buffer,
                                                                          boolean held) {
    RecordingUpstream upstream = recording();
    start("", List.of(upstream.address()), "limits: {request_buffer_size: " + buffer + "}");

    GatewayFixture.Reply reply = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.POST, "/upload"), request -> GatewayFixture.sendChunked(request, chunks, "c".repeat(size)),
        GatewayFixture::reply));

    assertEquals(200, reply.status());
    RecordingUpstream.Recorded recorded = upstream.last();
    assertEquals(held ? Integer.toString(chunks * size) : null, recorded.header("Content-Length"));
    assertEquals(held ? null : "chunked", recorded.header("Transfer-Encoding"));
    assertEquals("c".repeat(chunks * size), recorded.bodyString());
    awaitMemoryReturned();
  }

  @Test
  void theUpstreamIsNotCalledBeforeABufferedBodyHasArrived() throws IOException {
    RecordingUpstream upstream = recording();
    start("", List.of(upstream.address()));

    Socket client = open(post("/upload", 100) + "0123456789");
    GatewayFixture.awaitCondition("the first bytes held", WAIT, () -> budget().held() == 10);
    GatewayFixture.sleep(1500);
    assertEquals(0, upstream.connectionsAccepted(), "no upstream connection while the body is being held");

    write(client, "x".repeat(90));
    RawHttp.Response response = RawHttp.read(client.getInputStream());

    assertEquals(200, response.status());
    assertEquals(1, upstream.connectionsAccepted());
    assertEquals("100", upstream.last().header("Content-Length"));
    assertEquals("0123456789" + "x".repeat(90), upstream.last().bodyString());
  }

  @Test
  void aBufferedPutIsRetriedOnA502AndTheSecondTargetGetsTheWholeBodyWithContentLength() {
    RecordingUpstream failing = recording().answer(r -> RecordingUpstream.Answer.status(502, "bad"));
    RecordingUpstream healthy = recording();
    start("retries: {attempts: 1}", List.of(failing.address(), healthy.address()));
    String body = "payload-".repeat(1000);

    GatewayFixture.Reply reply = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.PUT, "/doc"), request -> GatewayFixture.sendChunked(request, 1000, "payload-"),
        GatewayFixture::reply));

    assertEquals(200, reply.status());
    assertEquals("ok", reply.bodyString());
    for (RecordingUpstream target : List.of(failing, healthy)) {
      assertEquals(1, target.count());
      assertEquals(Integer.toString(body.length()), target.last().header("Content-Length"));
      assertNull(target.last().header("Transfer-Encoding"));
      assertEquals(body, target.last().bodyString());
    }
    awaitMemoryReturned();
  }

  @Test
  void aBufferedPostIsStillNotRetriedBecausePostIsNotIdempotent() {
    RecordingUpstream failing = recording().answer(r -> RecordingUpstream.Answer.status(502, "bad"));
    RecordingUpstream healthy = recording();
    start("retries: {attempts: 1}", List.of(failing.address(), healthy.address()));

    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/orders", Map.of(), "{\"qty\": 1}");

    assertEquals(502, reply.status());
    assertEquals("bad", reply.bodyString(), "the target's own 502 is passed through");
    assertEquals(0, healthy.count());
  }

  @Test
  void aBodyLongerThanTheBufferStreamsWithTheClientsContentLengthAndIsNotRetried() {
    RecordingUpstream failing = recording().answer(r -> RecordingUpstream.Answer.status(502, "bad"));
    RecordingUpstream healthy = recording();
    start("retries: {attempts: 1}", List.of(failing.address(), healthy.address()), "limits: {request_buffer_size: 1KB}");
    String body = "0123456789abcdef".repeat(4096);

    GatewayFixture.Reply reply = gw.send(HttpMethod.PUT, "/doc", Map.of(), body);

    assertEquals(502, reply.status(), "only the first 1 KB was held: the body was streamed and cannot be sent again");
    assertEquals(0, healthy.count());
    RecordingUpstream.Recorded recorded = failing.last();
    assertEquals(Integer.toString(body.length()), recorded.header("Content-Length"));
    assertNull(recorded.header("Transfer-Encoding"));
    assertEquals(body, recorded.bodyString());
    awaitMemoryReturned();
  }

  @Test
  void withRequestBufferingOffTheUpstreamGetsTheFirstBytesBeforeTheClientFinished() throws IOException {
    Promise<String> firstBytes = Promise.promise();
    TestUpstream upstream = firstBytesUpstream(firstBytes);
    start("request_buffering: false", List.of(upstream.address()));

    Socket client = open(post("/upload", 100) + "0123456789");
    assertEquals("0123456789", GatewayFixture.await(firstBytes.future()), "streamed before the body is complete");

    write(client, "x".repeat(90));
    RawHttp.Response response = RawHttp.read(client.getInputStream());
    assertEquals(200, response.status());
    assertEquals("100", response.body());
  }

  @Test
  void whenTheMemoryBudgetIsTakenFurtherBodiesStreamAndAllSucceed() throws IOException {
    Promise<String> firstBytes = Promise.promise();
    TestUpstream upstream = gw.upstream("app", request -> {
      long[] count = {0};
      request.handler(chunk -> {
        if (request.path().equals("/second")) {
          firstBytes.tryComplete(chunk.toString(StandardCharsets.ISO_8859_1));
        }
        count[0] += chunk.length();
      });
      request.endHandler(v -> request.response().end(Long.toString(count[0])));
    });
    start("", List.of(upstream.address()), "limits: {request_buffer_size: 64KB, request_buffer_memory: 2KB}");

    Socket first = open(post("/first", 10_000) + "a".repeat(2048));
    GatewayFixture.awaitCondition("the first body holding the whole budget", WAIT, () -> budget().held() == 2048);
    Socket second = open(post("/second", 1000) + "b".repeat(500));
    assertEquals("b".repeat(500), GatewayFixture.await(firstBytes.future()),
        "with no memory left the second body streams at once");
    write(second, "b".repeat(500));
    RawHttp.Response secondAnswer = RawHttp.read(second.getInputStream());
    assertEquals(200, secondAnswer.status());
    assertEquals("1000", secondAnswer.body());

    write(first, "a".repeat(10_000 - 2048));
    RawHttp.Response firstAnswer = RawHttp.read(first.getInputStream());
    assertEquals(200, firstAnswer.status());
    assertEquals("10000", firstAnswer.body());
    awaitMemoryReturned();
  }

  @Test
  void aBodyGrowingPastMaxBodySizeWhileHeldIs413AndNeverReachesTheUpstream() {
    RecordingUpstream upstream = recording();
    start("", List.of(upstream.address()), "limits: {max_body_size: 1KB}");

    GatewayFixture.Reply reply = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.POST, "/upload"), request -> GatewayFixture.sendChunked(request, 8, "c".repeat(200)),
        GatewayFixture::reply));

    assertEquals(413, reply.status());
    assertEquals("body_too_large", reply.json().getString("error"));
    assertEquals("close", reply.header("Connection"));
    assertEquals(0, upstream.connectionsAccepted());
    awaitMemoryReturned();
  }

  @Test
  void aClientGoneWhileItsBodyIsHeldGivesTheMemoryBack() throws IOException {
    RecordingUpstream upstream = recording();
    start("", List.of(upstream.address()));

    Socket client = open(post("/upload", 1000) + "z".repeat(500));
    GatewayFixture.awaitCondition("the body held", WAIT, () -> budget().held() == 500);
    client.close();

    awaitMemoryReturned();
    assertEquals(0, upstream.connectionsAccepted());
    assertEquals(200, gw.get("/after").status(), "the node keeps serving");
  }

  /** HEADERS without END_STREAM then an empty DATA frame that ends the stream, or HEADERS that end it. */
  @ParameterizedTest(name = "ended by an empty DATA frame: {0}")
  @ValueSource(booleans = {true, false})
  void anHttp2GetWithoutABodyGoesUpstreamWithoutFramingAndIsRetriedOnA502(boolean endedByEmptyData) {
    RecordingUpstream failing = recording().answer(r -> RecordingUpstream.Answer.status(502, "bad"));
    RecordingUpstream healthy = recording();
    start("retries: {attempts: 1}", List.of(failing.address(), healthy.address()));

    H2FrameClient.Outcome answer;
    try (H2FrameClient h2 = H2FrameClient.open(gw.port())) {
      int stream = h2.request(!endedByEmptyData, H2FrameClient.get("/items"));
      if (endedByEmptyData) {
        h2.write(data(stream, END_STREAM, new byte[0]));
      }
      answer = h2.await(stream, WAIT);
    }

    assertEquals(200, answer.status());
    assertEquals("ok", answer.text());
    for (RecordingUpstream target : List.of(failing, healthy)) {
      assertEquals(1, target.count(), "the 502 was retried on the other target");
      assertNull(target.last().header("Transfer-Encoding"));
      assertNull(target.last().header("Content-Length"));
      assertEquals(0, target.last().body().length);
    }
  }

  @Test
  void anHttp2BodyInDataFramesGoesUpstreamWholeWithContentLength() {
    RecordingUpstream upstream = recording();
    start("", List.of(upstream.address()));

    H2FrameClient.Outcome answer;
    try (H2FrameClient h2 = H2FrameClient.open(gw.port())) {
      int stream = h2.request(false, H2FrameClient.fields("POST", "/items"));
      h2.write(data(stream, 0, "first-".getBytes(StandardCharsets.ISO_8859_1)));
      h2.write(data(stream, END_STREAM, "second".getBytes(StandardCharsets.ISO_8859_1)));
      answer = h2.await(stream, WAIT);
    }

    assertEquals(200, answer.status());
    assertEquals("12", upstream.last().header("Content-Length"));
    assertNull(upstream.last().header("Transfer-Encoding"));
    assertEquals("first-second", upstream.last().bodyString());
  }

  @Test
  void aRouteTransformingJsonStillReadsTheWholeBodyThroughTheSameReader() {
    RecordingUpstream upstream = recording();
    start("request_transform: {body: {set: {source: gateway}}}", List.of(upstream.address()),
        "limits: {request_buffer_size: 16}");
    Buffer json = Buffer.buffer("{\"qty\": 1, \"note\": \"longer than the 16 byte buffer\"}");

    GatewayFixture.Reply reply = GatewayFixture.send(gw.client(), gw.request(HttpMethod.POST, "/orders")
        .putHeader("Content-Type", "application/json"), json);

    assertEquals(200, reply.status());
    assertEquals("{\"qty\":1,\"note\":\"longer than the 16 byte buffer\",\"source\":\"gateway\"}",
        upstream.last().bodyString());
    assertEquals(Integer.toString(upstream.last().body().length), upstream.last().header("Content-Length"));
  }
}
