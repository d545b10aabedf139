package io.gridgate.proxy;

import io.gridgate.config.UpstreamSpec;
import io.gridgate.upstream.Target;
import io.gridgate.http.UpstreamResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.NetSocket;
import java.util.function.Consumer;

/**
 * Proxies a WebSocket upgrade end to end: the handshake goes to a target, and once it answers
 * 101 the two connections are joined byte for byte with back-pressure in both directions. A
 * tunnel holds its upstream's bulkhead slot until it closes; the circuit breaker is not consulted.
 * An upgrade routed to an HTTP/2 upstream is answered 501.
 */
final class WebSocketForwarder {
  private final Consumer<Exchange> connect = this::connect;

  void forward(Exchange ex) {
    if (ex.pool.spec().protocol() == UpstreamSpec.Protocol.HTTP2) {
      // Vert.x's HTTP/2 client has no extended CONNECT (RFC 8441): there is no way to reach the target
      ex.fail(501, "websocket_not_supported", "upstream '" + ex.pool.name()
          + "' speaks HTTP/2, to which the gateway cannot forward a WebSocket upgrade");
      return;
    }
    UpstreamGuard.admit(ex, false, connect);
  }

  private void connect(Exchange ex) {
    Target target = ex.pool.pick(ex.request, ex.clientAddress, ex.tried());
    if (target == null) {
      ex.failWithLastAttempt();
      return;
    }
    ex.request.pause();
    ex.startDeadlines();
    ex.response.closeHandler(v -> ex.clientGone());
    ex.attemptStarted(target);
    ex.client.request(ex.requestTo(target))
        .compose(upstream -> {
          ex.upstream(upstream);
          upstream.headers().set(HttpHeaders.CONNECTION, "Upgrade");
          upstream.headers().set(HttpHeaders.UPGRADE, ex.request.getHeader(HttpHeaders.UPGRADE));
          return upstream.connect();
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            ex.attemptEnded(target, RequestRecord.NO_ANSWER);
            target.recordFailure(System.nanoTime());
            ex.request.resume();
            ex.fail(UpstreamFailures.status(ar.cause()), "bad_gateway", UpstreamFailures.describe(ex, target, ar.cause()));
          } else {
            target.recordSuccess();
            answer(ex, target, ar.result());
          }
        });
  }

  private void answer(Exchange ex, Target target, UpstreamResponse upstream) {
    Runnable releaseSlot = upstream.statusCode() == 101 ? ex.detachSlot() : null;
    ex.finish();
    ex.response.setStatusCode(upstream.statusCode());
    if (upstream.statusCode() != 101) {
      ex.attemptEnded(target, RequestRecord.statusClass(upstream.statusCode()));
      HopByHopHeaders.copyEndToEnd(upstream.headers(), ex.response.headers());
      ex.response.headers().set(RequestIds.HEADER, ex.requestId);
      if (!ex.response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
        ex.response.setChunked(true);
      }
      ex.request.resume();
      upstream.pipeTo(ex.response);
      return;
    }
    ex.attemptAnswered(target, RequestRecord.statusClass(101));
    ex.response.headers().addAll(upstream.headers());
    ex.response.headers().set(RequestIds.HEADER, ex.requestId);
    NetSocket upstreamSocket = upstream.netSocket();
    ex.request.toNetSocket().onComplete(ar -> {
      if (ar.failed()) {
        target.end();
        releaseSlot.run();
        upstreamSocket.close();
        return;
      }
      NetSocket clientSocket = ar.result();
      ex.tunnelOpened();
      clientSocket.pipeTo(upstreamSocket);
      upstreamSocket.pipeTo(clientSocket);
      clientSocket.closeHandler(v -> upstreamSocket.close());
      upstreamSocket.closeHandler(v -> {
        target.end();
        releaseSlot.run();
        clientSocket.close();
      });
    });
  }
}
