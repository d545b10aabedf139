package io.gridgate.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin API's bearer token. Only its SHA-256 digest is kept, and a presented token is
 * compared digest to digest in constant time; the token itself is never logged.
 */
public final class AdminToken {
  public static final String ENV = "GRIDGATE_ADMIN_TOKEN";

  private final byte[] digest;

  private AdminToken(String token) {
    this.digest = sha256(token);
  }

  public static AdminToken of(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the admin token must not be empty");
    }
    return new AdminToken(token.strip());
  }

  /** A token nobody knows: the admin API of such a node refuses every call. */
  public static AdminToken random() {
    return new AdminToken(newSecret());
  }

  /**
   * The token from the {@value #ENV} environment variable, else from {@code tokenFile}; when
   * neither is set a new one is written to {@code generatedFile} (owner-only) and its path printed.
   */
  public static AdminToken resolve(String fromEnv, Path tokenFile, Path generatedFile) throws IOException {
    if (fromEnv != null && !fromEnv.isBlank()) {
      return of(fromEnv);
    }
    if (tokenFile != null) {
      return of(Files.readString(tokenFile));
    }
    if (Files.exists(generatedFile)) {
      return of(Files.readString(generatedFile));
    }
    String secret = newSecret();
    Files.createDirectories(generatedFile.toAbsolutePath().getParent());
    Files.createFile(generatedFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(generatedFile, secret + "\n");
    System.out.println("GridGate admin token written to " + generatedFile.toAbsolutePath());
    return of(secret);
  }

  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "AdminToken[redacted]";
  }
}
