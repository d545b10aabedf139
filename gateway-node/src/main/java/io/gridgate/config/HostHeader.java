package io.gridgate.config;

/** The Host header sent upstream: the client's, the target's address, or a fixed value. */
public record HostHeader(Mode mode, String value) {
  /** Which Host header to send. */
  public enum Mode { PRESERVE, TARGET, FIXED }

  public static final HostHeader PRESERVE = new HostHeader(Mode.PRESERVE, null);
  public static final HostHeader TARGET = new HostHeader(Mode.TARGET, null);
}
