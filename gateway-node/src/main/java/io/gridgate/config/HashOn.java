package io.gridgate.config;

/** What a consistent-hash pool hashes: a request header, a cookie or the client address. */
public record HashOn(Source source, String name) {
  /** Where the hash key comes from. */
  public enum Source { HEADER, COOKIE, CLIENT_ADDRESS }

  public static final HashOn CLIENT = new HashOn(Source.CLIENT_ADDRESS, null);
}
