package io.gridgate.security.auth;

/**
 * A token as a {@link TokenCache} key: equal only to the same whole token, but hashed over its
 * length and its last {@value #HASHED_TAIL} characters only (a JWT's signature, the end of a
 * digest: what tells tokens apart), so a lookup does not hash a long token whole. Comparable by the
 * whole token, so keys whose hashes collide share a tree bin searched in logarithmic time.
 */
final class TokenKey implements Comparable<TokenKey> {
  static final int HASHED_TAIL = 32;
  private final String token;
  private final int hash;

  TokenKey(String token) {
    this.token = token;
    int length = token.length();
    int h = length;
    for (int i = Math.max(0, length - HASHED_TAIL); i < length; i++) {
      h = 31 * h + token.charAt(i);
    }
    this.hash = h;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TokenKey key && key.hash == hash && key.token.equals(token);
  }

  @Override
  public int compareTo(TokenKey other) {
    return token.compareTo(other.token);
  }

  @Override
  public String toString() {
    return "TokenKey[" + token.length() + " chars]"; // never the token itself
  }
}
