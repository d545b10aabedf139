package io.gridgate.security;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.RouteSpec;
import io.gridgate.config.ServerTls;

/** The {@link ClientCertificate} policy on every route when the listener asks for client certificates. */
final class ClientCertificateFactory implements PolicyFactory {
  private final ClientCertificate policy = new ClientCertificate();

  @Override
  public RequestPolicy create(RouteSpec route, GatewayConfig config) {
    ServerTls tls = config.node().httpTls();
    return tls == null || tls.clientAuth() == ServerTls.ClientAuth.NONE ? null : policy;
  }
}
