package io.gridgate.security;

import io.gridgate.config.CorsSpec;
import io.gridgate.http.ClientRequest;
import io.gridgate.routing.Preflight;
import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A route's CORS rules: the gateway's answer to a preflight (204 with the allowed methods and
 * headers, or 403 {@code cors_denied}) and the CORS response headers of actual requests from
 * allowed origins. Requests from other origins are forwarded without CORS headers, so browsers
 * withhold the response from the page.
 */
public final class Cors {
  private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
  private static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
  private static final Refusal DENIED = new Refusal(403, "cors_denied",
      "the origin or method is not allowed by this route's CORS rules", Map.of("Vary", "Origin"));

  private final boolean anyOrigin;
  private final Set<String> origins = new HashSet<>();
  private final Set<String> methods;
  private final boolean credentials;
  private final Map<String, String> preflightHeaders = new LinkedHashMap<>();
  private final String exposeHeaders;

  public Cors(CorsSpec spec) {
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

  /**
   * The gateway's answer to {@code request} from {@code origin} when it is a preflight: 204 with
   * the preflight headers (status below 300: headers only), or 403 {@code cors_denied}; null when
   * it is not a preflight.
   */
  public Refusal preflight(ClientRequest request, String origin) {
    if (!Preflight.is(request.method().name(), request.headers())) {
      return null;
    }
    if (!allowsOrigin(origin) || !methods.contains(request.getHeader(Preflight.REQUEST_METHOD))) {
      return DENIED;
    }
    Map<String, String> headers = new LinkedHashMap<>(preflightHeaders);
    headers.put(ALLOW_ORIGIN, origin);
    headers.put("Vary", "Origin");
    if (credentials) {
      headers.put(ALLOW_CREDENTIALS, "true");
    }
    return new Refusal(204, "cors_preflight", "CORS preflight answered by the gateway", headers);
  }

  /** Whether an actual request from {@code origin} gets CORS headers; "null" (sandboxed pages, files) never does, not even by '*'. */
  public boolean allowsOrigin(String origin) {
    return !"null".equals(origin) && (anyOrigin || origins.contains(origin.toLowerCase(Locale.ROOT)));
  }

  /** Adds the CORS headers of an answer to an actual request from the allowed {@code origin}. */
  public void writeHeaders(String origin, MultiMap response) {
    response.add(ALLOW_ORIGIN, origin);
    response.add("Vary", "Origin");
    if (credentials) {
      response.add(ALLOW_CREDENTIALS, "true");
    }
    if (exposeHeaders != null) {
      response.add("Access-Control-Expose-Headers", exposeHeaders);
    }
  }
}
