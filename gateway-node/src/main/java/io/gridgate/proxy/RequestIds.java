package io.gridgate.proxy;

import io.netty.util.AsciiString;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Keeps a client's well-formed {@code X-Request-Id} or makes a new random one. */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  /** {@link #HEADER} with its hash computed once. */
  static final AsciiString NAME = AsciiString.cached(HEADER);
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  public static String keepOrCreate(String fromClient) {
    if (fromClient != null && WELL_FORMED.matcher(fromClient).matches()) {
      return fromClient;
    }
    return create();
  }

  /** 128 random bits as 32 hex characters. */
  static String create() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    long hi = random.nextLong();
    long lo = random.nextLong();
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xF];
      out[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xF];
    }
    return new String(out);
  }
}
