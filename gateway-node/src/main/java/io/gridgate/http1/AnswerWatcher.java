package io.gridgate.http1;

import io.netty.channel.ChannelFuture;

/**
 * Told of each answer the Netty core wrote as bytes of its own, past the connection's HTTP encoder
 * (so a handler that watches answers between the core and the encoder does not see them): the
 * edge's exchange watcher implements it.
 */
public interface AnswerWatcher {
  /** A final answer was written whole; {@code written} completes with its write; {@code saysClose}: it says {@code Connection: close}. */
  void answerWritten(ChannelFuture written, boolean saysClose);
}
