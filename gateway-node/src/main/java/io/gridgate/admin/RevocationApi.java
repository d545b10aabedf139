package io.gridgate.admin;

import io.gridgate.security.Revocation;
import io.gridgate.security.RevocationStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The admin API's revocation endpoints: {@code POST /admin/revocations} revokes one token by its
 * {@code jti}, or every token of a {@code subject} issued before a time, until {@code expires_at}
 * (epoch seconds; by default a day from now); {@code GET /admin/revocations} lists those in force.
 */
public final class RevocationApi implements AdminRoutes {
  private static final long DEFAULT_LIFETIME_MILLIS = Duration.ofDays(1).toMillis();
  private static final long MAX_LIFETIME_MILLIS = Duration.ofDays(366).toMillis();
  private static final int MAX_VALUE_CHARS = 1024;
  private final RevocationStore store;

  public RevocationApi(RevocationStore store) {
    this.store = store;
  }

  @Override
  public void mount(Router router) {
    router.post("/admin/revocations").handler(new AdminBody(16 * 1024)).handler(this::revoke);
    router.get("/admin/revocations").handler(this::list);
  }

  private void revoke(RoutingContext ctx) {
    JsonObject body = AdminBody.jsonObject(ctx);
    String problem = body == null ? "the body must be a JSON object" : problem(body);
    if (problem != null) {
      AdminErrors.send(ctx, 400, "invalid_revocation", problem);
      return;
    }
    Revocation revocation = revocation(body, System.currentTimeMillis());
    store.revoke(revocation).onSuccess(v -> {
      ctx.response().setStatusCode(201);
      ctx.json(new JsonObject().put("revoked", toJson(revocation)));
    }).onFailure(err -> AdminErrors.send(ctx, 503, "grid_unavailable", String.valueOf(err.getMessage())));
  }

  /** What is wrong with a revocation request, or null. */
  private static String problem(JsonObject body) {
    for (String field : body.fieldNames()) {
      if (!field.equals("jti") && !field.equals("subject") && !field.equals("issued_before") && !field.equals("expires_at")) {
        return "unknown field '" + field + "' (allowed: jti, subject, issued_before, expires_at)";
      }
    }
    boolean jti = body.containsKey("jti");
    if (jti == body.containsKey("subject")) {
      return "give exactly one of 'jti' or 'subject'";
    }
    Object value = body.getValue(jti ? "jti" : "subject");
    if (!(value instanceof String s) || s.isBlank() || s.length() > MAX_VALUE_CHARS) {
      return "'" + (jti ? "jti" : "subject") + "' must be a non-empty string of at most " + MAX_VALUE_CHARS + " characters";
    }
    if (jti && body.containsKey("issued_before")) {
      return "'issued_before' applies to a subject, not to a jti";
    }
    long now = System.currentTimeMillis();
    for (String field : new String[] {"issued_before", "expires_at"}) {
      if (body.containsKey(field) && !(body.getValue(field) instanceof Number)) {
        return "'" + field + "' must be a time in epoch seconds";
      }
    }
    if (body.containsKey("expires_at")) {
      long expires = body.getLong("expires_at") * 1000;
      if (expires <= now || expires > now + MAX_LIFETIME_MILLIS) {
        return "'expires_at' must be in the future and at most 366 days away";
      }
    }
    return null;
  }

  private static Revocation revocation(JsonObject body, long now) {
    long expires = body.containsKey("expires_at") ? body.getLong("expires_at") * 1000 : now + DEFAULT_LIFETIME_MILLIS;
    if (body.containsKey("jti")) {
      return new Revocation(Revocation.Kind.JTI, body.getString("jti"), 0, expires);
    }
    long before = body.containsKey("issued_before") ? body.getLong("issued_before") * 1000 : now + 1;
    return new Revocation(Revocation.Kind.SUBJECT, body.getString("subject"), before, expires);
  }

  private void list(RoutingContext ctx) {
    store.list().onSuccess(all -> {
      JsonArray out = new JsonArray();
      all.forEach(r -> out.add(toJson(r)));
      ctx.json(new JsonObject().put("revocations", out));
    }).onFailure(err -> AdminErrors.send(ctx, 503, "grid_unavailable", String.valueOf(err.getMessage())));
  }

  private static JsonObject toJson(Revocation r) {
    JsonObject json = new JsonObject().put(r.kind() == Revocation.Kind.JTI ? "jti" : "subject", r.value())
        .put("expires_at", r.expiresAtMillis() / 1000);
    return r.kind() == Revocation.Kind.SUBJECT ? json.put("issued_before_ms", r.issuedBeforeMillis()) : json;
  }
}
