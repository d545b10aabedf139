package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitSpec;
import io.gridgate.config.RateLimitSpec.Algorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of shared buckets: the limit's id, algorithm and window (a pushed change of the limit's
 * value keeps counting in the same bucket; a change of algorithm or window starts afresh), then
 * the request's key. Long keys are hashed so a client cannot grow the grid with huge header values.
 */
public final class BucketNames {
  private static final int MAX_KEY_CHARS = 128;

  private BucketNames() {}

  static String prefix(RateLimitSpec spec) {
    return spec.id() + "/" + spec.algorithm().name().toLowerCase(java.util.Locale.ROOT) + "/"
        + spec.window().toMillis() + "|";
  }

  /** The bucket of {@code key} under {@code spec}, as stored in the grid. */
  public static String bucket(RateLimitSpec spec, String key) {
    return prefix(spec) + key;
  }

  /**
   * The algorithm a bucket counts with, read from its name: the earliest {@code /algorithm/} in it
   * is the prefix's (a request key comes after the prefix and cannot come first).
   */
  public static Algorithm algorithmOf(String bucket) {
    Algorithm found = null;
    int at = Integer.MAX_VALUE;
    for (Algorithm algorithm : Algorithm.values()) {
      int i = bucket.indexOf("/" + algorithm.name().toLowerCase(java.util.Locale.ROOT) + "/");
      if (i >= 0 && i < at) {
        at = i;
        found = algorithm;
      }
    }
    return found;
  }

  /** A request's key as used in bucket names: itself when short, else its SHA-256. */
  static String compact(String key) {
    if (key.length() <= MAX_KEY_CHARS) {
      return key;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
