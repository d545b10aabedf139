package io.gridgate.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's replica of the cluster's revocations, fed by the grid's entry events, so checking a
 * token costs two map lookups and no network. Entries past their expiry are ignored; the grid's
 * expiry events remove them.
 */
public final class RevocationList {
  private final Map<String, Long> jtis = new ConcurrentHashMap<>();
  private final Map<String, long[]> subjects = new ConcurrentHashMap<>();

  public void add(Revocation revocation) {
    if (revocation.kind() == Revocation.Kind.JTI) {
      jtis.put(revocation.value(), revocation.expiresAtMillis());
    } else {
      subjects.put(revocation.value(), new long[] {revocation.issuedBeforeMillis(), revocation.expiresAtMillis()});
    }
  }

  public void remove(String key) {
    if (key.startsWith("jti:")) {
      jtis.remove(key.substring(4));
    } else {
      subjects.remove(key.substring(4));
    }
  }

  /** True when nothing is revoked (the common case: a request's claims need not be read). */
  public boolean isEmpty() {
    return jtis.isEmpty() && subjects.isEmpty();
  }

  /** True when token {@code jti} is revoked. */
  public boolean isRevokedToken(String jti, long now) {
    Long until = jti == null ? null : jtis.get(jti);
    return until != null && until > now;
  }

  /** True when tokens of {@code subject} issued at {@code issuedAtMillis} (or unknown: -1) are revoked. */
  public boolean isRevokedSubject(String subject, long issuedAtMillis, long now) {
    long[] entry = subject == null ? null : subjects.get(subject);
    return entry != null && entry[1] > now && (issuedAtMillis < 0 || issuedAtMillis < entry[0]);
  }
}
