package io.gridgate.security;

import io.gridgate.config.KeyHash;
import java.security.SecureRandom;
import java.util.Base64;

/** API keys: new random ones (shown once to the operator) and the SHA-256 they are stored and looked up by. */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A new key: {@code gg_} and 32 random bytes, base64url. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "gg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String sha256(String key) {
    return KeyHash.of(key);
  }
}
