package io.gridgate.distribution;

import io.gridgate.security.ApiKeys;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;

/**
 * One committed version of the cluster's configuration document (upstreams and routes), with the
 * SHA-256 (hex) of the document as pushed: two records with the same hash serve the same document.
 */
public record ConfigRecord(long version, String document, long committedAtMillis, String origin, String hash) {
  /**
   * The rule that picks the configuration a healed cluster keeps when its sides committed
   * different documents: the higher version wins, and at equal versions the greater hash.
   */
  public static final Comparator<ConfigRecord> MERGE_ORDER =
      Comparator.comparingLong(ConfigRecord::version).thenComparing(ConfigRecord::hash);

  /** A record whose hash is computed from {@code document}. */
  public ConfigRecord(long version, String document, long committedAtMillis, String origin) {
    this(version, document, committedAtMillis, origin, hashOf(document));
  }

  /** Whether both records hold the same document (whatever their versions). */
  public boolean sameContent(ConfigRecord other) {
    return other != null && hash.equals(other.hash);
  }

  /** Whether both records are the same version of the same document. */
  public boolean sameVersionAndContent(ConfigRecord other) {
    return sameContent(other) && version == other.version;
  }

  /** The first 12 hex digits of the hash, for log lines. */
  public String shortHash() {
    return hash.substring(0, 12);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("version", version)
        .put("document", document)
        .put("committed_at", committedAtMillis)
        .put("origin", origin)
        .put("hash", hash);
  }

  /** Without the document, which may hold literal secrets. */
  @Override
  public String toString() {
    return "ConfigRecord[version=" + version + ", committedAt=" + committedAtMillis + ", origin=" + origin
        + ", hash=" + hash + "]";
  }

  /** A record as {@link #toJson} wrote it; one written before hashes existed gets its hash computed. */
  public static ConfigRecord fromJson(JsonObject json) {
    String document = json.getString("document");
    String hash = json.getString("hash");
    return new ConfigRecord(json.getLong("version"), document, json.getLong("committed_at"), json.getString("origin"),
        hash != null ? hash : hashOf(document));
  }

  /** SHA-256 of the document's UTF-8 bytes, in lower-case hex. */
  public static String hashOf(String document) {
    return ApiKeys.sha256(document);
  }
}
