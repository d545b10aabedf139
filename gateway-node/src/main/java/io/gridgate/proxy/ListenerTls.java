package io.gridgate.proxy;

import io.gridgate.config.ServerTls;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;

/** Turns {@code node.http.tls} into server options: key and certificate, protocols, ALPN (h2, http/1.1) and client certificates. */
final class ListenerTls {
  private ListenerTls() {}

  static HttpServerOptions apply(ServerTls tls, HttpServerOptions options) {
    if (tls == null) {
      return options;
    }
    options.setSsl(true)
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(tls.protocols());
    if (tls.pkcs12() != null) {
      options.setKeyCertOptions(new PfxOptions().setPath(tls.pkcs12().toString()).setPassword(tls.password()));
    } else {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()));
    }
    if (tls.clientAuth() != ServerTls.ClientAuth.NONE) {
      options.setClientAuth(tls.clientAuth() == ServerTls.ClientAuth.REQUIRE ? ClientAuth.REQUIRED : ClientAuth.REQUEST)
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()));
    }
    return options;
  }
}
