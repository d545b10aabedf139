package io.gridgate.config;

import io.gridgate.config.UpstreamSpec.BalancingStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a YAML (or JSON) configuration document into {@link GatewayConfig}, validating it as a
 * whole: every error is collected with its YAML path and reported together. Secret references
 * are resolved with the parser's {@link SecretResolver}.
 */
public final class ConfigParser {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern HOST_PATTERN = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern TARGET_HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9a-fA-F:.]+]");
  private static final Pattern EVENT_BUS_HOST = Pattern.compile("[A-Za-z0-9.-]+|[0-9a-fA-F:.]+");

  private final PathPatternValidator paths = new PathPatternValidator();
  /** Headers a route may remove but never set: the gateway frames each message and connection itself. */
  private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
      "keep-alive", "proxy-connection", "te", "trailer", "upgrade");
  private final RateLimitParser rateLimits = new RateLimitParser();
  private final AccessParser access = new AccessParser();
  private final EdgeParser edge = new EdgeParser();
  private final Secrets secrets;
  private final AuthParser auth;
  private final TracingParser tracing = new TracingParser();
  private final TransformParser transforms = new TransformParser();
  private final ComposeParser compositions = new ComposeParser();
  private final CacheParser cache = new CacheParser();
  private final ConsumerParser consumers;

  /** A parser resolving secret references from this process's environment and this machine's files. */
  public ConfigParser() {
    this(SecretResolver.system());
  }

  public ConfigParser(SecretResolver resolver) {
    this(new Secrets(resolver));
  }

  private ConfigParser(Secrets secrets) {
    this.secrets = secrets;
    this.auth = new AuthParser(secrets);
    this.consumers = new ConsumerParser(secrets);
  }

  /**
   * A parser for tools that check or compare documents away from the nodes: secret fields keep their
   * references and {@value SecretFields#REDACTED} as written, and their values are not checked.
   */
  public static ConfigParser secretsAsWritten() {
    return new ConfigParser(Secrets.AS_WRITTEN);
  }

  /** Parses and validates a file. */
  public GatewayConfig parseFile(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new InvalidConfigException(List.of(new ConfigError(file.toString(), "cannot read: " + e.getMessage())));
    }
  }

  /** Parses and validates a whole node file; throws {@link InvalidConfigException} listing all errors. */
  public GatewayConfig parse(String document) {
    return parse(document, null);
  }

  /**
   * Parses the cluster's shared document (upstreams and routes, as pushed through the admin API)
   * and combines it with this node's own settings; a {@code node} section is an error there.
   */
  public GatewayConfig parseShared(String document, NodeSettings localNode) {
    return parse(document, localNode);
  }

  private GatewayConfig parse(String document, NodeSettings localNode) {
    Object tree = load(document);
    List<ConfigError> errors = new ArrayList<>();
    ConfigNode root = new ConfigNode("", tree, errors);
    if (tree == null) {
      errors.add(new ConfigError("(document)", "document is empty"));
      throw new InvalidConfigException(errors);
    }
    root.allowOnly(Set.of("node", "upstreams", "routes", "rate_limits", "ip_rules", "jwt_issuers", "oauth2_servers",
        "consumers"));
    if (localNode != null && !root.get("node").isMissing()) {
      root.get("node").error("node settings are per node and cannot be pushed; set them in each node's file");
    }
    NodeSettings node = localNode != null ? localNode : node(root.get("node"));
    Map<String, UpstreamSpec> upstreams = upstreams(root.get("upstreams"));
    List<RateLimitSpec> globalLimits = rateLimits.parse(root.get("rate_limits"), RateLimitParser.GLOBAL);
    Map<String, JwtIssuerSpec> issuers = auth.issuers(root.get("jwt_issuers"));
    Map<String, OAuth2ServerSpec> servers = auth.servers(root.get("oauth2_servers"));
    List<RouteSpec> routes = routes(root.get("routes"), upstreams.keySet(), globalLimits,
        new AuthParser.Known(issuers.keySet(), servers.keySet()));
    IpRules ipRules = edge.ipRules(root.get("ip_rules"));
    Map<String, ConsumerSpec> declared = consumers.parse(root.get("consumers"));
    if (!errors.isEmpty()) {
      throw new InvalidConfigException(errors);
    }
    return new GatewayConfig(node, upstreams, routes, localNode != null ? document : sharedPart(tree), ipRules,
        issuers, servers, declared);
  }

  /** The document without its {@code node} section: what a node contributes to the cluster. */
  private static String sharedPart(Object tree) {
    Map<Object, Object> shared = new LinkedHashMap<>((Map<?, ?>) tree);
    shared.remove("node");
    return dump(shared);
  }

  /** A loaded document tree as block-style YAML. */
  static String dump(Object tree) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(tree);
  }

  /**
   * The document's YAML tree (maps, lists, scalars); a syntax error names the problem and where it
   * is, never the offending line, which may hold a secret.
   */
  static Object load(String document) {
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      return new Yaml(new SafeConstructor(options)).load(document);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      String where = mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
      throw notYaml((e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem() + where);
    } catch (YAMLException e) {
      throw notYaml("the document cannot be read");
    }
  }

  private static InvalidConfigException notYaml(String reason) {
    return new InvalidConfigException(List.of(new ConfigError("(document)", "not valid YAML: " + reason)));
  }

  private NodeSettings node(ConfigNode n) {
    n.allowOnly(Set.of("http", "admin", "event_loops", "limits", "client_timeouts", "trusted_proxies", "drain_timeout",
        "cluster", "access_log", "tracing", "cache"));
    ConfigNode limits = n.get("limits").allowOnly(Set.of("max_header_size", "max_uri_length", "max_body_size",
        "request_buffer_size", "request_buffer_memory", "max_connections", "max_connections_per_client",
        "max_concurrent_streams", "flood_cooldown"));
    List<Cidr> trusted = edge.cidrs(n.get("trusted_proxies"));
    return new NodeSettings(
        listener(n.get("http"), 8080, Set.of("host", "port", "tls")),
        listener(n.get("admin"), 9901, Set.of("host", "port")),
        n.get("event_loops").integer(Runtime.getRuntime().availableProcessors(), 1, 256),
        new RequestLimits(
            (int) Math.min(limits.get("max_header_size").size(8192), 1 << 20),
            (int) Math.min(limits.get("max_uri_length").size(4096), 1 << 20),
            limits.get("max_body_size").size(100L * 1024 * 1024),
            (int) Math.min(limits.get("request_buffer_size").size(RequestLimits.DEFAULT_REQUEST_BUFFER_SIZE), 1 << 30),
            limits.get("request_buffer_memory").size(RequestLimits.DEFAULT_REQUEST_BUFFER_MEMORY)),
        connectionLimits(limits),
        clientTimeouts(n.get("client_timeouts")),
        trusted,
        n.get("drain_timeout").duration(Duration.ofSeconds(30)),
        cluster(n.get("cluster")),
        edge.serverTls(n.get("http").get("tls"), secrets),
        accessLog(n.get("access_log")),
        tracing.tracing(n.get("tracing")),
        cache.maxSize(n.get("cache")));
  }

  private static ConnectionLimits connectionLimits(ConfigNode limits) {
    ConnectionLimits d = ConnectionLimits.defaults();
    return new ConnectionLimits(
        limits.get("max_connections").integer(d.maxConnections(), 1, 10_000_000),
        limits.get("max_connections_per_client").integer(d.maxConnectionsPerClient(), 1, 10_000_000),
        limits.get("max_concurrent_streams").integer(d.maxConcurrentStreams(), 1, 100_000),
        limits.get("flood_cooldown").duration(d.floodCooldown()));
  }

  private static ClientTimeouts clientTimeouts(ConfigNode n) {
    n.allowOnly(Set.of("request_header", "keep_alive", "request_body", "min_body_rate"));
    ClientTimeouts d = ClientTimeouts.defaults();
    return new ClientTimeouts(
        n.get("request_header").duration(d.requestHeader()),
        n.get("keep_alive").duration(d.keepAlive()),
        n.get("request_body").duration(d.requestBody()),
        n.get("min_body_rate").size(d.minBodyRate()));
  }

  private static AccessLogSettings accessLog(ConfigNode n) {
    n.allowOnly(Set.of("enabled", "output", "sample_ratio", "always_log_errors", "headers", "redact_query_params"));
    AccessLogSettings d = AccessLogSettings.off();
    return new AccessLogSettings(
        n.get("enabled").bool(d.enabled()),
        n.get("output").string(d.output()),
        n.get("sample_ratio").fraction(d.sampleRatio()),
        n.get("always_log_errors").bool(d.alwaysLogErrors()),
        lowerCase(n.get("headers")),
        n.get("redact_query_params").isMissing() ? List.of() : n.get("redact_query_params").strings());
  }

  private static List<String> lowerCase(ConfigNode n) {
    return n.isMissing() ? List.of() : n.strings().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  private ClusterSettings cluster(ConfigNode n) {
    n.allowOnly(Set.of("name", "port", "port_auto_increment", "members", "hazelcast_config", "expected_size", "degraded_grace", "data_dir",
        "event_bus", "config_source", "digest_interval", "minority"));
    ClusterSettings d = ClusterSettings.defaults();
    List<String> members = n.get("members").isMissing() ? d.members() : n.get("members").strings();
    for (int i = 0; i < members.size(); i++) {
      if (!members.get(i).matches("[A-Za-z0-9.-]+(:\\d{1,5})?")) {
        n.get("members").error("member " + i + " must be host[:port] (was '" + members.get(i) + "')");
      }
    }
    String name = n.get("name").string(d.name());
    if (!NAME.matcher(name).matches()) {
      n.get("name").error("must match " + NAME.pattern());
    }
    String hazelcast = n.get("hazelcast_config").string(null);
    return new ClusterSettings(name,
        n.get("port").integer(d.port(), 1, 65535),
        n.get("port_auto_increment").bool(d.portAutoIncrement()),
        members,
        hazelcast == null ? null : java.nio.file.Path.of(hazelcast),
        n.get("expected_size").integer(d.expectedSize(), 1, 1000),
        n.get("degraded_grace").duration(d.degradedGrace()),
        java.nio.file.Path.of(n.get("data_dir").string(d.dataDir().toString())),
        eventBus(n.get("event_bus")),
        n.get("config_source").enumValue(ConfigSource.class, d.configSource()),
        boundedDuration(n.get("digest_interval"), ClusterSettings.DEFAULT_DIGEST_INTERVAL, Duration.ofMillis(100),
            Duration.ofMinutes(1)),
        n.get("minority").enumValue(MinorityMode.class, d.minority()));
  }

  private static EventBusSettings eventBus(ConfigNode n) {
    n.allowOnly(Set.of("host", "port", "public_host", "public_port"));
    EventBusSettings d = EventBusSettings.defaults();
    return new EventBusSettings(host(n.get("host"), d.host()), n.get("port").integer(d.port(), 0, 65535),
        host(n.get("public_host"), d.publicHost()), n.get("public_port").integer(d.publicPort(), 0, 65535));
  }

  /** A host name or IP address, or {@code fallback} when absent. */
  private static String host(ConfigNode n, String fallback) {
    String host = n.string(fallback);
    if (host != null && !EVENT_BUS_HOST.matcher(host).matches()) {
      n.error("must be a host name or an IP address (was '" + host + "')");
    }
    return host;
  }

  private Listener listener(ConfigNode n, int defaultPort, Set<String> fields) {
    n.allowOnly(fields);
    return new Listener(n.get("host").string("127.0.0.1"), n.get("port").integer(defaultPort, 0, 65535));
  }

  private Map<String, UpstreamSpec> upstreams(ConfigNode n) {
    Map<String, UpstreamSpec> out = new LinkedHashMap<>();
    if (n.isMissing() || (n.isMap() && n.entries().isEmpty())) {
      n.error("is required: at least one upstream");
      return out;
    }
    n.entries().forEach((name, u) -> {
      if (!NAME.matcher(name).matches()) {
        u.error("upstream name must match " + NAME.pattern());
      }
      out.put(name, upstream(name, u));
    });
    return out;
  }

  private UpstreamSpec upstream(String name, ConfigNode u) {
    u.allowOnly(Set.of("targets", "strategy", "hash_on", "pool", "health_check", "circuit_breaker", "bulkhead", "tls",
        "protocol"));
    List<TargetSpec> targets = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigNode t : u.get("targets").items()) {
      TargetSpec target = target(t);
      if (target != null && !seen.add(target.address())) {
        t.error("duplicate target " + target.address());
      } else if (target != null) {
        targets.add(target);
      }
    }
    if (u.get("targets").isMissing() || (u.get("targets").isList() && u.get("targets").items().isEmpty())) {
      u.get("targets").error("is required: at least one target");
    }
    BalancingStrategy strategy = u.get("strategy").enumValue(BalancingStrategy.class, BalancingStrategy.ROUND_ROBIN);
    HashOn hashOn = hashOn(u.get("hash_on"));
    if (strategy == BalancingStrategy.CONSISTENT_HASH && u.get("hash_on").isMissing()) {
      u.get("hash_on").error("is required with strategy consistent_hash");
    }
    ConfigNode pool = u.get("pool").allowOnly(Set.of("max_connections", "max_wait_queue", "keep_alive_timeout"));
    ConfigNode health = u.get("health_check").allowOnly(Set.of("active", "passive"));
    return new UpstreamSpec(name, targets, strategy, hashOn,
        new PoolSpec(
            pool.get("max_connections").integer(128, 1, 100_000),
            pool.get("max_wait_queue").integer(1024, 0, 1_000_000),
            pool.get("keep_alive_timeout").duration(Duration.ofSeconds(60))),
        activeHealth(health.get("active")),
        passiveHealth(health.get("passive")),
        circuitBreaker(u.get("circuit_breaker")),
        bulkhead(u.get("bulkhead")),
        edge.upstreamTls(u.get("tls")),
        u.get("protocol").enumValue(UpstreamSpec.Protocol.class, UpstreamSpec.Protocol.HTTP1));
  }

  private TargetSpec target(ConfigNode t) {
    t.allowOnly(Set.of("address", "weight"));
    String address = t.get("address").requiredString();
    int weight = t.get("weight").integer(1, 1, 1000);
    if (address == null) {
      return null;
    }
    int colon = address.lastIndexOf(':');
    String host = colon > 0 ? address.substring(0, colon) : "";
    int port = -1;
    try {
      port = colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : -1;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    if (!TARGET_HOST.matcher(host).matches() || port < 1 || port > 65535) {
      t.get("address").error("must be host:port with a port 1..65535 (was '" + address + "')");
      return null;
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return new TargetSpec(host, port, weight);
  }

  private HashOn hashOn(ConfigNode n) {
    if (n.isMissing()) {
      return HashOn.CLIENT;
    }
    if (n.isScalar()) {
      if (!"client_address".equals(n.string(""))) {
        n.error("must be client_address, {header: NAME} or {cookie: NAME}");
      }
      return HashOn.CLIENT;
    }
    n.allowOnly(Set.of("header", "cookie"));
    if (!n.get("header").isMissing()) {
      return new HashOn(HashOn.Source.HEADER, headerName(n.get("header")));
    }
    if (!n.get("cookie").isMissing()) {
      return new HashOn(HashOn.Source.COOKIE, n.get("cookie").requiredString());
    }
    n.error("must name a header or a cookie");
    return HashOn.CLIENT;
  }

  private ActiveHealthCheck activeHealth(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("path", "interval", "timeout", "healthy_threshold", "unhealthy_threshold"));
    String path = n.get("path").requiredString();
    if (path != null && !path.startsWith("/")) {
      n.get("path").error("must start with '/'");
    }
    return new ActiveHealthCheck(path,
        n.get("interval").duration(Duration.ofSeconds(5)),
        n.get("timeout").duration(Duration.ofSeconds(2)),
        n.get("healthy_threshold").integer(2, 1, 100),
        n.get("unhealthy_threshold").integer(3, 1, 100));
  }

  private PassiveHealthCheck passiveHealth(ConfigNode n) {
    n.allowOnly(Set.of("max_failures", "ejection", "max_ejection"));
    PassiveHealthCheck check = new PassiveHealthCheck(
        n.get("max_failures").integer(5, 0, 1000),
        n.get("ejection").duration(Duration.ofSeconds(10)),
        n.get("max_ejection").duration(Duration.ofMinutes(5)));
    if (check.maxEjection().compareTo(check.baseEjection()) < 0) {
      n.get("max_ejection").error("must not be shorter than ejection");
    }
    return check;
  }

  private CircuitBreakerSpec circuitBreaker(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("failure_ratio", "min_calls", "consecutive_failures", "window", "open_for",
        "half_open_successes", "scope"));
    boolean noTrigger = n.get("failure_ratio").isMissing() && n.get("consecutive_failures").isMissing();
    return new CircuitBreakerSpec(
        n.get("failure_ratio").fraction(0),
        n.get("min_calls").integer(20, 1, 1_000_000),
        n.get("consecutive_failures").integer(noTrigger ? 5 : 0, 1, 1_000_000),
        boundedDuration(n.get("window"), Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofHours(1)),
        boundedDuration(n.get("open_for"), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1)),
        n.get("half_open_successes").integer(3, 1, 1000),
        n.get("scope").enumValue(CircuitBreakerSpec.Scope.class, CircuitBreakerSpec.Scope.CLUSTER));
  }

  static Duration boundedDuration(ConfigNode n, Duration fallback, Duration min, Duration max) {
    Duration d = n.duration(fallback);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      n.error("must be between " + min.toMillis() + "ms and " + max.toMinutes() + "m (was '" + n.string("") + "')");
      return fallback;
    }
    return d;
  }

  private BulkheadSpec bulkhead(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("max_concurrent"));
    if (n.get("max_concurrent").isMissing()) {
      n.get("max_concurrent").error("is required");
    }
    return new BulkheadSpec(n.get("max_concurrent").integer(1, 1, 1_000_000));
  }

  private List<RouteSpec> routes(ConfigNode n, Set<String> upstreamNames, List<RateLimitSpec> globalLimits,
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
    if (id != null && !NAME.matcher(id).matches()) {
      r.get("id").error("must match " + NAME.pattern());
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
      if (method != null && !TOKEN.matcher(method).matches()) {
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
    String name = headerName(h.get("name"));
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
      checkHeaderName(n.get("rename").get(from), from);
      checkWritableHeader(n.get("rename").get(from), to);
    });
    List<String> remove = n.get("remove").strings();
    remove.forEach(name -> checkHeaderName(n.get("remove"), name));
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

  private String headerName(ConfigNode n) {
    String name = n.requiredString();
    if (name != null) {
      checkHeaderName(n, name);
    }
    return name;
  }

  private static void checkHeaderName(ConfigNode n, String name) {
    if (!TOKEN.matcher(name).matches()) {
      n.error("not a valid header name: '" + name + "'");
    }
  }

  /** A header a route may set, add or rename to: a valid name that is not about framing or the connection. */
  private static void checkWritableHeader(ConfigNode n, String name) {
    checkHeaderName(n, name);
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
