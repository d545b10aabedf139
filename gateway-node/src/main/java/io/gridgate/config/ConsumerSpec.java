package io.gridgate.config;

import java.util.List;
import java.util.Set;

/**
 * A consumer declared in the configuration document: its groups, its API keys (only their
 * SHA-256 is kept) and the JWT subjects that are this consumer.
 */
public record ConsumerSpec(String id, Set<String> groups, List<KeySpec> apiKeys, Set<String> jwtSubjects) {
  public ConsumerSpec {
    groups = Set.copyOf(groups);
    apiKeys = List.copyOf(apiKeys);
    jwtSubjects = Set.copyOf(jwtSubjects);
  }

  /** One declared API key: its id and SHA-256 (lower-case hex), which is left out of the text form. */
  public record KeySpec(String id, String sha256) {
    @Override
    public String toString() {
      return "KeySpec[id=" + id + "]";
    }
  }
}
