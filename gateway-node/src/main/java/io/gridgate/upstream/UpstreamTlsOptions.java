package io.gridgate.upstream;

import io.gridgate.config.TargetSpec;
import io.gridgate.config.UpstreamSpec;
import io.gridgate.config.UpstreamTls;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;

/** HTTPS to an upstream's targets that trusts only the upstream's pinned CA, for proxied requests and health probes. */
public final class UpstreamTlsOptions {
  private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private UpstreamTlsOptions() {}

  /**
   * The options of a client dedicated to one upstream: its HTTP version (HTTP/2 as h2c with prior
   * knowledge, or h2 by ALPN over TLS) and, when it has {@code tls}, HTTPS with its pinned CA.
   */
  public static HttpClientOptions client(UpstreamSpec upstream, HttpClientOptions options) {
    boolean http2 = upstream.protocol() == UpstreamSpec.Protocol.HTTP2;
    options.setProtocolVersion(http2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
        .setHttp2ClearTextUpgrade(false);
    UpstreamTls tls = upstream.tls();
    if (tls == null) {
      return options;
    }
    return options.setSsl(true)
        .setUseAlpn(http2)
        .setTrustOptions(trust(tls))
        .setVerifyHost(tls.verifyHost())
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }

  /** A request on a shared client: HTTPS with the upstream's CA when it has TLS, offering h2 by ALPN when it speaks HTTP/2. */
  public static RequestOptions request(UpstreamSpec upstream, RequestOptions request) {
    UpstreamTls tls = upstream.tls();
    if (tls == null) {
      return request;
    }
    return request.setSsl(true).setSslOptions(new ClientSSLOptions()
        .setUseAlpn(upstream.protocol() == UpstreamSpec.Protocol.HTTP2)
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
