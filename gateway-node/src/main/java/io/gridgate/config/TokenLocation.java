package io.gridgate.config;

/**
 * Where a request carries its token: a header ({@code Authorization} means the Bearer scheme; any
 * other header holds the bare token), a query parameter or a cookie.
 */
public record TokenLocation(Source source, String name) {
  /** The default: {@code Authorization: Bearer <token>}. */
  public static final TokenLocation BEARER = new TokenLocation(Source.HEADER, "Authorization");

  /** The part of the request the token is read from. */
  public enum Source { HEADER, QUERY, COOKIE }

  public boolean isBearer() {
    return source == Source.HEADER && "authorization".equalsIgnoreCase(name);
  }
}
