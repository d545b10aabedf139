package io.gridgate.node;

import io.gridgate.config.NodeSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/** The admin listener (loopback by default): liveness and readiness probes for now. */
final class AdminServer {
  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  static Future<AdminServer> start(Vertx vertx, NodeSettings node, BooleanSupplier serving) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/ready").handler(ctx -> {
      boolean ready = serving.getAsBoolean();
      ctx.response().setStatusCode(ready ? 200 : 503);
      ctx.json(new JsonObject().put("status", ready ? "READY" : "DRAINING"));
    });
    HttpServerOptions options = new HttpServerOptions().setHost(node.admin().host()).setPort(node.admin().port());
    return vertx.createHttpServer(options).requestHandler(router).listen().map(AdminServer::new);
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
