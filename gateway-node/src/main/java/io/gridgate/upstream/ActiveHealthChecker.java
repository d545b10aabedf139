package io.gridgate.upstream;

import io.gridgate.config.ActiveHealthCheck;
import io.gridgate.config.UpstreamSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Probes every target of pools that declare an active health check, on each pool's interval, over
 * HTTP/1.1 or HTTP/2 as the pool's {@code protocol} says.
 */
public final class ActiveHealthChecker {
  private final Vertx vertx;
  private final HttpClient http1;
  private final HttpClient http2;
  private final List<Long> timers = new ArrayList<>();

  public ActiveHealthChecker(Vertx vertx) {
    this.vertx = vertx;
    this.http1 = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    // ALPN is offered only on requests that turn TLS on (UpstreamTlsOptions.request); h2c otherwise
    this.http2 = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setUseAlpn(true));
  }

  /** Starts probing the given pools; the first probe runs after one interval. */
  public void start(Collection<UpstreamPool> pools) {
    for (UpstreamPool pool : pools) {
      ActiveHealthCheck check = pool.spec().activeHealthCheck();
      if (check == null) {
        continue;
      }
      for (Target target : pool.targets()) {
        timers.add(vertx.setPeriodic(check.interval().toMillis(), id -> probe(pool, target, check)));
      }
    }
  }

  private void probe(UpstreamPool pool, Target target, ActiveHealthCheck check) {
    UpstreamSpec upstream = pool.spec();
    RequestOptions options = UpstreamTlsOptions.request(upstream, new RequestOptions())
        .setMethod(HttpMethod.GET)
        .setServer(target.address())
        .setHost(UpstreamTlsOptions.host(upstream.tls(), target.spec()))
        .setPort(target.spec().port())
        .setURI(check.path())
        .setTimeout(check.timeout().toMillis());
    Future<HttpClientRequest> request;
    try {
      request = (upstream.protocol() == UpstreamSpec.Protocol.HTTP2 ? http2 : http1).request(options);
    } catch (IllegalStateException closed) {
      return; // a timer that fired while the checker (or Vert.x) was stopping
    }
    request
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> resp.statusCode()))
        .onComplete(ar -> target.recordProbe(
            ar.succeeded() && ar.result() >= 200 && ar.result() < 400,
            check.healthyThreshold(), check.unhealthyThreshold()));
  }

  public void stop() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    http1.close();
    http2.close();
  }
}
