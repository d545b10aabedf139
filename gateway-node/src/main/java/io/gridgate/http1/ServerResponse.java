package io.gridgate.http1;

import io.gridgate.http.ClientResponse;
import io.gridgate.http.UpstreamResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.ContextInternal;

/**
 * The answer to a {@link ServerRequest}: a whole answer without chunked framing or trailers as bytes
 * the core renders itself ({@link AnswerBytes}), anything else with Netty's HTTP/1.x encoder (the
 * head goes out with the first chunk or the end); framing as Vert.x frames it
 * ({@code Content-Length} from a body written whole, {@code Connection} as the request's keep-alive
 * asks, no body and no {@code Transfer-Encoding} on HEAD and 304), back-pressure from the channel's
 * writability. Used on its event loop only.
 */
final class ServerResponse extends BodyWriter implements ClientResponse {
  private final ServerConnection connection;
  private final HttpVersion version;
  private final boolean head;
  /** The check of {@link #headers}: its own map's, or the adopted answer's (null: a map whose check cannot be skipped). */
  private HeaderCheck check = new HeaderCheck(false);
  private MultiMap headers = HeadersMultiMap.httpHeaders(check);
  private MultiMap trailers;
  private boolean keepAlive;
  private int status = 200;
  private String reason;
  private boolean headWritten;
  private boolean ended;
  private boolean closed;
  private long bytesWritten;
  private Handler<Void> endHandler;
  private Handler<Void> closeHandler;

  ServerResponse(ServerConnection connection, ContextInternal context, HttpVersion version, boolean head, boolean keepAlive) {
    super(context);
    this.connection = connection;
    this.version = version;
    this.head = head;
    this.keepAlive = keepAlive;
  }

  @Override
  public int getStatusCode() {
    return status;
  }

  @Override
  public ClientResponse setStatusCode(int status) {
    this.status = status;
    return this;
  }

  @Override
  public ClientResponse setStatusMessage(String reason) {
    this.reason = reason;
    return this;
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  @Override
  public boolean adoptHeaders(UpstreamResponse answer) {
    MultiMap given = answer.headers();
    if (headWritten || !headers.isEmpty() || !(given instanceof HeadersMultiMap)) {
      return false;
    }
    headers = given;
    check = answer instanceof IncomingResponse incoming ? incoming.headerCheck() : null;
    return true;
  }

  @Override
  public void addChecked(CharSequence name, CharSequence value) {
    putChecked(name, value, false);
  }

  @Override
  public void setChecked(CharSequence name, CharSequence value) {
    putChecked(name, value, true);
  }

  private void putChecked(CharSequence name, CharSequence value, boolean replacing) {
    if (check != null) {
      check.putChecked(headers, name, value, replacing);
    } else if (replacing) {
      headers.set(name, value);
    } else {
      headers.add(name, value);
    }
  }

  @Override
  public MultiMap trailers() {
    if (trailers == null) {
      trailers = HeadersMultiMap.httpHeaders();
    }
    return trailers;
  }

  @Override
  public ClientResponse setChunked(boolean chunked) {
    chunked(headers, chunked);
    return this;
  }

  @Override
  public boolean headWritten() {
    return headWritten;
  }

  @Override
  public boolean ended() {
    return ended;
  }

  @Override
  public boolean closed() {
    return closed;
  }

  @Override
  public ClientResponse writeContinue() {
    connection.write(new DefaultFullHttpResponse(version, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER), true);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (ended) {
      return context().failedFuture(new IllegalStateException("the response has ended"));
    }
    ByteBuf content = Buffers.byteBuf(data);
    bytesWritten += content.readableBytes();
    if (!headWritten) {
      if (!framedForStreaming(headers)) {
        content.release();
        return context().failedFuture(new IllegalStateException("a streamed body needs Content-Length or chunked"));
      }
      connection.write(new DefaultHttpResponse(version, status(), prepare(-1)), false);
    }
    return completion(connection.write(head ? release(content) : new DefaultHttpContent(content), true));
  }

  @Override
  public Future<Void> end(Buffer last) {
    if (ended) {
      return context().failedFuture(new IllegalStateException("the response has ended"));
    }
    ended = true;
    ByteBuf content = Buffers.byteBuf(last);
    bytesWritten += content.readableBytes();
    // the end handler (the request's record: metrics, the access log) runs before the answer is
    // flushed, as on Vert.x's server (which flushes at the end of the read), so a client that got
    // the answer finds it recorded
    ChannelFuture write = writeLast(head ? release(content) : content);
    if (endHandler != null) {
      context().emit(null, endHandler);
    }
    connection.flush();
    Future<Void> written = completion(write);
    connection.responseEnded(!keepAlive || saysClose(), saysClose());
    return written;
  }

  /**
   * The end of the answer: a whole answer without chunked framing or trailers (the common case) as
   * bytes the core encodes itself, anything else through the HTTP encoder. Not flushed.
   */
  private ChannelFuture writeLast(ByteBuf content) {
    boolean noTrailers = trailers == null || trailers.isEmpty();
    HttpHeaders trailing = noTrailers ? EmptyHttpHeaders.INSTANCE : (HttpHeaders) trailers;
    if (headWritten) {
      return connection.write(new DefaultLastHttpContent(content, trailing), false);
    }
    HttpHeaders prepared = prepare(bytesWritten);
    if (!noTrailers || !connection.writesEncoded() || prepared.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return connection.write(new DefaultFullHttpResponse(version, status(), content, prepared, trailing), false);
    }
    boolean inline = content.readableBytes() <= AnswerBytes.INLINE_BODY;
    ByteBuf bytes = AnswerBytes.head(connection.allocator(), version, status(), (HeadersMultiMap) headers, inline ? content : null);
    if (inline) {
      content.release();
    }
    return connection.writeEncoded(bytes, inline ? null : content, saysClose());
  }

  @Override
  public Future<Void> end() {
    return end(Buffers.EMPTY);
  }

  @Override
  public ClientResponse closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
    return this;
  }

  @Override
  public ClientResponse endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public boolean reset(long code) {
    if (ended || closed) {
      return false;
    }
    connection.closeNow();
    return true;
  }

  @Override
  public long bytesWritten() {
    return bytesWritten;
  }

  @Override
  public ClientResponse closeConnectionAfter() {
    keepAlive = false;
    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return this;
  }

  @Override
  public void flushNow() {
    connection.flush();
  }

  @Override
  public void closeConnection() {
    connection.closeNow();
  }

  @Override
  boolean channelWritable() {
    return connection.isWritable();
  }

  @Override
  boolean over() {
    return ended || closed;
  }

  /** The client's connection closed. */
  void connectionClosed() {
    if (closed) {
      return;
    }
    closed = true;
    if (ended) {
      return;
    }
    // as Vert.x's server does: the exception, then the end (the answer is over, unfinished), then the close
    failed(new HttpClosedException("Connection was closed"));
    if (endHandler != null) {
      context().emit(null, endHandler);
    }
    if (closeHandler != null) {
      context().emit(null, closeHandler);
    }
  }

  private boolean saysClose() {
    return headers.contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
  }

  private HttpResponseStatus status() {
    return reason == null ? HttpResponseStatus.valueOf(status) : new HttpResponseStatus(status, reason);
  }

  /** The head's headers, framed as Vert.x frames an HTTP/1.x answer; {@code contentLength} is -1 while unknown. */
  private HttpHeaders prepare(long contentLength) {
    headWritten = true;
    if (version == HttpVersion.HTTP_1_0 && keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    } else if (version == HttpVersion.HTTP_1_1 && !keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    if (head || status == 304) {
      headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    } else if (contentLength >= 0 && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)
        && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(contentLength));
    }
    return (HttpHeaders) headers;
  }

  private static ByteBuf release(ByteBuf content) {
    content.release();
    return Unpooled.EMPTY_BUFFER;
  }
}
