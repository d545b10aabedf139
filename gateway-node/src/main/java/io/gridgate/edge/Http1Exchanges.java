package io.gridgate.edge;

import io.gridgate.http1.AnswerWatcher;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Watches the requests and responses of one HTTP/1 connection, before the Netty core and Vert.x's handlers: settles
 * each request's HTTP version ({@link HttpVersions}), reports heads and response ends to the
 * connection's clock (when guarded), and really ends the connection after a response that says
 * {@code Connection: close} (Vert.x keeps it open when the request did not ask to close, e.g. after
 * an early 401 whose body was never read); what the client sends after such a response is dropped.
 * Answers the Netty core writes as its own bytes come as {@link AnswerWatcher} calls instead.
 */
final class Http1Exchanges extends ChannelDuplexHandler implements AnswerWatcher {
  static final String NAME = "edge-exchanges";

  private final ConnectionClock clock;
  private boolean interim;
  private boolean closeAfterResponse;
  private boolean closing;
  private Channel channel;

  /** {@code clock} is null on a connection that is not guarded. */
  Http1Exchanges(ConnectionClock clock) {
    this.clock = clock;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void answerWritten(ChannelFuture written, boolean saysClose) {
    interim = false;
    if (clock != null) {
      clock.responseEnd();
    }
    if (saysClose) {
      closing = true;
      written.addListener(done -> LingeringClose.start(channel));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      HttpVersions.settle(request);
      if (clock != null) {
        clock.requestHead();
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      int status = response.status().code();
      interim = status < 200; // 100 Continue, 103 Early Hints: the response is still to come
      if (status == 101 && clock != null) {
        clock.tunnel();
      }
      closeAfterResponse = !interim && response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
    }
    if (msg instanceof LastHttpContent && !interim) {
      ChannelPromise written = closeAfterResponse ? promise.unvoid() : promise;
      ctx.write(msg, written);
      answerWritten(written, closeAfterResponse);
      return;
    }
    ctx.write(msg, promise);
  }
}
