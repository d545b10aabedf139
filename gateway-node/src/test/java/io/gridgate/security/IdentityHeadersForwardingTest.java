package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RecordingUpstream;
import io.gridgate.testing.TestCertificates;
import io.gridgate.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes with {@code identity_headers} forward the client's own headers (Content-Type, Accept,
 * Cookie less a stripped token cookie, custom headers, X-Forwarded-*, X-Request-Id, traceparent)
 * next to the identity, whatever proved it — JWT in a header or a cookie, API key, OAuth2
 * introspection, client certificate — while spoofed identity headers are still replaced and
 * {@code pass_credential: true} keeps the credential. A recording upstream shows what arrived.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdentityHeadersForwardingTest {
  private static final String ISS = "https://issuer.test";
  private static final String SECRET = "0123456789abcdef0123456789abcdef-hs256";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  @TempDir
  static Path dir;
  private static TestCertificates.Issued ca;
  private static TestCertificates.Issued server;
  private static TestCertificates.Issued client;

  private GatewayFixture gw;
  private RecordingUpstream app;
  private HttpClient https;

  @BeforeAll
  static void certificates() {
    TestCertificates certs = new TestCertificates(dir);
    ca = certs.authority("ca");
    server = certs.issue(ca, "server", "/CN=gateway", "IP:127.0.0.1");
    client = certs.issue(ca, "client", "/O=Acme/CN=orders-service", "DNS:orders-service");
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = RecordingUpstream.start();
    HttpServer introspection = GatewayFixture.await(vertx.createHttpServer().requestHandler(request -> request.body()
        .onSuccess(body -> request.response().putHeader("Content-Type", "application/json")
            .end((body.toString().startsWith("token=opaque-good&") ? new JsonObject().put("active", true)
                .put("sub", "dave").put("scope", "read") : new JsonObject().put("active", false)).encode())))
        .listen(0, "127.0.0.1"));
    String listener = "{cert: \"%s\", key: \"%s\", client_auth: request, ca: \"%s\"}"
        .formatted(server.cert(), server.key(), ca.cert());
    gw.startGatewayWithAdmin(GatewayFixture.nodeYaml("trusted_proxies: [127.0.0.1/32]")
        .replace("http: {host: 127.0.0.1, port: 0}", "http: {host: 127.0.0.1, port: 0, tls: " + listener + "}") + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        jwt_issuers:
          main:
            issuer: %s
            algorithms: [HS256]
            keys: [{kid: h1, algorithm: HS256, secret: "%s"}]
          by-cookie:
            issuer: https://cookie.test
            algorithms: [HS256]
            keys: [{kid: h1, algorithm: HS256, secret: "%s"}]
            token: {cookie: at}
        oauth2_servers:
          corp: {introspection_url: "http://127.0.0.1:%d/introspect", client_id: gateway, client_secret: s}
        routes:
          - {id: jwt, match: {path: {prefix: /jwt}}, upstream: app,
             auth: {jwt: {issuers: [main]}, identity_headers: {sub: X-User-Id, roles: X-User-Roles}}}
          - {id: cookie, match: {path: {prefix: /cookie}}, upstream: app,
             auth: {jwt: {issuers: [by-cookie]}, identity_headers: {sub: X-User-Id}}}
          - {id: key, match: {path: {prefix: /key}}, upstream: app,
             auth: {api_key: {}, identity_headers: {sub: X-User-Id}}}
          - {id: oauth, match: {path: {prefix: /oauth}}, upstream: app,
             auth: {oauth2: {server: corp}, identity_headers: {sub: X-User-Id, scope: X-Scopes}}}
          - {id: cert, match: {path: {prefix: /cert}}, upstream: app,
             auth: {api_key: {}, identity_headers: {sub: X-User-Id}}}
          - {id: pass-jwt, match: {path: {prefix: /pass-jwt}}, upstream: app,
             auth: {jwt: {issuers: [main]}, pass_credential: true, identity_headers: {sub: X-User-Id}}}
          - {id: pass-key, match: {path: {prefix: /pass-key}}, upstream: app,
             auth: {api_key: {header: X-API-Key, query: apikey}, pass_credential: true, identity_headers: {sub: X-User-Id}}}
        """.formatted(app.address(), ISS, SECRET, SECRET, introspection.actualPort()));
    https = httpsClient(vertx, false);
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  private static HttpClient httpsClient(Vertx vertx, boolean withCertificate) {
    HttpClientOptions options = new HttpClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString()));
    if (withCertificate) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(client.cert().toString())
          .setKeyPath(client.key().toString()));
    }
    return vertx.createHttpClient(options);
  }

  /** The ordinary headers of a browser or API client, a spoofed identity header and {@code credential}. */
  private static Map<String, String> clientHeaders(Map<String, String> credential) {
    Map<String, String> headers = new LinkedHashMap<>(Map.of(
        "Content-Type", "application/json",
        "Accept", "application/vnd.orders+json",
        "Cookie", "theme=dark; lang=en",
        "X-Custom", "kept",
        "X-Forwarded-For", "198.51.100.7",
        "X-Forwarded-Proto", "https",
        "X-User-Id", "mallory",
        "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01",
        "tracestate", "vendor=1"));
    headers.putAll(credential);
    return headers;
  }

  private GatewayFixture.Reply send(HttpClient with, String uri, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(gw.port())
        .setURI(uri);
    headers.forEach(options::putHeader);
    return GatewayFixture.send(with, options, null);
  }

  /** Sends {@code credential} with the client headers to {@code uri}; asserts they all arrived beside identity {@code user}. */
  private RecordingUpstream.Recorded assertForwardedWithIdentity(HttpClient with, String uri, Map<String, String> credential,
                                                                 String user) {
    GatewayFixture.Reply reply = send(with, uri, clientHeaders(credential));
    assertEquals(200, reply.status(), reply.bodyString());
    RecordingUpstream.Recorded up = app.last();
    assertEquals("application/json", up.header("Content-Type"));
    assertEquals("application/vnd.orders+json", up.header("Accept"));
    assertEquals("kept", up.header("X-Custom"));
    assertEquals(List.of("198.51.100.7, 127.0.0.1"), up.headers("X-Forwarded-For"));
    assertEquals("https", up.header("X-Forwarded-Proto"));
    assertEquals("127.0.0.1:" + gw.port(), up.header("X-Forwarded-Host"));
    assertEquals(reply.header("X-Request-Id"), up.header("X-Request-Id"));
    assertEquals(TRACE_ID, up.header("traceparent").substring(3, 35), "the client's trace goes on");
    assertEquals("vendor=1", up.header("tracestate"));
    assertEquals(List.of(user), up.headers("X-User-Id"), "the spoofed identity header is replaced");
    return up;
  }

  private String consumerKey(String id) {
    assertEquals(200, gw.admin(HttpMethod.PUT, "/admin/consumers/" + id, "{\"groups\": []}").status());
    return gw.admin(HttpMethod.POST, "/admin/consumers/" + id + "/keys", null).json().getString("key");
  }

  private static String jwt(String iss, String sub) {
    return TestTokens.hs256(SECRET, "h1", TestTokens.claims(iss, sub, null).put("roles", new JsonArray().add("buyer")));
  }

  @Test
  void aJwtInTheAuthorizationHeaderKeepsEveryOtherClientHeader() {
    RecordingUpstream.Recorded up = assertForwardedWithIdentity(https, "/jwt/orders",
        Map.of("Authorization", "Bearer " + jwt(ISS, "alice")), "alice");
    assertEquals("theme=dark; lang=en", up.header("Cookie"));
    assertEquals("buyer", up.header("X-User-Roles"));
    assertNull(up.header("Authorization"), "the credential is stripped");
  }

  @Test
  void aJwtInACookieIsCutFromTheCookiesAndTheOtherCookiesArrive() {
    Map<String, String> credential = Map.of("Cookie", "theme=dark; at=" + jwt("https://cookie.test", "carol") + "; lang=en");
    RecordingUpstream.Recorded up = assertForwardedWithIdentity(https, "/cookie/orders", credential, "carol");
    assertEquals(List.of("theme=dark; lang=en"), up.headers("Cookie"));
  }

  @Test
  void anApiKeyKeepsEveryOtherClientHeader() {
    RecordingUpstream.Recorded up = assertForwardedWithIdentity(https, "/key/orders",
        Map.of("X-API-Key", consumerKey("acme")), "acme");
    assertEquals("theme=dark; lang=en", up.header("Cookie"));
    assertNull(up.header("X-API-Key"));
  }

  @Test
  void anIntrospectedTokenKeepsEveryOtherClientHeader() {
    RecordingUpstream.Recorded up = assertForwardedWithIdentity(https, "/oauth/orders",
        Map.of("Authorization", "Bearer opaque-good"), "dave");
    assertEquals("read", up.header("X-Scopes"));
    assertEquals("theme=dark; lang=en", up.header("Cookie"));
    assertNull(up.header("Authorization"));
  }

  @Test
  void aClientCertificateKeepsEveryOtherClientHeader(Vertx vertx) {
    HttpClient mtls = httpsClient(vertx, true);
    RecordingUpstream.Recorded up = assertForwardedWithIdentity(mtls, "/cert/orders", Map.of(),
        "CN=orders-service,O=Acme");
    assertEquals("theme=dark; lang=en", up.header("Cookie"));
    assertEquals(401, send(https, "/cert/orders", clientHeaders(Map.of())).status(), "no certificate and no key");
  }

  @Test
  void passCredentialKeepsTheCredentialBesideTheIdentity() {
    String token = jwt(ISS, "bob");
    RecordingUpstream.Recorded up = assertForwardedWithIdentity(https, "/pass-jwt/orders",
        Map.of("Authorization", "Bearer " + token), "bob");
    assertEquals("Bearer " + token, up.header("Authorization"));

    String key = consumerKey("globex");
    up = assertForwardedWithIdentity(https, "/pass-key/orders?apikey=" + key + "&page=2", Map.of("X-API-Key", key),
        "globex");
    assertEquals(key, up.header("X-API-Key"));
    assertEquals("/pass-key/orders?apikey=" + key + "&page=2", up.target());
  }
}
