package io.gridgate.http1;

import static io.gridgate.testing.GatewayFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.http.ClientRequest;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.gridgate.testing.RecordingUpstream.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Netty HTTP/1.1 core on loopback sockets: a Vert.x server with the core attached, a forwarder
 * on the core's upstream pool, a real Vert.x upstream, and raw sockets as clients.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http1CoreTest {
  private static final String HOST = "Host: gw.test\r\n";
  private Vertx vertx;
  private CoreUpstream upstream;
  private CoreFixture gateway;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    upstream = new CoreUpstream(vertx);
    gateway = CoreFixture.deploy(vertx, new CoreFixture(upstream.start(), CoreFixture.pool(4, 100)));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private static void awaitCondition(String what, BooleanSupplier condition) {
    GatewayFixture.awaitCondition(what, GatewayFixture.WAIT, condition);
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\n" + HOST + "\r\n";
  }

  @Test
  void answersAreFramedAsVertxFramesThem() throws IOException {
    String head = "HEAD /head HTTP/1.1\r\n" + HOST + "\r\n";
    String chunkedPost = "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    try (Socket socket = RawHttp.send(gateway.port(), get("/hello") + head + get("/empty") + get("/same") + chunkedPost)) {
      InputStream in = socket.getInputStream();
      RawHttp.Response hello = RawHttp.read(in);
      assertEquals(200, hello.status());
      assertEquals("hello", hello.body());
      assertEquals("5", hello.header("Content-Length"));
      RawHttp.Response headAnswer = RawHttp.read(in);
      assertEquals("5", headAnswer.header("Content-Length"));
      assertEquals(204, readHeadOnly(in));
      assertEquals(304, readHeadOnly(in));
      RawHttp.Response echoed = RawHttp.read(in);
      assertEquals("chunked", echoed.header("Transfer-Encoding"));
      assertEquals("hello world", echoed.body());
    }
    assertEquals(5, gateway.coreRequests.get());
    assertEquals(0, gateway.vertxRequests.get());
  }

  /** Reads an answer that has no body whatever its headers say (HEAD, 204, 304): its status. */
  private static int readHeadOnly(InputStream in) throws IOException {
    String status = readLine(in);
    while (!readLine(in).isEmpty()) {
      // headers
    }
    return Integer.parseInt(status.split(" ")[1]);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) {
        throw new IOException("closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /**
   * What lets the gateway copy a core request's headers upstream unchecked (UpstreamRequest.addChecked):
   * the map Vert.x's decoder filled checks every field set on it later, as it checked those it decoded.
   */
  @Test
  void aCoreRequestsHeadersAreCheckedWhenDecodedAndWhenChanged() {
    RawHttp.Response refused = RawHttp.exchange(gateway.port(), "GET /hello HTTP/1.1\r\n" + HOST + "X-Bad: a\u0001b\r\n\r\n");
    assertEquals(400, refused.status(), "a control byte in a value is refused as it is decoded");
    assertEquals("hello", RawHttp.exchange(gateway.port(), get("/hello")).body());
    ClientRequest served = gateway.lastCoreRequest;
    assertTrue(served.headersChecked());
    assertThrows(IllegalArgumentException.class, () -> served.headers().add("X-Injected", "a\r\nb"));
    assertThrows(IllegalArgumentException.class, () -> served.headers().set("Bad Name", "v"));
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    String post = "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 3\r\n\r\nabc";
    try (Socket socket = RawHttp.send(gateway.port(), get("/slow?ms=1000") + get("/hello") + post)) {
      InputStream in = socket.getInputStream();
      assertEquals("slow done", RawHttp.read(in).body());
      assertEquals("hello", RawHttp.read(in).body());
      assertEquals("abc", RawHttp.read(in).body());
    }
  }

  @Test
  void aTargetThatWouldSplitTheRequestLineIsRefusedBeforeAConnectionIsLeased() throws Exception {
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      Http1Connector connector = new Http1Connector(vertx, CoreFixture.pool(1, 10));
      connector.request(new RequestOptions().setHost("127.0.0.1").setPort(upstream.port()).setURI("/a b\r\nX-Evil: 1"))
          .onComplete(done -> refused.complete(done.cause()));
    });
    Throwable cause = refused.get(GatewayFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(cause instanceof IllegalArgumentException, "refused: " + cause);
    assertEquals(0, upstream.accepted.get(), "no connection was opened for it");
  }

  @Test
  void upstreamConnectionsAreKeptAliveAndReused() {
    for (int i = 0; i < 5; i++) {
      assertEquals("hello", RawHttp.exchange(gateway.port(), get("/hello")).body());
    }
    assertEquals(1, upstream.accepted.get(), "one pooled connection carried every request");
  }

  @Test
  void aFullPoolQueuesRequestsUpToItsWaitQueue() throws IOException {
    CoreFixture small = CoreFixture.deploy(vertx, new CoreFixture(upstream.port(), CoreFixture.pool(1, 1)));
    try (Socket first = RawHttp.send(small.port(), get("/slow?ms=1500"))) {
      awaitCondition("the first request holds the only connection", () -> upstream.accepted.get() == 1);
      try (Socket second = RawHttp.send(small.port(), get("/hello"))) {
        awaitCondition("the second request waits", () -> small.coreRequests.get() == 2);
        RawHttp.Response third = RawHttp.exchange(small.port(), get("/hello"));
        assertEquals(502, third.status(), "a request beyond the wait queue is refused at once");
        assertEquals("slow done", RawHttp.read(first.getInputStream()).body());
        assertEquals("hello", RawHttp.read(second.getInputStream()).body());
      }
    }
    assertEquals(1, upstream.accepted.get());
  }

  @Test
  void bytesAfterAnAnswerKeepItsConnectionFromTheNextRequestWaitingForIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (RecordingUpstream raw = RecordingUpstream.start()) {
      raw.answer(request -> {
        if (request.target().equals("/first")) {
          awaitRelease(release);
          return Answer.raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirstEXTRA");
        }
        return Answer.status(200, "second");
      });
      CoreFixture single = CoreFixture.deploy(vertx, new CoreFixture(raw.port(), CoreFixture.pool(1, 10)));
      try (Socket first = RawHttp.send(single.port(), get("/first"));
           Socket second = RawHttp.send(single.port(), get("/second"))) {
        awaitCondition("the second request waits for the only connection", () -> single.open.size() == 2);
        release.countDown();
        assertEquals("first", RawHttp.read(first.getInputStream()).body());
        assertEquals("second", RawHttp.read(second.getInputStream()).body());
      }
      assertEquals(2, raw.connectionsAccepted(), "the connection with stray bytes was closed, not handed on");
    }
  }

  private static void awaitRelease(CountDownLatch latch) {
    try {
      assertTrue(latch.await(GatewayFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS), "released in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void anIdleUpstreamConnectionClosesAfterTheKeepAliveTimeoutAndABusyOneDoesNot() {
    CoreFixture brief = CoreFixture.deploy(vertx, new CoreFixture(upstream.port(), CoreFixture.pool(4, 100, 1)));
    assertEquals("slow done", RawHttp.exchange(brief.port(), get("/slow?ms=2500")).body(),
        "an exchange longer than the keep-alive timeout keeps its connection");
    awaitCondition("the idle connection is closed by the gateway", () -> upstream.connections.isEmpty());
    assertEquals("hello", RawHttp.exchange(brief.port(), get("/hello")).body());
    assertEquals(2, upstream.accepted.get(), "a new connection after the idle one closed");
    assertEquals(0, brief.upstreamFailures.get());
  }

  @Test
  void aConnectionTheUpstreamClosedIsNotReused() {
    assertEquals("closing", RawHttp.exchange(gateway.port(), get("/close")).body());
    assertEquals("hello", RawHttp.exchange(gateway.port(), get("/hello")).body());
    awaitCondition("the upstream has one connection open", () -> upstream.connections.size() == 1);
    upstream.closeConnections();
    awaitCondition("the upstream closed it", () -> upstream.connections.isEmpty());
    assertEquals("hello", RawHttp.exchange(gateway.port(), get("/hello")).body());
    assertEquals(3, upstream.accepted.get());
    assertEquals(0, gateway.upstreamFailures.get());
  }

  @Test
  void aSlowClientHoldsTheUpstreamBack() throws Exception {
    long total = 64L * 1024 * 1024;
    try (Socket socket = RawHttp.send(gateway.port(), get("/stream?bytes=" + total))) {
      awaitCondition("the upstream is told to wait", () -> upstream.streamPaused.get());
      Thread.sleep(2_000); // room for a gateway without back-pressure to read on
      assertTrue(upstream.streamed.get() < total / 2, "the upstream streamed " + upstream.streamed.get() + " bytes");
      RawHttp.Response answer = RawHttp.read(socket.getInputStream());
      assertEquals(total, answer.body().length());
    }
  }

  @Test
  void aSlowUpstreamHoldsTheClientBack() throws Exception {
    long total = 64L * 1024 * 1024;
    AtomicLong sent = new AtomicLong();
    try (Socket socket = RawHttp.send(gateway.port(), "POST /hold HTTP/1.1\r\n" + HOST + "Content-Length: " + total + "\r\n\r\n")) {
      Thread writer = new Thread(() -> upload(socket, total, sent));
      writer.start();
      awaitCondition("the upstream holds the request", upstream::holding);
      Thread.sleep(2_000); // room for a gateway without back-pressure to read on
      assertTrue(sent.get() < total / 2, "the client sent " + sent.get() + " bytes");
      upstream.releaseHold();
      RawHttp.Response answer = RawHttp.read(socket.getInputStream());
      writer.join(GatewayFixture.WAIT.toMillis());
      assertEquals(Long.toString(total), answer.body());
    }
  }

  private static void upload(Socket socket, long total, AtomicLong sent) {
    byte[] chunk = new byte[64 * 1024];
    try {
      OutputStream out = socket.getOutputStream();
      while (sent.get() < total) {
        out.write(chunk);
        sent.addAndGet(chunk.length);
      }
      out.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aClientThatLeavesClosesItsUpstreamConnection() throws IOException {
    try (Socket socket = RawHttp.send(gateway.port(), get("/hang"))) {
      awaitCondition("the upstream got the request", () -> upstream.accepted.get() == 1 && upstream.connections.size() == 1);
    }
    awaitCondition("the upstream connection is closed", () -> upstream.connections.isEmpty());
    awaitCondition("the exchange is over", () -> gateway.open.isEmpty());
    assertEquals("hello", RawHttp.exchange(gateway.port(), get("/hello")).body());
    assertEquals(2, upstream.accepted.get());
  }

  @Test
  void anUpstreamThatBreaksOffMidBodyIsNotPassedOffAsComplete() throws IOException {
    long total = 64L * 1024 * 1024;
    try (Socket socket = RawHttp.send(gateway.port(), get("/stream?bytes=" + total))) {
      InputStream in = socket.getInputStream();
      assertEquals("HTTP/1.1 200 OK", readLine(in));
      awaitCondition("the upstream is told to wait", () -> upstream.streamPaused.get());
      upstream.closeConnections();
      byte[] rest = in.readAllBytes(); // up to the gateway's close, bounded by the socket timeout
      String tail = new String(rest, Math.max(0, rest.length - 5), Math.min(5, rest.length), StandardCharsets.ISO_8859_1);
      assertTrue(rest.length < total, "only part of the body arrived");
      assertTrue(!tail.equals("0\r\n\r\n"), "the chunked body must not be ended");
    }
  }

  @Test
  void aMalformedRequestGoesToVertxAndLeavesNoPooledConnectionBusy() throws IOException {
    String smuggle = "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    try (Socket socket = RawHttp.send(gateway.port(), get("/hello") + smuggle)) {
      InputStream in = socket.getInputStream();
      assertEquals("hello", RawHttp.read(in).body());
      assertEquals(400, RawHttp.read(in).status());
    }
    assertEquals("hello", RawHttp.exchange(gateway.port(), get("/hello")).body());
    assertEquals(1, upstream.accepted.get(), "the pooled connection went back to the pool");
    assertEquals(2, gateway.coreRequests.get());
  }

  @Test
  void anUpgradeIsHandedToVertxWithTheRestOfTheConnection() throws IOException {
    String upgrade = "GET /ws HTTP/1.1\r\n" + HOST + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
    try (Socket socket = RawHttp.send(gateway.port(), get("/hello") + upgrade + get("/hello"))) {
      InputStream in = socket.getInputStream();
      assertEquals("hello", RawHttp.read(in).body());
      assertEquals("vertx", RawHttp.read(in).body());
      assertEquals("vertx", RawHttp.read(in).body());
    }
    assertEquals(1, gateway.coreRequests.get());
    assertEquals(2, gateway.vertxRequests.get());
  }

  @Test
  void aDrainLetsTheExchangeInFlightFinish() throws IOException {
    try (Socket socket = RawHttp.send(gateway.port(), get("/slow?ms=1500"))) {
      awaitCondition("the exchange is in flight", () -> gateway.open.size() == 1);
      var drained = gateway.drain(20_000);
      RawHttp.Response answer = RawHttp.read(socket.getInputStream());
      assertEquals("slow done", answer.body());
      await(drained);
      assertEquals(-1, socket.getInputStream().read(), "the connection closed after the answer");
    }
  }

  @Test
  void http10WithoutKeepAliveIsClosedAfterTheAnswer() throws IOException {
    try (Socket socket = RawHttp.send(gateway.port(), "GET /hello HTTP/1.0\r\n\r\n")) {
      InputStream in = socket.getInputStream();
      RawHttp.Response answer = RawHttp.read(in);
      assertEquals("hello", answer.body());
      assertNull(answer.header("Connection"));
      assertEquals(-1, in.read());
    }
  }
}
