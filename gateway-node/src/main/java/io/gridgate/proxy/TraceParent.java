package io.gridgate.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context for the upstream request: a valid incoming {@code traceparent} (version 00)
 * is continued with the gateway's own span id as the parent; a missing or malformed one starts a
 * new sampled trace (and the client's {@code tracestate}, which belongs to it, is dropped).
 */
final class TraceParent {
  static final String HEADER = "traceparent";
  static final String STATE_HEADER = "tracestate";
  private static final int LENGTH = 55;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceParent() {}

  /** The trace id of a request that carried {@code incoming} (may be null): the client's when valid, else a new one. */
  static String traceId(String incoming) {
    if (isValid(incoming)) {
      return incoming.substring(3, 35);
    }
    StringBuilder id = new StringBuilder(32);
    appendRandomHex(id, 32);
    return id.toString();
  }

  /**
   * The {@code traceparent} to send upstream for a request of trace {@code traceId} that carried
   * {@code incoming}: a new span id, and the client's flags when it sent a valid header (else sampled).
   */
  static String forUpstream(String traceId, String incoming) {
    StringBuilder out = new StringBuilder(LENGTH).append("00-").append(traceId).append('-');
    appendRandomHex(out, 16);
    out.append('-').append(isValid(incoming) ? incoming.substring(53, 55) : "01");
    return out.toString();
  }

  /** True for {@code 00-<32 hex, not all 0>-<16 hex, not all 0>-<2 hex>}, lower case. */
  static boolean isValid(String value) {
    if (value == null || value.length() != LENGTH || !value.startsWith("00-")
        || value.charAt(35) != '-' || value.charAt(52) != '-') {
      return false;
    }
    return isHex(value, 3, 35, true) && isHex(value, 36, 52, true) && isHex(value, 53, 55, false);
  }

  private static boolean isHex(String value, int from, int to, boolean notAllZero) {
    boolean nonZero = false;
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
      nonZero |= c != '0';
    }
    return nonZero || !notAllZero;
  }

  private static void appendRandomHex(StringBuilder out, int digits) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < digits; i++) {
      out.append(HEX[random.nextInt(16)]);
    }
  }
}
