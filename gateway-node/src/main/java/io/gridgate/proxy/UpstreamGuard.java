package io.gridgate.proxy;

import io.gridgate.upstream.CircuitBreaker;
import io.vertx.core.http.HttpHeaders;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Lets an exchange past its upstream's bulkhead and circuit breaker before the first attempt, or
 * answers 503 for them at once ({@code bulkhead_full}, or {@code circuit_open} with Retry-After).
 */
final class UpstreamGuard {
  private UpstreamGuard() {}

  /** Runs {@code proceed} once the exchange may go to the upstream; otherwise the exchange is answered. */
  static void admit(Exchange ex, boolean useBreaker, Consumer<Exchange> proceed) {
    if (!ex.enterBulkhead()) {
      reject(ex, "bulkhead_full", "upstream '" + ex.pool.name() + "' already has "
          + ex.pool.bulkhead().maxConcurrent() + " requests in flight from this node");
      return;
    }
    CircuitBreaker breaker = useBreaker ? ex.pool.breaker() : null;
    if (breaker == null) {
      proceed.accept(ex);
      return;
    }
    switch (breaker.admit()) {
      case ALLOW -> proceed.accept(ex);
      case PROBE -> probe(ex, proceed);
      case REJECT -> circuitOpen(ex, breaker);
      case CLAIM -> breaker.claimProbe().onSuccess(won -> {
        if (won) {
          probe(ex, proceed);
        } else {
          circuitOpen(ex, breaker);
        }
      });
    }
  }

  private static void probe(Exchange ex, Consumer<Exchange> proceed) {
    ex.probe();
    proceed.accept(ex);
  }

  private static void circuitOpen(Exchange ex, CircuitBreaker breaker) {
    ex.response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(breaker.retryAfterSeconds()));
    reject(ex, "circuit_open", "the circuit breaker of upstream '" + ex.pool.name() + "' is "
        + breaker.phase().name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  private static void reject(Exchange ex, String error, String message) {
    if (ex.hasBody) {
      ex.request.response().closeConnectionAfter(); // the body is never read
    }
    ex.fail(503, error, message);
  }
}
