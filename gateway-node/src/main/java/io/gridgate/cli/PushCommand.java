package io.gridgate.cli;

import io.gridgate.admin.AdminToken;
import io.gridgate.config.ConfigError;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.config.InvalidConfigException;
import io.gridgate.config.IpRules;
import io.gridgate.config.SecretFields;
import io.gridgate.distribution.ConfigDiff;
import io.gridgate.distribution.ConfigService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code push FILE --admin URL [--token-file FILE] [--base-version N] [--dry-run] [--diff]}: validates
 * a configuration file locally, then pushes its upstreams and routes to a cluster through one
 * node's admin API on top of the version it was edited from, and reports every member's ack.
 * Secret references are not resolved here (each node resolves them); they are sent as written.
 *
 * <p>Exit codes: 0 pushed and applied by every member (or, with {@code --dry-run}, valid); 1 the
 * push failed or was not applied everywhere (conflict, rejected, lagging members, refused token,
 * admin API unreachable); 2 usage error, missing token or a locally invalid file.
 */
public final class PushCommand {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE_ERROR = 2;

  private static final long CONNECT_TIMEOUT_MILLIS = 5_000;
  /** A push waits for every member's ack (at most {@link ConfigService#ACK_TIMEOUT_MILLIS} each, concurrently). */
  private static final long REQUEST_TIMEOUT_MILLIS = 30_000;

  private final PushOptions options;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  private PushCommand(PushOptions options, Map<String, String> env, PrintStream out, PrintStream err) {
    this.options = options;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs {@code push} with the arguments after the sub-command, the environment (for
   * {@value AdminToken#ENV}) and where to print; returns the exit code (never exits the JVM).
   */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    PushOptions options;
    try {
      options = PushOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(CommandLine.USAGE);
      return USAGE_ERROR;
    }
    return new PushCommand(options, env, out, err).run();
  }

  private int run() {
    Path file = options.file();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      err.println(file + ": cannot read: " + e.getMessage());
      return USAGE_ERROR;
    }
    GatewayConfig local;
    try {
      local = ConfigParser.secretsAsWritten().parse(text);
    } catch (InvalidConfigException e) {
      err.println(file + ": " + e.errors().size() + " configuration error(s), nothing pushed:");
      printErrors(e.errors());
      return USAGE_ERROR;
    }
    String document = text;
    if (hasNodeSection(text)) {
      document = local.sharedDocument();
      out.println(file + " has a node: section; node settings are per node and are not pushed"
          + " (pushing only its upstreams and routes)");
    }
    String token;
    try {
      token = token();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return USAGE_ERROR;
    }

    Vertx vertx = Vertx.vertx();
    try {
      WebClient client = WebClient.create(vertx, new WebClientOptions()
          .setConnectTimeout((int) CONNECT_TIMEOUT_MILLIS).setUserAgent("gridgate-push"));
      return new Session(client, token).push(document);
    } catch (AdminFailure e) {
      err.println(e.getMessage());
      return FAILED;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        err.println("warning: the HTTP client did not close cleanly: " + e);
      }
    }
  }

  /** The token from {@value AdminToken#ENV}, else from {@code --token-file}; its value is never printed. */
  private String token() {
    String fromEnv = env.get(AdminToken.ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    Path tokenFile = options.tokenFile();
    if (tokenFile == null) {
      throw new IllegalArgumentException("no admin token: set " + AdminToken.ENV
          + " or pass --token-file FILE (a node writes a generated token to <data_dir>/admin-token)");
    }
    String fromFile;
    try {
      fromFile = Files.readString(tokenFile);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the admin token file " + tokenFile + ": " + e.getMessage());
    }
    if (fromFile.isBlank()) {
      throw new IllegalArgumentException("the admin token file " + tokenFile + " is empty");
    }
    return fromFile.strip();
  }

  private static boolean hasNodeSection(String text) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    return tree instanceof Map<?, ?> map && map.containsKey("node");
  }

  private void printErrors(List<ConfigError> errors) {
    for (ConfigError error : errors) {
      err.println("  " + error.path() + ": " + error.reason());
    }
  }

  /** The calls to one admin API with one token. */
  private final class Session {
    private final WebClient client;
    private final String token;

    Session(WebClient client, String token) {
      this.client = client;
      this.token = token;
    }

    int push(String document) {
      Path file = options.file();
      Current current = null;
      if (options.baseVersion() == null || options.diff()) {
        current = current();
      }
      long base = options.baseVersion() != null ? options.baseVersion() : current.version();
      if (options.diff()) {
        printDiff(current, document);
      }
      if (options.dryRun()) {
        HttpResponse<Buffer> response = call(HttpMethod.POST, "/admin/config/validate", document);
        if (response.statusCode() == 200) {
          JsonObject body = json(response);
          out.printf("dry run: %s is valid on %s (%d upstreams, %d routes); nothing pushed%n",
              file, options.admin(), body.getInteger("upstreams", 0), body.getInteger("routes", 0));
          return OK;
        }
        return rejected(response, "validation");
      }

      HttpResponse<Buffer> response = call(HttpMethod.PUT, "/admin/config?base_version=" + base, document);
      if (response.statusCode() == 409) {
        JsonObject body = json(response);
        err.printf("conflict: %s was pushed on top of version %d, but someone pushed version %s since;"
                + " re-run to push on top of it (nothing was pushed%s)%n",
            file, base, body.getValue("current_version", "?"),
            options.baseVersion() != null ? "; drop --base-version, and add --diff to see what you would change" : "");
        return FAILED;
      }
      if (response.statusCode() != 200) {
        return rejected(response, "push");
      }
      JsonObject body = json(response);
      long version = body.getLong("version", -1L);
      out.printf("pushed %s as version %d (on top of version %d)%n", file, version, base);
      JsonArray members = body.getJsonArray("members", new JsonArray());
      List<String> lagging = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        JsonObject member = members.getJsonObject(i);
        String name = member.getString("member", "?");
        String status = member.getString("status", "?");
        String reason = member.getString("reason");
        out.printf("  %s: %s (applied version %s)%s%n", name, status, member.getValue("applied_version", "?"),
            reason == null ? "" : ": " + reason);
        if (!"applied".equals(status)) {
          lagging.add(name);
        }
      }
      JsonArray reportedLagging = body.getJsonArray("lagging", new JsonArray());
      for (int i = 0; i < reportedLagging.size(); i++) {
        if (!lagging.contains(reportedLagging.getString(i))) {
          lagging.add(reportedLagging.getString(i));
        }
      }
      if (!lagging.isEmpty()) {
        err.printf("version %d is committed, but %d member(s) have not applied it yet: %s"
                + " (they catch up from the cluster's newest version on their own; check GET /admin/node on each)%n",
            version, lagging.size(), String.join(", ", lagging));
        return FAILED;
      }
      return OK;
    }

    private Current current() {
      HttpResponse<Buffer> response = call(HttpMethod.GET, "/admin/config", null);
      if (response.statusCode() == 404 && "no_config".equals(errorCode(response))) {
        return new Current(0, null);
      }
      if (response.statusCode() != 200) {
        throw new AdminFailure(describe(response, "reading the current configuration"));
      }
      JsonObject body = json(response);
      Long version = body.getLong("version");
      if (version == null) {
        throw new AdminFailure("unexpected answer from " + options.admin() + "/admin/config: no version in "
            + abbreviate(response.bodyAsString()));
      }
      return new Current(version, body.getString("document"));
    }

    /**
     * The changes {@code document} makes to the current version. The node shows literal secrets as
     * {@value SecretFields#REDACTED}, so both sides are compared that way: a changed literal secret does not show.
     */
    private void printDiff(Current current, String document) {
      GatewayConfig from;
      String redacted = SecretFields.redact(document);
      if (current.document() == null) {
        from = new GatewayConfig(null, Map.of(), List.of(), "", IpRules.NONE, Map.of(), Map.of(), Map.of());
      } else {
        try {
          from = ConfigParser.secretsAsWritten().parse(current.document());
        } catch (InvalidConfigException e) {
          err.println("warning: cannot diff: the cluster's version " + current.version() + " does not parse here: "
              + e.getMessage());
          return;
        }
      }
      JsonObject diff = ConfigDiff.between(from, ConfigParser.secretsAsWritten().parse(redacted));
      List<String> lines = new ArrayList<>();
      for (String kind : ConfigDiff.SECTIONS) {
        JsonObject changes = diff.getJsonObject(kind);
        String noun = kind.substring(0, kind.length() - 1).replace('_', ' ');
        changes.getJsonArray("added").forEach(name -> lines.add("  + " + noun + " " + name + " (added)"));
        changes.getJsonArray("removed").forEach(name -> lines.add("  - " + noun + " " + name + " (removed)"));
        changes.getJsonArray("changed").forEach(name -> lines.add("  ~ " + noun + " " + name + " (changed)"));
      }
      if (diff.getBoolean("ip_rules_changed")) {
        lines.add("  ~ ip_rules (changed)");
      }
      if (lines.isEmpty()) {
        out.printf("no changes from version %d: routes, upstreams, issuers, servers and IP rules are the same%n",
            current.version());
      } else {
        out.printf("changes from version %d:%n", current.version());
        lines.forEach(out::println);
      }
      if (!redacted.equals(document)) {
        out.println("note: literal secrets are compared as " + SecretFields.REDACTED
            + ", so a changed literal secret is not listed; ${env:...} and ${file:...} references are");
      }
    }

    /** A 4xx/5xx answer to a push or validation: prints why and returns the exit code. */
    private int rejected(HttpResponse<Buffer> response, String what) {
      if (response.statusCode() == 400 && "invalid_config".equals(errorCode(response))) {
        JsonArray errors = json(response).getJsonArray("errors", new JsonArray());
        err.printf("%s rejected %s: %d configuration error(s), nothing pushed:%n", options.admin(), options.file(),
            errors.size());
        for (int i = 0; i < errors.size(); i++) {
          JsonObject error = errors.getJsonObject(i);
          err.println("  " + error.getString("path") + ": " + error.getString("reason"));
        }
        return FAILED;
      }
      err.println(describe(response, what));
      return FAILED;
    }

    private HttpResponse<Buffer> call(HttpMethod method, String path, String body) {
      String url = options.admin() + path;
      var request = client.requestAbs(method, url).bearerTokenAuthentication(token).timeout(REQUEST_TIMEOUT_MILLIS);
      Future<HttpResponse<Buffer>> response;
      if (body == null) {
        response = request.send();
      } else {
        request.putHeader("Content-Type", "application/yaml");
        response = request.sendBuffer(Buffer.buffer(body));
      }
      try {
        return response.toCompletionStage().toCompletableFuture().get(REQUEST_TIMEOUT_MILLIS + 5_000, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw new AdminFailure("cannot reach the admin API at " + options.admin() + " (" + method + " " + path + "): "
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
      } catch (TimeoutException e) {
        throw new AdminFailure("the admin API at " + options.admin() + " did not answer " + method + " " + path
            + " within " + (REQUEST_TIMEOUT_MILLIS / 1000) + "s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AdminFailure("interrupted while calling " + url);
      }
    }

    private String describe(HttpResponse<Buffer> response, String what) {
      int status = response.statusCode();
      String message = messageOf(response);
      return switch (status) {
        case 401 -> "the admin API at " + options.admin() + " refused the call (401 unauthorized): " + message;
        case 403 -> "the admin API at " + options.admin() + " refused the admin token (403 forbidden): " + message
            + "; check " + AdminToken.ENV + " or --token-file";
        default -> what + " failed: " + options.admin() + " answered HTTP " + status + ": " + message;
      };
    }
  }

  private record Current(long version, String document) {}

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }

  private static String errorCode(HttpResponse<Buffer> response) {
    return json(response).getString("error");
  }

  private static String messageOf(HttpResponse<Buffer> response) {
    JsonObject body = json(response);
    if (body.getString("message") != null) {
      return body.getString("message");
    }
    return abbreviate(response.bodyAsString());
  }

  private static String abbreviate(String text) {
    if (text == null || text.isBlank()) {
      return "(empty body)";
    }
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }

  /** A failed admin call, with the message to print. */
  private static final class AdminFailure extends RuntimeException {
    AdminFailure(String message) {
      super(message, null, false, false);
    }
  }
}
