package io.gridgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code ::1/128}. */
public record Cidr(byte[] network, int prefixLength, String text) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /** Parses {@code address[/prefix]}; a bare address is a single-host block. */
  public static Cidr parse(String text) {
    String[] parts = text.trim().split("/", 2);
    byte[] address = literal(parts[0]);
    if (address == null) {
      throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
    }
    int max = address.length * 8;
    int prefix = max;
    if (parts.length == 2) {
      try {
        prefix = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("prefix length must be 0.." + max + " in '" + text + "'");
      }
    }
    return new Cidr(address, prefix, text.trim());
  }

  /** True when {@code address} (a literal IP) lies in this block. */
  public boolean contains(String address) {
    return contains(literal(address));
  }

  /** True when {@code candidate} (the bytes of an IP address, or null) lies in this block. */
  public boolean contains(byte[] candidate) {
    if (candidate == null || candidate.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (candidate[full] & mask) == (network[full] & mask);
  }

  /** The bytes of an IP literal, or null when {@code s} is not one (never a DNS lookup). */
  public static byte[] literal(String s) {
    // Only full dotted quads or literals with ':' reach InetAddress: it would read "10.1" as 10.0.0.1
    // and resolve hex-only words such as "cafe" through DNS.
    if (s == null || !(IPV4.matcher(s).matches() || IPV6.matcher(s).matches())) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
