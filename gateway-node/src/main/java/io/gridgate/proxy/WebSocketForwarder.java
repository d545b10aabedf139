package io.gridgate.proxy;

import io.gridgate.config.UpstreamSpec;
import io.gridgate.http.UpstreamResponse;
import io.gridgate.upstream.Target;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.NetSocket;

/**
 * Proxies a WebSocket upgrade end to end through one {@link UpstreamCall} (bulkhead and circuit
 * breaker like any call): the handshake goes to a target, and once it answers 101 the two
 * connections are joined byte for byte with back-pressure in both directions. A tunnel holds its
 * upstream's bulkhead slot until it closes. Every answer's head (101 or not) goes through the door.
 * An upgrade routed to an HTTP/2 upstream is answered 501.
 */
final class WebSocketForwarder {
  private final RequestObserver observer;

  WebSocketForwarder(RequestObserver observer) {
    this.observer = observer;
  }

  void start(Exchange ex) {
    if (ex.chain.pool().spec().protocol() == UpstreamSpec.Protocol.HTTP2) {
      // Vert.x's HTTP/2 client has no extended CONNECT (RFC 8441): there is no way to reach the target
      ex.fail(501, "websocket_not_supported", "upstream '" + ex.chain.pool().name()
          + "' speaks HTTP/2, to which the gateway cannot forward a WebSocket upgrade");
      return;
    }
    UpstreamCall call = new UpstreamCall(ex, ex.chain.pool(), ex.loop.clients().forUpgrade(ex.chain.pool()), observer, 0);
    ex.call(call);
    call.admitThen(() -> connect(ex, call));
  }

  private void connect(Exchange ex, UpstreamCall call) {
    if (ex.isDone()) {
      return;
    }
    Target target = call.pick();
    if (target == null) {
      call.failWithLastAttempt();
      return;
    }
    ex.request.pause();
    call.startDeadlines();
    ex.response().closeHandler(v -> ex.clientGone());
    call.open(target, call.options(target, ex.request.method(), ex.chain.upstreamUri(ex)))
        .compose(upstream -> {
          call.writeHeaders(upstream);
          upstream.headers().set(HttpHeaders.CONNECTION, "Upgrade");
          upstream.headers().set(HttpHeaders.UPGRADE, ex.request.getHeader(HttpHeaders.UPGRADE));
          return upstream.connect();
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            call.attemptEnded(target, RequestRecord.NO_ANSWER);
            String message = call.noAnswer(target, ar.cause());
            ex.request.resume();
            ex.fail(UpstreamFailures.status(ar.cause()), "bad_gateway", message);
          } else {
            call.answered(target, ar.result().statusCode());
            answer(ex, call, target, ar.result());
          }
        });
  }

  private void answer(Exchange ex, UpstreamCall call, Target target, UpstreamResponse upstream) {
    int status = upstream.statusCode();
    Runnable releaseSlot = status == 101 ? call.detachSlot() : null;
    ex.finish();
    ex.response().setStatusCode(status);
    if (status != 101) {
      call.attemptEnded(target, RequestRecord.statusClass(status));
      HopByHopHeaders.copyEndToEnd(upstream.headers(), ex.response().headers());
      Answers.head(ex, status);
      if (!ex.response().headers().contains(HttpHeaders.CONTENT_LENGTH)) {
        ex.response().setChunked(true);
      }
      ex.request.resume();
      upstream.pipeTo(ex.response());
      return;
    }
    call.attemptAnswered(target, RequestRecord.statusClass(101));
    ex.response().headers().addAll(upstream.headers());
    Answers.head(ex, status);
    NetSocket upstreamSocket = upstream.netSocket();
    ex.request.toNetSocket().onComplete(ar -> {
      if (ar.failed()) {
        target.end();
        releaseSlot.run();
        upstreamSocket.close();
        return;
      }
      NetSocket clientSocket = ar.result();
      tunnelOpened(ex);
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

  /** The upgrade was answered and the tunnel opened: the request is complete (status 101). */
  private void tunnelOpened(Exchange ex) {
    RequestRecorder.complete(ex.record, 101, observer);
  }
}
