package io.gridgate.node;

import io.gridgate.admin.AdminApi;
import io.gridgate.admin.AdminServer;
import io.gridgate.admin.AdminToken;
import io.gridgate.admin.CacheApi;
import io.gridgate.admin.CachePurgeService;
import io.gridgate.admin.ConsumerApi;
import io.gridgate.admin.RevocationApi;
import io.gridgate.cache.ResponseCaches;
import io.gridgate.cache.ResponseStore;
import io.gridgate.clock.NodeClock;
import io.gridgate.cluster.ClusterHealth;
import io.gridgate.cluster.Membership;
import io.gridgate.config.ClusterSettings;
import io.gridgate.config.GatewayConfig;
import io.gridgate.config.MinorityMode;
import io.gridgate.config.SecretResolver;
import io.gridgate.distribution.ConfigService;
import io.gridgate.distribution.FileDrift;
import io.gridgate.edge.EdgeListeners;
import io.gridgate.edge.EdgeVertx;
import io.gridgate.grid.IdentityDisk;
import io.gridgate.proxy.GatewayState;
import io.gridgate.proxy.NodeServices;
import io.gridgate.proxy.RequestBufferBudget;
import io.gridgate.proxy.RequestObserver;
import io.gridgate.telemetry.AccessLog;
import io.gridgate.telemetry.EventLoopDelay;
import io.gridgate.config.AccessLogSettings;
import io.gridgate.telemetry.NodeMetrics;
import java.io.IOException;
import io.gridgate.security.ConsumerDirectory;
import io.gridgate.security.RevocationList;
import io.gridgate.security.Security;
import io.gridgate.proxy.ProxyVerticle;
import io.gridgate.ratelimit.ClusterView;
import io.gridgate.ratelimit.RateLimiters;
import io.gridgate.upstream.ActiveHealthChecker;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * One running gateway node: the proxy verticles (one per event loop, sharing one port), the
 * admin server, the active health checker, the rate limiters, the response cache with its purge
 * service and the config service that keeps the served {@link GatewayState} on the cluster's
 * newest configuration version.
 */
public final class GatewayNode {
  private static final Logger LOG = Logger.getLogger(GatewayNode.class.getName());
  private final Vertx vertx;
  private final EdgeListeners edge;
  private final AtomicReference<GatewayState> state;
  private final RateLimiters limiters;
  private final RevocationList revocations = new RevocationList();
  private final ConsumerDirectory consumers = new ConsumerDirectory();
  private final List<ProxyVerticle> proxies = new CopyOnWriteArrayList<>();
  private final ConfigService configService;
  private final FileDrift fileDrift;
  private final CachePurgeService cachePurges;
  private final AdminToken adminToken;
  private final Membership membership;
  private final ClusterHealth clusterHealth;
  private final AccessLog accessLog;
  private final Path identityFile;
  private IdentityDisk identityDisk = IdentityDisk.NONE;
  private EventLoopDelay eventLoopDelay;
  private long clusterHealthTimer = -1;
  private ActiveHealthChecker healthChecker;
  private AdminServer admin;
  private int httpPort;
  private volatile boolean ready;
  private volatile boolean draining;

  private GatewayNode(Vertx vertx, GatewayConfig config, Membership membership, AdminToken adminToken,
                      Path snapshotFile, SecretResolver secrets, NodeClock clock) throws IOException {
    this.vertx = vertx;
    this.edge = EdgeVertx.listeners(vertx);
    if (edge == null) {
      LOG.warning("this node's Vert.x was not built with EdgeVertx.builder: client connections get no connection caps "
          + "and no request_header or keep_alive timeouts");
    }
    ClusterSettings cluster = config.node().cluster();
    this.clusterHealth = new ClusterHealth(() -> membership.members().get().size(), cluster.expectedSize(),
        cluster.degradedGrace().toMillis(), membership.isStandalone() ? MinorityMode.SERVE : cluster.minority());
    // on a protected minority side, cluster limits share the limit among the expected members, not the ones seen
    this.limiters = new RateLimiters(vertx, membership.buckets(), new ClusterView(
        () -> clusterHealth.isMinority() ? cluster.expectedSize() : membership.members().get().size(),
        clusterHealth::isMinority), NodeMetrics.limiterMetrics(membership.memberId()), clock);
    AccessLogSettings logSettings = config.node().accessLog();
    this.accessLog = logSettings.enabled()
        ? AccessLog.open(logSettings, membership.memberId(), () -> state().config())
        : null;
    RequestObserver observer = RequestObserver.all(NodeMetrics.requestMeters(membership.memberId()),
        accessLog == null ? RequestObserver.NONE : accessLog);
    ResponseStore cacheStore = new ResponseStore(config.node().cacheMaxSize());
    this.cachePurges = new CachePurgeService(vertx, membership, cacheStore);
    this.state = new AtomicReference<>(GatewayState.compile(config,
        new NodeServices(membership.breakers(), clock, limiters,
            Security.policyChains(vertx, consumers, revocations, clock), observer,
            new ResponseCaches(cacheStore, NodeMetrics.cacheMetrics(membership.memberId(), cacheStore), clock.nanos()),
            new RequestBufferBudget(config.node().limits().requestBufferMemory()))));
    this.fileDrift = new FileDrift(config);
    this.configService = new ConfigService(vertx, membership, config.node(), snapshotFile, secrets, this::swap);
    this.identityFile = IdentityDisk.besideSnapshot(snapshotFile);
    consumers.declare(config.consumers());
    this.adminToken = adminToken;
    this.membership = membership;
  }

  /**
   * Starts a node: applies the cluster's newest configuration (seeding an empty grid with this
   * file's upstreams and routes), then serves. A configured port of 0 picks a free port. Applied
   * versions are kept in {@code snapshotFile} (none when null) for full-cluster restarts, and
   * consumers and revocations in an {@link IdentityDisk} beside it.
   */
  public static Future<GatewayNode> start(Vertx vertx, GatewayConfig config, Membership membership, AdminToken token,
                                          Path snapshotFile) {
    return start(vertx, config, membership, token, snapshotFile, SecretResolver.system());
  }

  /** {@link #start(Vertx, GatewayConfig, Membership, AdminToken, Path)} resolving pushed documents' secret references with {@code secrets}. */
  public static Future<GatewayNode> start(Vertx vertx, GatewayConfig config, Membership membership, AdminToken token,
                                          Path snapshotFile, SecretResolver secrets) {
    return start(vertx, config, membership, token, snapshotFile, secrets, NodeClock.SYSTEM);
  }

  /**
   * {@link #start(Vertx, GatewayConfig, Membership, AdminToken, Path, SecretResolver)} timing circuit
   * breakers, passive ejection, cached answers, rate limiters and token checks by {@code clock} (tests
   * move it by hand).
   */
  public static Future<GatewayNode> start(Vertx vertx, GatewayConfig config, Membership membership, AdminToken token,
                                          Path snapshotFile, SecretResolver secrets, NodeClock clock) {
    GatewayNode node;
    try {
      node = new GatewayNode(vertx, config, membership, token, snapshotFile, secrets, clock);
    } catch (IOException e) {
      return Future.failedFuture(new IOException("cannot open the access log: " + e.getMessage(), e));
    }
    return node.configService.start(config.sharedDocument())
        .compose(v -> node.fileDrift.enforce(node.configService, membership.grid()))
        .onSuccess(v -> node.fileDrift.warnIfDiffers(node.configService.appliedVersion()))
        .compose(v -> node.deploy())
        .map(node);
  }

  private void swap(GatewayConfig config) {
    state.set(state.get().next(config));
    consumers.declare(config.consumers());
    fileDrift.observe(config);
    bindUpstreamMetrics();
    restartHealthChecks(false);
  }

  private void bindUpstreamMetrics() {
    if (NodeMetrics.registry() != null) {
      NodeMetrics.bindUpstreams(NodeMetrics.registry(), membership.memberId(), state::get);
    }
  }

  /**
   * (Re)starts active checks on the pools of the current state; swaps and startup may race from
   * different contexts, hence the lock. Before startup ({@code starting} false and none running)
   * there is nothing to restart.
   */
  private synchronized void restartHealthChecks(boolean starting) {
    if (healthChecker == null && !starting) {
      return;
    }
    if (healthChecker != null) {
      healthChecker.stop();
    }
    healthChecker = new ActiveHealthChecker(vertx);
    healthChecker.start(state.get().pools().values());
  }

  /** Stops active checks for good: a swap after this (during a drain) does not restart them. */
  private synchronized void stopHealthChecks() {
    if (healthChecker != null) {
      healthChecker.stop();
      healthChecker = null;
    }
  }

  private Future<Void> deploy() {
    GatewayState current = state.get();
    int instances = current.node().eventLoops();
    // the disk copies are offered to the grid, then the replicas are loaded, before the node serves:
    // a joining node (or a cluster restarted whole) must not accept a revoked credential
    return IdentityDisk.open(vertx, identityFile)
        .compose(disk -> {
          identityDisk = disk;
          return vertx.deployVerticle(new ClosedWithVertx(disk::close));
        })
        .compose(v -> Future.all(membership.revocations().restore(identityDisk),
            membership.consumers().restore(identityDisk)))
        .compose(v -> Future.all(membership.revocations().feed(revocations), membership.consumers().feed(consumers),
            cachePurges.start()))
        .compose(v -> {
          membership.reconciliation().start(current.node().cluster().digestInterval(),
              NodeMetrics.replicaMetrics(membership.memberId()), configService::catchUp);
          guardListener(current.node().http().port()); // a fixed port is guarded before it accepts
          return deployProxy(current.node().http().port());
        })
        .compose(port -> {
          httpPort = port;
          guardListener(port);
          return instances > 1
              ? vertx.deployVerticle(() -> newProxy(port), new DeploymentOptions().setInstances(instances - 1))
              : Future.succeededFuture();
        })
        .compose(v -> AdminServer.start(vertx, current.node(), new AdminApi(configService, membership.grid(), this::readiness, clusterHealth, fileDrift::toJson), adminToken,
            new RevocationApi(membership.revocations()), new ConsumerApi(membership.consumers(), consumers),
            new CacheApi(cachePurges, state::get)))
        .map(adminServer -> {
          admin = adminServer;
          restartHealthChecks(true);
          limiters.start();
          clusterHealthTimer = clusterHealth.start(vertx);
          if (NodeMetrics.registry() != null) {
            eventLoopDelay = EventLoopDelay.start(vertx);
            NodeMetrics.bind(NodeMetrics.registry(), configService, clusterHealth, eventLoopDelay);
          }
          bindUpstreamMetrics();
          ready = true;
          return null;
        });
  }

  /** Connection caps and client timeouts for the client listener on {@code port} (0: not bound yet). */
  private void guardListener(int port) {
    if (edge != null && port > 0) {
      edge.guard(port, state.get().node());
    }
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

  private String readiness() {
    return draining ? "DRAINING" : ready ? "READY" : "STARTING";
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

  /** True when fewer members than expected have been seen for longer than the grace period. */
  public boolean isClusterDegraded() {
    return clusterHealth.isDegraded();
  }

  /** This node's replica of the cluster's consumers. */
  public ConsumerDirectory consumers() {
    return consumers;
  }

  /** This node's replica of the cluster's revocations. */
  public RevocationList revocations() {
    return revocations;
  }

  public ConfigService configService() {
    return configService;
  }

  /**
   * A line saying how the shared part of this node's file differs from the version it serves and what
   * to do about it, or null when they match.
   */
  public String fileDifference() {
    return fileDrift.differs() ? fileDrift.banner(configService.appliedVersion()) : null;
  }

  /** Stops taking new connections, waits for in-flight exchanges up to the drain timeout, then stops. */
  public Future<Void> drainAndStop() {
    draining = true;
    long drainMillis = state.get().node().drainTimeout().toMillis();
    stopHealthChecks();
    vertx.cancelTimer(clusterHealthTimer);
    List<Future<Void>> drains = proxies.stream().map(p -> p.drain(drainMillis)).toList();
    return Future.join(drains)
        .onComplete(ar -> {
          if (edge != null) {
            edge.release(httpPort);
          }
          limiters.stop();
          if (accessLog != null) {
            accessLog.close();
          }
          if (eventLoopDelay != null) {
            eventLoopDelay.close();
          }
        })
        .transform(ar -> {
          membership.reconciliation().stop();
          return configService.stop();
        })
        .transform(ar -> cachePurges.stop())
        .transform(ar -> identityDisk.close())
        .transform(ar -> admin.close())
        .transform(ar -> vertx.close());
  }
}
