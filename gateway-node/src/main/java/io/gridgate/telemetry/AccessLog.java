package io.gridgate.telemetry;

import io.gridgate.config.AccessLogSettings;
import io.gridgate.config.GatewayConfig;
import io.gridgate.proxy.RequestObserver;
import io.gridgate.proxy.RequestRecord;
import io.gridgate.transform.QueryParameters;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The node's JSON access log: one line per request (sampled; errors always when so configured),
 * with time, node, request and trace ids, method, path, query, status, route, upstream target,
 * total, gateway and upstream milliseconds, bytes in and out, client address, consumer, why an
 * upstream call failed (target and exception, which the client is never told) and, on cached
 * routes, what the cache did. Values of credential headers and query parameters are written as
 * {@value #REDACTED}.
 */
public final class AccessLog implements RequestObserver, AutoCloseable {
  static final String REDACTED = "[REDACTED]";
  private final AccessLogSettings settings;
  private final String member;
  private final Supplier<GatewayConfig> config;
  private final AccessLogWriter writer;
  private volatile Redaction redaction;

  private AccessLog(AccessLogSettings settings, String member, Supplier<GatewayConfig> config, AccessLogWriter writer) {
    this.settings = settings;
    this.member = member;
    this.config = config;
    this.writer = writer;
  }

  /** The log {@code settings} ask for, reading credential names from the current {@code config}. */
  public static AccessLog open(AccessLogSettings settings, String member, Supplier<GatewayConfig> config)
      throws IOException {
    return new AccessLog(settings, member, config, AccessLogWriter.open(settings.output()));
  }

  @Override
  public void completed(RequestRecord record) {
    if (isSampled(record)) {
      writer.write(line(record).encode());
    }
  }

  private boolean isSampled(RequestRecord record) {
    if (settings.alwaysLogErrors() && (record.status() >= 400 || record.aborted())) {
      return true;
    }
    return settings.sampleRatio() >= 1.0 || ThreadLocalRandom.current().nextDouble() < settings.sampleRatio();
  }

  JsonObject line(RequestRecord record) {
    Redaction names = redaction();
    JsonObject line = new JsonObject()
        .put("time", Instant.ofEpochMilli(record.startMillis()).toString())
        .put("node", member)
        .put("request_id", record.requestId())
        .put("trace_id", record.traceId())
        .put("client", record.clientAddress())
        .put("method", record.request().method().name())
        .put("path", record.request().path());
    String query = record.request().query();
    if (query != null) {
      line.put("query", names.query(query));
    }
    line.put("protocol", record.request().version() == null ? null : record.request().version().alpnName())
        .put("status", record.status())
        .put("route", record.routeId())
        .put("upstream", record.upstream())
        .put("target", record.target() == null ? null : record.target().toString())
        .put("duration_ms", millis(record.totalNanos()))
        .put("gateway_ms", millis(record.gatewayNanos()))
        .put("upstream_ms", millis(record.upstreamNanos()))
        .put("bytes_in", record.bytesIn())
        .put("bytes_out", record.bytesOut())
        .put("consumer", record.consumer());
    if (record.upstreamError() != null) {
      line.put("upstream_error", record.upstreamError());
    }
    if (record.cacheStatus() != null) {
      line.put("cache", record.cacheStatus());
    }
    if (record.aborted()) {
      line.put("aborted", true);
    }
    if (!settings.headers().isEmpty()) {
      JsonObject headers = new JsonObject();
      for (String name : settings.headers()) {
        String value = record.request().getHeader(name);
        if (value != null) {
          headers.put(name, names.isSecretHeader(name) ? REDACTED : value);
        }
      }
      line.put("headers", headers);
    }
    return line;
  }

  /** The credential names of the current configuration, recomputed when a push changed it. */
  private Redaction redaction() {
    GatewayConfig current = config.get();
    Redaction names = redaction;
    if (names == null || names.config != current) {
      names = new Redaction(current, CredentialNames.of(current, settings.redactQueryParams()));
      redaction = names;
    }
    return names;
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  /** Lines dropped because the writer fell behind. */
  public long dropped() {
    return writer.dropped();
  }

  @Override
  public void close() {
    writer.close();
  }

  /** Credential names with the configuration they were read from. */
  private record Redaction(GatewayConfig config, CredentialNames names) {
    boolean isSecretHeader(String name) {
      return names.headers().contains(name);
    }

    /** The raw query (as {@link QueryParameters} reads it) with the values of credential parameters replaced. */
    String query(String raw) {
      StringBuilder out = new StringBuilder(raw.length());
      for (QueryParameters.Param param : QueryParameters.parse(raw)) {
        if (out.length() > 0) {
          out.append('&');
        }
        int eq = param.raw().indexOf('=');
        if (eq >= 0 && names.queryParams().contains(param.name().toLowerCase(Locale.ROOT))) {
          out.append(param.raw(), 0, eq).append('=').append(REDACTED);
        } else {
          out.append(param.raw());
        }
      }
      return out.toString();
    }
  }
}
