package io.gridgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.H2FrameClient;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Path confusion against a shared backend: an open route {@code /app} and a protected route
 * {@code /app/admin} (its address rule denies every client) send to the SAME upstream. Every
 * spelling a backend could read as {@code /app/admin} is caught by the protected route or refused,
 * never forwarded by the open one; what the open route forwards is the normalised path.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PathConfusionTest {
  /** How long an HTTP/2 answer may take, with room for a loaded machine. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  private GatewayFixture gw;
  private RecordingUpstream backend;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    backend = RecordingUpstream.start();
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          backend: {targets: [{address: "%s"}]}
        routes:
          - {id: open, match: {path: {prefix: /app}}, upstream: backend}
          - {id: admin, match: {path: {prefix: /app/admin}}, upstream: backend, ip_rules: {deny: [127.0.0.1]}}
          - {id: stripped, match: {path: {prefix: /strip}}, upstream: backend, path_parameters: strip}
          - {id: kept, match: {path: {prefix: /keep}}, upstream: backend, path_parameters: keep}
        """.formatted(backend.address()));
  }

  @AfterEach
  void tearDown() {
    backend.close();
  }

  private RawHttp.Response get(String target) {
    return gw.raw("GET " + target + " HTTP/1.1\r\nHost: gw.test\r\n\r\n");
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(delimiter = '|', textBlock = """
      /app/%61dmin                 | 403 | address_denied
      /app/adm%69n                 | 403 | address_denied
      /app/%61%64%6D%69%6E/users   | 403 | address_denied
      /app/admin;jsessionid=x      | 400 | path_parameters_refused
      /app/admin#x                 | 400 | invalid_request_target
      /app/./admin                 | 403 | address_denied
      /app//admin                  | 403 | address_denied
      /app/%2e/admin               | 403 | address_denied
      /app/%2E%2E/app/admin        | 403 | address_denied
      /app/x/..;/admin             | 403 | address_denied
      /app/admin%2f                | 403 | address_denied
      /app\\admin                  | 403 | address_denied
      /app/adm%zzin                | 400 | invalid_path
      """)
  void everySpellingOfTheProtectedPathIsCaughtByItsRouteOrRefused(String target, int status, String error) {
    RawHttp.Response response = get(target);

    assertEquals(status, response.status(), target + ": " + response.body());
    assertEquals(error, new JsonObject(response.body()).getString("error"), target);
    assertEquals(0, backend.count(), "nothing may reach the shared backend for " + target);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /app/other                   | /app/other
      /app/%7Euser                 | /app/~user
      /app/a%2fb                   | /app/a/b
      /app/a%20b/%3f               | /app/a%20b/%3F
      /app/x/../y?q=%zz&a=%2e      | /app/y?q=%zz&a=%2e
      /app/administrator           | /app/administrator
      /strip/x;jsessionid=1/y;a    | /strip/x/y
      /keep/x;v=1/y                | /keep/x;v=1/y
      /keep/x;v=1/../y;w=2         | /keep/y;w=2
      """)
  void theOpenRouteForwardsTheNormalisedPath(String target, String forwarded) {
    RawHttp.Response response = get(target);

    assertEquals(200, response.status(), target + ": " + response.body());
    assertEquals(1, backend.count(), target);
    assertEquals(forwarded, backend.last().target(), "what the backend received for " + target);
  }

  @Test
  void pathParametersAreRefusedOnAnOpenRouteByDefault() {
    RawHttp.Response response = get("/app/x;jsessionid=1");

    assertEquals(400, response.status());
    assertEquals("path_parameters_refused", new JsonObject(response.body()).getString("error"));
    assertEquals(0, backend.count());
  }

  @Test
  void theSameSpellingsOverHttp2AreCaughtToo() {
    try (H2FrameClient h2 = H2FrameClient.open(gw.port())) {
      for (String target : new String[] {"/app/%61dmin", "/app/./admin", "/app//admin", "/app/%2e/admin"}) {
        H2FrameClient.Outcome reply = h2.await(h2.request(true, H2FrameClient.get(target)), WAIT);
        assertEquals(403, reply.status(), target + ": " + reply.text());
      }
      H2FrameClient.Outcome parameters = h2.await(h2.request(true, H2FrameClient.get("/app/admin;jsessionid=x")), WAIT);
      assertEquals(400, parameters.status());
      assertEquals("path_parameters_refused", new JsonObject(parameters.text()).getString("error"));
    }
    assertEquals(0, backend.count());
  }
}
