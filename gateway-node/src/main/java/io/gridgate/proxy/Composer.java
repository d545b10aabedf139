package io.gridgate.proxy;

import io.gridgate.config.ComposePart;
import io.gridgate.config.ComposeSpec;
import io.gridgate.http.ClientResponse;
import io.gridgate.http.UpstreamResponse;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.transform.JsonMediaType;
import io.gridgate.upstream.Target;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The terminal of a composed route: calls every part's upstream at once (a GET with the client's
 * end-to-end headers and the route's header operations, each through its own {@link UpstreamCall}:
 * bulkhead, circuit breaker, a healthy target), reads each JSON answer whole and merges them into
 * one object keyed by part name. A required part that fails makes the answer 502
 * {@code composition_failed}; an optional one is null in the answer and named in {@value #PARTIAL}.
 * The route's total timeout bounds the whole composition (504), its connect and idle timeouts each call.
 */
final class Composer implements Terminal {
  static final String PARTIAL = "X-Gridgate-Partial";

  private final Map<String, UpstreamPool> pools;
  private final RequestObserver observer;

  Composer(Map<String, UpstreamPool> pools, RequestObserver observer) {
    this.pools = pools;
    this.observer = observer;
  }

  @Override
  public void start(Exchange ex) {
    if (ex.hasBody()) {
      ex.response().closeConnectionAfter(); // the body is never read
    }
    ex.response().closeHandler(v -> ex.clientGone());
    ComposeSpec spec = ex.route.spec().compose();
    Map<String, String> params = ex.route.pathParams(ex.path);
    List<UpstreamCall> calls = new ArrayList<>();
    List<Future<Object>> answers = new ArrayList<>();
    for (ComposePart part : spec.parts()) {
      UpstreamPool pool = pools.get(part.upstream());
      UpstreamCall call = new UpstreamCall(ex, pool, ex.loop.clients().forPool(pool), observer, 0);
      calls.add(call);
      String uri = CompiledRoute.fillTemplate(part.path(), params);
      answers.add(call(ex, call, uri, spec.maxBodySize()).andThen(ar -> call.finish()));
    }
    long totalMillis = ex.route.spec().timeouts().total().toMillis();
    long timer = ex.loop.vertx().setTimer(totalMillis, t -> {
      ex.fail(504, "upstream_timeout", "the composition of route '" + ex.route.id() + "' took longer than "
          + totalMillis + " ms");
      calls.forEach(UpstreamCall::reset);
    });
    Future.join(answers).onComplete(done -> {
      ex.loop.vertx().cancelTimer(timer);
      if (!ex.isDone()) {
        answer(ex, spec, answers);
      }
    });
  }

  /** One part's answer: its JSON value, or a failure saying why there is none. */
  private static Future<Object> call(Exchange ex, UpstreamCall call, String uri, long maxBodySize) {
    Future<Void> admitted = call.admit();
    if (admitted.succeeded()) {
      return send(ex, call, uri, maxBodySize);
    }
    return admitted.transform(ar -> ar.succeeded() ? send(ex, call, uri, maxBodySize)
        : Future.failedFuture(new PartFailure(0, ar.cause().getMessage())));
  }

  private static Future<Object> send(Exchange ex, UpstreamCall call, String uri, long maxBodySize) {
    UpstreamPool pool = call.pool();
    Target target = call.pick();
    if (target == null) {
      return Future.failedFuture("no healthy target in upstream '" + pool.name() + "'");
    }
    RequestOptions options = call.options(target, HttpMethod.GET, uri)
        .setIdleTimeout(ex.route.spec().timeouts().idle().toMillis());
    Future<Object> answer = call.open(target, options).compose(request -> {
      call.writeHeaders(request);
      request.headers().remove(HttpHeaders.CONTENT_LENGTH);
      request.end();
      return request.response();
    }).compose(response -> {
      call.answered(target, response.statusCode());
      return read(pool, response, maxBodySize);
    }).recover(cause -> Future.failedFuture(cause instanceof PartFailure ? cause
        : new PartFailure(0, call.noAnswer(target, cause))));
    return answer.andThen(ar -> {
      int status = ar.succeeded() ? 200 : ((PartFailure) ar.cause()).status;
      call.attemptEnded(target, status == 0 ? RequestRecord.NO_ANSWER : RequestRecord.statusClass(status));
    });
  }

  private static Future<Object> read(UpstreamPool pool, UpstreamResponse response, long maxBodySize) {
    int status = response.statusCode();
    String where = "upstream '" + pool.name() + "'";
    if (status < 200 || status > 299) {
      return BodyCollector.collect(response, () -> { }).transform(ignored -> Future.failedFuture(new PartFailure(status, where + " answered " + status)));
    }
    if (!JsonMediaType.is(response.headers().get(HttpHeaders.CONTENT_TYPE))) {
      return BodyCollector.collect(response, () -> { }).transform(ignored -> Future.failedFuture(new PartFailure(status, where + " answered "
          + response.headers().get(HttpHeaders.CONTENT_TYPE) + ", not JSON")));
    }
    return BodyCollector.collect(new BodySizeLimiter(response, maxBodySize), () -> { })
        .recover(failure -> Future.failedFuture(new PartFailure(status, failure instanceof BodySizeLimiter.BodyTooLargeException
            ? where + " answered more than " + maxBodySize + " bytes" : where + " cut its answer short")))
        .compose(body -> {
          try {
            return Future.succeededFuture(Json.decodeValue(body));
          } catch (DecodeException e) {
            return Future.failedFuture(new PartFailure(status, where + " answered a body that is not JSON"));
          }
        });
  }

  private static void answer(Exchange ex, ComposeSpec spec, List<Future<Object>> answers) {
    JsonObject merged = new JsonObject();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      ComposePart part = spec.parts().get(i);
      Future<Object> answer = answers.get(i);
      if (answer.succeeded()) {
        merged.put(part.name(), answer.result());
      } else if (part.optional()) {
        merged.putNull(part.name());
        missing.add(part.name());
      } else {
        ex.fail(502, "composition_failed", "part '" + part.name() + "' of route '" + ex.route.id() + "' failed: "
            + answer.cause().getMessage());
        return;
      }
    }
    ClientResponse response = ex.response();
    Buffer body = merged.toBuffer();
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
    if (!missing.isEmpty()) {
      response.putHeader(PARTIAL, String.join(", ", missing));
    }
    Answers.head(ex, 200);
    ex.finish();
    if (ex.request.method() == HttpMethod.HEAD) {
      response.end();
    } else {
      response.end(body);
    }
  }

  /** A part's call that got an answer the composition cannot use ({@code status} 0: no answer at all). */
  private static final class PartFailure extends RuntimeException {
    final int status;

    PartFailure(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
