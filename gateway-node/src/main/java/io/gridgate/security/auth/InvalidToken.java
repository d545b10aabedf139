package io.gridgate.security.auth;

/** A credential that was presented but not accepted; the message is the client-facing error_description (never the token). */
final class InvalidToken extends RuntimeException {
  InvalidToken(String description) {
    super(description, null, false, false);
  }
}
