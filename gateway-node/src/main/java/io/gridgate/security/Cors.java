package io.gridgate.security;

import io.gridgate.config.CorsSpec;
import io.gridgate.http.ClientRequest;
import io.gridgate.routing.Preflight;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A route's CORS rules: answers preflights at the gateway (204 with the allowed methods and
 * headers, or 403 {@code cors_denied}) and adds the CORS response headers to actual requests from
 * allowed origins. Requests from other origins are forwarded without CORS headers, so browsers
 * withhold the response from the page.
 */
final class Cors implements RequestPolicy {
  private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
  private static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
  private static final Future<Refusal> DENIED = Future.succeededFuture(new Refusal(403, "cors_denied",
      "the origin or method is not allowed by this route's CORS rules", Map.of("Vary", "Origin")));

  private final boolean anyOrigin;
  private final Set<String> origins = new HashSet<>();
  private final Set<String> methods;
  private final boolean credentials;
  private final Map<String, String> preflightHeaders = new LinkedHashMap<>();
  private final String exposeHeaders;

  Cors(CorsSpec spec) {
    this.anyOrigin = spec.allowOrigins().contains("*");
    spec.allowOrigins().forEach(o -> origins.add(o.toLowerCase(Locale.ROOT)));
    this.methods = Set.copyOf(spec.allowMethods());
    this.credentials = spec.allowCredentials();
    preflightHeaders.put("Access-Control-Allow-Methods", String.join(", ", spec.allowMethods()));
    if (!spec.allowHeaders().isEmpty()) {
      preflightHeaders.put("Access-Control-Allow-Headers", String.join(", ", spec.allowHeaders()));
    }
    preflightHeaders.put("Access-Control-Max-Age", Long.toString(spec.maxAge().toSeconds()));
    this.exposeHeaders = spec.exposeHeaders().isEmpty() ? null : String.join(", ", spec.exposeHeaders());
  }

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    ClientRequest request = context.request();
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return Future.succeededFuture();
    }
    boolean allowed = allowsOrigin(origin);
    if (Preflight.is(request.method().name(), request.headers())) {
      return allowed && methods.contains(request.getHeader(Preflight.REQUEST_METHOD)) ? preflight(origin) : DENIED;
    }
    if (allowed) {
      context.addResponseHeader(ALLOW_ORIGIN, origin);
      context.addResponseHeader("Vary", "Origin");
      if (credentials) {
        context.addResponseHeader(ALLOW_CREDENTIALS, "true");
      }
      if (exposeHeaders != null) {
        context.addResponseHeader("Access-Control-Expose-Headers", exposeHeaders);
      }
    }
    return Future.succeededFuture();
  }

  /** "null" (sandboxed pages, files) is never allowed, not even by '*'. */
  private boolean allowsOrigin(String origin) {
    return !"null".equals(origin) && (anyOrigin || origins.contains(origin.toLowerCase(Locale.ROOT)));
  }

  private Future<Refusal> preflight(String origin) {
    Map<String, String> headers = new LinkedHashMap<>(preflightHeaders);
    headers.put(ALLOW_ORIGIN, origin);
    headers.put("Vary", "Origin");
    if (credentials) {
      headers.put(ALLOW_CREDENTIALS, "true");
    }
    return Future.succeededFuture(new Refusal(204, "cors_preflight", "CORS preflight answered by the gateway", headers));
  }
}
