package io.gridgate.proxy;

import io.gridgate.upstream.Target;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Maps a failure to reach a target onto the status the client sees and a message that names only
 * the upstream: the target's address and the exception go to the request's access-log record and
 * to the node log ({@link UpstreamFailureLog}), never to the client.
 */
final class UpstreamFailures {
  private static final UpstreamFailureLog LOG = new UpstreamFailureLog();

  private UpstreamFailures() {}

  static int status(Throwable cause) {
    if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
      return 504;
    }
    String message = String.valueOf(cause.getMessage());
    if (message.contains("max wait queue")) {
      return 503;
    }
    return 502;
  }

  /**
   * Records and logs why {@code ex}'s call to {@code target} of {@code upstream} failed, and returns
   * what the client is told.
   */
  static String describe(Exchange ex, String upstream, Target target, Throwable cause) {
    String detail = "target " + target + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    ex.record.upstreamError(detail);
    LOG.failed(upstream, detail);
    return message(ex, upstream, cause);
  }

  private static String message(Exchange ex, String upstream, Throwable cause) {
    String name = "upstream '" + upstream + "'";
    if (cause instanceof ConnectTimeoutException) {
      return name + " could not be reached within " + ex.route.spec().timeouts().connect().toMillis() + " ms";
    }
    if (cause instanceof TimeoutException) {
      return name + " did not answer in time";
    }
    if (status(cause) == 503) {
      return name + " has no free connection";
    }
    boolean unreachable = cause instanceof ConnectException || cause instanceof NoRouteToHostException
        || cause instanceof UnknownHostException || cause instanceof SSLException;
    return name + (unreachable ? " could not be reached" : " gave no answer");
  }
}
