package io.gridgate.proxy;

/**
 * The request's record for metrics and the access log, as the first step of every route (when the
 * node has an observer): it watches the answer from the start, so every answer of the route is
 * recorded whoever gives it, and the record completes when the answer ended, with the final
 * status, the upstream attempts and the bytes sent (as Envoy's access log runs at the stream's end). Requests refused before any route matched are recorded by
 * {@link GatewayHandler} through the same {@link RequestRecorder}.
 */
final class AccessLogStep implements Step {
  private final RequestObserver observer;

  private AccessLogStep(RequestObserver observer) {
    this.observer = observer;
  }

  /** One step for every route when {@code observer} listens; none when it does not. */
  static StepFactory factory(RequestObserver observer) {
    if (!observer.isActive()) {
      return route -> null;
    }
    AccessLogStep step = new AccessLogStep(observer);
    return route -> step;
  }

  @Override
  public Next onRequest(Exchange ex) {
    RequestRecorder.watch(ex.record, observer);
    return Next.CONTINUE;
  }
}
