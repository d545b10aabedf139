package io.gridgate.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * TLS on the client listener: a PEM certificate and key or a PKCS#12 store (with its password),
 * the protocol versions offered (TLSv1.2, TLSv1.3), and whether client certificates are asked
 * for, checked against the PEM CA bundle {@code ca}.
 */
public record ServerTls(Path cert, Path key, Path pkcs12, String password, Set<String> protocols,
                        ClientAuth clientAuth, Path ca) {
  public ServerTls {
    protocols = Set.copyOf(protocols);
  }

  /** Without the store's password. */
  @Override
  public String toString() {
    return "ServerTls[cert=" + cert + ", key=" + key + ", pkcs12=" + pkcs12 + ", protocols=" + protocols
        + ", clientAuth=" + clientAuth + ", ca=" + ca + "]";
  }

  /** Whether the listener asks clients for a certificate. */
  public enum ClientAuth { NONE, REQUEST, REQUIRE }
}
