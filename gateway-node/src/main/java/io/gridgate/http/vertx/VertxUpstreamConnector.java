package io.gridgate.http.vertx;

import io.gridgate.http.UpstreamConnector;
import io.gridgate.http.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/** An {@link UpstreamConnector} on a Vert.x {@link HttpClient}: thin delegation. */
public final class VertxUpstreamConnector implements UpstreamConnector {
  private final HttpClient client;

  public VertxUpstreamConnector(HttpClient client) {
    this.client = client;
  }

  @Override
  public Future<UpstreamRequest> request(RequestOptions options) {
    return client.request(options).map(VertxUpstreamRequest::new);
  }

  /** Lets requests already made finish for up to {@code timeout}; later ones fail. */
  public Future<Void> shutdown(long timeout, TimeUnit unit) {
    return client.shutdown(timeout, unit);
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
