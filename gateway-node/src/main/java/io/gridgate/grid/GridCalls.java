package io.gridgate.grid;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;

/**
 * Turns Hazelcast's completion stages into Vert.x futures completed on the caller's context, and
 * times each call as a named grid operation. On 1–2 CPUs Hazelcast's default async executor starts
 * a thread per callback; hopping straight onto the context avoids that (see the project's
 * Vert.x/Hazelcast notes). The time is taken when Hazelcast answers, before the hop.
 */
public final class GridCalls {
  private final Vertx vertx;
  private final GridCallMetrics metrics;

  public GridCalls(Vertx vertx, GridCallMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
  }

  /** The outcome of {@code stage}, a call of {@code operation} started just now, on the current context. */
  <T> Future<T> await(String operation, CompletionStage<T> stage) {
    long started = System.nanoTime();
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((value, failure) -> {
      metrics.record(operation, failure == null, System.nanoTime() - started);
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(value);
      }
    }, command -> context.runOnContext(v -> command.run()));
    return promise.future();
  }
}
