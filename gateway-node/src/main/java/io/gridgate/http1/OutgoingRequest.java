package io.gridgate.http1;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.http.UpstreamResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.HostAndPort;

/**
 * One request on a pooled upstream connection of the Netty core, framed as Vert.x's client frames
 * it ({@code Host} from the authority — the options' server unless named — when not set, {@code Content-Length} from a body written whole)
 * and written as bytes ({@link RequestBytes}): chunked when its {@code Transfer-Encoding} says so.
 * The connection goes back to its pool once the answer arrived whole after the request was sent
 * whole, on a keep-alive answer; a reset or an answer that came early closes it. Used on its event
 * loop only.
 */
final class OutgoingRequest extends BodyWriter implements UpstreamRequest {
  private static final int DEFAULT_PORT = 80;
  private final UpstreamConnection connection;
  private final HttpMethod method;
  private final String uri;
  private final HeaderCheck check = new HeaderCheck(false);
  private final HeadersMultiMap headers = HeadersMultiMap.httpHeaders(check);
  private final Promise<UpstreamResponse> response;
  /** Null unless Vert.x traces. */
  private final UpstreamTracing tracing;
  private Object trace;
  private HostAndPort authority;
  private IncomingResponse incoming;
  private boolean headSent;
  private boolean chunked;
  private boolean ended;
  private boolean done;

  OutgoingRequest(UpstreamConnection connection, RequestOptions options, ContextInternal context, UpstreamTracing tracing) {
    super(context);
    this.connection = connection;
    this.tracing = tracing;
    this.method = HttpMethod.valueOf(options.getMethod().name());
    this.uri = options.getURI();
    this.response = context().promise();
    this.authority = HostAndPort.authority(options.getHost(), options.getPort());
    if (options.getHeaders() != null) {
      headers.addAll(options.getHeaders());
    }
  }

  @Override
  public UpstreamRequest authority(HostAndPort authority) {
    this.authority = authority;
    return this;
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public void addChecked(CharSequence name, CharSequence value) {
    check.putChecked(headers, name, value, false);
  }

  @Override
  public void setChecked(CharSequence name, CharSequence value) {
    check.putChecked(headers, name, value, true);
  }

  @Override
  public HttpVersion version() {
    return HttpVersion.HTTP_1_1;
  }

  @Override
  public UpstreamRequest setChunked(boolean chunked) {
    chunked(headers, chunked);
    return this;
  }

  @Override
  public Future<Void> sendHead() {
    if (headSent) {
      return context().succeededFuture();
    }
    startHead();
    return completion(connection.write(head(null), true));
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (ended || done) {
      return context().failedFuture(new IllegalStateException("the request has ended"));
    }
    if (!headSent) {
      if (!framedForStreaming(headers)) {
        return context().failedFuture(new IllegalStateException("a streamed body needs Content-Length or chunked"));
      }
      startHead();
      connection.write(head(null), false);
    }
    ByteBuf content = Buffers.byteBuf(data);
    return completion(chunked && content.isReadable() ? writeChunk(content, true) : connection.write(content, true));
  }

  @Override
  public Future<Void> end() {
    return end(null);
  }

  @Override
  public Future<Void> end(Buffer last) {
    if (ended || done) {
      return context().failedFuture(new IllegalStateException("the request has ended"));
    }
    ended = true;
    ByteBuf content = last == null ? io.netty.buffer.Unpooled.EMPTY_BUFFER : Buffers.byteBuf(last);
    if (!headSent) {
      if (last != null && !framedForStreaming(headers)) {
        headers.set(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(content.readableBytes()));
      }
      startHead();
      if (!chunked && content.readableBytes() <= RequestBytes.INLINE_BODY) {
        return completion(connection.write(head(content), true));
      }
      connection.writeVoid(head(null));
    }
    return completion(lastPiece(content));
  }

  /** The body's last piece: in chunked framing, its chunk (unless empty) and the last chunk. */
  private ChannelFuture lastPiece(ByteBuf content) {
    if (!chunked) {
      return connection.write(content, true);
    }
    if (content.isReadable()) {
      writeChunk(content, false);
    }
    return connection.write(RequestBytes.lastChunk(), true);
  }

  /** One chunk of a chunked body: its size line, its bytes, its line end; the future of the last write. */
  private ChannelFuture writeChunk(ByteBuf content, boolean flush) {
    connection.writeVoid(RequestBytes.chunkSize(connection.allocator(), content.readableBytes()));
    connection.writeVoid(content);
    return connection.write(RequestBytes.chunkEnd(), flush);
  }

  /** The head goes out now; its headers settle the body's framing. */
  private void startHead() {
    headSent = true;
    chunked = asksChunked();
  }

  @Override
  public boolean reset() {
    if (done) {
      return false;
    }
    fail(new StreamResetException(0x08));
    return true;
  }

  @Override
  public Future<UpstreamResponse> response() {
    return response.future();
  }

  @Override
  public Future<UpstreamResponse> connect() {
    return context().failedFuture(new IllegalStateException("upgrades to upstreams go through Vert.x's client"));
  }

  @Override
  public void closeConnection() {
    fail(new StreamResetException(0x08));
  }

  @Override
  boolean channelWritable() {
    return connection.isWritable();
  }

  @Override
  boolean over() {
    return done;
  }

  /** The head's bytes (written once), followed by {@code body} unless null. */
  private ByteBuf head(ByteBuf body) {
    return RequestBytes.head(connection.allocator(), method, uri, headWithHost(), body);
  }

  /** Whether the headers ask for chunked framing (settled for the body when the head is written). */
  private boolean asksChunked() {
    return headers.contains(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true);
  }

  /** The head's headers (written once): {@code Host} from the authority unless they have one, and the trace's context when traced. */
  private HeadersMultiMap headWithHost() {
    if (!headers.contains(HttpHeaderNames.HOST)) {
      int port = authority.port();
      headers.set(HttpHeaderNames.HOST, port < 0 || port == DEFAULT_PORT ? authority.host() : authority.host() + ":" + port);
    }
    if (tracing != null) {
      trace = tracing.sent(context(), method, uri, headers, authority);
    }
    return headers;
  }

  /**
   * The answer's head arrived. It is announced (the response future completes) when the read that
   * brought it completes, or earlier at the answer's end: an answer that came whole in one read is
   * then seen whole with its head and can be relayed in one write.
   */
  void responseHead(DecodedAnswerHead head) {
    incoming = new IncomingResponse(this, head, context());
  }

  /** The answer's head is announced, unless it was already (or none came yet). */
  void announce() {
    if (incoming != null) {
      response.tryComplete(incoming);
    }
  }

  /** A chunk of the answer's body arrived; its reference passes on. */
  void responseContent(ByteBuf content) {
    incoming.arrive(content);
  }

  /** The answer's body ended, with its trailers. */
  void responseEnd(LastHttpContent last) {
    if (!last.trailingHeaders().isEmpty()) {
      incoming.trailers((MultiMap) last.trailingHeaders());
    }
    if (trace != null) {
      tracing.answered(context(), trace, incoming.head());
    }
    incoming.arriveEnd();
    announce();
    // an answer that came before the request was sent whole leaves the connection unusable
    if (!done) {
      done = true;
      connection.release(this, ended && HttpUtil.isKeepAlive(incoming.head()));
    }
  }

  /** The exchange cannot complete (reset, connection closed, malformed answer): its connection closes. */
  void fail(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    if (trace != null) {
      tracing.failed(context(), trace, cause);
    }
    announce(); // a head that came is relayed before its body fails, as when it was announced
    if (!response.tryFail(cause)) {
      incoming.fail(cause);
    }
    failed(cause);
    connection.release(this, false);
  }

  /** Whether this is a HEAD request (its answer has no body). */
  boolean asksHead() {
    return HttpMethod.HEAD.equals(method);
  }

  /** Whether the response's reader takes more now (the connection may read on). */
  boolean readsOn() {
    return incoming == null || incoming.arrived() || incoming.wantsMore();
  }

  void readingChanged() {
    if (!done) {
      connection.readingChanged();
    }
  }
}
