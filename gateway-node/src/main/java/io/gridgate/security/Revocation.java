package io.gridgate.security;

/**
 * A revoked credential: one token by its {@code jti}, or every token of a subject issued before
 * {@code issuedBeforeMillis}. It is kept until {@code expiresAtMillis}, when the tokens it covers
 * have expired anyway.
 */
public record Revocation(Kind kind, String value, long issuedBeforeMillis, long expiresAtMillis) {
  /** What a revocation names. */
  public enum Kind { JTI, SUBJECT }

  /** Its key in the grid: {@code jti:ID} or {@code sub:SUBJECT}. */
  public String key() {
    return (kind == Kind.JTI ? "jti:" : "sub:") + value;
  }

  /** What the grid and the disk store under its key: {@code {issued before, expires at}} (epoch millis). */
  public long[] times() {
    return new long[] {issuedBeforeMillis, expiresAtMillis};
  }

  /** The revocation stored under {@code key} as {@code times} ({@link #times}). */
  public static Revocation fromKey(String key, long[] times) {
    return fromKey(key, times[0], times[1]);
  }

  /** The revocation stored under {@code key} with {@code issuedBeforeMillis} (0 for a jti). */
  public static Revocation fromKey(String key, long issuedBeforeMillis, long expiresAtMillis) {
    return key.startsWith("jti:")
        ? new Revocation(Kind.JTI, key.substring(4), 0, expiresAtMillis)
        : new Revocation(Kind.SUBJECT, key.substring(4), issuedBeforeMillis, expiresAtMillis);
  }
}
