package io.gridgate.http1;

import io.netty.handler.codec.DecoderException;

/** An upstream's answer that breaks HTTP/1.1's syntax or framing: the exchange fails and the connection closes. */
final class MalformedAnswerException extends DecoderException {
  MalformedAnswerException(String message) {
    super(message);
  }
}
