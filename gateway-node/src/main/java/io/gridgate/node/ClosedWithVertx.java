package io.gridgate.node;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Supplier;

/**
 * A verticle that only closes something when it is undeployed, so that the resource closes with its
 * Vert.x even when that is closed without the node's drain (an embedding application, tests).
 */
final class ClosedWithVertx extends VerticleBase {
  private final Supplier<Future<Void>> close;

  ClosedWithVertx(Supplier<Future<Void>> close) {
    this.close = close;
  }

  @Override
  public Future<?> stop() {
    return close.get();
  }
}
