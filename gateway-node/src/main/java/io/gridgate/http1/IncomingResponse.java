package io.gridgate.http1;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.http.UpstreamResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetSocket;

/** An upstream's answer on a pooled connection of the Netty core: its head as decoded, its body as a {@link BodyStream}. */
final class IncomingResponse extends BodyStream implements UpstreamResponse {
  /** What most answers end with: no map is made per answer to say so. */
  private static final MultiMap NO_TRAILERS = new HeadersAdaptor(EmptyHttpHeaders.INSTANCE);
  private final OutgoingRequest request;
  private final DecodedAnswerHead head;
  private MultiMap trailers;

  IncomingResponse(OutgoingRequest request, DecodedAnswerHead head, ContextInternal context) {
    super(context);
    this.request = request;
    this.head = head;
  }

  @Override
  void demandChanged() {
    request.readingChanged();
  }

  HttpResponse head() {
    return head;
  }

  /** The check of {@link #headers()}, for whoever takes the map over. */
  HeaderCheck headerCheck() {
    return head.check();
  }

  void trailers(MultiMap trailers) {
    this.trailers = trailers;
  }

  @Override
  public int statusCode() {
    return head.status().code();
  }

  @Override
  public String statusMessage() {
    return head.status().reasonPhrase();
  }

  @Override
  public MultiMap headers() {
    return (MultiMap) head.headers();
  }

  @Override
  public MultiMap trailers() {
    return trailers == null ? NO_TRAILERS : trailers;
  }

  @Override
  public Buffer takeWholeBody() {
    return takeWhole();
  }

  @Override
  public UpstreamRequest request() {
    return request;
  }

  @Override
  public NetSocket netSocket() {
    throw new IllegalStateException("upgrades to upstreams go through Vert.x's client");
  }
}
