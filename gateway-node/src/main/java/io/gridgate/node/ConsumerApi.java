package io.gridgate.node;

import io.gridgate.grid.ConsumerStore;
import io.gridgate.security.ApiKeys;
import io.gridgate.security.Consumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The admin API's consumer endpoints: {@code PUT/GET/DELETE /admin/consumers/{id}} (groups),
 * {@code GET /admin/consumers}, {@code POST /admin/consumers/{id}/keys} (a new API key, shown once
 * in clear and stored only as its SHA-256) and {@code DELETE /admin/consumers/{id}/keys/{keyId}}.
 */
final class ConsumerApi implements AdminRoutes {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
  private static final long MAX_BODY_BYTES = 64 * 1024;
  private final ConsumerStore store;

  ConsumerApi(ConsumerStore store) {
    this.store = store;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/consumers").handler(this::list);
    router.put("/admin/consumers/:id").handler(new AdminBody(MAX_BODY_BYTES)).handler(this::put);
    router.get("/admin/consumers/:id").handler(this::get);
    router.delete("/admin/consumers/:id").handler(this::delete);
    router.post("/admin/consumers/:id/keys").handler(this::addKey);
    router.delete("/admin/consumers/:id/keys/:keyId").handler(this::removeKey);
  }

  private void put(RoutingContext ctx) {
    String id = id(ctx);
    Set<String> groups = id == null ? null : groups(ctx);
    if (groups == null) {
      return;
    }
    store.change(id, current -> new Consumer(id, groups, current == null ? List.of() : current.keys()))
        .onSuccess(c -> ctx.json(view(c))).onFailure(err -> unavailable(ctx, err));
  }

  private void get(RoutingContext ctx) {
    String id = id(ctx);
    if (id != null) {
      store.get(id).onSuccess(c -> {
        if (c == null) {
          AdminErrors.send(ctx, 404, "unknown_consumer", "no consumer '" + id + "'");
        } else {
          ctx.json(view(c));
        }
      }).onFailure(err -> unavailable(ctx, err));
    }
  }

  private void list(RoutingContext ctx) {
    store.list().onSuccess(all -> {
      JsonArray out = new JsonArray();
      all.forEach(c -> out.add(view(c)));
      ctx.json(new JsonObject().put("consumers", out));
    }).onFailure(err -> unavailable(ctx, err));
  }

  private void delete(RoutingContext ctx) {
    String id = id(ctx);
    if (id != null) {
      store.change(id, current -> null).onSuccess(v -> ctx.response().setStatusCode(204).end())
          .onFailure(err -> unavailable(ctx, err));
    }
  }

  private void addKey(RoutingContext ctx) {
    String id = id(ctx);
    if (id == null) {
      return;
    }
    String key = ApiKeys.generate();
    String keyId = UUID.randomUUID().toString();
    Consumer.ApiKey stored = new Consumer.ApiKey(keyId, ApiKeys.sha256(key), System.currentTimeMillis());
    store.change(id, current -> {
      if (current == null) {
        return null;
      }
      List<Consumer.ApiKey> keys = new ArrayList<>(current.keys());
      keys.add(stored);
      return new Consumer(id, current.groups(), keys);
    }).onSuccess(c -> {
      if (c == null) {
        AdminErrors.send(ctx, 404, "unknown_consumer", "no consumer '" + id + "'");
      } else {
        ctx.response().setStatusCode(201);
        ctx.json(new JsonObject().put("consumer", id).put("key_id", keyId).put("key", key)
            .put("note", "the key is shown only now; GridGate keeps its SHA-256"));
      }
    }).onFailure(err -> unavailable(ctx, err));
  }

  private void removeKey(RoutingContext ctx) {
    String id = id(ctx);
    String keyId = ctx.pathParam("keyId");
    if (id == null) {
      return;
    }
    store.change(id, current -> current == null ? null : new Consumer(id, current.groups(),
        current.keys().stream().filter(k -> !k.id().equals(keyId)).toList()))
        .onSuccess(c -> ctx.response().setStatusCode(c == null ? 404 : 204).end())
        .onFailure(err -> unavailable(ctx, err));
  }

  private static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !NAME.matcher(id).matches()) {
      AdminErrors.send(ctx, 400, "invalid_consumer", "a consumer id must match " + NAME.pattern());
      return null;
    }
    return id;
  }

  /** The "groups" of a PUT body, or null after answering 400. */
  private static Set<String> groups(RoutingContext ctx) {
    JsonObject body = AdminBody.jsonObject(ctx);
    Object groups = body == null ? null : body.getValue("groups", new JsonArray());
    if (body != null && body.fieldNames().stream().allMatch("groups"::equals) && groups instanceof JsonArray array) {
      Set<String> out = new LinkedHashSet<>();
      for (Object g : array) {
        if (!(g instanceof String s) || !NAME.matcher(s).matches()) {
          AdminErrors.send(ctx, 400, "invalid_consumer", "each group must be a name matching " + NAME.pattern());
          return null;
        }
        out.add(s);
      }
      return out;
    }
    AdminErrors.send(ctx, 400, "invalid_consumer", "the body must be {\"groups\": [\"name\", ...]}");
    return null;
  }

  /** A consumer as the API shows it: key ids and creation times, never the hashes. */
  private static JsonObject view(Consumer c) {
    JsonArray keys = new JsonArray();
    c.keys().forEach(k -> keys.add(new JsonObject().put("id", k.id()).put("created_at_ms", k.createdAtMillis())));
    return new JsonObject().put("id", c.id()).put("groups", new JsonArray(List.copyOf(c.groups()))).put("keys", keys);
  }

  private static void unavailable(RoutingContext ctx, Throwable err) {
    AdminErrors.send(ctx, 503, "grid_unavailable", String.valueOf(err.getMessage()));
  }
}
