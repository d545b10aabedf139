package io.gridgate.telemetry;

import io.gridgate.proxy.RequestObserver;
import io.gridgate.proxy.RequestRecord;
import io.gridgate.upstream.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The data plane's per-request meters: {@code gridgate_requests_total} and
 * {@code gridgate_request_duration_seconds} by route, method and status class; the gateway's own
 * time ({@code gridgate_gateway_duration_seconds}) apart from the upstream's
 * ({@code gridgate_upstream_duration_seconds}); and {@code gridgate_upstream_responses_total} per
 * upstream attempt by target and status class. Meters are created once per label set and cached.
 */
public final class RequestMeters implements RequestObserver {
  /** Client-visible and upstream times: 1 ms to 10 s. */
  static final Duration[] REQUEST_BUCKETS = millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000);
  /** The gateway's own time: 50 µs to 1 s. */
  static final Duration[] GATEWAY_BUCKETS = millis(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000);
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
      "TRACE", "CONNECT");

  private final MeterRegistry registry;
  private final String member;
  private final Map<String, RouteMeters> routes = new ConcurrentHashMap<>();
  private final Map<Target, Map<String, Counter>> attempts = new ConcurrentHashMap<>();

  public RequestMeters(MeterRegistry registry, String member) {
    this.registry = registry;
    this.member = member;
  }

  @Override
  public void completed(RequestRecord record) {
    RouteMeters route = routes.computeIfAbsent(record.routeId(), RouteMeters::new);
    String method = record.request().method().name();
    route.requests(METHODS.contains(method) ? method : "OTHER", record.statusClass()).record(record.totalNanos());
    route.gateway.record(record.gatewayNanos(), TimeUnit.NANOSECONDS);
    if (record.target() != null) {
      route.upstream(record.upstream()).record(record.upstreamNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void attempted(String upstream, Target target, String statusClass) {
    attempts.computeIfAbsent(target, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(statusClass, c -> Counter.builder("gridgate.upstream.responses")
            .description("Upstream attempts by target and status class (error: no answer)")
            .tags("member", member, "upstream", upstream, "target", target.toString(), "status_class", c)
            .register(registry))
        .increment();
  }

  private static Duration[] millis(double... values) {
    Duration[] buckets = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      buckets[i] = Duration.ofNanos((long) (values[i] * 1_000_000));
    }
    return buckets;
  }

  /** The meters of one route. */
  private final class RouteMeters {
    private final String route;
    private final Timer gateway;
    private final Map<String, Map<String, RequestCount>> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> upstreams = new ConcurrentHashMap<>();

    RouteMeters(String route) {
      this.route = route;
      this.gateway = Timer.builder("gridgate.gateway.duration")
          .description("The gateway's own time per request: the total less the time spent on upstream attempts")
          .serviceLevelObjectives(GATEWAY_BUCKETS).tags("member", member, "route", route).register(registry);
    }

    RequestCount requests(String method, String statusClass) {
      Map<String, RequestCount> byClass = requests.computeIfAbsent(method, m -> new ConcurrentHashMap<>());
      RequestCount count = byClass.get(statusClass);
      return count != null ? count : byClass.computeIfAbsent(statusClass, key -> new RequestCount(
          Counter.builder("gridgate.requests").description("Requests answered, by route, method and status class")
              .tags("member", member, "route", route, "method", method, "status_class", statusClass).register(registry),
          Timer.builder("gridgate.request.duration")
              .description("Time from a request's arrival to the end of its response")
              .serviceLevelObjectives(REQUEST_BUCKETS)
              .tags("member", member, "route", route, "method", method, "status_class", statusClass)
              .register(registry)));
    }

    Timer upstream(String upstream) {
      return upstreams.computeIfAbsent(upstream, name -> Timer.builder("gridgate.upstream.duration")
          .description("Time spent on upstream attempts per request, from sending each to reading its response whole")
          .serviceLevelObjectives(REQUEST_BUCKETS).tags("member", member, "route", route, "upstream", name)
          .register(registry));
    }
  }

  /** A request counter and its duration histogram, for one label set. */
  private record RequestCount(Counter count, Timer duration) {
    void record(long nanos) {
      count.increment();
      duration.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
