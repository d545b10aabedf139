package io.gridgate.proxy;

import io.gridgate.upstream.Target;

/** Told about every request a node answered and every attempt it sent upstream (metrics, the access log). */
public interface RequestObserver {
  RequestObserver NONE = new RequestObserver() {
    @Override
    public void completed(RequestRecord record) {
    }

    @Override
    public boolean isActive() {
      return false;
    }
  };

  /** The response to the client ended (fully sent, or aborted); called once per request on its event loop. */
  void completed(RequestRecord record);

  /** An upstream attempt ended: {@code statusClass} is the answer's class ({@code 2xx}…) or {@code error}. */
  default void attempted(String upstream, Target target, String statusClass) {
  }

  /** False when nothing listens, so the data plane skips the bookkeeping. */
  default boolean isActive() {
    return true;
  }

  /** Tells each of {@code observers} (those active), in order. */
  static RequestObserver all(RequestObserver... observers) {
    RequestObserver[] active = java.util.Arrays.stream(observers).filter(RequestObserver::isActive)
        .toArray(RequestObserver[]::new);
    if (active.length == 0) {
      return NONE;
    }
    if (active.length == 1) {
      return active[0];
    }
    return new RequestObserver() {
      @Override
      public void completed(RequestRecord record) {
        for (RequestObserver observer : active) {
          observer.completed(record);
        }
      }

      @Override
      public void attempted(String upstream, Target target, String statusClass) {
        for (RequestObserver observer : active) {
          observer.attempted(upstream, target, statusClass);
        }
      }
    };
  }
}
