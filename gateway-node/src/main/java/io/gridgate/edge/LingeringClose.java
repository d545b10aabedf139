package io.gridgate.edge;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection after an answer that said {@code Connection: close}. On plain TCP it sends a FIN
 * and keeps reading (and discarding) for up to {@value #LINGER_SECONDS} s before closing, so that a
 * client still sending a body the gateway refused reads the answer instead of a reset (as nginx's
 * lingering close does); a TLS connection closes at once (with a close_notify).
 */
final class LingeringClose {
  static final long LINGER_SECONDS = 5;

  private LingeringClose() {}

  static void start(Channel channel) {
    if (!channel.isActive()) {
      return;
    }
    if (channel instanceof DuplexChannel duplex && channel.pipeline().get(SslHandler.class) == null) {
      channel.config().setAutoRead(true);
      duplex.shutdownOutput();
      channel.eventLoop().schedule(() -> channel.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    } else {
      channel.close();
    }
  }
}
