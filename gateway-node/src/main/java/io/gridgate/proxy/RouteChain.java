package io.gridgate.proxy;

import io.gridgate.http.ClientResponse;
import io.gridgate.http.UpstreamRequest;
import io.gridgate.http.UpstreamResponse;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.function.Predicate;

/**
 * One route's request path, compiled with its configuration version: the route's steps in their
 * fixed order, then its terminal. The request side runs the steps first to last until one answers
 * or suspends; every answer's head, body and end pass the steps' response sides last to first.
 */
final class RouteChain {
  private final CompiledRoute route;
  /** The route's upstream; null for a composed route. */
  private final UpstreamPool pool;
  private final Step[] steps;
  private final Terminal terminal;
  private final boolean readsResponseBody;
  private final boolean changesResponseBody;

  RouteChain(CompiledRoute route, UpstreamPool pool, List<Step> steps, Terminal terminal) {
    this.route = route;
    this.pool = pool;
    this.steps = steps.toArray(Step[]::new);
    this.terminal = terminal;
    this.readsResponseBody = steps.stream().anyMatch(Step::readsResponseBody);
    this.changesResponseBody = steps.stream().anyMatch(Step::changesResponseBodies);
  }

  CompiledRoute route() {
    return route;
  }

  UpstreamPool pool() {
    return pool;
  }

  Terminal terminal() {
    return terminal;
  }

  /** Runs the exchange from its first step. */
  void start(Exchange ex) {
    proceed(ex, 0);
  }

  /** Runs the exchange on from the step after the one that suspended it. */
  void resume(Exchange ex) {
    proceed(ex, ex.position() + 1);
  }

  private void proceed(Exchange ex, int from) {
    for (int i = from; i < steps.length; i++) {
      if (ex.isDone()) {
        return; // ended meanwhile: e.g. its body failed while a step waited
      }
      ex.position(i);
      if (steps[i].onRequest(ex) != Step.Next.CONTINUE) {
        return;
      }
    }
    if (!ex.isDone()) {
      ex.position(steps.length);
      terminal.start(ex);
    }
  }

  /** The request-target of the exchange's requests to its route's upstream. */
  String upstreamUri(Exchange ex) {
    String uri = ex.uri;
    for (Step step : steps) {
      uri = step.onUpstreamUri(ex, uri);
    }
    return uri;
  }

  /**
   * The client headers the steps remove from every request of the exchange sent upstream, which
   * the copy of the client's headers may leave out; null when they remove none.
   */
  Predicate<CharSequence> removedClientHeaders(Exchange ex) {
    Predicate<CharSequence> removed = null;
    for (Step step : steps) {
      Predicate<CharSequence> more = step.removedClientHeaders(ex);
      if (more != null) {
        removed = removed == null ? more : removed.or(more);
      }
    }
    return removed;
  }

  void upstreamHead(Exchange ex, UpstreamPool to, UpstreamRequest request) {
    for (Step step : steps) {
      step.onUpstreamHead(ex, to, request);
    }
  }

  void responseHead(Exchange ex, int status, ClientResponse response) {
    for (int i = steps.length - 1; i >= 0; i--) {
      steps[i].onResponseHead(ex, status, response);
    }
  }

  /**
   * The most of this relayed answer's body the route's steps read whole to change it, or -1 when it
   * streams through unchanged; throws {@link BodyTransformException} when a step cannot change it.
   */
  long wholeResponseBodyLimit(Exchange ex, UpstreamResponse upstream) {
    long limit = -1;
    if (changesResponseBody) {
      for (Step step : steps) {
        long asked = step.wholeResponseBodyLimit(ex, upstream);
        if (asked >= 0) {
          limit = limit < 0 ? asked : Math.min(limit, asked);
        }
      }
    }
    return limit;
  }

  /** A relayed answer's body read whole, as the steps' response sides leave it (last step first); may throw {@link BodyTransformException}. */
  Buffer changedResponseBody(Exchange ex, UpstreamResponse upstream, Buffer body) {
    for (int i = steps.length - 1; i >= 0; i--) {
      body = steps[i].onWholeResponseBody(ex, upstream, body);
    }
    return body;
  }

  /** A relayed answer's body as the client gets it: through the steps that read it, if any does. */
  ReadStream<Buffer> responseBody(Exchange ex, ReadStream<Buffer> body) {
    return readsResponseBody ? new StepsReading(body, ex) : body;
  }

  /** An answer the gateway holds whole (a transformed body) passes the steps' body side at once. */
  void wholeResponseBody(Exchange ex, Buffer body) {
    if (readsResponseBody) {
      bodyChunk(ex, body);
      bodyEnded(ex);
    }
  }

  private void bodyChunk(Exchange ex, Buffer chunk) {
    for (int i = steps.length - 1; i >= 0; i--) {
      steps[i].onResponseBody(ex, chunk);
    }
  }

  private void bodyEnded(Exchange ex) {
    for (int i = steps.length - 1; i >= 0; i--) {
      steps[i].onResponseEnd(ex);
    }
  }

  void finish(Exchange ex) {
    for (int i = steps.length - 1; i >= 0; i--) {
      steps[i].onFinish(ex);
    }
  }

  /** A relayed body passed on unchanged, each chunk and the end also shown to the steps. */
  private final class StepsReading extends ReadStreamFilter {
    private final Exchange ex;

    StepsReading(ReadStream<Buffer> source, Exchange ex) {
      super(source);
      this.ex = ex;
    }

    @Override
    protected void onChunk(Buffer chunk, Handler<Buffer> downstream) {
      bodyChunk(ex, chunk);
      downstream.handle(chunk);
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
      return super.endHandler(endHandler == null ? null : v -> {
        bodyEnded(ex);
        endHandler.handle(v);
      });
    }
  }
}
