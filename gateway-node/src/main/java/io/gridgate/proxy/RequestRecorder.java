package io.gridgate.proxy;

import io.gridgate.http.ClientResponse;

/**
 * Records requests for the node's observer (metrics, the access log): completes a request's
 * {@link RequestRecord} when its answer ends and hands it over, once. The one recorder of routed
 * requests ({@link AccessLogStep}, a WebSocket tunnel) and of those refused before any route
 * matched ({@link GatewayHandler}).
 */
final class RequestRecorder {
  private RequestRecorder() {}

  /** {@code record} completes, and goes to {@code observer}, when the answer to its request ends (whole or not). */
  static void watch(RequestRecord record, RequestObserver observer) {
    if (!observer.isActive()) {
      return;
    }
    ClientResponse response = record.request().response();
    response.endHandler(v -> {
      if (record.finish(response)) {
        observer.completed(record);
      }
    });
  }

  /** {@code record} completes now with {@code status} (a WebSocket tunnel, complete once open), unless it already did. */
  static void complete(RequestRecord record, int status, RequestObserver observer) {
    if (record.finish(status, false)) {
      observer.completed(record);
    }
  }
}
