package io.gridgate.routing;

import io.gridgate.config.RouteSpec;
import io.gridgate.transform.JsonFieldEditor;
import io.gridgate.transform.QueryEditor;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A route ready for the hot path: compiled matchers, rewriter, header transformers and body and query editors. */
public final class CompiledRoute {
  private final RouteSpec spec;
  private final int order;
  private final PathMatcher path;
  private final List<HostMatcher> hosts;
  private final Set<String> methods;
  private final List<HeaderMatcher> headers;
  private final PathRewriter rewriter;
  private final HeaderTransformer requestHeaders;
  private final HeaderTransformer responseHeaders;
  private final QueryEditor query;
  private final JsonFieldEditor requestBody;
  private final JsonFieldEditor responseBody;
  private final boolean cors;

  CompiledRoute(RouteSpec spec, int order) {
    this.spec = spec;
    this.order = order;
    this.path = PathMatcher.of(spec.match().path());
    this.hosts = spec.match().hosts().stream().map(HostMatcher::of).toList();
    this.methods = spec.match().methods();
    this.headers = spec.match().headers().stream().map(HeaderMatcher::of).toList();
    this.rewriter = new PathRewriter(spec.rewrite(), spec.match().path(), path);
    this.requestHeaders = new HeaderTransformer(spec.requestHeaders());
    this.responseHeaders = new HeaderTransformer(spec.responseHeaders());
    this.query = new QueryEditor(spec.requestTransform().query());
    this.requestBody = new JsonFieldEditor(spec.requestTransform().body());
    this.responseBody = new JsonFieldEditor(spec.responseTransform().body());
    this.cors = spec.cors() != null;
  }

  public RouteSpec spec() {
    return spec;
  }

  public String id() {
    return spec.id();
  }

  /** The path to send upstream for a normalised client path. */
  public String upstreamPath(String path) {
    return rewriter.isIdentity() ? path : rewriter.rewrite(path);
  }

  /** The values of the path template's parameters in a normalised client path (empty for other paths). */
  public Map<String, String> pathParams(String normalizedPath) {
    return path instanceof TemplatePathMatcher template ? template.params(normalizedPath) : Map.of();
  }

  /** {@code template} with each {@code {name}} replaced by its value in {@code params}, as template rewrites do. */
  public static String fillTemplate(String template, Map<String, String> params) {
    return PathRewriter.substitute(template, params, false);
  }

  /** The query to send upstream for the client's raw query (null when there is none). */
  public String upstreamQuery(String query) {
    return this.query.apply(query);
  }

  /** The field operations on JSON request bodies (empty when the route has none). */
  public JsonFieldEditor requestBody() {
    return requestBody;
  }

  /** The field operations on JSON response bodies (empty when the route has none). */
  public JsonFieldEditor responseBody() {
    return responseBody;
  }

  public HeaderTransformer requestHeaders() {
    return requestHeaders;
  }

  public HeaderTransformer responseHeaders() {
    return responseHeaders;
  }

  boolean matchesAllButMethod(String host, String normalizedPath, MultiMap requestHeaders) {
    if (!path.matches(normalizedPath)) {
      return false;
    }
    if (!hosts.isEmpty() && !matchesHost(host)) {
      return false;
    }
    for (HeaderMatcher h : headers) {
      if (!h.matches(requestHeaders)) {
        return false;
      }
    }
    return true;
  }

  /** The route's methods, and CORS preflights on a route with CORS (the gateway answers them whatever the methods). */
  boolean allowsMethod(String method, MultiMap requestHeaders) {
    return methods.isEmpty() || methods.contains(method) || (cors && Preflight.is(method, requestHeaders));
  }

  Set<String> methods() {
    return methods;
  }

  PathMatcher path() {
    return path;
  }

  List<HostMatcher> hosts() {
    return hosts;
  }

  private boolean matchesHost(String host) {
    for (HostMatcher h : hosts) {
      if (h.matches(host)) {
        return true;
      }
    }
    return false;
  }

  /** Ordering: explicit priority, then the most specific path, host, headers and methods, then declaration order. */
  static int compare(CompiledRoute a, CompiledRoute b) {
    int c = Integer.compare(b.spec.priority(), a.spec.priority());
    if (c == 0) {
      c = Integer.compare(b.path.kindRank(), a.path.kindRank());
    }
    if (c == 0) {
      c = Integer.compare(b.path.literalLength(), a.path.literalLength());
    }
    if (c == 0) {
      c = Integer.compare(b.hostSpecificity(), a.hostSpecificity());
    }
    if (c == 0) {
      c = Integer.compare(b.headers.size(), a.headers.size());
    }
    if (c == 0) {
      c = Boolean.compare(!b.methods.isEmpty(), !a.methods.isEmpty());
    }
    return c != 0 ? c : Integer.compare(a.order, b.order);
  }

  private int hostSpecificity() {
    int best = 0;
    for (HostMatcher h : hosts) {
      best = Math.max(best, h.specificity());
    }
    return best;
  }
}
