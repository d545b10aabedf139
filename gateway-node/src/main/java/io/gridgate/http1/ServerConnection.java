package io.gridgate.http1;

import io.gridgate.http.ClientRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ShutdownEvent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * Serves the HTTP/1.x requests of one client connection with the Netty core, sitting in Vert.x's
 * HTTP/1 pipeline after Vert.x's decoder and encoder and the edge handlers, and before Vert.x's
 * WebSocket extension handler and its own handler. One exchange at a time, in order: a pipelined request waits (with reading stopped)
 * until the answer before it ended. The first request it does not serve — an upgrade (WebSocket,
 * h2c that Vert.x did not take), or one the decoder refused — is handed, with whatever follows, to
 * Vert.x's handler once the exchange before it ended, and the connection is Vert.x's from then on.
 * A close asked by Vert.x (a graceful drain) waits for the exchange in flight. Used on its event loop only.
 */
final class ServerConnection extends ChannelDuplexHandler {
  static final String NAME = "gridgate-http1";
  /** The name of the edge's exchange watcher in the pipeline (io.gridgate.edge.Http1Exchanges). */
  private static final String EDGE_EXCHANGES = "edge-exchanges";
  /** Vert.x's HTTP/1 response encoder in the pipeline. */
  private static final String ENCODER = "httpEncoder";

  private final ContextInternal context;
  private final Handler<ClientRequest> handler;
  /** Null unless Vert.x traces. */
  private final ServerTracing tracing;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  /** Where answers the core encodes itself enter the pipeline (past the HTTP encoder); null without one. */
  private ChannelHandlerContext encoded;
  /** Null unless the edge watches answers. */
  private AnswerWatcher watcher;
  private ServerRequest current;
  private boolean handedOver;
  private boolean closing;
  private boolean draining;
  private boolean shuttingDown;
  private ChannelPromise deferredClose;
  private SocketAddress remoteAddress;

  /**
   * {@code context} is the listener's event-loop context; each request runs on a duplicate of it.
   * {@code tracing} reports the exchanges to Vert.x's tracer (null when Vert.x does not trace).
   */
  ServerConnection(ContextInternal context, Handler<ClientRequest> handler, ServerTracing tracing) {
    this.context = context;
    this.handler = handler;
    this.tracing = tracing;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.encoded = ctx.pipeline().context(ENCODER);
    this.watcher = ctx.pipeline().get(EDGE_EXCHANGES) instanceof AnswerWatcher edge ? edge : null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (handedOver || !(msg instanceof HttpObject)) {
      ctx.fireChannelRead(msg);
    } else if (closing) {
      ReferenceCountUtil.release(msg);
    } else if (!waiting.isEmpty() || (current != null && msg instanceof HttpRequest)) {
      waiting.add(msg);
      readingChanged();
    } else {
      take(msg);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null && ctx.channel().isWritable()) {
      current.serverResponse().writable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    ServerRequest request = current;
    if (request != null) {
      if (tracing != null) {
        tracing.closed(request);
      }
      request.fail(new HttpClosedException("Connection was closed"));
      request.serverResponse().connectionClosed();
    }
    releaseWaiting();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ShutdownEvent) {
      shuttingDown = true;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    // Vert.x closes a connection it sees idle when the server drains: the exchange in flight ends
    // first; a second close (the drain's deadline) is not deferred
    if (shuttingDown && current != null && !handedOver && deferredClose == null) {
      deferredClose = promise;
    } else {
      ctx.close(promise);
    }
  }

  SocketAddress remoteAddress() {
    if (remoteAddress == null && ctx.channel().remoteAddress() instanceof InetSocketAddress inet) {
      remoteAddress = SocketAddress.inetSocketAddress(inet);
    }
    return remoteAddress;
  }

  boolean isWritable() {
    return ctx.channel().isWritable();
  }

  /** Writes toward the client (through the edge handlers); flushed at once when {@code flush}. */
  ChannelFuture write(Object message, boolean flush) {
    return flush ? ctx.writeAndFlush(message) : ctx.write(message);
  }

  void flush() {
    ctx.flush();
  }

  ByteBufAllocator allocator() {
    return ctx.alloc();
  }

  /** Whether answers can be written as bytes the core encoded itself. */
  boolean writesEncoded() {
    return encoded != null;
  }

  /**
   * Writes a whole final answer the core encoded itself ({@code bytes}, then {@code more} unless
   * null), past the HTTP encoder (not flushed); the edge's watcher is told. {@code saysClose}: the
   * answer says {@code Connection: close}.
   */
  ChannelFuture writeEncoded(ByteBuf bytes, ByteBuf more, boolean saysClose) {
    ChannelFuture written = encoded.write(bytes);
    if (more != null) {
      written = encoded.write(more);
    }
    if (watcher != null) {
      watcher.answerWritten(written, saysClose);
    }
    return written;
  }

  /** Abandons the connection (a reset answer): closed now, nothing more is read. */
  void closeNow() {
    closing = true;
    ctx.close();
  }

  /**
   * The answer of the current exchange was written whole; {@code close}: the connection ends after
   * it ({@code saysClose}: the answer says {@code Connection: close}).
   */
  void responseEnded(boolean close, boolean saysClose) {
    if (tracing != null) {
      tracing.answered(current);
    }
    if (close) {
      closing = true;
      releaseWaiting();
      if (!saysClose || !edgeLingers()) {
        closeAfterWrites();
      }
      return;
    }
    if (current.arrived()) {
      next();
    } else {
      readingChanged(); // the rest of the request's body is read and dropped
    }
  }

  /** A reader's demand changed: reading starts or stops. */
  void readingChanged() {
    if (closing || handedOver) {
      return;
    }
    boolean read = waiting.isEmpty() && (current == null || current.arrived()
        || current.wantsMore() || current.serverResponse().ended());
    AutoRead.set(ctx.channel(), read);
  }

  private void take(Object msg) {
    if (msg instanceof HttpRequest request) {
      if (serves(request)) {
        begin(request);
      } else {
        handOver(msg);
      }
    } else if (current != null && !current.arrived()) {
      arrive((HttpContent) msg);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private static boolean serves(HttpRequest request) {
    return request.decoderResult().isSuccess() && !request.headers().contains(HttpHeaderNames.UPGRADE);
  }

  private void begin(HttpRequest head) {
    ContextInternal exchangeContext = context.duplicate();
    ServerRequest request = new ServerRequest(this, head, exchangeContext);
    current = request;
    if (tracing != null) {
      tracing.received(request);
    }
    if (head instanceof HttpContent content) {
      arrive(content);
    }
    readingChanged();
    exchangeContext.emit(request, handler);
  }

  private void arrive(HttpContent content) {
    ServerRequest request = current;
    if (content.decoderResult().isFailure()) {
      content.release();
      closing = true; // the decoder reads nothing more on this connection
      request.fail(content.decoderResult().cause());
      return;
    }
    if (request.serverResponse().ended()) {
      content.release();
    } else {
      request.arrive(content.content());
    }
    if (content instanceof LastHttpContent) {
      request.arriveEnd();
      if (request.serverResponse().ended()) {
        next();
      }
    }
    readingChanged();
  }

  /** The current exchange is over: a deferred close happens now, else the requests waiting are taken in order. */
  private void next() {
    current = null;
    if (deferredClose != null) {
      closing = true;
      closeAfterWrites();
      return;
    }
    if (draining) {
      return;
    }
    draining = true;
    try {
      // the next request's head and body, up to the request after it
      while (!waiting.isEmpty() && !closing && !handedOver && !(current != null && waiting.peek() instanceof HttpRequest)) {
        take(waiting.poll());
      }
    } finally {
      draining = false;
    }
    readingChanged();
  }

  private void handOver(Object first) {
    handedOver = true;
    AutoRead.set(ctx.channel(), true);
    ctx.fireChannelRead(first);
    while (!waiting.isEmpty()) {
      ctx.fireChannelRead(waiting.poll());
    }
    ctx.fireChannelReadComplete(); // Vert.x flushes what it wrote while reading at the end of a read
    ctx.pipeline().remove(this);
  }

  private void closeAfterWrites() {
    ChannelPromise promise = deferredClose;
    deferredClose = null;
    ChannelFuture written = ctx.writeAndFlush(Unpooled.EMPTY_BUFFER);
    written.addListener(done -> ctx.close(promise == null ? ctx.newPromise() : promise));
  }

  /** Whether the edge's exchange watcher ends this connection after an answer saying {@code Connection: close} (it lingers). */
  private boolean edgeLingers() {
    return ctx.pipeline().get(EDGE_EXCHANGES) != null;
  }

  private void releaseWaiting() {
    while (!waiting.isEmpty()) {
      ReferenceCountUtil.release(waiting.poll());
    }
  }
}
