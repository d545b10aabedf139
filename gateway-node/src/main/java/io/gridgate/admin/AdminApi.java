package io.gridgate.admin;

import io.gridgate.cluster.ClusterHealth;
import io.gridgate.config.ConfigError;
import io.gridgate.config.InvalidConfigException;
import io.gridgate.distribution.ConfigConflictException;
import io.gridgate.distribution.ConfigRecord;
import io.gridgate.distribution.ConfigService;
import io.gridgate.distribution.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The admin API's configuration endpoints: read, push (with the base version it was edited
 * from), validate, list versions, diff and roll back. Every state change goes through a push.
 * Documents are read from the body whatever its Content-Type; what is read back shows secret
 * references as written and literal secrets redacted.
 */
public final class AdminApi {
  private static final long MAX_DOCUMENT_BYTES = 1024 * 1024;

  private final ConfigService configs;
  private final ConfigStore grid;
  private final Supplier<String> readiness;
  private final ClusterHealth cluster;
  private final Supplier<JsonObject> file;

  public AdminApi(ConfigService configs, ConfigStore grid, Supplier<String> readiness, ClusterHealth cluster,
           Supplier<JsonObject> file) {
    this.configs = configs;
    this.grid = grid;
    this.readiness = readiness;
    this.cluster = cluster;
    this.file = file;
  }

  /** READY, STARTING or DRAINING. */
  String readiness() {
    return readiness.get();
  }

  JsonObject nodeStatus() {
    return new JsonObject().put("member", configs.memberId()).put("applied_version", configs.appliedVersion())
        .put("applied_hash", configs.appliedHash()).put("status", readiness()).put("cluster", cluster.toJson())
        .put("file", file.get());
  }

  void mount(Router router) {
    AdminBody document = new AdminBody(MAX_DOCUMENT_BYTES);
    router.get("/admin/node").handler(ctx -> ctx.json(nodeStatus()));
    router.get("/admin/config").handler(this::current);
    router.put("/admin/config").handler(document).handler(this::push);
    router.post("/admin/config/validate").handler(document).handler(this::validate);
    router.get("/admin/config/versions").handler(this::versions);
    router.get("/admin/config/diff").handler(this::diff);
    router.post("/admin/config/rollback/:version").handler(this::rollback);
  }

  private void current(RoutingContext ctx) {
    grid.headConfig().onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
      } else if (ar.result() == null) {
        AdminErrors.send(ctx, 404, "no_config", "no configuration has been committed");
      } else {
        configs.redacted(ar.result()).onSuccess(record -> ctx.json(record.toJson()
            .put("applied_version", configs.appliedVersion()).put("applied_hash", configs.appliedHash())))
            .onFailure(err -> fail(ctx, err));
      }
    });
  }

  private void push(RoutingContext ctx) {
    Long base = longParam(ctx, "base_version");
    if (base == null) {
      return;
    }
    respondToPush(ctx, () -> configs.push(base, AdminBody.text(ctx), origin(ctx)));
  }

  private void rollback(RoutingContext ctx) {
    Long target = longParam(ctx, "version");
    if (target == null) {
      return;
    }
    Future.all(grid.configVersion(target), grid.headConfig()).onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
        return;
      }
      ConfigRecord record = ar.result().resultAt(0);
      ConfigRecord head = ar.result().resultAt(1);
      if (record == null) {
        AdminErrors.send(ctx, 404, "unknown_version", "version " + target + " does not exist");
        return;
      }
      respondToPush(ctx, () -> configs.push(head.version(), record.document(), "rollback to " + target + " by " + origin(ctx)));
    });
  }

  /** Runs {@code push} unless this node is on a protected minority side, and answers its outcome. */
  private void respondToPush(RoutingContext ctx, Supplier<Future<ConfigService.PushResult>> push) {
    if (cluster.isMinority()) {
      ctx.response().putHeader("Retry-After", "5");
      AdminErrors.send(ctx, 503, "minority", "this node sees " + cluster.members() + " of " + cluster.expected()
          + " expected members, fewer than the quorum of " + cluster.quorum()
          + ": pushes are refused on a minority side (node.cluster.minority: protect); push through a member of the majority");
      return;
    }
    push.get().onSuccess(r -> ctx.json(r.toJson())).onFailure(err -> fail(ctx, err));
  }

  private void validate(RoutingContext ctx) {
    configs.check(AdminBody.text(ctx)).onSuccess(config -> ctx.json(new JsonObject().put("valid", true)
        .put("upstreams", config.upstreams().size()).put("routes", config.routes().size())))
        .onFailure(err -> fail(ctx, err));
  }

  private void versions(RoutingContext ctx) {
    grid.configHistory().onSuccess(records -> {
      JsonArray out = new JsonArray();
      records.forEach(r -> out.add(new JsonObject().put("version", r.version())
          .put("committed_at", r.committedAtMillis()).put("origin", r.origin()).put("hash", r.hash())));
      ctx.json(new JsonObject().put("versions", out).put("applied_version", configs.appliedVersion()));
    }).onFailure(err -> fail(ctx, err));
  }

  private void diff(RoutingContext ctx) {
    Long from = longParam(ctx, "from");
    Long to = from == null ? null : longParam(ctx, "to");
    if (to == null) {
      return;
    }
    Future.all(grid.configVersion(from), grid.configVersion(to)).onSuccess(both -> {
      ConfigRecord a = both.resultAt(0);
      ConfigRecord b = both.resultAt(1);
      if (a == null || b == null) {
        AdminErrors.send(ctx, 404, "unknown_version", "version " + (a == null ? from : to) + " does not exist");
        return;
      }
      configs.diff(a, b).onSuccess(diff -> ctx.json(diff.put("from", from).put("to", to)))
          .onFailure(err -> fail(ctx, err));
    }).onFailure(err -> fail(ctx, err));
  }

  private static String origin(RoutingContext ctx) {
    return "admin@" + ctx.request().remoteAddress().hostAddress();
  }

  private static Long longParam(RoutingContext ctx, String name) {
    String value = ctx.pathParam(name) != null ? ctx.pathParam(name) : ctx.queryParams().get(name);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      AdminErrors.send(ctx, 400, "bad_parameter", name + " must be a version number (was '" + value + "')");
      return null;
    }
  }

  private static void invalid(RoutingContext ctx, InvalidConfigException e) {
    JsonArray errors = new JsonArray();
    for (ConfigError error : e.errors()) {
      errors.add(new JsonObject().put("path", error.path()).put("reason", error.reason()));
    }
    ctx.response().setStatusCode(400);
    ctx.json(new JsonObject().put("error", "invalid_config").put("errors", errors));
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    if (err instanceof ConfigConflictException conflict) {
      ctx.response().setStatusCode(409);
      ctx.json(new JsonObject().put("error", "conflict").put("message", conflict.getMessage())
          .put("current_version", conflict.currentVersion()));
    } else if (err instanceof InvalidConfigException invalid) {
      invalid(ctx, invalid);
    } else {
      AdminErrors.send(ctx, 500, "internal_error", String.valueOf(err.getMessage()));
    }
  }
}
