package io.gridgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code routes} section: match, rewrite, headers, timeouts, retries and each route's policies. */
final class RouteParser {
  private static final Pattern HOST_PATTERN = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  /** Headers a route may remove but never set: the gateway frames each message and connection itself. */
  private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
      "keep-alive", "proxy-connection", "te", "trailer", "upgrade");

  private final PathPatternValidator paths = new PathPatternValidator();
  private final RateLimitParser rateLimits = new RateLimitParser();
  private final AccessParser access = new AccessParser();
  private final TransformParser transforms = new TransformParser();
  private final ComposeParser compositions = new ComposeParser();
  private final CacheParser cache = new CacheParser();
  private final Secrets secrets;
  private final EdgeParser edge;
  private final AuthParser auth;

  RouteParser(Secrets secrets, EdgeParser edge, AuthParser auth) {
    this.secrets = secrets;
    this.edge = edge;
    this.auth = auth;
  }

  /**
   * The {@code routes} section; at least one is required, ids are unique. Each route's limits
   * follow {@code globalLimits}, and its upstream must be one of {@code upstreamNames}.
   */
  List<RouteSpec> parse(ConfigNode n, Set<String> upstreamNames, List<RateLimitSpec> globalLimits,
                        AuthParser.Known known) {
    List<RouteSpec> out = new ArrayList<>();
    if (n.isMissing() || (n.isList() && n.items().isEmpty())) {
      n.error("is required: at least one route");
      return out;
    }
    Set<String> ids = new HashSet<>();
    for (ConfigNode r : n.items()) {
      RouteSpec route = route(r, upstreamNames, globalLimits, known);
      if (route.id() != null && !ids.add(route.id())) {
        r.get("id").error("duplicate route id '" + route.id() + "'");
      }
      out.add(route);
    }
    return out;
  }

  private RouteSpec route(ConfigNode r, Set<String> upstreamNames, List<RateLimitSpec> globalLimits,
                          AuthParser.Known known) {
    r.allowOnly(Set.of("id", "priority", "match", "upstream", "rewrite", "request_headers", "response_headers",
        "host_header", "timeouts", "retries", "rate_limits", "rate_limit_headers", "auth", "acl", "ip_rules", "cors",
        "request_transform", "response_transform", "compose", "cache", "path_parameters", "request_buffering"));
    String id = r.get("id").requiredString();
    if (id != null && !ConfigParser.NAME.matcher(id).matches()) {
      r.get("id").error("must match " + ConfigParser.NAME.pattern());
    }
    MatchSpec match = match(r.get("match"));
    ComposeSpec compose = compositions.parse(r.get("compose"), upstreamNames, match.path(), match.methods());
    String upstream = compose == null ? r.get("upstream").requiredString() : r.get("upstream").string(null);
    if (compose != null && upstream != null) {
      r.get("upstream").error("a route has either upstream or compose, not both");
    } else if (upstream != null && !upstreamNames.contains(upstream)) {
      r.get("upstream").error("unknown upstream '" + upstream + "'");
    }
    ConfigNode timeouts = r.get("timeouts").allowOnly(Set.of("connect", "idle", "total"));
    ConfigNode retries = r.get("retries").allowOnly(Set.of("attempts"));
    AuthSpec auth = this.auth.route(r.get("auth"), known);
    List<RateLimitSpec> limits = new ArrayList<>(globalLimits);
    limits.addAll(rateLimits.parse(r.get("rate_limits"), id == null ? "route" : id));
    RewriteSpec rewrite = rewrite(r.get("rewrite"), match.path());
    PathParameters pathParameters = r.get("path_parameters").enumValue(PathParameters.class, PathParameters.REJECT);
    if (pathParameters == PathParameters.KEEP && (compose != null || !rewrite.equals(RewriteSpec.NONE))) {
      r.get("path_parameters").error("keep forwards the path as the client sent it, so it cannot be combined with "
          + "rewrite or compose (use strip)");
    }
    return new RouteSpec(id,
        r.get("priority").integer(0, -1_000_000, 1_000_000),
        match,
        upstream,
        rewrite,
        headerOps(r.get("request_headers"), true),
        headerOps(r.get("response_headers"), false),
        hostHeader(r.get("host_header")),
        new Timeouts(
            timeouts.get("connect").duration(Duration.ofSeconds(5)),
            timeouts.get("idle").duration(Duration.ofSeconds(60)),
            timeouts.get("total").duration(Duration.ofMinutes(5))),
        new RetryPolicy(retries.get("attempts").integer(1, 0, 10)),
        limits,
        r.get("rate_limit_headers").enumValue(RateLimitHeaders.class, RateLimitHeaders.BOTH),
        auth,
        access.acl(r.get("acl"), auth),
        edge.ipRules(r.get("ip_rules")),
        edge.cors(r.get("cors"), match.methods()),
        transforms.request(r.get("request_transform")),
        transforms.response(r.get("response_transform")),
        compose,
        routeCache(r.get("cache"), compose),
        pathParameters,
        r.get("request_buffering").bool(true));
  }

  private CacheSpec routeCache(ConfigNode n, ComposeSpec compose) {
    if (compose != null && !n.isMissing()) {
      n.error("a composed route is not cached: cache its parts' routes instead");
      return null;
    }
    return cache.route(n);
  }

  private MatchSpec match(ConfigNode m) {
    if (m.isMissing()) {
      m.error("is required");
    }
    m.allowOnly(Set.of("path", "hosts", "methods", "headers"));
    PathPattern path = paths.parse(m.get("path"));
    List<String> hosts = new ArrayList<>();
    for (ConfigNode h : m.get("hosts").items()) {
      String host = h.requiredString();
      if (host != null && !HOST_PATTERN.matcher(host).matches()) {
        h.error("must be a lower-case host name, optionally starting with '*.' (was '" + host + "')");
      } else if (host != null) {
        hosts.add(host);
      }
    }
    Set<String> methods = new LinkedHashSet<>();
    for (ConfigNode item : m.get("methods").items()) {
      String method = item.requiredString();
      if (method != null && !ConfigParser.TOKEN.matcher(method).matches()) {
        item.error("not an HTTP method: '" + method + "'");
      } else if (method != null) {
        methods.add(method.toUpperCase(java.util.Locale.ROOT));
      }
    }
    List<HeaderPredicate> headers = new ArrayList<>();
    for (ConfigNode h : m.get("headers").items()) {
      headers.add(headerPredicate(h));
    }
    return new MatchSpec(path, hosts, methods, headers);
  }

  private HeaderPredicate headerPredicate(ConfigNode h) {
    h.allowOnly(Set.of("name", "present", "equals", "regex"));
    String name = ConfigParser.headerName(h.get("name"));
    List<String> tests = new ArrayList<>();
    for (String key : List.of("present", "equals", "regex")) {
      if (!h.get(key).isMissing()) {
        tests.add(key);
      }
    }
    if (tests.size() != 1) {
      h.error("needs exactly one of present, equals or regex (has " + tests + ")");
      return new HeaderPredicate(name, HeaderPredicate.Kind.PRESENT, null);
    }
    return switch (tests.get(0)) {
      case "present" -> new HeaderPredicate(name,
          h.get("present").bool(true) ? HeaderPredicate.Kind.PRESENT : HeaderPredicate.Kind.ABSENT, null);
      case "equals" -> new HeaderPredicate(name, HeaderPredicate.Kind.EQUALS, h.get("equals").requiredString());
      default -> new HeaderPredicate(name, HeaderPredicate.Kind.REGEX, regex(h.get("regex")));
    };
  }

  private RewriteSpec rewrite(ConfigNode n, PathPattern path) {
    if (n.isMissing()) {
      return RewriteSpec.NONE;
    }
    n.allowOnly(Set.of("strip_prefix", "regex", "replacement"));
    boolean strip = n.get("strip_prefix").bool(false);
    if (strip && path != null && path.kind() != PathPattern.Kind.PREFIX) {
      n.get("strip_prefix").error("needs a prefix path match (match.path is " + path.kind().name().toLowerCase() + ")");
    }
    String regex = n.get("regex").isMissing() ? null : regex(n.get("regex"));
    String replacement = n.get("replacement").string(null);
    if (!n.get("regex").isMissing() && n.get("replacement").isMissing()) {
      n.get("replacement").error("is required with regex");
    }
    if (replacement != null && !replacement.startsWith("/")) {
      n.get("replacement").error("must start with '/'");
    } else if (replacement != null && !replacement.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '#')) {
      n.get("replacement").error("must not contain spaces, control characters, non-ASCII characters or '#' "
          + "(percent-encode them)");
    }
    if (regex == null && replacement != null && replacement.matches(".*\\$\\d.*")) {
      n.get("replacement").error("refers to a regex group but no regex is given");
    }
    if (replacement != null) {
      checkTemplateParams(n.get("replacement"), replacement, path);
    }
    if (regex != null && replacement != null) {
      int groups = Pattern.compile(regex).matcher("").groupCount();
      var refs = Pattern.compile("\\$(\\d)").matcher(replacement);
      while (refs.find()) {
        if (Integer.parseInt(refs.group(1)) > groups) {
          n.get("replacement").error("refers to group $" + refs.group(1) + " but the regex has " + groups);
        }
      }
    }
    return new RewriteSpec(strip, regex, replacement);
  }

  /** Reports each {@code {param}} of {@code replacement} that the route's path template does not declare. */
  static void checkTemplateParams(ConfigNode n, String replacement, PathPattern path) {
    var used = PathPatternValidator.TEMPLATE_PARAM.matcher(replacement);
    while (used.find()) {
      boolean declared = path != null && path.kind() == PathPattern.Kind.TEMPLATE
          && path.value().contains("{" + used.group(1) + "}");
      if (!declared) {
        n.error("uses {" + used.group(1) + "} but the path template declares no such parameter");
      }
    }
  }

  /** Header operations; on requests, values of credential headers are secrets (literal or referenced). */
  private HeaderOps headerOps(ConfigNode n, boolean request) {
    if (n.isMissing()) {
      return HeaderOps.NONE;
    }
    n.allowOnly(Set.of("rename", "remove", "set", "add"));
    Map<String, String> rename = n.get("rename").stringMap();
    rename.forEach((from, to) -> {
      ConfigParser.checkHeaderName(n.get("rename").get(from), from);
      checkWritableHeader(n.get("rename").get(from), to);
    });
    List<String> remove = n.get("remove").strings();
    remove.forEach(name -> ConfigParser.checkHeaderName(n.get("remove"), name));
    Map<String, String> set = headerValues(n.get("set"), request);
    Map<String, String> add = headerValues(n.get("add"), request);
    return new HeaderOps(rename, remove, set, add);
  }

  private Map<String, String> headerValues(ConfigNode n, boolean credentials) {
    Map<String, String> values = new LinkedHashMap<>();
    n.entries().forEach((name, v) -> {
      checkWritableHeader(v, name);
      String value = credentials && SecretFields.isCredentialHeader(name) ? secrets.requiredValue(v) : v.requiredString();
      if (value != null && value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
        v.error("header value must not contain control characters (only HTAB is allowed)");
      } else if (value != null) {
        values.put(name, value);
      }
    });
    return values;
  }

  private HostHeader hostHeader(ConfigNode n) {
    String value = n.string("target");
    return switch (value) {
      case "target" -> HostHeader.TARGET;
      case "preserve" -> HostHeader.PRESERVE;
      default -> {
        if (!Pattern.matches("[A-Za-z0-9.-]+(:\\d{1,5})?", value)) {
          n.error("must be 'preserve', 'target' or a host[:port] (was '" + value + "')");
        }
        yield new HostHeader(HostHeader.Mode.FIXED, value);
      }
    };
  }

  /** A header a route may set, add or rename to: a valid name that is not about framing or the connection. */
  private static void checkWritableHeader(ConfigNode n, String name) {
    ConfigParser.checkHeaderName(n, name);
    if (FRAMING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      n.error("'" + name + "' describes the message's framing or connection and is set by the gateway, not by routes");
    }
  }

  static String regex(ConfigNode n) {
    return n.parsed(s -> {
      try {
        Pattern.compile(s);
        return s;
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException("invalid regex: " + e.getDescription() + " near index " + e.getIndex());
      }
    }, null);
  }
}
