package io.gridgate.node;

import io.gridgate.grid.ConfigRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The last applied configuration version on this node's disk, for full-cluster restarts; a null file keeps none. */
final class ConfigSnapshot {
  private final Vertx vertx;
  private final Path file;

  ConfigSnapshot(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
  }

  /** The snapshot, or null when there is none (or it cannot be read). */
  Future<ConfigRecord> read() {
    if (file == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> Files.exists(file)
        ? ConfigRecord.fromJson(new JsonObject(Files.readString(file))) : null)
        .recover(err -> Future.succeededFuture(null));
  }

  /** Replaces the snapshot atomically (write to a temporary file, then move). */
  Future<Void> write(ConfigRecord record) {
    if (file == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, record.toJson().encode());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return null;
    });
  }
}
