package io.gridgate.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Small demo services for trying the gateway: each answers JSON describing the request it got
 * (which instance, path, forwarded headers), {@code /health} for health checks, and echoes WebSocket
 * messages.
 */
public final class DemoUpstreams {
  private DemoUpstreams() {}

  public static void main(List<String> ports) {
    if (ports.isEmpty()) {
      System.err.println("usage: demo-upstreams PORT [PORT ...]");
      System.exit(2);
    }
    Vertx vertx = Vertx.vertx();
    List<Future<HttpServer>> started = new ArrayList<>();
    for (String port : ports) {
      started.add(start(vertx, "127.0.0.1", Integer.parseInt(port)));
    }
    Future.all(started).onSuccess(v -> System.out.println("demo upstreams listening on 127.0.0.1 ports " + ports))
        .onFailure(err -> {
          System.err.println("demo upstreams failed to start: " + err.getMessage());
          System.exit(1);
        });
  }

  /** Starts one demo service named after its port. */
  public static Future<HttpServer> start(Vertx vertx, String host, int port) {
    String name = "demo-" + port;
    return vertx.createHttpServer()
        .webSocketHandler(ws -> ws.handler(ws::write))
        .requestHandler(request -> answer(name, request))
        .listen(port, host);
  }

  private static void answer(String name, HttpServerRequest request) {
    if (request.path().equals("/health")) {
      request.response().end("ok");
      return;
    }
    request.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      request.response()
          .putHeader("Content-Type", "application/json")
          .putHeader("X-Served-By", name)
          .end(new JsonObject()
              .put("service", name)
              .put("method", request.method().name())
              .put("uri", request.uri())
              .put("headers", headers)
              .put("body_bytes", body.length())
              .encodePrettily() + "\n");
    });
  }
}
