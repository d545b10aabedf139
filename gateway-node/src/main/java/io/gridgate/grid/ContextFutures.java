package io.gridgate.grid;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.CompletionStage;

/**
 * Turns Hazelcast's completion stages into Vert.x futures completed on a Vert.x context. On 1–2
 * CPUs Hazelcast's default async executor starts a thread per callback; hopping straight onto the
 * context avoids that (see the project's Vert.x/Hazelcast notes).
 */
final class ContextFutures {
  private ContextFutures() {}

  static <T> Future<T> onContext(CompletionStage<T> stage, Context context) {
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(value);
      }
    }, command -> context.runOnContext(v -> command.run()));
    return promise.future();
  }
}
