package io.gridgate.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The admin listener's error answers, all JSON {@code {"error": ..., "message": ...}}: the
 * endpoints' own refusals, the router's (unknown path 404, a method the path does not take 405 with
 * {@code Allow}, an undecodable path or query 400) and requests that could not be decoded. Client
 * errors are not logged; a server fault is, with its stack trace.
 */
final class AdminErrors {
  private static final Logger LOG = Logger.getLogger(AdminErrors.class.getName());

  private AdminErrors() {}

  static Future<Void> send(RoutingContext ctx, int status, String error, String message) {
    ctx.response().setStatusCode(status);
    return ctx.json(new JsonObject().put("error", error).put("message", message));
  }

  /**
   * Answers every method an endpoint does not take with 405 and every router failure with JSON;
   * to be called once all endpoints are mounted.
   */
  static void install(Router router) {
    Map<String, Set<HttpMethod>> methods = new LinkedHashMap<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.methods() != null && !route.methods().isEmpty()) {
        methods.computeIfAbsent(route.getPath(), path -> new TreeSet<>(Comparator.comparing(HttpMethod::name)))
            .addAll(route.methods());
      }
    }
    methods.forEach((path, allowed) -> {
      String allow = allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
      router.route(path).handler(ctx -> methodNotAllowed(ctx, allow));
    });
    for (int status = 400; status < 600; status++) {
      int failed = status;
      router.errorHandler(status, ctx -> routerFailure(ctx, failed));
    }
  }

  /** Requests the HTTP decoder refused (bad request line or headers): 400, then the connection is closed. */
  static void invalidRequest(HttpServerRequest request) {
    boolean http1 = request.version() != HttpVersion.HTTP_2;
    if (http1) {
      request.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    request.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", "bad_request").put("message", "malformed request").encode())
        .onComplete(v -> {
          if (http1) {
            request.connection().close();
          }
        });
  }

  private static void methodNotAllowed(RoutingContext ctx, String allow) {
    ctx.response().putHeader(HttpHeaders.ALLOW, allow);
    send(ctx, 405, "method_not_allowed", ctx.request().method() + " is not allowed here (allowed: " + allow + ")");
  }

  /** A failure the router hands over with its status (the context's own status code is not always set). */
  private static void routerFailure(RoutingContext ctx, int status) {
    if (status >= 500) {
      LOG.log(Level.SEVERE, "admin API failure on " + ctx.request().method() + " " + ctx.request().path(), ctx.failure());
    }
    if (ctx.response().headWritten()) {
      if (!ctx.response().ended()) {
        ctx.response().reset();
      }
      return;
    }
    switch (status) {
      case 400 -> send(ctx, status, "bad_request", "the request's path or query cannot be decoded");
      case 404 -> send(ctx, status, "not_found", "no admin endpoint " + ctx.request().method() + " " + ctx.request().path());
      default -> send(ctx, status, status >= 500 ? "internal_error" : code(status),
          status >= 500 ? "the admin API failed; the node's log has the details" : "the request cannot be served");
    }
  }

  /** The reason phrase as an error code: 415 → {@code unsupported_media_type}. */
  private static String code(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }
}
