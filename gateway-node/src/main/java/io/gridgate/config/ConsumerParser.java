package io.gridgate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the {@code consumers} section: id → groups, API keys (a secret, literal or referenced,
 * or the SHA-256 of a key imported from elsewhere) and JWT subjects. A key or subject may belong
 * to one consumer only.
 */
final class ConsumerParser {
  /** Consumer ids, group names and key ids: as the admin API accepts them. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
  static final int MIN_KEY_LENGTH = 16;
  static final int MAX_SUBJECT_LENGTH = 1024;

  private final Secrets secrets;

  ConsumerParser(Secrets secrets) {
    this.secrets = secrets;
  }

  Map<String, ConsumerSpec> parse(ConfigNode n) {
    Map<String, ConsumerSpec> out = new LinkedHashMap<>();
    Map<String, String> keyOwners = new HashMap<>();
    Map<String, String> subjectOwners = new HashMap<>();
    n.entries().forEach((id, c) -> {
      if (!NAME.matcher(id).matches()) {
        c.error("consumer id must match " + NAME.pattern());
      }
      c.allowOnly(Set.of("groups", "api_keys", "jwt_subjects"));
      Set<String> groups = new LinkedHashSet<>();
      for (ConfigNode g : c.get("groups").items()) {
        String group = g.requiredString();
        if (group != null && !NAME.matcher(group).matches()) {
          g.error("group name must match " + NAME.pattern());
        } else if (group != null) {
          groups.add(group);
        }
      }
      List<ConsumerSpec.KeySpec> keys = keys(id, c.get("api_keys"), keyOwners);
      Set<String> subjects = new LinkedHashSet<>();
      for (ConfigNode s : c.get("jwt_subjects").items()) {
        String subject = s.requiredString();
        if (subject != null && subject.length() > MAX_SUBJECT_LENGTH) {
          s.error("must be at most " + MAX_SUBJECT_LENGTH + " characters");
        } else if (subject != null && subjectOwners.putIfAbsent(subject, id) != null) {
          s.error("subject '" + subject + "' is already mapped to consumer '" + subjectOwners.get(subject) + "'");
        } else if (subject != null) {
          subjects.add(subject);
        }
      }
      out.put(id, new ConsumerSpec(id, groups, keys, subjects));
    });
    return out;
  }

  private List<ConsumerSpec.KeySpec> keys(String consumer, ConfigNode n, Map<String, String> keyOwners) {
    List<ConsumerSpec.KeySpec> keys = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<ConfigNode> items = n.items();
    for (int i = 0; i < items.size(); i++) {
      ConfigNode k = items.get(i).allowOnly(Set.of("id", "key", "sha256"));
      String id = k.get("id").string("key-" + (i + 1));
      if (!NAME.matcher(id).matches()) {
        k.get("id").error("must match " + NAME.pattern());
      } else if (!ids.add(id)) {
        k.get("id").error("duplicate key id '" + id + "'");
      }
      String hash = hash(k);
      if (hash != null && keyOwners.putIfAbsent(hash, consumer) != null) {
        k.error("the same API key is already given to consumer '" + keyOwners.get(hash) + "'");
      } else if (hash != null) {
        keys.add(new ConsumerSpec.KeySpec(id, hash));
      }
    }
    return keys;
  }

  /** The key's SHA-256, from {@code key} or {@code sha256}; null after reporting why there is none. */
  private String hash(ConfigNode k) {
    boolean literal = !k.get("key").isMissing();
    if (literal == !k.get("sha256").isMissing()) {
      k.error("needs exactly one of key (the key, or a ${env:NAME} / ${file:/path} reference) or sha256 (its hash)");
      return null;
    }
    if (!literal) {
      String hash = k.get("sha256").requiredString();
      if (hash != null && !KeyHash.HEX.matcher(hash).matches()) {
        k.get("sha256").error("must be a SHA-256 as 64 hex digits");
        return null;
      }
      return hash == null ? null : hash.toLowerCase(Locale.ROOT);
    }
    Secrets.Secret secret = secrets.read(k.get("key"));
    if (secret == null) {
      return null;
    }
    if (secret.known() && secret.value().length() < MIN_KEY_LENGTH) {
      k.get("key").error("must be at least " + MIN_KEY_LENGTH + " characters");
      return null;
    }
    // a key not read here (references kept as written) is compared by its written form
    return KeyHash.of(secret.value());
  }
}
