package io.gridgate.security.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The decoded, not yet verified, header and payload of a compact JWS (three base64url segments). */
record JwtParts(JsonObject header, JsonObject payload) {
  /** Longer tokens are refused before any decoding. */
  static final int MAX_LENGTH = 16 * 1024;

  /** Whether {@code token} has the shape of a JWT (three segments, a JSON header naming an algorithm). */
  static boolean looksLikeJwt(String token) {
    try {
      return parse(token).header().getValue("alg") instanceof String;
    } catch (InvalidToken e) {
      return false;
    }
  }

  static JwtParts parse(String token) {
    if (token.length() > MAX_LENGTH) {
      throw new InvalidToken("token too long");
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0 || second == token.length() - 1) {
      throw new InvalidToken("malformed token");
    }
    return new JwtParts(json(token.substring(0, first)), json(token.substring(first + 1, second)));
  }

  /**
   * Refuses, before any signature check, a token this verifier cannot honour: a {@code crit} header
   * (RFC 7515 4.1.11: no extension is implemented, so any critical one is unsupported), or
   * registered claims of the wrong JSON type — exp, nbf or iat not a number, aud neither a string
   * nor an array, sub or kid not a string.
   */
  JwtParts requireSupported() {
    if (header.containsKey("crit")) {
      throw new InvalidToken("unsupported critical header");
    }
    boolean typed = absentOr(payload, "exp", Number.class) && absentOr(payload, "nbf", Number.class)
        && absentOr(payload, "iat", Number.class)
        && (absentOr(payload, "aud", String.class) || payload.getValue("aud") instanceof JsonArray)
        && absentOr(payload, "sub", String.class) && absentOr(header, "kid", String.class);
    if (!typed) {
      throw new InvalidToken("malformed token");
    }
    return this;
  }

  /** True when {@code object} has no {@code key}, or a value of {@code type} under it ({@code null} is no value of any type). */
  private static boolean absentOr(JsonObject object, String key, Class<?> type) {
    return !object.containsKey(key) || type.isInstance(object.getValue(key));
  }

  private static JsonObject json(String segment) {
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new InvalidToken("malformed token");
    }
  }
}
