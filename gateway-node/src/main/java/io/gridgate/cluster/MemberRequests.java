package io.gridgate.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Sends one request to each live member over the clustered event bus and gathers every member's
 * reply, or what stands for its silence, each tagged with the member's id.
 */
public final class MemberRequests {
  private MemberRequests() {}

  /**
   * Requests {@code body} at {@code address.apply(member)} for each of {@code members}; a member
   * that fails or does not answer within {@code timeoutMillis} is represented by {@code silence.apply(cause)}.
   */
  public static Future<List<JsonObject>> toEach(Vertx vertx, List<String> members, Function<String, String> address,
                                         JsonObject body, long timeoutMillis, Function<Throwable, JsonObject> silence) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMillis);
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (String member : members) {
      replies.add(vertx.eventBus().<JsonObject>request(address.apply(member), body, options)
          .map(reply -> reply.body().put("member", member))
          .recover(err -> Future.succeededFuture(silence.apply(err).put("member", member))));
    }
    return Future.join(replies).map(all -> replies.stream().map(Future::result).toList());
  }
}
