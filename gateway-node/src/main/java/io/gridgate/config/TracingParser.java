package io.gridgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/** Reads {@code node.tracing}: whether spans are exported, where to, how, how many and under which service name. */
final class TracingParser {
  private static final Set<String> SCHEMES = Set.of("http", "https");

  TracingSettings tracing(ConfigNode n) {
    TracingSettings d = TracingSettings.disabled();
    if (n.isMissing()) {
      return d;
    }
    n.allowOnly(Set.of("enabled", "otlp_endpoint", "protocol", "sample_ratio", "service_name"));
    TracingSettings.Protocol protocol = protocol(n.get("protocol"), d.protocol());
    URI endpoint = endpoint(n.get("otlp_endpoint"), protocol);
    String serviceName = n.get("service_name").string(d.serviceName());
    if (serviceName.isBlank()) {
      n.get("service_name").error("must not be empty");
    }
    return new TracingSettings(n.get("enabled").bool(d.enabled()), endpoint, protocol,
        n.get("sample_ratio").number(d.sampleRatio(), 0, 1), serviceName);
  }

  private static TracingSettings.Protocol protocol(ConfigNode n, TracingSettings.Protocol fallback) {
    String word = n.string(fallback.word());
    for (TracingSettings.Protocol protocol : TracingSettings.Protocol.values()) {
      if (protocol.word().equals(word)) {
        return protocol;
      }
    }
    n.error("must be grpc or http/protobuf (was '" + word + "')");
    return fallback;
  }

  /** The collector's base URL: scheme, host and port; {@code /v1/traces} is added for http/protobuf. */
  private static URI endpoint(ConfigNode n, TracingSettings.Protocol protocol) {
    String value = n.string(null);
    if (value == null) {
      return protocol.defaultEndpoint();
    }
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null
          || uri.getQuery() != null || uri.getFragment() != null) {
        n.error("must be an http:// or https:// URL with a host, such as http://127.0.0.1:4317 (was '" + value + "')");
      } else if (protocol == TracingSettings.Protocol.GRPC && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
        n.error("takes no path with protocol grpc (was '" + value + "')");
      }
      return uri;
    } catch (URISyntaxException e) {
      n.error("is not a URL: " + e.getMessage());
      return protocol.defaultEndpoint();
    }
  }
}
