package io.gridgate.admin;

import io.gridgate.config.NodeSettings;
import io.gridgate.telemetry.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The admin listener (loopback by default). {@code /health} and {@code /ready} (vertx-health-check:
 * 200 UP or 503 DOWN, the node's status in the check's data) and {@code /metrics} are open for
 * probes and scrapers; everything under {@code /admin} needs the admin bearer token
 * (401 without one, 403 with a wrong one). Every error answer is JSON ({@link AdminErrors}).
 */
public final class AdminServer {
  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  public static Future<AdminServer> start(Vertx vertx, NodeSettings node, AdminApi api, AdminToken token,
                                   AdminRoutes... more) {
    Router router = Router.router(vertx);
    HealthChecks liveness = HealthChecks.create(vertx)
        .register("node", promise -> promise.complete(Status.OK()));
    HealthChecks readiness = HealthChecks.create(vertx).register("gateway", promise -> {
      JsonObject status = api.nodeStatus();
      promise.complete("READY".equals(api.readiness()) ? Status.OK(status) : Status.KO(status));
    });
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    if (NodeMetrics.registry() instanceof PrometheusMeterRegistry registry) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }
    router.route("/admin/*").handler(ctx -> authenticate(ctx, token));
    api.mount(router);
    for (AdminRoutes routes : more) {
      routes.mount(router);
    }
    AdminErrors.install(router);
    HttpServerOptions options = new HttpServerOptions().setHost(node.admin().host()).setPort(node.admin().port())
        .setTracingPolicy(TracingPolicy.IGNORE); // admin calls and scrapes make no traces
    return vertx.createHttpServer(options).requestHandler(router).invalidRequestHandler(AdminErrors::invalidRequest)
        .listen().map(AdminServer::new);
  }

  private static void authenticate(RoutingContext ctx, AdminToken token) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gridgate-admin\"");
      AdminErrors.send(ctx, 401, "unauthorized", "the admin API needs 'Authorization: Bearer <admin token>'");
    } else if (!token.matches(authorization.substring(7).strip())) {
      AdminErrors.send(ctx, 403, "forbidden", "the admin token is not valid");
    } else {
      ctx.next();
    }
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
