package io.gridgate.http1;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;

/** Turns a channel's reading on or off, touching its config (an atomic swap each time) only when it changes. */
final class AutoRead {
  private AutoRead() {}

  static void set(Channel channel, boolean read) {
    ChannelConfig config = channel.config();
    if (config.isAutoRead() != read) {
      config.setAutoRead(read);
    }
  }
}
