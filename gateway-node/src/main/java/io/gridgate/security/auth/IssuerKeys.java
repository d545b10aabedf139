package io.gridgate.security.auth;

import io.gridgate.config.JwtIssuerSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The current keys of one issuer. With a {@code jwks_url}, the JWKS is fetched on first use and
 * again when a token names an unknown {@code kid} or the keys are older than {@link #MAX_AGE_NANOS}
 * — at most once per {@code jwks_min_refresh} of the node's monotonic clock, one fetch at a time,
 * shared by every event loop.
 */
final class IssuerKeys {
  private static final Logger LOG = Logger.getLogger(IssuerKeys.class.getName());
  /** Keys older than this are refreshed in the background, so keys removed from the JWKS stop working. */
  static final long MAX_AGE_NANOS = 5L * 60 * 1_000_000_000;

  private final Vertx vertx;
  private final JwtIssuerSpec spec;
  private final JwksClient jwks;
  private final long minRefreshNanos;
  private final LongSupplier nanos;
  private volatile KeySet current;
  private Future<KeySet> refreshing;
  private long lastFetchNanos;
  private boolean fetchedOnce;

  IssuerKeys(Vertx vertx, JwtIssuerSpec spec, JwksClient jwks, LongSupplier nanos) {
    this.vertx = vertx;
    this.spec = spec;
    this.jwks = jwks;
    this.nanos = nanos;
    this.minRefreshNanos = spec.jwksMinRefresh().toNanos();
    this.current = KeySet.of(vertx, spec, List.of());
  }

  JwtIssuerSpec spec() {
    return spec;
  }

  /** The keys to verify a token naming {@code kid} (may be null) with; completes on the caller's context. */
  Future<KeySet> keysFor(String kid) {
    KeySet keys = current;
    if (spec.jwksUrl() == null) {
      return Future.succeededFuture(keys);
    }
    Future<KeySet> refresh;
    synchronized (this) {
      long now = nanos.getAsLong();
      boolean unknownKid = kid != null && !keys.kids().contains(kid);
      boolean due = !fetchedOnce || now - lastFetchNanos >= minRefreshNanos;
      Future<KeySet> pending = refreshing;
      if (pending == null && due && (!fetchedOnce || unknownKid || now - lastFetchNanos >= MAX_AGE_NANOS)) {
        lastFetchNanos = now;
        fetchedOnce = true;
        pending = fetch();
        refreshing = pending.isComplete() ? null : pending;
      }
      refresh = pending != null && (unknownKid || keys.size() == 0) ? pending : null;
    }
    return refresh == null ? Future.succeededFuture(keys) : CallerContext.of(refresh);
  }

  private Future<KeySet> fetch() {
    return jwks.fetch(spec.jwksUrl())
        .map(keys -> KeySet.of(vertx, spec, keys))
        .transform(ar -> {
          synchronized (this) {
            refreshing = null;
            if (ar.succeeded()) {
              current = ar.result();
            } else {
              LOG.log(Level.WARNING, "JWKS of issuer " + spec.name() + " could not be fetched: " + ar.cause().getMessage());
            }
            return Future.succeededFuture(current);
          }
        });
  }
}
