package io.gridgate.distribution;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The last applied configuration version on this node's disk, for full-cluster restarts; a null
 * file keeps none. The document is stored as pushed (it may hold literal secrets), so the file is
 * readable by its owner only.
 */
final class ConfigSnapshot {
  private final Vertx vertx;
  private final Path file;
  private long writtenVersion;

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

  /**
   * Replaces the snapshot atomically (unique temporary file, then move) unless a newer version
   * was already written: applies arrive on several contexts, the file must only move forward.
   */
  Future<Void> write(ConfigRecord record) {
    if (file == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        if (record.version() <= writtenVersion) {
          return null;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp",
            ownerOnly());
        Files.writeString(tmp, record.toJson().encode());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        writtenVersion = record.version();
        return null;
      }
    });
  }

  /** rw------- where the file system has POSIX permissions. */
  private FileAttribute<?>[] ownerOnly() {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }
}
