package io.gridgate.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** The SHA-256 (lower-case hex) API keys are stored and looked up by. */
public final class KeyHash {
  /** A SHA-256 as hex, either case. */
  public static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private KeyHash() {}

  public static String of(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
