package io.gridgate.testing;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A test CA and a certificate for {@code 127.0.0.1} issued by it, with the options and YAML that
 * put them on a server (ALPN on), a client and the gateway's listener or upstream.
 */
public record LoopbackTls(TestCertificates.Issued ca, TestCertificates.Issued cert) {
  private static LoopbackTls shared;

  /** The CA and certificate shared by this test JVM, made on first use in a temporary directory removed at exit. */
  public static synchronized LoopbackTls shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("gridgate-tls");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        TestCertificates certs = new TestCertificates(dir);
        TestCertificates.Issued ca = certs.authority("loopback-ca");
        shared = new LoopbackTls(ca, certs.issue(ca, "loopback", "/CN=loopback", "IP:127.0.0.1"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary directory is harmless
    }
  }

  /** HTTPS with ALPN (h2, http/1.1) and the certificate. */
  public HttpServerOptions serverOptions() {
    return new HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.cert().toString()).setKeyPath(cert.key().toString()));
  }

  /** HTTPS trusting the CA. */
  public HttpClientOptions clientOptions() {
    return new HttpClientOptions().setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString()));
  }

  /** The {@code node.http.tls} flow mapping with the certificate. */
  public String listenerYaml() {
    return "{cert: \"%s\", key: \"%s\"}".formatted(cert.cert(), cert.key());
  }

  /** The {@code upstreams.<name>.tls} flow mapping trusting the CA. */
  public String upstreamYaml() {
    return "{ca: \"%s\"}".formatted(ca.cert());
  }
}
