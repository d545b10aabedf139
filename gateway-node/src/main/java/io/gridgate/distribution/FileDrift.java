package io.gridgate.distribution;

import io.gridgate.config.ConfigSource;
import io.gridgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Compares the shared part of this node's file (upstreams, routes, ...) with the configuration
 * version the node serves, after every version it applies. The file is read at start only; when it
 * differs, the node says so (a WARNING at start, {@code file} in {@code /ready} and
 * {@code /admin/node}, a line under the serving banner), or, with {@code node.cluster.config_source:
 * file}, pushes the file's document on top of the cluster's version at start.
 */
public final class FileDrift {
  private static final Logger LOG = Logger.getLogger(FileDrift.class.getName());
  private static final int PUSH_ATTEMPTS = 5;

  private final GatewayConfig file;
  private final ConfigSource source;
  private volatile JsonObject diff;

  public FileDrift(GatewayConfig file) {
    this.file = file;
    this.source = file.node().cluster().configSource();
  }

  /** Compares the file with a version the node now serves (the diff runs from that version to the file). */
  public void observe(GatewayConfig served) {
    diff = ConfigDiff.between(served, file);
  }

  public boolean differs() {
    JsonObject current = diff;
    return current != null && !ConfigDiff.isEmpty(current);
  }

  /** What differs, on one line (empty when nothing does). */
  String describe() {
    JsonObject current = diff;
    return current == null ? "" : ConfigDiff.describe(current, "only in the file", "only in the cluster");
  }

  /** {@code {config_source, differs, summary, changes}}: changes as {@link ConfigDiff#between} from the served version to the file. */
  public JsonObject toJson() {
    JsonObject current = diff;
    JsonObject out = new JsonObject().put("config_source", source.name().toLowerCase(Locale.ROOT))
        .put("differs", differs());
    return current == null ? out : out.put("summary", describe()).put("changes", current);
  }

  /**
   * With {@code config_source: file}, pushes the file's document (validated, origin
   * {@code file:<member>}) on top of the version the node applied when they differ, catching up and
   * trying again when another push came first; then applies it. Otherwise does nothing.
   */
  public Future<Void> enforce(ConfigService configs, ConfigStore grid) {
    return enforce(configs, grid, PUSH_ATTEMPTS);
  }

  private Future<Void> enforce(ConfigService configs, ConfigStore grid, int attempts) {
    if (source != ConfigSource.FILE || !differs()) {
      return Future.succeededFuture();
    }
    long base = configs.appliedVersion();
    LOG.info("node.cluster.config_source is file: pushing this node's file over the cluster's version " + base
        + " (" + describe() + ")");
    return configs.push(base, file.sharedDocument(), "file:" + configs.memberId())
        .compose(pushed -> grid.configVersion(pushed.version()))
        .compose(configs::apply)
        .recover(err -> err instanceof ConfigConflictException && attempts > 1
            ? grid.headConfig().compose(configs::apply).compose(v -> enforce(configs, grid, attempts - 1))
            : Future.failedFuture(err));
  }

  /** The WARNING a node logs at start when it serves a version that differs from its file. */
  public void warnIfDiffers(long servedVersion) {
    if (differs()) {
      LOG.warning(banner(servedVersion));
    }
  }

  /** One line for operators: what differs and what to do about it. */
  public String banner(long servedVersion) {
    return "this node's file differs from the cluster's configuration version " + servedVersion + ", which it serves: "
        + describe() + ". Edits to the file are not applied once the cluster has a version: push the file "
        + "(gateway-node.jar push FILE --admin URL) or set node.cluster.config_source: file (docs/operations.md)";
  }
}
