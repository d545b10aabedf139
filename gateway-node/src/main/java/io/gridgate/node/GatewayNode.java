package io.gridgate.node;

import io.gridgate.config.GatewayConfig;
import io.gridgate.proxy.GatewayState;
import io.gridgate.proxy.ProxyVerticle;
import io.gridgate.upstream.ActiveHealthChecker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One running gateway node: the proxy verticles (one per event loop, sharing one port), the
 * admin server and the active health checker, serving the current {@link GatewayState}.
 */
public final class GatewayNode {
  private final Vertx vertx;
  private final AtomicReference<GatewayState> state;
  private final List<ProxyVerticle> proxies = new CopyOnWriteArrayList<>();
  private final ActiveHealthChecker healthChecker;
  private AdminServer admin;
  private int httpPort;
  private volatile boolean draining;

  private GatewayNode(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.state = new AtomicReference<>(GatewayState.compile(config));
    this.healthChecker = new ActiveHealthChecker(vertx);
  }

  /** Starts a node on {@code vertx}; a configured port of 0 picks a free port (see {@link #httpPort()}). */
  public static Future<GatewayNode> start(Vertx vertx, GatewayConfig config) {
    GatewayNode node = new GatewayNode(vertx, config);
    return node.deploy().map(node);
  }

  private Future<Void> deploy() {
    GatewayState current = state.get();
    int instances = current.node().eventLoops();
    return deployProxy(current.node().http().port())
        .compose(port -> {
          httpPort = port;
          return instances > 1
              ? vertx.deployVerticle(() -> newProxy(port), new DeploymentOptions().setInstances(instances - 1))
              : Future.succeededFuture();
        })
        .compose(v -> AdminServer.start(vertx, current.node(), this::isServing))
        .map(adminServer -> {
          admin = adminServer;
          healthChecker.start(current.pools().values());
          return null;
        });
  }

  private Future<Integer> deployProxy(int port) {
    ProxyVerticle first = newProxy(port);
    return vertx.deployVerticle(first).map(id -> first.actualPort());
  }

  private ProxyVerticle newProxy(int port) {
    ProxyVerticle proxy = new ProxyVerticle(state::get, port);
    proxies.add(proxy);
    return proxy;
  }

  private boolean isServing() {
    return !draining;
  }

  public int httpPort() {
    return httpPort;
  }

  public int adminPort() {
    return admin.port();
  }

  public GatewayState state() {
    return state.get();
  }

  /** Stops taking new connections, waits for in-flight exchanges up to the drain timeout, then stops. */
  public Future<Void> drainAndStop() {
    draining = true;
    long drainMillis = state.get().node().drainTimeout().toMillis();
    healthChecker.stop();
    List<Future<Void>> drains = proxies.stream().map(p -> p.drain(drainMillis)).toList();
    return Future.join(drains).transform(ar -> admin.close()).transform(ar -> vertx.close());
  }
}
