package io.gridgate.http;

import io.vertx.core.Future;
import io.vertx.core.http.RequestOptions;

/**
 * Opens requests to the targets of one upstream over pooled keep-alive connections: the Netty
 * HTTP/1.1 pool of the event loop for plain HTTP/1.1 upstreams, Vert.x's client for the others.
 */
public interface UpstreamConnector {
  /**
   * A request to {@code options}' server, on a pooled or new connection, once one is available;
   * fails with a connect failure, a connect timeout, or {@link IllegalStateException} once closed.
   */
  Future<UpstreamRequest> request(RequestOptions options);

  /** Closes the pooled connections; later requests fail. */
  Future<Void> close();
}
