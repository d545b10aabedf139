package io.gridgate.distribution;

/** A commit was based on a version that is no longer the newest (answered with 409). */
public final class ConfigConflictException extends RuntimeException {
  private final long currentVersion;

  public ConfigConflictException(long baseVersion, long currentVersion) {
    super("the configuration was edited from version " + baseVersion + " but the current version is " + currentVersion);
    this.currentVersion = currentVersion;
  }

  public long currentVersion() {
    return currentVersion;
  }
}
