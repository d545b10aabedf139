package io.gridgate.upstream;

import io.gridgate.config.TargetSpec;
import io.gridgate.config.UpstreamTls;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;

/** HTTPS to an upstream's targets that trusts only the upstream's pinned CA, for proxied requests and health probes. */
public final class UpstreamTlsOptions {
  private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private UpstreamTlsOptions() {}

  /** The options of a client dedicated to one upstream; unchanged when the upstream speaks plain HTTP. */
  public static HttpClientOptions client(UpstreamTls tls, HttpClientOptions options) {
    if (tls == null) {
      return options;
    }
    return options.setSsl(true)
        .setTrustOptions(trust(tls))
        .setVerifyHost(tls.verifyHost())
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }

  /** A request on a shared client: HTTPS with the upstream's CA when it has TLS. */
  public static RequestOptions request(UpstreamTls tls, RequestOptions request) {
    if (tls == null) {
      return request;
    }
    return request.setSsl(true).setSslOptions(new ClientSSLOptions()
        .setTrustOptions(trust(tls))
        .setHostnameVerificationAlgorithm(tls.verifyHost() ? "HTTPS" : "")
        .setEnabledSecureTransportProtocols(PROTOCOLS));
  }

  /** The name the target is addressed by (SNI, certificate check, default Host): the configured server name, else its host. */
  public static String host(UpstreamTls tls, TargetSpec target) {
    return tls != null && tls.serverName() != null ? tls.serverName() : target.host();
  }

  private static PemTrustOptions trust(UpstreamTls tls) {
    return new PemTrustOptions().addCertPath(tls.ca().toString());
  }
}
