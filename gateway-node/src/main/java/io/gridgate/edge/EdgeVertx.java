package io.gridgate.edge;

import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;

/**
 * Builds the Vert.x instances a gateway node runs on with the edge guard in their transport
 * (connection caps and client timeouts at accept time, see {@link EdgeListeners}), and finds the
 * guard of a running instance.
 */
public final class EdgeVertx {
  private EdgeVertx() {}

  /** The transport chosen as {@code options} asks (native when preferred and available, else NIO), gated. */
  private record Gated(String name, GatedTransport implementation) implements Transport {
    @Override
    public boolean available() {
      return true;
    }

    @Override
    public Throwable unavailabilityCause() {
      return null;
    }
  }

  /** A builder with {@code options} and the gated transport; add a tracer or a cluster manager, then build. */
  public static VertxBuilder builder(VertxOptions options) {
    Transport chosen = options.getPreferNativeTransport() ? Transport.nativeTransport() : null;
    if (chosen == null || !chosen.available()) {
      chosen = Transport.NIO;
    }
    return Vertx.builder().with(options).withTransport(new Gated(chosen.name(), new GatedTransport(chosen.implementation())));
  }

  /** The listeners guarded on {@code vertx}, or null when it was not built by {@link #builder}. */
  public static EdgeListeners listeners(Vertx vertx) {
    return vertx instanceof VertxInternal internal && internal.transport() instanceof GatedTransport gated
        ? gated.listeners()
        : null;
  }
}
