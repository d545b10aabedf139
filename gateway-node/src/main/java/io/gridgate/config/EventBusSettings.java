package io.gridgate.config;

/**
 * Where this node's clustered event bus listens ({@code host}: null for the member's own address;
 * {@code port}: 0 for a port the OS chooses) and the address other members are told to connect to
 * ({@code publicHost} null and {@code publicPort} 0: the listening ones).
 */
public record EventBusSettings(String host, int port, String publicHost, int publicPort) {
  public static EventBusSettings defaults() {
    return new EventBusSettings(null, 0, null, 0);
  }

  public EventBusSettings withPort(int newPort) {
    return new EventBusSettings(host, newPort, publicHost, publicPort);
  }
}
