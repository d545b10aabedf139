package io.gridgate.proxy;

import io.gridgate.security.Refusal;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Checks the head of each HTTP/2 request before Vert.x reads it, and answers 400 itself (a JSON
 * body, then the stream closed) when Vert.x would mishandle it: a {@code :method} that is not a token
 * (Vert.x throws while creating the request, which tears the whole connection down unanswered), a
 * {@code :authority} or {@code host} that is not {@code host[:port]} (Vert.x would quietly use the
 * other one), both present but different (Vert.x resets the stream), two {@code host} fields, or a
 * {@code :protocol} pseudo-header (extended CONNECT, RFC 8441, which the gateway does not offer).
 * Everything else in the head is checked by Netty's HPACK decoder (stream reset) or by the
 * gateway's own rules once Vert.x made a request of it ({@link GatewayHandler}).
 */
final class Http2RequestHeadGuard extends Http2FrameListenerDecorator {
  private static final String REQUEST_ID = RequestIds.HEADER.toLowerCase(Locale.ROOT);
  private static final Refusal INVALID_METHOD = Refusal.of(400, "invalid_method", "the request method is not a token");
  private static final Refusal PROTOCOL = Refusal.of(400, "invalid_header",
      "the :protocol pseudo-header belongs to extended CONNECT, which this gateway does not offer");
  private static final Refusal AUTHORITY_AND_HOST_DIFFER = Refusal.of(400, "invalid_host",
      "the request's :authority and host differ");

  private final Http2ConnectionHandler handler;

  private Http2RequestHeadGuard(Http2FrameListener listener, Http2ConnectionHandler handler) {
    super(listener);
    this.handler = handler;
  }

  /** Puts a guard in front of an HTTP/2 connection's request handling; HTTP/1.x connections are left alone. */
  static void install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    Http2ConnectionHandler handler = base.channel().pipeline().get(Http2ConnectionHandler.class);
    if (handler != null) {
      Http2ConnectionDecoder decoder = handler.decoder();
      decoder.frameListener(new Http2RequestHeadGuard(decoder.frameListener(), handler));
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                            boolean endOfStream) throws Http2Exception {
    if (admitted(ctx, streamId, headers, endOfStream)) {
      super.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                            short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
    if (admitted(ctx, streamId, headers, endOfStream)) {
      super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
    }
  }

  /** True when the headers go on to Vert.x; false when they were refused and answered here. */
  private boolean admitted(ChannelHandlerContext ctx, int streamId, Http2Headers headers, boolean endOfStream) {
    if (headers.method() == null) {
      return true; // trailers: only a request's first HEADERS carries pseudo-headers
    }
    Refusal refusal = refusal(headers);
    if (refusal == null) {
      return true;
    }
    answer(ctx, streamId, refusal, endOfStream);
    return false;
  }

  /** Why a request head is refused, or null. */
  private static Refusal refusal(Http2Headers headers) {
    CharSequence method = headers.method();
    if (method.length() == 0 || HttpHeaderValidationUtil.validateToken(method) != -1) {
      return INVALID_METHOD;
    }
    if (headers.contains(Http2Headers.PseudoHeaderName.PROTOCOL.value())) {
      return PROTOCOL;
    }
    CharSequence authority = headers.authority();
    if (authority != null && !HostRules.isValid(authority.toString())) {
      return HostRules.INVALID;
    }
    CharSequence host = headers.get(HttpHeaderNames.HOST);
    if (host == null) {
      return null;
    }
    if (!HostRules.isValid(host.toString()) || headers.getAll(HttpHeaderNames.HOST).size() > 1) {
      return HostRules.INVALID;
    }
    return authority == null || authority.toString().equals(host.toString()) ? null : AUTHORITY_AND_HOST_DIFFER;
  }

  /** Sends the refusal as a JSON answer; a stream the client has not ended is then reset with NO_ERROR (RFC 9113 8.1). */
  private void answer(ChannelHandlerContext ctx, int streamId, Refusal refusal, boolean endOfStream) {
    String requestId = RequestIds.create();
    byte[] body = ErrorResponses.body(refusal.error(), refusal.message(), requestId).getBytes(StandardCharsets.UTF_8);
    Http2Headers head = new DefaultHttp2Headers()
        .status(Integer.toString(refusal.status()))
        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(REQUEST_ID, requestId);
    handler.encoder().writeHeaders(ctx, streamId, head, 0, false, ctx.newPromise());
    ChannelFuture sent = handler.encoder().writeData(ctx, streamId, Unpooled.wrappedBuffer(body), 0, true,
        ctx.newPromise());
    if (!endOfStream) {
      sent.addListener(done -> handler.resetStream(ctx, streamId, Http2Error.NO_ERROR.code(), ctx.newPromise()));
    }
  }
}
