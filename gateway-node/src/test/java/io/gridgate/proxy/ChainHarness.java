package io.gridgate.proxy;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.ConfigParser;
import io.gridgate.grid.LocalBreakerStore;
import io.gridgate.http.ClientRequest;
import io.gridgate.http.vertx.VertxClientRequest;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.testing.GatewayFixture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;

/**
 * A loopback HTTP server that runs every request it gets through a {@link RouteChain} the test
 * builds (chosen steps of one route of a compiled configuration, then a chosen terminal), on one
 * event loop with its own deadline sweeper and upstream connectors: for testing steps and the
 * upstream call one at a time over real sockets.
 */
final class ChainHarness implements AutoCloseable {
  final Vertx vertx;
  final GatewayState state;
  final NodeServices services;
  private final Context context;
  private final DeadlineSweeper deadlines;
  private final UpstreamClients clients;
  private final HttpServer server;
  private final HttpClient client;
  private volatile RouteChain chain;

  /** Compiles {@code yaml} (node-less: standalone services) and listens on a loopback port. */
  ChainHarness(Vertx vertx, String yaml) {
    this(vertx, yaml, NodeClock.SYSTEM);
  }

  /** {@link #ChainHarness(Vertx, String)} on the node clock {@code clock} (breakers, ejection, cache, limits). */
  ChainHarness(Vertx vertx, String yaml, NodeClock clock) {
    this.vertx = vertx;
    this.services = NodeServices.standalone(new LocalBreakerStore(clock.millis()), clock);
    this.state = GatewayState.compile(new ConfigParser().parse(yaml), services);
    this.context = vertx.getOrCreateContext();
    this.deadlines = new DeadlineSweeper(vertx);
    this.clients = new UpstreamClients(vertx);
    this.client = vertx.createHttpClient();
    this.server = vertx.createHttpServer().requestHandler(request -> serve(new VertxClientRequest(request)));
    Promise<HttpServer> listening = Promise.promise();
    context.runOnContext(v -> {
      deadlines.start();
      server.listen(0, "127.0.0.1").onComplete(listening);
    });
    GatewayFixture.await(listening.future());
  }

  /** The route {@code id} of the compiled configuration. */
  CompiledRoute route(String id) {
    return state.routes().routes().stream().filter(route -> route.id().equals(id)).findFirst().orElseThrow();
  }

  /** From now on requests run through {@code steps} of route {@code id}, then {@code terminal}. */
  void use(String id, List<Step> steps, Terminal terminal) {
    CompiledRoute route = route(id);
    String upstream = route.spec().upstream();
    chain = new RouteChain(route, upstream == null ? null : state.pools().get(upstream), steps, terminal);
  }

  private void serve(ClientRequest request) {
    RequestRecord record = new RequestRecord(request);
    record.identified(RequestIds.keepOrCreate(request.getHeader(RequestIds.HEADER)), TraceParent.of(null));
    String peer = request.remoteAddress().hostAddress();
    RequestBody body = request.isEnded() ? null
        : new RequestBody(request, deadlines, state.node(), services.requestBuffers());
    Exchange ex = new Exchange(request, record, new ClientPeer(peer, false, peer), chain, request.path(), request.uri(),
        body, new EventLoopParts(vertx, deadlines, clients));
    chain.start(ex);
  }

  /** Runs {@code action} on the harness' event loop and waits for it. */
  void onLoop(Runnable action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      action.run();
      done.complete();
    });
    GatewayFixture.await(done.future());
  }

  /** Sends a request and reads the whole answer. */
  GatewayFixture.Reply send(HttpMethod method, String uri, Map<String, String> headers, String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.actualPort())
        .setURI(uri);
    headers.forEach(options::putHeader);
    return GatewayFixture.send(client, options, body == null ? null : Buffer.buffer(body));
  }

  GatewayFixture.Reply get(String uri) {
    return send(HttpMethod.GET, uri, Map.of(), null);
  }

  /** Sends a GET without waiting for its answer. */
  Future<GatewayFixture.Reply> getLater(String uri) {
    return GatewayFixture.exchange(client, new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort())
        .setURI(uri), request -> request.send(), GatewayFixture::reply);
  }

  @Override
  public void close() {
    context.runOnContext(v -> {
      deadlines.stop();
      clients.close();
    });
    GatewayFixture.await(client.close());
    GatewayFixture.await(server.close());
  }
}
