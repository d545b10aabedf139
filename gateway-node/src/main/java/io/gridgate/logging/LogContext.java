package io.gridgate.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * The request and trace ids of the request whose Vert.x context is running, kept in that
 * request's own (duplicated) context so that every log line written while serving it can name
 * them. Registered as a Vert.x service provider so that its context local exists before any Vert.x
 * instance is created.
 */
public final class LogContext implements VertxServiceProvider {
  private static final ContextLocal<Ids> IDS = ContextLocal.registerLocal(Ids.class);

  /** The ids a log line carries. */
  public record Ids(String requestId, String traceId) {}

  @Override
  public void init(VertxBootstrap bootstrap) {
    // nothing to configure: loading this class registered the context local
  }

  /**
   * Names the request served on the current context. Only a duplicated context (one request's own)
   * takes the ids: on a shared event-loop context they would leak into unrelated log lines.
   */
  public static void enter(String requestId, String traceId) {
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      context.putLocal(IDS, new Ids(requestId, traceId));
    }
  }

  /** The ids of the request served on the calling thread's context, or null outside any request. */
  public static Ids current() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(IDS);
  }
}
