package io.gridgate.grid;

import io.vertx.core.json.JsonObject;

/** One committed version of the cluster's configuration document (upstreams and routes). */
public record ConfigRecord(long version, String document, long committedAtMillis, String origin) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("version", version)
        .put("document", document)
        .put("committed_at", committedAtMillis)
        .put("origin", origin);
  }

  /** Without the document, which may hold literal secrets. */
  @Override
  public String toString() {
    return "ConfigRecord[version=" + version + ", committedAt=" + committedAtMillis + ", origin=" + origin + "]";
  }

  public static ConfigRecord fromJson(JsonObject json) {
    return new ConfigRecord(json.getLong("version"), json.getString("document"),
        json.getLong("committed_at"), json.getString("origin"));
  }
}
