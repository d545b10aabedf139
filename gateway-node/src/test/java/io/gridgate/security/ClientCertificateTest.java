package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.testing.TestCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client-certificate policy over real mTLS connections: a verified certificate becomes the
 * identity (CN as consumer, DN as subject); without one the request passes with no identity.
 * The policy is on every route exactly when the listener asks for client certificates.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientCertificateTest {
  @TempDir
  static Path dir;
  private static TestCertificates.Issued ca;
  private static TestCertificates.Issued server;
  private static TestCertificates.Issued client;

  @BeforeAll
  static void certificates() {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("ca");
    server = certs.issue(ca, "server", "/CN=server", "IP:127.0.0.1");
    client = certs.issue(ca, "client", "/C=DE/O=Acme Corp/OU=Billing/CN=orders-service", "DNS:orders-service");
  }

  /** A server asking for client certificates whose answer is the identity the policy found (JSON, or {} for none). */
  private static int startServer(Vertx vertx) {
    ClientCertificate policy = new ClientCertificate();
    HttpServer httpServer = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
        .setSsl(true).setClientAuth(ClientAuth.REQUEST)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(server.cert().toString()).setKeyPath(server.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString())));
    httpServer.requestHandler(request -> {
      PolicyContext context = new PolicyContext(request, "127.0.0.1", "r");
      policy.apply(context).onSuccess(refusal -> {
        Identity identity = context.identity();
        JsonObject body = identity == null ? new JsonObject() : new JsonObject()
            .put("consumer", identity.consumer()).put("subject", identity.subject())
            .put("credential", identity.credential().name()).put("refused", refusal != null);
        request.response().end(body.encode());
      });
    });
    return await(httpServer.listen()).actualPort();
  }

  private static JsonObject call(Vertx vertx, int port, boolean withCertificate) {
    HttpClientOptions options = new HttpClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString()));
    if (withCertificate) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(client.cert().toString()).setKeyPath(client.key().toString()));
    }
    HttpClient http = vertx.createHttpClient(options);
    return await(http.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send().compose(response -> response.body()))
        .map(body -> new JsonObject(body))
        .eventually(() -> http.close()));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void verifiedCertificateBecomesTheIdentity(Vertx vertx) {
    JsonObject identity = call(vertx, startServer(vertx), true);

    assertEquals("orders-service", identity.getString("consumer"));
    assertEquals("CN=orders-service,OU=Billing,O=Acme Corp,C=DE", identity.getString("subject"));
    assertEquals("CLIENT_CERTIFICATE", identity.getString("credential"));
    assertEquals(false, identity.getBoolean("refused"));
  }

  @Test
  void withoutACertificateThereIsNoIdentity(Vertx vertx) {
    assertEquals(new JsonObject(), call(vertx, startServer(vertx), false));
  }

  @Test
  void commonNameIsTheLastCnOfTheDistinguishedName() {
    assertEquals("b", ClientCertificate.commonName("CN=b,OU=x,CN=a"));
    assertEquals("a,b", ClientCertificate.commonName("CN=a\\,b,O=Acme"));
    assertNull(ClientCertificate.commonName("O=Acme"));
  }

  @Test
  void everyRouteGetsThePolicyOnlyWhenTheListenerAsksForCertificates() {
    String routes = """
        upstreams:
          u: {targets: [{address: "127.0.0.1:9"}]}
        routes:
          - {id: a, match: {path: {prefix: /a}}, upstream: u}
          - {id: b, match: {path: {prefix: /b}}, upstream: u}
        """;
    String tls = "node:\n  http: {tls: {cert: \"%s\", key: \"%s\", client_auth: %s%s}}\n";
    ClientCertificateFactory factory = new ClientCertificateFactory();

    GatewayConfig mtls = new ConfigParser().parse(tls.formatted(server.cert(), server.key(), "request",
        ", ca: \"" + ca.cert() + "\"") + routes);
    GatewayConfig plainTls = new ConfigParser().parse(tls.formatted(server.cert(), server.key(), "none", "") + routes);

    assertNotNull(factory.create(mtls.routes().get(0), mtls));
    assertNotNull(factory.create(mtls.routes().get(1), mtls));
    assertNull(factory.create(plainTls.routes().get(0), plainTls));
    assertNull(factory.create(new ConfigParser().parse(routes).routes().get(0), new ConfigParser().parse(routes)));
  }
}
