package io.gridgate.distribution;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Runs an asynchronous task one run at a time, from any thread: a request made while a run is
 * under way is not dropped but served, together with every other request made meanwhile, by one
 * more run that starts when the current one ends. Each request's future completes with the first
 * run that started after it was made.
 */
final class SerialTask {
  private final Supplier<Future<Void>> task;
  private boolean running;
  private Promise<Void> next;

  SerialTask(Supplier<Future<Void>> task) {
    this.task = task;
  }

  /** Starts a run now, or after the current one when a run is under way. */
  Future<Void> run() {
    synchronized (this) {
      if (running) {
        if (next == null) {
          next = Promise.promise();
        }
        return next.future();
      }
      running = true;
    }
    return start();
  }

  private Future<Void> start() {
    Future<Void> run;
    try {
      run = task.get();
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    return run.andThen(ar -> ended());
  }

  private void ended() {
    Promise<Void> queued;
    synchronized (this) {
      queued = next;
      next = null;
      running = queued != null;
    }
    if (queued != null) {
      start().onComplete(queued);
    }
  }
}
