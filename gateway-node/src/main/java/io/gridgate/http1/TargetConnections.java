package io.gridgate.http1;

import io.gridgate.http.UpstreamRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connections of one event loop to one upstream target (host and port): idle ones
 * reused last-in first-out, at most {@link Http1PoolSettings#maxConnections()} open, requests beyond
 * waiting in order (up to the wait queue's size). Used on its event loop only.
 */
final class TargetConnections {
  private final Http1PoolSettings settings;
  private final Bootstrap bootstrap;
  private final UpstreamTracing tracing;
  private final String host;
  private final int port;
  private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int open;
  private boolean closed;
  private boolean sweepScheduled;

  private record Waiter(RequestOptions options, ContextInternal context, Promise<UpstreamRequest> promise) {}

  /** {@code tracing} reports the requests to Vert.x's tracer (null when Vert.x does not trace). */
  TargetConnections(Http1PoolSettings settings, Bootstrap bootstrap, UpstreamTracing tracing, String host, int port) {
    this.settings = settings;
    this.bootstrap = bootstrap;
    this.tracing = tracing;
    this.host = host;
    this.port = port;
  }

  /** A request on an idle connection, a new one, or the first to free up. */
  void acquire(RequestOptions options, ContextInternal context, Promise<UpstreamRequest> promise) {
    if (closed) {
      promise.fail(new IllegalStateException("the upstream connector is closed"));
      return;
    }
    UpstreamConnection connection = idle.pollFirst();
    while (connection != null && !connection.isActive()) { // closed; its close event is still to come
      connection = idle.pollFirst();
    }
    if (connection != null) {
      promise.complete(start(connection, options, context));
    } else if (open < settings.maxConnections()) {
      connect(new Waiter(options, context, promise));
    } else if (waiters.size() < settings.maxWaitQueue()) {
      waiters.add(new Waiter(options, context, promise));
    } else {
      promise.fail(new ConnectionPoolTooBusyException("connection pool reached max wait queue size of " + settings.maxWaitQueue()));
    }
  }

  /** {@code connection} finished an exchange and can carry another. */
  void idle(UpstreamConnection connection) {
    Waiter waiter = waiters.poll();
    if (waiter != null) {
      waiter.promise().complete(start(connection, waiter.options(), waiter.context()));
    } else if (closed) {
      connection.close();
    } else {
      connection.idleSince(System.nanoTime());
      idle.addFirst(connection);
      if (!sweepScheduled && settings.keepAliveSeconds() > 0) {
        sweepLater(connection, TimeUnit.SECONDS.toNanos(settings.keepAliveSeconds()));
      }
    }
  }

  /**
   * Closes the connections idle for the keep-alive timeout (the oldest are last), then looks again
   * when the oldest left will be: one timer per target, not one per request.
   */
  private void sweep() {
    sweepScheduled = false;
    long now = System.nanoTime();
    long keepAlive = TimeUnit.SECONDS.toNanos(settings.keepAliveSeconds());
    UpstreamConnection oldest;
    while ((oldest = idle.peekLast()) != null && now - oldest.idleSince() >= keepAlive) {
      idle.pollLast().close();
    }
    if (oldest != null) {
      sweepLater(oldest, keepAlive - (now - oldest.idleSince()));
    }
  }

  private void sweepLater(UpstreamConnection any, long delayNanos) {
    sweepScheduled = true;
    any.eventLoop().schedule(this::sweep, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** {@code connection} closed (its exchange, if any, has failed). */
  void closed(UpstreamConnection connection) {
    idle.remove(connection);
    open--;
    Waiter waiter = waiters.poll();
    if (waiter != null) {
      connect(waiter);
    }
  }

  /** Closes the idle connections; busy ones close after their exchange, waiting requests fail. */
  void close() {
    closed = true;
    while (!waiters.isEmpty()) {
      waiters.poll().promise().fail(new IllegalStateException("the upstream connector is closed"));
    }
    while (!idle.isEmpty()) {
      idle.poll().close();
    }
  }

  boolean isEmpty() {
    return open == 0;
  }

  private void connect(Waiter waiter) {
    open++;
    UpstreamConnection connection = new UpstreamConnection(this);
    int connectTimeout = waiter.options().getConnectTimeout() > 0
        ? (int) Math.min(Integer.MAX_VALUE, waiter.options().getConnectTimeout()) : settings.connectTimeoutMillis();
    bootstrap.clone()
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(
                new ResponseDecoder(settings.maxHeaderSize(), connection),
                connection);
          }
        })
        .connect(host, port)
        .addListener(done -> {
          if (done.isSuccess()) {
            waiter.promise().complete(start(connection, waiter.options(), waiter.context()));
          } else {
            // the channel never became active, so it is not counted down on close
            waiter.promise().fail(done.cause());
            closed(connection);
          }
        });
  }

  private OutgoingRequest start(UpstreamConnection connection, RequestOptions options, ContextInternal context) {
    OutgoingRequest request = new OutgoingRequest(connection, options, context, tracing);
    connection.assign(request);
    return request;
  }
}
