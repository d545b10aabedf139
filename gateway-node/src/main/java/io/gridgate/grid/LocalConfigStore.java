package io.gridgate.grid;

import io.gridgate.distribution.ConfigConflictException;
import io.gridgate.distribution.ConfigDraft;
import io.gridgate.distribution.ConfigRecord;
import io.gridgate.distribution.ConfigStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** The grid of a standalone node: the same contract as the cluster's, kept in memory. */
public final class LocalConfigStore implements ConfigStore {
  private final TreeMap<Long, ConfigRecord> versions = new TreeMap<>();

  @Override
  public synchronized Future<ConfigRecord> headConfig() {
    return Future.succeededFuture(versions.isEmpty() ? null : versions.lastEntry().getValue());
  }

  @Override
  public synchronized Future<ConfigRecord> configVersion(long version) {
    return Future.succeededFuture(versions.get(version));
  }

  @Override
  public synchronized Future<List<ConfigRecord>> configHistory() {
    return Future.succeededFuture(new ArrayList<>(versions.values()));
  }

  @Override
  public synchronized Future<ConfigRecord> commitConfigs(long baseVersion, List<ConfigDraft> drafts) {
    long head = versions.isEmpty() ? 0 : versions.lastKey();
    if (baseVersion != head) {
      return Future.failedFuture(new ConfigConflictException(baseVersion, head));
    }
    ConfigRecord record = null;
    long version = head;
    for (ConfigDraft draft : drafts) {
      record = new ConfigRecord(++version, draft.document(), System.currentTimeMillis(), draft.origin());
      versions.put(record.version(), record);
    }
    return Future.succeededFuture(record);
  }

  @Override
  public synchronized Future<Void> offerConfig(ConfigRecord record) {
    versions.putIfAbsent(record.version(), record);
    return Future.succeededFuture();
  }
}
