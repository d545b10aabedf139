package io.gridgate.proxy;

import io.gridgate.upstream.Target;
import java.util.concurrent.TimeoutException;

/** Maps a failure to reach a target onto the status the client sees, and a message for it. */
final class UpstreamFailures {
  private UpstreamFailures() {}

  static int status(Throwable cause) {
    if (cause instanceof TimeoutException || cause instanceof io.netty.channel.ConnectTimeoutException) {
      return 504;
    }
    String message = String.valueOf(cause.getMessage());
    if (message.contains("max wait queue")) {
      return 503;
    }
    return 502;
  }

  static String describe(Target target, Throwable cause) {
    return "target " + target + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
