package io.gridgate.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A bare HTTP/2 prior-knowledge (h2c) client on Netty's frame codec, for requests whose frames a
 * test must choose exactly (HEADERS without END_STREAM, then an empty DATA frame that ends the
 * stream, say). Every wait is bounded.
 */
final class H2cFrames implements AutoCloseable {
  /** What came back on one stream before it ended: the response head (null if none) and the body. */
  record Answer(Http2Headers headers, String body) {
    int status() {
      return Integer.parseInt(headers.status().toString());
    }
  }

  /** One request stream, opened by its HEADERS frame. */
  final class Stream {
    private final Http2FrameStream frameStream;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();
    private final CompletableFuture<Long> reset = new CompletableFuture<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private Http2Headers headers;

    private Stream(Http2FrameStream frameStream) {
      this.frameStream = frameStream;
    }

    /** Sends a DATA frame with {@code data} (ISO-8859-1), ending the stream when {@code endStream}. */
    Stream data(String data, boolean endStream) {
      ByteBuf bytes = Unpooled.copiedBuffer(data, StandardCharsets.ISO_8859_1);
      onLoop(() -> channel.writeAndFlush(new DefaultHttp2DataFrame(bytes, endStream).stream(frameStream)));
      return this;
    }

    /** Waits (bounded by {@code within}) until the answer ended or the stream was reset. */
    Answer answer(Duration within) {
      return await(answer, within, "ended answer");
    }

    /** Waits (bounded by {@code within}) for the server's RST_STREAM and returns its error code. */
    long resetCode(Duration within) {
      return await(reset, within, "RST_STREAM");
    }

    private <T> T await(CompletableFuture<T> future, Duration within, String what) {
      try {
        return future.get(within.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("no " + what + " on stream " + frameStream.id() + " within " + within, e);
      }
    }

    private void onHeaders(Http2HeadersFrame frame) {
      if (headers == null) {
        headers = frame.headers();
      }
      if (frame.isEndStream()) {
        ended();
      }
    }

    private void onData(Http2DataFrame frame) {
      ByteBuf content = frame.content();
      byte[] bytes = new byte[content.readableBytes()];
      content.readBytes(bytes);
      body.writeBytes(bytes);
      if (frame.isEndStream()) {
        ended();
      }
    }

    private void onReset(Http2ResetFrame frame) {
      ended();
      reset.complete(frame.errorCode());
    }

    private void ended() {
      answer.complete(new Answer(headers, body.toString(StandardCharsets.ISO_8859_1)));
    }
  }

  private final EventLoopGroup group;
  private final Channel channel;
  private final Frames frames = new Frames();
  private final Map<Http2FrameStream, Stream> streams = new ConcurrentHashMap<>();

  private H2cFrames(int port) {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new io.netty.channel.ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(), frames);
            }
          })
          .connect(InetAddress.getLoopbackAddress(), port).sync().channel();
    } catch (InterruptedException e) {
      group.shutdownGracefully();
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Connects to {@code 127.0.0.1:port} and sends the connection preface. */
  static H2cFrames connect(int port) {
    return new H2cFrames(port);
  }

  /** Opens a stream on {@code authority} with a HEADERS frame ({@code extraHeaders} lower-case), ending it when {@code endStream}. */
  Stream open(String method, String path, String authority, Map<String, String> extraHeaders, boolean endStream) {
    Http2Headers headers = new DefaultHttp2Headers().method(method).path(path).scheme("http").authority(authority);
    extraHeaders.forEach(headers::add);
    Http2FrameStream frameStream = frames.newStream();
    Stream stream = new Stream(frameStream);
    streams.put(frameStream, stream);
    onLoop(() -> channel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, endStream).stream(frameStream)));
    return stream;
  }

  private void onLoop(Runnable task) {
    try {
      channel.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not write a frame", e);
    }
  }

  @Override
  public void close() {
    channel.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Creates streams and hands each stream's inbound frames to it. */
  private final class Frames extends Http2ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame frame && streams.containsKey(frame.stream())) {
          streams.get(frame.stream()).onHeaders(frame);
        } else if (msg instanceof Http2DataFrame frame && streams.containsKey(frame.stream())) {
          streams.get(frame.stream()).onData(frame);
        } else if (msg instanceof Http2ResetFrame frame && streams.containsKey(frame.stream())) {
          streams.get(frame.stream()).onReset(frame);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
