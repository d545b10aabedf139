package io.gridgate.proxy;

import io.gridgate.config.ComposePart;
import io.gridgate.config.ComposeSpec;
import io.gridgate.upstream.BreakerView.Phase;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.transform.JsonMediaType;
import io.gridgate.upstream.CircuitBreaker;
import io.gridgate.upstream.Target;
import io.gridgate.upstream.UpstreamPool;
import io.gridgate.upstream.UpstreamTlsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers a composed route: calls every part's upstream at once (a GET with the client's
 * end-to-end headers and the route's header operations, on a healthy target past the upstream's
 * circuit breaker), reads each JSON answer whole and merges them into one object keyed by part
 * name. A required part that fails makes the answer 502 {@code composition_failed}; an optional
 * one is null in the answer and named in {@value #PARTIAL}. The route's total timeout bounds the
 * whole composition (504), its connect and idle timeouts each call.
 */
final class Composer {
  static final String PARTIAL = "X-Gridgate-Partial";

  private final Vertx vertx;
  private final UpstreamClients clients;

  Composer(Vertx vertx, UpstreamClients clients) {
    this.vertx = vertx;
    this.clients = clients;
  }

  void compose(Exchange ex, GatewayState state, String path) {
    if (ex.hasBody) {
      ErrorResponses.closeConnectionAfter(ex.request); // the body is never read
    }
    ex.response.closeHandler(v -> ex.clientGone());
    ComposeSpec spec = ex.route.spec().compose();
    Map<String, String> params = ex.route.pathParams(path);
    List<HttpClientRequest> sent = new ArrayList<>();
    List<Future<Object>> answers = new ArrayList<>();
    for (ComposePart part : spec.parts()) {
      String uri = CompiledRoute.fillTemplate(part.path(), params);
      answers.add(call(ex, state.pools().get(part.upstream()), uri, spec.maxBodySize(), sent));
    }
    long totalMillis = ex.route.spec().timeouts().total().toMillis();
    long timer = vertx.setTimer(totalMillis, t -> {
      ex.fail(504, "upstream_timeout", "the composition of route '" + ex.route.id() + "' took longer than "
          + totalMillis + " ms");
      sent.forEach(HttpClientRequest::reset);
    });
    Future.join(answers).onComplete(done -> {
      vertx.cancelTimer(timer);
      if (!ex.isDone()) {
        answer(ex, spec, answers);
      }
    });
  }

  /** One part's answer: its JSON value, or a failure saying why there is none. */
  private Future<Object> call(Exchange ex, UpstreamPool pool, String uri, long maxBodySize, List<HttpClientRequest> sent) {
    Target target = pool.pick(ex.request, ex.clientAddress, Set.of());
    if (target == null) {
      return Future.failedFuture("no healthy target in upstream '" + pool.name() + "'");
    }
    CircuitBreaker breaker = pool.breaker();
    if (breaker != null && breaker.phase() != Phase.CLOSED) {
      // read only: probing an open breaker is left to the upstream's own routes
      return Future.failedFuture("the circuit breaker of upstream '" + pool.name() + "' is not closed");
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setServer(target.address())
        .setHost(UpstreamTlsOptions.host(pool.spec().tls(), target.spec()))
        .setPort(target.spec().port())
        .setURI(uri)
        .setConnectTimeout(ex.route.spec().timeouts().connect().toMillis())
        .setIdleTimeout(ex.route.spec().timeouts().idle().toMillis());
    target.begin();
    Future<Object> answer = clients.forPool(pool).request(options).compose(request -> {
      sent.add(request);
      UpstreamRequestHeaders.write(ex, pool, request);
      request.headers().remove(HttpHeaders.CONTENT_LENGTH);
      return request.send();
    }).compose(response -> read(pool, target, response, maxBodySize))
        .recover(cause -> Future.failedFuture(cause instanceof PartFailure ? cause
            : new PartFailure(0, UpstreamFailures.describe(ex, pool.name(), target, cause))));
    return answer.andThen(ar -> {
      target.end();
      int status = ar.succeeded() ? 200 : ((PartFailure) ar.cause()).status;
      boolean healthy = status > 0 && status < 500;
      if (healthy) {
        target.recordSuccess();
      } else {
        target.recordFailure(System.nanoTime());
      }
      if (breaker != null) {
        breaker.record(healthy, false);
      }
      ex.partAnswered(pool.name(), target, status == 0 ? RequestRecord.NO_ANSWER : RequestRecord.statusClass(status));
    });
  }

  private static Future<Object> read(UpstreamPool pool, Target target, HttpClientResponse response, long maxBodySize) {
    int status = response.statusCode();
    String where = "upstream '" + pool.name() + "'";
    if (status < 200 || status > 299) {
      return response.body().transform(ignored -> Future.failedFuture(new PartFailure(status, where + " answered " + status)));
    }
    if (!JsonMediaType.is(response.getHeader(HttpHeaders.CONTENT_TYPE))) {
      return response.body().transform(ignored -> Future.failedFuture(new PartFailure(status, where + " answered "
          + response.getHeader(HttpHeaders.CONTENT_TYPE) + ", not JSON")));
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
    HttpServerResponse response = ex.response;
    Buffer body = merged.toBuffer();
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
    if (!missing.isEmpty()) {
      response.putHeader(PARTIAL, String.join(", ", missing));
    }
    ex.route.responseHeaders().apply(response.headers());
    ex.writeGatewayResponseHeaders(response.headers());
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
