package io.gridgate.proxy;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.upstream.UpstreamPool;
import io.netty.util.AsciiString;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context for the upstream request when OpenTelemetry is off: a valid incoming
 * {@code traceparent} (version 00) is continued with a fresh gateway span id per attempt as the
 * parent; a missing or malformed one starts a new sampled trace, once per request (and the client's
 * {@code tracestate}, which belonged to it, is dropped).
 */
final class TraceParent implements RequestTrace {
  static final String HEADER = "traceparent";
  static final String STATE_HEADER = "tracestate";
  private static final AsciiString NAME = AsciiString.cached(HEADER);
  private static final int LENGTH = 55;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final String traceId;
  private final String flags;
  private final boolean continued;

  private TraceParent(String traceId, String flags, boolean continued) {
    this.traceId = traceId;
    this.flags = flags;
    this.continued = continued;
  }

  /** The trace of a request that carried {@code incoming} (may be null). */
  static TraceParent of(String incoming) {
    if (isValid(incoming)) {
      return new TraceParent(incoming.substring(3, 35), incoming.substring(53, 55), true);
    }
    return new TraceParent(randomHex(32), "01", false);
  }

  @Override
  public String traceId() {
    return traceId;
  }

  @Override
  public void writeUpstream(UpstreamRequest upstream, CompiledRoute route, UpstreamPool pool) {
    if (!continued) {
      upstream.headers().remove(STATE_HEADER); // a restarted trace has no vendor state yet
    }
    char[] value = new char[LENGTH];
    value[0] = '0';
    value[1] = '0';
    value[2] = '-';
    traceId.getChars(0, 32, value, 3);
    value[35] = '-';
    hex(nonZeroRandom(), value, 36); // a fresh span id per attempt
    value[52] = '-';
    flags.getChars(0, 2, value, 53);
    upstream.setChecked(NAME, new String(value)); // hex digits and dashes: the id and flags were checked by isValid
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

  private static String randomHex(int digits) {
    char[] out = new char[digits];
    for (int at = 0; at < digits; at += 16) {
      hex(nonZeroRandom(), out, at);
    }
    return new String(out);
  }

  /** A random 64-bit value other than 0 (an all-zero trace or span id is invalid). */
  private static long nonZeroRandom() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long bits;
    do {
      bits = random.nextLong();
    } while (bits == 0);
    return bits;
  }

  /** Writes {@code bits} as 16 lower-case hex digits into {@code out} from {@code at}. */
  private static void hex(long bits, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }
}
