package io.gridgate.security.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** Moves the completion of a future shared between event loops (a JWKS refresh) onto the caller's context. */
final class CallerContext {
  private CallerContext() {}

  static <T> Future<T> of(Future<T> shared) {
    Context caller = Vertx.currentContext();
    if (shared.isComplete() || caller == null) {
      return shared;
    }
    Promise<T> promise = Promise.promise();
    shared.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }
}
