package io.gridgate.cluster;

import io.gridgate.distribution.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * An event-bus consumer at this member's own address, registered afresh after a split heals. While
 * the member was away the others dropped its registration and their event buses cached "no
 * handler" for the address; the merge brings the registration back without an entry event, so
 * they would keep answering "No handlers" to pushes and purges. A new registration (added before
 * the old one is dropped) tells every member at once.
 */
public final class MemberConsumer {
  private final Vertx vertx;
  private final String address;
  private final Handler<Message<JsonObject>> handler;
  private MessageConsumer<JsonObject> current;

  public MemberConsumer(Vertx vertx, String address, Handler<Message<JsonObject>> handler) {
    this.vertx = vertx;
    this.address = address;
    this.handler = handler;
  }

  /** Registers the consumer, and registers it afresh whenever {@code grid} reports a merge. */
  public Future<Void> start(ConfigStore grid) {
    grid.onMerged(() -> vertx.runOnContext(v -> renew()));
    current = vertx.eventBus().consumer(address, handler);
    return current.completion();
  }

  private void renew() {
    MessageConsumer<JsonObject> old = current;
    if (old == null) {
      return;
    }
    current = vertx.eventBus().consumer(address, handler);
    current.completion().onComplete(ar -> old.unregister());
  }

  public Future<Void> stop() {
    MessageConsumer<JsonObject> last = current;
    current = null;
    return last == null ? Future.succeededFuture() : last.unregister();
  }
}
