package io.gridgate.admin;

import io.gridgate.config.KeyHash;
import io.gridgate.security.ApiKeys;
import io.gridgate.security.Consumer;
import io.gridgate.security.ConsumerDirectory;
import io.gridgate.security.ConsumerStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The admin API's consumer endpoints: {@code PUT/GET/DELETE /admin/consumers/{id}} (groups, JWT
 * subjects), {@code GET /admin/consumers}, {@code POST /admin/consumers/{id}/keys} (a new API key,
 * shown once in clear, or an imported one: {@code {"key": ...}} or {@code {"sha256": ...}}; stored
 * only as its SHA-256) and {@code DELETE /admin/consumers/{id}/keys/{keyId}}. Consumers declared
 * in the configuration document are listed with {@code "source": "config"} and cannot be changed
 * here (409).
 */
public final class ConsumerApi implements AdminRoutes {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{16,512}");
  private static final int MAX_SUBJECT_CHARS = 1024;
  private static final long MAX_BODY_BYTES = 64 * 1024;
  private final ConsumerStore store;
  private final ConsumerDirectory directory;

  public ConsumerApi(ConsumerStore store, ConsumerDirectory directory) {
    this.store = store;
    this.directory = directory;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/consumers").handler(this::list);
    router.put("/admin/consumers/:id").handler(new AdminBody(MAX_BODY_BYTES)).handler(this::put);
    router.get("/admin/consumers/:id").handler(this::get);
    router.delete("/admin/consumers/:id").handler(this::delete);
    router.post("/admin/consumers/:id/keys").handler(new AdminBody(MAX_BODY_BYTES)).handler(this::addKey);
    router.delete("/admin/consumers/:id/keys/:keyId").handler(this::removeKey);
  }

  private void put(RoutingContext ctx) {
    String id = changeableId(ctx);
    Consumer fields = id == null ? null : fields(ctx, id);
    if (fields == null) {
      return;
    }
    store.change(id, current -> new Consumer(id, fields.groups(), current == null ? List.of() : current.keys(),
            fields.subjects(), 0, false))
        .onSuccess(c -> ctx.json(view(c, "admin"))).onFailure(err -> unavailable(ctx, err));
  }

  private void get(RoutingContext ctx) {
    String id = id(ctx);
    if (id == null) {
      return;
    }
    Consumer declared = directory.declared().get(id);
    if (declared != null) {
      ctx.json(view(declared, "config"));
      return;
    }
    store.get(id).onSuccess(c -> {
      if (c == null) {
        AdminErrors.send(ctx, 404, "unknown_consumer", "no consumer '" + id + "'");
      } else {
        ctx.json(view(c, "admin"));
      }
    }).onFailure(err -> unavailable(ctx, err));
  }

  private void list(RoutingContext ctx) {
    store.list().onSuccess(all -> {
      Map<String, Consumer> declared = directory.declared();
      JsonArray out = new JsonArray();
      all.stream().filter(c -> !declared.containsKey(c.id())).forEach(c -> out.add(view(c, "admin")));
      declared.values().forEach(c -> out.add(view(c, "config")));
      ctx.json(new JsonObject().put("consumers", out));
    }).onFailure(err -> unavailable(ctx, err));
  }

  private void delete(RoutingContext ctx) {
    String id = changeableId(ctx);
    if (id != null) {
      store.change(id, current -> null).onSuccess(v -> ctx.response().setStatusCode(204).end())
          .onFailure(err -> unavailable(ctx, err));
    }
  }

  private void addKey(RoutingContext ctx) {
    String id = changeableId(ctx);
    KeyRequest request = id == null ? null : keyRequest(ctx);
    if (request == null) {
      return;
    }
    String keyId = UUID.randomUUID().toString();
    Consumer.ApiKey stored = new Consumer.ApiKey(keyId, request.sha256(), System.currentTimeMillis());
    boolean[] taken = {false};
    store.change(id, current -> {
      if (current == null) {
        return null;
      }
      taken[0] = current.keys().stream().anyMatch(k -> k.sha256().equals(stored.sha256()));
      if (taken[0]) {
        return current;
      }
      List<Consumer.ApiKey> keys = new ArrayList<>(current.keys());
      keys.add(stored);
      return new Consumer(id, current.groups(), keys, current.subjects(), 0, false);
    }).onSuccess(c -> {
      if (c == null) {
        AdminErrors.send(ctx, 404, "unknown_consumer", "no consumer '" + id + "'");
      } else if (taken[0]) {
        AdminErrors.send(ctx, 409, "key_exists", "consumer '" + id + "' already has this key");
      } else {
        ctx.response().setStatusCode(201);
        JsonObject answer = new JsonObject().put("consumer", id).put("key_id", keyId);
        ctx.json(request.generated() == null ? answer.put("imported", true)
            : answer.put("key", request.generated()).put("note", "the key is shown only now; GridGate keeps its SHA-256"));
      }
    }).onFailure(err -> unavailable(ctx, err));
  }

  private void removeKey(RoutingContext ctx) {
    String id = changeableId(ctx);
    String keyId = ctx.pathParam("keyId");
    if (id == null) {
      return;
    }
    store.change(id, current -> current == null ? null : new Consumer(id, current.groups(),
            current.keys().stream().filter(k -> !k.id().equals(keyId)).toList(), current.subjects(), 0, false))
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

  /** The id of a consumer the admin API may change, or null after answering 400 or 409 (declared in the document). */
  private String changeableId(RoutingContext ctx) {
    String id = id(ctx);
    if (id != null && directory.declared().containsKey(id)) {
      AdminErrors.send(ctx, 409, "declared_consumer", "consumer '" + id + "' is declared in the configuration "
          + "document (consumers." + id + "): change it there and push the document");
      return null;
    }
    return id;
  }

  /** The groups and JWT subjects of a PUT body (as a consumer without keys), or null after answering 400. */
  private static Consumer fields(RoutingContext ctx, String id) {
    JsonObject body = AdminBody.jsonObject(ctx);
    if (body == null || !Set.of("groups", "jwt_subjects").containsAll(body.fieldNames())) {
      AdminErrors.send(ctx, 400, "invalid_consumer", "the body must be {\"groups\": [\"name\", ...]} with, optionally,"
          + " \"jwt_subjects\": [\"subject\", ...]");
      return null;
    }
    Set<String> groups = strings(body.getValue("groups", new JsonArray()), 128);
    Set<String> subjects = strings(body.getValue("jwt_subjects", new JsonArray()), MAX_SUBJECT_CHARS);
    if (groups == null || groups.stream().anyMatch(g -> !NAME.matcher(g).matches())) {
      AdminErrors.send(ctx, 400, "invalid_consumer", "each group must be a name matching " + NAME.pattern());
      return null;
    }
    if (subjects == null) {
      AdminErrors.send(ctx, 400, "invalid_consumer", "each JWT subject must be a non-empty string of at most "
          + MAX_SUBJECT_CHARS + " characters");
      return null;
    }
    return new Consumer(id, groups, List.of(), subjects, 0, false);
  }

  /** The strings of a JSON array, each non-empty and at most {@code maxChars} long; null when it is not such an array. */
  private static Set<String> strings(Object value, int maxChars) {
    if (!(value instanceof JsonArray array)) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isEmpty() || s.length() > maxChars) {
        return null;
      }
      out.add(s);
    }
    return out;
  }

  /** What a key creation asks for: a key generated here (shown once) or one imported as a key or a hash. */
  private record KeyRequest(String sha256, String generated) {}

  /** The key of a POST .../keys: none or {} (generate one), {"key": ...} or {"sha256": ...}; null after answering 400. */
  private static KeyRequest keyRequest(RoutingContext ctx) {
    JsonObject body = AdminBody.text(ctx).isBlank() ? new JsonObject() : AdminBody.jsonObject(ctx);
    if (body == null || body.size() > 1 || !Set.of("key", "sha256").containsAll(body.fieldNames())) {
      AdminErrors.send(ctx, 400, "invalid_key", "the body must be empty (a new key is generated), {\"key\": \"...\"}"
          + " or {\"sha256\": \"<64 hex digits>\"}");
      return null;
    }
    if (body.isEmpty()) {
      String key = ApiKeys.generate();
      return new KeyRequest(ApiKeys.sha256(key), key);
    }
    Object key = body.getValue("key");
    if (key != null) {
      if (key instanceof String s && KEY.matcher(s).matches()) {
        return new KeyRequest(ApiKeys.sha256(s), null);
      }
      AdminErrors.send(ctx, 400, "invalid_key", "'key' must be 16 to 512 printable ASCII characters without spaces");
      return null;
    }
    if (body.getValue("sha256") instanceof String hash && KeyHash.HEX.matcher(hash).matches()) {
      return new KeyRequest(hash.toLowerCase(Locale.ROOT), null);
    }
    AdminErrors.send(ctx, 400, "invalid_key", "'sha256' must be a SHA-256 as 64 hex digits");
    return null;
  }

  /** A consumer as the API shows it: key ids and creation times, never the hashes. */
  private static JsonObject view(Consumer c, String source) {
    JsonArray keys = new JsonArray();
    c.keys().forEach(k -> keys.add(new JsonObject().put("id", k.id()).put("created_at_ms", k.createdAtMillis())));
    return new JsonObject().put("id", c.id()).put("groups", new JsonArray(List.copyOf(c.groups()))).put("keys", keys)
        .put("jwt_subjects", new JsonArray(List.copyOf(c.subjects()))).put("source", source);
  }

  private static void unavailable(RoutingContext ctx, Throwable err) {
    AdminErrors.send(ctx, 503, "grid_unavailable", String.valueOf(err.getMessage()));
  }
}
