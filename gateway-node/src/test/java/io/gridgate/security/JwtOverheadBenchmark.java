package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Benchmark, not part of the test suite (the class name keeps surefire from picking it up): the
 * latency one sequential client sees through the gateway on an open route and on routes that
 * verify an HS256, RS256 or ES256 token, over {@code -Drequests=10000} requests each after 2000
 * warm-up requests. Run with
 * {@code mvn -pl gateway-node test -Dtest=JwtOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JwtOverheadBenchmark {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-bench";

  @Test
  void latencyWithAndWithoutTokenVerification(Vertx vertx) {
    int requests = Integer.getInteger("requests", 10_000);
    KeyPair rsa = TestTokens.rsa();
    KeyPair ec = TestTokens.ec();
    GatewayFixture gw = new GatewayFixture(vertx);
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.withApp(app) + """
        jwt_issuers:
          main:
            issuer: bench
            algorithms: [HS256, RS256, ES256]
            keys:
              - {kid: h, algorithm: HS256, secret: "%s"}
              - {kid: r, algorithm: RS256, pem: "%s"}
              - {kid: e, algorithm: ES256, pem: "%s"}
        routes:
          - {id: open, match: {path: {prefix: /open}}, upstream: app}
          - id: jwt
            match: {path: {prefix: /jwt}}
            upstream: app
            auth: {jwt: {issuers: [main]}, identity_headers: {sub: X-User-Id}}
        """.formatted(SECRET, TestTokens.pemForYaml(rsa.getPublic()), TestTokens.pemForYaml(ec.getPublic())));
    Map<String, String> none = Map.of();
    run(gw, "open", "/open", none, requests);
    run(gw, "HS256", "/jwt", bearer(TestTokens.hs256(SECRET, "h", TestTokens.claims("bench", "u", null))), requests);
    run(gw, "RS256", "/jwt", bearer(TestTokens.sign("RS256", rsa.getPrivate(), "r", TestTokens.claims("bench", "u", null))),
        requests);
    run(gw, "ES256", "/jwt", bearer(TestTokens.sign("ES256", ec.getPrivate(), "e", TestTokens.claims("bench", "u", null))),
        requests);
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  private static void run(GatewayFixture gw, String name, String path, Map<String, String> headers, int requests) {
    long[] micros = new long[requests];
    for (int i = -2000; i < requests; i++) {
      long start = System.nanoTime();
      assertEquals(200, gw.send(HttpMethod.GET, path, headers, null).status());
      if (i >= 0) {
        micros[i] = (System.nanoTime() - start) / 1000;
      }
    }
    Arrays.sort(micros);
    double mean = Arrays.stream(micros).average().orElse(0);
    System.out.printf("%-6s mean %6.0f µs  p50 %6d µs  p99 %6d µs%n", name, mean, micros[requests / 2],
        micros[(int) (requests * 0.99)]);
  }
}
