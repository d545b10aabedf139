package io.gridgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a node file's {@code node} section: what each node sets for itself and never pushes. */
final class NodeParser {
  private static final Pattern EVENT_BUS_HOST = Pattern.compile("[A-Za-z0-9.-]+|[0-9a-fA-F:.]+");

  private final Secrets secrets;
  private final EdgeParser edge;
  private final TracingParser tracing = new TracingParser();
  private final CacheParser cache = new CacheParser();

  NodeParser(Secrets secrets, EdgeParser edge) {
    this.secrets = secrets;
    this.edge = edge;
  }

  /** The node's own settings: listeners, limits, timeouts, cluster, access log, tracing and cache size. */
  NodeSettings parse(ConfigNode n) {
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
    if (!ConfigParser.NAME.matcher(name).matches()) {
      n.get("name").error("must match " + ConfigParser.NAME.pattern());
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
        ConfigParser.boundedDuration(n.get("digest_interval"), ClusterSettings.DEFAULT_DIGEST_INTERVAL, Duration.ofMillis(100),
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
}
