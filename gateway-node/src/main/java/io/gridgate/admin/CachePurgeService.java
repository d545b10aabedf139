package io.gridgate.admin;

import io.gridgate.cache.ResponseStore;
import io.gridgate.cluster.MemberConsumer;
import io.gridgate.cluster.MemberRequests;
import io.gridgate.cluster.Membership;
import io.gridgate.grid.GridNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Purges response caches cluster-wide: every member listens at {@code gridgate.cache.purge.<member>}
 * and purges its own store (everything, or one route's entries); a purge asked of any node is sent
 * to every live member and answers which members purged and which did not answer.
 */
public final class CachePurgeService {
  static final long ACK_TIMEOUT_MILLIS = 5_000;
  private final Vertx vertx;
  private final Membership membership;
  private final ResponseStore store;
  private final MemberConsumer consumer;

  public CachePurgeService(Vertx vertx, Membership membership, ResponseStore store) {
    this.vertx = vertx;
    this.membership = membership;
    this.store = store;
    this.consumer = new MemberConsumer(vertx, GridNames.cachePurgeAddress(membership.memberId()), message -> {
      String route = message.body().getString("route");
      int removed = route == null ? store.purgeAll() : store.purgeRoute(route);
      message.reply(new JsonObject().put("status", "purged").put("entries", removed));
    });
  }

  public Future<Void> start() {
    return consumer.start(membership.grid());
  }

  /** Purges every member's entries of {@code route} (all entries when null); the result names each member's outcome. */
  Future<PurgeResult> purgeEverywhere(String route) {
    JsonObject request = new JsonObject().put("route", route);
    return MemberRequests.toEach(vertx, membership.members().get(), GridNames::cachePurgeAddress, request,
            ACK_TIMEOUT_MILLIS, err -> new JsonObject().put("status", "no_answer").put("reason", err.getMessage()))
        .map(replies -> new PurgeResult(route, replies));
  }

  public Future<Void> stop() {
    return consumer.stop();
  }

  /** The outcome of a purge: the route (null for all) and each member's reply. */
  record PurgeResult(String route, List<JsonObject> members) {
    List<String> withStatus(String status, boolean equal) {
      return members.stream().filter(m -> status.equals(m.getString("status")) == equal)
          .map(m -> m.getString("member")).toList();
    }

    JsonObject toJson() {
      return new JsonObject().put("route", route).put("members", members)
          .put("purged", withStatus("purged", true)).put("failed", withStatus("purged", false));
    }
  }
}
