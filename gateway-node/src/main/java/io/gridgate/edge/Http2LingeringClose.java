package io.gridgate.edge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/2 connection the gateway ended with an error (a GOAWAY other than NO_ERROR) the way
 * {@link LingeringClose} ends an HTTP/1 one: on plain TCP it sends a FIN after the GOAWAY and reads and
 * discards what the client still sends for up to {@value LingeringClose#LINGER_SECONDS} s, so that a
 * client in the middle of a large frame reads the GOAWAY instead of a reset that would destroy it.
 * First in the pipeline after the connection's clock; other closes pass at once.
 */
final class Http2LingeringClose extends ChannelDuplexHandler {
  static final String NAME = "edge-h2-lingering-close";
  private boolean endedWithError;
  private boolean lingering;

  private Http2LingeringClose() {}

  /** Lingers on close for the connection of {@code handler}, once it sent a GOAWAY with an error. */
  static void attach(ChannelPipeline pipeline, Http2ConnectionHandler handler) {
    Http2LingeringClose linger = new Http2LingeringClose();
    if (pipeline.get(ConnectionClock.NAME) != null) {
      pipeline.addAfter(ConnectionClock.NAME, NAME, linger);
    } else {
      pipeline.addFirst(NAME, linger);
    }
    handler.connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
        if (errorCode != 0) {
          linger.endedWithError = true;
        }
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      ReferenceCountUtil.release(msg); // the connection is over: nothing the client sends is read
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (lingering || !endedWithError || !(ctx.channel() instanceof DuplexChannel duplex)
        || ctx.pipeline().get(SslHandler.class) != null || !ctx.channel().isActive()) {
      ctx.close(promise);
      return;
    }
    lingering = true;
    ctx.flush();
    duplex.shutdownOutput();
    ctx.channel().config().setAutoRead(true);
    ctx.executor().schedule(() -> ctx.close(promise), LingeringClose.LINGER_SECONDS, TimeUnit.SECONDS);
  }
}
