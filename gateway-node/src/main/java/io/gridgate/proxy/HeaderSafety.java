package io.gridgate.proxy;

import io.vertx.core.MultiMap;

/** Rejects header values carrying CR, LF or NUL, which could split or smuggle messages upstream. */
final class HeaderSafety {
  private HeaderSafety() {}

  /** The name of the first unsafe header, or null when all are safe. */
  static String firstUnsafe(MultiMap headers) {
    for (var entry : headers) {
      String value = entry.getValue();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\r' || c == '\n' || c == 0) {
          return entry.getKey();
        }
      }
    }
    return null;
  }
}
