package io.gridgate.testing;

import io.gridgate.clock.NodeClock;
import io.gridgate.cluster.Membership;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.SecretResolver;
import io.gridgate.admin.AdminToken;
import io.gridgate.node.GatewayNode;
import io.gridgate.upstream.Target;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Shared set-up for the proxy integration tests: a gateway node started from a YAML string on
 * ephemeral loopback ports, real upstream servers ({@link TestUpstream}), a keep-alive HTTP client
 * to the gateway, raw socket exchanges ({@link RawHttp}) and bounded blocking waits.
 */
public final class GatewayFixture {
  /** Longest wait for any single future in these tests. */
  public static final Duration WAIT = Duration.ofSeconds(15);
  public static final String ADMIN_TOKEN = "fixture-admin-token";

  public final Vertx vertx;
  private GatewayNode node;
  private HttpClient client;
  private NodeClock clock = NodeClock.SYSTEM;

  public GatewayFixture(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A gateway answer as the client saw it. */
  public record Reply(int status, MultiMap headers, Buffer body, HttpVersion version) {
    public String header(String name) {
      return headers.get(name);
    }

    public String bodyString() {
      return body.toString();
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    public String servedBy() {
      return headers.get(TestUpstream.SERVED_BY);
    }
  }

  // ---- configuration ----

  /**
   * The {@code node} section every test uses (loopback, port 0, one event loop) followed by
   * {@code extraNodeLines}, each a YAML line inside {@code node:} such as {@code "limits: {max_body_size: 1KB}"}.
   */
  public static String nodeYaml(String... extraNodeLines) {
    StringBuilder yaml = new StringBuilder("""
        node:
          http: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          event_loops: 1
        """);
    for (String line : extraNodeLines) {
      yaml.append("  ").append(line).append('\n');
    }
    return yaml.toString();
  }

  /** {@link #nodeYaml()} with {@code tls} (a flow mapping such as {@code {cert: "a.pem", key: "a.key"}}) on the HTTP listener. */
  public static String tlsNodeYaml(String tls) {
    return nodeYaml().replace("http: {host: 127.0.0.1, port: 0}", "http: {host: 127.0.0.1, port: 0, tls: " + tls + "}");
  }

  /** The node section (with {@code extraNodeLines}) and one upstream {@code app} over {@code target}, before further sections. */
  public static String withApp(TestUpstream target, String... extraNodeLines) {
    return nodeYaml(extraNodeLines) + "upstreams:\n  app: {targets: [{address: \"" + target.address() + "\"}]}\n";
  }

  /** A YAML config with one upstream {@code app} over {@code targets} and one catch-all route {@code all}. */
  public static String singleRoute(String routeExtras, TestUpstream... targets) {
    StringBuilder list = new StringBuilder();
    for (TestUpstream t : targets) {
      list.append(list.length() == 0 ? "" : ", ").append("{address: \"").append(t.address()).append("\"}");
    }
    return nodeYaml() + """
        upstreams:
          app: {targets: [%s]}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app%s}
        """.formatted(list, routeExtras.isEmpty() ? "" : ", " + routeExtras);
  }

  // ---- gateway ----

  /** Parses {@code yaml} and starts a gateway node on this fixture's Vert.x. */
  public GatewayNode startGateway(String yaml) {
    return startGateway(vertx, yaml);
  }

  /** Parses {@code yaml} and starts a gateway node on {@code gatewayVertx} (which the node closes when drained). */
  public GatewayNode startGateway(Vertx gatewayVertx, String yaml) {
    node = await(GatewayNode.start(gatewayVertx, new ConfigParser().parse(yaml), Membership.standalone(clock),
        AdminToken.random(), null, SecretResolver.system(), clock));
    return node;
  }

  /**
   * Nodes started from now on time their circuit breakers, passive ejection, cached answers, rate
   * limiters and token checks by {@code manual} instead of the system's clock.
   */
  public GatewayFixture withClock(ManualClock manual) {
    clock = manual.nodeClock();
    return this;
  }

  /** {@link #startGateway(String)} on {@code manual}'s time ({@link #withClock}). */
  public GatewayNode startGateway(String yaml, ManualClock manual) {
    return withClock(manual).startGateway(yaml);
  }

  /** Starts a standalone node whose admin API takes {@link #ADMIN_TOKEN}. */
  public GatewayNode startGatewayWithAdmin(String yaml) {
    return startGatewayWithAdmin(yaml, SecretResolver.system(), null);
  }

  /**
   * {@link #startGatewayWithAdmin(String)} resolving secret references with {@code secrets} and
   * keeping applied versions in {@code snapshotFile} (none when null).
   */
  public GatewayNode startGatewayWithAdmin(String yaml, SecretResolver secrets, Path snapshotFile) {
    node = await(GatewayNode.start(vertx, new ConfigParser(secrets).parse(yaml), Membership.standalone(clock),
        AdminToken.of(ADMIN_TOKEN), snapshotFile, secrets, clock));
    return node;
  }

  /** A call to the node's admin API with {@link #ADMIN_TOKEN}; {@code body} may be null. */
  public Reply admin(HttpMethod method, String uri, String body) {
    return send(client(), adminRequest(method, uri), body == null ? null : Buffer.buffer(body));
  }

  /** Options for a call to the node's admin API with {@link #ADMIN_TOKEN}, to add headers to. */
  public RequestOptions adminRequest(HttpMethod method, String uri) {
    return new RequestOptions().setMethod(method).setURI(uri).setHost("127.0.0.1")
        .setPort(node().adminPort()).putHeader("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  public GatewayNode node() {
    if (node == null) {
      throw new IllegalStateException("no gateway started");
    }
    return node;
  }

  public int port() {
    return node().httpPort();
  }

  /** The live target of pool {@code upstream} whose address is {@code upstreamServer}'s. */
  public Target target(String upstream, TestUpstream upstreamServer) {
    return node().state().pools().get(upstream).targets().stream()
        .filter(t -> t.spec().port() == upstreamServer.port())
        .findFirst().orElseThrow();
  }

  // ---- upstreams ----

  public TestUpstream echoUpstream(String name) {
    return TestUpstream.echo(vertx, name);
  }

  public TestUpstream upstream(String name, Handler<HttpServerRequest> handler) {
    return TestUpstream.start(vertx, name, handler);
  }

  // ---- client ----

  /** A keep-alive HTTP/1.1 client whose default host and port are the gateway's. */
  public HttpClient client() {
    if (client == null) {
      client = vertx.createHttpClient(new HttpClientOptions()
              .setDefaultHost("127.0.0.1").setDefaultPort(port()).setMaxHeaderSize(64 * 1024),
          new PoolOptions().setHttp1MaxSize(8));
    }
    return client;
  }

  public Reply get(String uri) {
    return send(HttpMethod.GET, uri, Map.of(), null);
  }

  /** Options for a {@code method} request for {@code uri} to the gateway's HTTP port. */
  public RequestOptions request(HttpMethod method, String uri) {
    return new RequestOptions().setMethod(method).setURI(uri).setHost("127.0.0.1").setPort(port());
  }

  public Reply send(HttpMethod method, String uri, Map<String, String> headers, String body) {
    RequestOptions options = request(method, uri);
    headers.forEach(options::putHeader);
    return send(client(), options, body == null ? null : Buffer.buffer(body));
  }

  /** Sends one request with {@code client} and waits for the whole answer. */
  public static Reply send(HttpClient client, RequestOptions options, Buffer body) {
    return await(exchange(client, options, request -> body == null ? request.send() : request.send(body),
        GatewayFixture::reply));
  }

  /**
   * Opens a request, lets {@code sender} send it, and hands the response to {@code onResponse} in the
   * event-loop task in which it arrives. A Vert.x response does not buffer body events for handlers
   * attached later, so chaining {@code onResponse} from the test thread could miss a small body.
   */
  public static <T> Future<T> exchange(HttpClient client, RequestOptions options,
                                Function<HttpClientRequest, Future<HttpClientResponse>> sender,
                                Function<HttpClientResponse, Future<T>> onResponse) {
    return client.request(options).compose(request -> sender.apply(request).compose(onResponse));
  }

  /** Reads a response's whole body into a {@link Reply}; to be called as the response arrives (see {@link #exchange}). */
  public static Future<Reply> reply(HttpClientResponse response) {
    return response.body().map(b ->
        new Reply(response.statusCode(), HttpHeaders.headers().addAll(response.headers()), b, response.version()));
  }

  /** Sends {@code chunks} copies of {@code chunk} as a chunked body, ends the request and returns its response. */
  public static Future<HttpClientResponse> sendChunked(HttpClientRequest request, int chunks, String chunk) {
    request.setChunked(true);
    for (int i = 0; i < chunks; i++) {
      request.write(Buffer.buffer(chunk));
    }
    request.end();
    return request.response();
  }

  /**
   * Adds the size of every body chunk of {@code response} to {@code bytes} without keeping them; the
   * result is the status code once the body has ended, or fails if the body breaks off. To be called
   * as the response arrives (see {@link #exchange}).
   */
  public static Future<Integer> countBody(HttpClientResponse response, AtomicLong bytes) {
    Promise<Integer> ended = Promise.promise();
    response.handler(chunk -> bytes.addAndGet(chunk.length()));
    response.exceptionHandler(ended::tryFail);
    response.endHandler(v -> ended.tryComplete(response.statusCode()));
    return ended.future();
  }

  /** Sends {@code request} as is over a new socket to the gateway and reads the answer. */
  public RawHttp.Response raw(String request) {
    return RawHttp.exchange(port(), request);
  }

  // ---- access log ----

  /** Waits (bounded by 10 s) until {@code file} holds {@code count} JSON lines, and returns them all. */
  public static List<JsonObject> awaitJsonLines(Path file, int count) {
    awaitCondition(count + " access-log lines", WAIT, () -> jsonLines(file).size() >= count);
    return jsonLines(file);
  }

  /** The JSON lines of {@code file}; none while it does not exist. */
  public static List<JsonObject> jsonLines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).stream().map(JsonObject::new).toList() : List.of();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- generated bodies ----

  private static final Buffer CHUNK = Buffer.buffer(new byte[64 * 1024]);

  /**
   * Writes {@code total} generated bytes to {@code stream} with back-pressure (pausing on a full
   * write queue until it drains), then ends it. Never holds more than one 64 KiB chunk.
   */
  public static Future<Void> writeGenerated(WriteStream<Buffer> stream, long total) {
    Promise<Void> done = Promise.promise();
    pump(stream, new AtomicLong(total), done);
    return done.future();
  }

  private static void pump(WriteStream<Buffer> stream, AtomicLong remaining, Promise<Void> done) {
    while (remaining.get() > 0 && !stream.writeQueueFull()) {
      int size = (int) Math.min(CHUNK.length(), remaining.get());
      remaining.addAndGet(-size);
      stream.write(size == CHUNK.length() ? CHUNK : CHUNK.getBuffer(0, size));
    }
    if (remaining.get() > 0) {
      stream.drainHandler(v -> {
        stream.drainHandler(null);
        pump(stream, remaining, done);
      });
    } else {
      stream.end().onComplete(done);
    }
  }

  // ---- waiting ----

  /** Waits (bounded by {@link #WAIT}) for {@code future} from a test thread and returns its result. */
  public static <T> T await(Future<T> future) {
    return await(future, WAIT);
  }

  /** Waits (bounded by {@code within}) for {@code future} from a test thread and returns its result. */
  public static <T> T await(Future<T> future, Duration within) {
    try {
      return future.await(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + within, e);
    }
  }

  /** Waits (bounded by {@link #WAIT}) until {@code future} completes; true when it failed. */
  public static boolean failed(Future<?> future) {
    return await(future.transform(ar -> Future.succeededFuture(ar.failed())));
  }

  /** Polls {@code condition} every 20 ms until it holds; fails after {@code within}. */
  public static void awaitCondition(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + within + " waiting for: " + what);
      }
      sleep(20);
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A loopback port nothing listens on (bound then released), so connecting to it is refused. */
  public static int deadPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
