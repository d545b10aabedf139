package io.gridgate.http1;

import io.vertx.core.spi.tracing.TagExtractor;
import java.util.function.ToIntFunction;

/** The attribute Vert.x's HTTP/1.x server and client put on a span once its answer is known: {@code http.response.status_code}. */
final class StatusTags<T> implements TagExtractor<T> {
  private final ToIntFunction<T> statusCode;

  StatusTags(ToIntFunction<T> statusCode) {
    this.statusCode = statusCode;
  }

  @Override
  public int len(T answer) {
    return 1;
  }

  @Override
  public String name(T answer, int index) {
    return "http.response.status_code";
  }

  @Override
  public String value(T answer, int index) {
    return Integer.toString(statusCode.applyAsInt(answer));
  }
}
