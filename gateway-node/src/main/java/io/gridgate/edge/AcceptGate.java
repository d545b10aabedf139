package io.gridgate.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * The first handler of every connection a gated server accepts: on a guarded listener it refuses a
 * connection over the caps at once, or puts the connection's {@link ConnectionClock} at the head of
 * its pipeline; then it lets Vert.x set the connection up as usual.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInitializer<Channel> {
  private final ChannelHandler vertxInitializer;
  private final EdgeListeners listeners;

  AcceptGate(ChannelHandler vertxInitializer, EdgeListeners listeners) {
    this.vertxInitializer = vertxInitializer;
    this.listeners = listeners;
  }

  @Override
  protected void initChannel(Channel channel) {
    ListenerGuard guard = listeners.guardOf(channel.localAddress());
    if (guard != null) {
      ConnectionClock clock = guard.admit(channel);
      if (clock == null) {
        channel.close();
        return;
      }
      channel.pipeline().addLast(ConnectionClock.NAME, clock);
      listeners.sweepOf(channel.eventLoop()).add(clock);
    }
    channel.pipeline().addLast(vertxInitializer);
  }
}
