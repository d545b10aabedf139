package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Trailers of a chunked HTTP/1.1 upstream response reach HTTP/1.1 clients as chunked trailers and
 * h2c clients as HTTP/2 trailers; an {@code http1} upstream still gets no {@code TE}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForwarderTrailersTest {
  private GatewayFixture gw;
  private TestUpstream app;
  private Vertx vertx;

  /** What a client read: body and trailers. */
  private record Answer(String body, MultiMap trailers, HttpVersion version) {}

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    gw = new GatewayFixture(vertx);
    app = gw.upstream("app", request -> request.body().onSuccess(ignored -> {
      request.response().setChunked(true).write("part-");
      request.response().trailers().add("X-Checksum", "abc123");
      request.response().end("end");
    }));
    gw.startGateway(GatewayFixture.withApp(app) + """
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app}
        """);
  }

  private Answer get(HttpClient client) {
    RequestOptions options = gw.request(HttpMethod.GET, "/t").putHeader("TE", "trailers");
    return GatewayFixture.await(GatewayFixture.exchange(client, options, request -> request.send(),
        response -> response.body().map(body -> new Answer(body.toString(),
            HttpHeaders.headers().addAll(response.trailers()), response.version()))));
  }

  @Test
  void chunkedTrailersReachAnHttp11Client() {
    Answer answer = get(gw.client());

    assertEquals("part-end", answer.body());
    assertEquals("abc123", answer.trailers().get("X-Checksum"));
  }

  @Test
  void chunkedTrailersReachAnH2cClientAsHttp2Trailers() {
    HttpClient h2c = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));

    Answer answer = get(h2c);

    assertEquals(HttpVersion.HTTP_2, answer.version());
    assertEquals("part-end", answer.body());
    assertEquals("abc123", answer.trailers().get("X-Checksum"));
  }

  @Test
  void anHttp1UpstreamIsStillSpokenToOverHttp11WithoutTe() {
    get(gw.client());

    assertEquals(HttpVersion.HTTP_1_1, app.last().version());
    assertNull(app.last().header("TE"));
  }
}
