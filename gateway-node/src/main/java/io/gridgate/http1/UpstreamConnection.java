package io.gridgate.http1;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpClosedException;

/**
 * One keep-alive connection to an upstream target, last in its pipeline (after its {@link ResponseDecoder}):
 * carries one {@link OutgoingRequest} at a time and hands the answer to it; idle in its
 * {@link TargetConnections} between requests, where it closes after the keep-alive timeout or when
 * the upstream closes it. Used on its event loop only.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  private final TargetConnections target;
  private Channel channel;
  private ResponseDecoder decoder;
  private OutgoingRequest current;
  private boolean interim;
  private long idleSinceNanos;

  UpstreamConnection(TargetConnections target) {
    this.target = target;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.channel = ctx.channel();
    this.decoder = ctx.pipeline().get(ResponseDecoder.class);
  }

  /** Starts {@code request} on this connection (idle until now). */
  void assign(OutgoingRequest request) {
    current = request;
    interim = false;
  }

  /** The connection went idle in its pool at {@code nanos} ({@link System#nanoTime()}). */
  void idleSince(long nanos) {
    idleSinceNanos = nanos;
  }

  long idleSince() {
    return idleSinceNanos;
  }

  EventLoop eventLoop() {
    return channel.eventLoop();
  }

  boolean isActive() {
    return channel.isActive();
  }

  boolean isWritable() {
    return channel.isWritable();
  }

  ChannelFuture write(Object message, boolean flush) {
    return flush ? channel.writeAndFlush(message) : channel.write(message);
  }

  /** Writes {@code message} without a future of its own (a later write's future tells how it went). */
  void writeVoid(Object message) {
    channel.write(message, channel.voidPromise());
  }

  ByteBufAllocator allocator() {
    return channel.alloc();
  }

  /** Whether a request waits for its answer (bytes from the upstream are not expected otherwise). */
  boolean awaitsAnswer() {
    return current != null;
  }

  /** Whether the answer to come belongs to a HEAD request (for the decoder: it has no body). */
  boolean awaitsAnswerToHead() {
    OutgoingRequest request = current;
    return request != null && request.asksHead();
  }

  /** The exchange on this connection is over: back to the pool when {@code reusable}, else closed. */
  void release(OutgoingRequest request, boolean reusable) {
    if (current != request) {
      return;
    }
    current = null;
    if (reusable && channel.isActive() && !decoder.holdsBytes()) { // bytes after the answer: not HTTP we can trust
      AutoRead.set(channel, true); // an idle connection notices the upstream closing it
      target.idle(this);
    } else {
      channel.close();
    }
  }

  /** The current response's reader changed its demand: reading starts or stops. */
  void readingChanged() {
    OutgoingRequest request = current;
    if (request != null) {
      AutoRead.set(channel, request.readsOn());
    }
  }

  void close() {
    channel.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    OutgoingRequest request = current;
    if (request == null || !(msg instanceof HttpObject object)) {
      ReferenceCountUtil.release(msg);
      ctx.close(); // nothing was asked: the connection cannot be trusted
      return;
    }
    if (object.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      request.fail(object.decoderResult().cause());
      return;
    }
    if (msg instanceof DecodedAnswerHead head) {
      int status = head.status().code();
      interim = status >= 100 && status < 200 && status != 101; // 100 Continue, 103 Early Hints: the answer follows
      if (!interim) {
        request.responseHead(head);
      }
    }
    if (msg instanceof HttpContent content) {
      if (interim) {
        content.release();
        interim = !(content instanceof LastHttpContent);
        return;
      }
      request.responseContent(content.content());
      if (content instanceof LastHttpContent last) {
        request.responseEnd(last);
      } else {
        readingChanged();
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    OutgoingRequest request = current;
    if (request != null) {
      request.announce();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null && ctx.channel().isWritable()) {
      current.writable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    OutgoingRequest request = current;
    if (request != null) {
      request.fail(new HttpClosedException("Connection was closed"));
    }
    target.closed(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    OutgoingRequest request = current;
    if (request != null) {
      request.fail(cause);
    }
    ctx.close();
  }
}
