package io.gridgate.http1;

import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpRequestHead;
import io.vertx.core.http.impl.HttpResponseHead;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;

/**
 * Reports the Netty core's upstream requests to Vert.x's tracer, as Vert.x 5.0.7's HTTP/1.x client
 * reports its requests (HttpClientRequestImpl, Http1xClientConnection): a request sent when its head
 * is written (kind RPC, the pool's tracing policy, the method as operation, the tracer writing the
 * client span's trace context into the head; attributes {@code url.full} and
 * {@code http.request.method}), then its answer received whole (its status) or the exchange failed.
 * Shared by the requests of one connector; exists only where Vert.x has a tracer.
 */
final class UpstreamTracing {
  private static final int DEFAULT_PORT = 80;
  private static final TagExtractor<HttpRequestHead> REQUEST_TAGS = new TagExtractor<>() {
    @Override
    public int len(HttpRequestHead request) {
      return 2;
    }

    @Override
    public String name(HttpRequestHead request, int index) {
      return switch (index) {
        case 0 -> "url.full";
        case 1 -> "http.request.method";
        default -> throw new IndexOutOfBoundsException("Invalid tag index " + index);
      };
    }

    @Override
    public String value(HttpRequestHead request, int index) {
      return switch (index) {
        case 0 -> request.absoluteURI;
        case 1 -> request.method.name();
        default -> throw new IndexOutOfBoundsException("Invalid tag index " + index);
      };
    }
  };
  private static final TagExtractor<HttpResponseHead> RESPONSE_TAGS = new StatusTags<>(HttpResponseHead::statusCode);

  private final VertxTracer<Object, Object> tracer;
  private final TracingPolicy policy;

  private UpstreamTracing(VertxTracer<Object, Object> tracer, TracingPolicy policy) {
    this.tracer = tracer;
    this.policy = policy;
  }

  /** The tracing of a connector whose pool has {@code policy}; null when Vert.x does not trace. */
  @SuppressWarnings("unchecked")
  static UpstreamTracing of(ContextInternal context, TracingPolicy policy) {
    VertxTracer<Object, Object> tracer = context.tracer();
    return tracer == null ? null : new UpstreamTracing(tracer, policy);
  }

  /**
   * A request's head is about to be written, on {@code context} (the caller's, whose current span is
   * the parent): its trace, whose context the tracer added to {@code headers}; null when none.
   */
  Object sent(ContextInternal context, io.netty.handler.codec.http.HttpMethod nettyMethod, String uri,
      MultiMap headers, HostAndPort authority) {
    HttpMethod method = HttpMethod.valueOf(nettyMethod.name());
    String target = uri.isEmpty() ? "/" : uri;
    String host = authority.port() < 0 || authority.port() == DEFAULT_PORT
        ? authority.host() : authority.host() + ':' + authority.port();
    HttpRequestHead head = new HttpRequestHead(method, target, headers, host, "http://" + host + target, null);
    return tracer.sendRequest(context, SpanKind.RPC, policy, head, method.name(), headers::add, REQUEST_TAGS);
  }

  /** The answer to the request traced by {@code trace} arrived whole. */
  void answered(ContextInternal context, Object trace, HttpResponse answer) {
    HttpVersion version = answer.protocolVersion() == io.netty.handler.codec.http.HttpVersion.HTTP_1_0
        ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    HttpResponseHead head = new HttpResponseHead(version, answer.status().code(), answer.status().reasonPhrase(),
        (MultiMap) answer.headers());
    tracer.receiveResponse(context, head, trace, null, RESPONSE_TAGS);
  }

  /** The request traced by {@code trace} failed (reset, connection closed, malformed answer). */
  void failed(ContextInternal context, Object trace, Throwable cause) {
    tracer.receiveResponse(context, null, trace, cause, TagExtractor.empty());
  }
}
