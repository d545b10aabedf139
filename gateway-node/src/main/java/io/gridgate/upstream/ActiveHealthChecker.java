package io.gridgate.upstream;

import io.gridgate.config.ActiveHealthCheck;
import io.gridgate.config.UpstreamTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Probes every target of pools that declare an active health check, on each pool's interval. */
public final class ActiveHealthChecker {
  private final Vertx vertx;
  private final HttpClient client;
  private final List<Long> timers = new ArrayList<>();

  public ActiveHealthChecker(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
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
    UpstreamTls tls = pool.spec().tls();
    RequestOptions options = UpstreamTlsOptions.request(tls, new RequestOptions())
        .setMethod(HttpMethod.GET)
        .setServer(target.address())
        .setHost(UpstreamTlsOptions.host(tls, target.spec()))
        .setPort(target.spec().port())
        .setURI(check.path())
        .setTimeout(check.timeout().toMillis());
    Future<HttpClientRequest> request;
    try {
      request = client.request(options);
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
    client.close();
  }
}
