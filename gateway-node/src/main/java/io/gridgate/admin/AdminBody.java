package io.gridgate.admin;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * Reads an admin request's body as it is, whatever its Content-Type (curl's default form type
 * included), up to a limit. A larger body, declared or sent, gets JSON 413; the rest of it is
 * discarded (up to as much again) and the HTTP/1 connection then closed, so that the client reads
 * the answer rather than a reset. {@code Expect: 100-continue} is answered once the declared size fits.
 */
final class AdminBody implements Handler<RoutingContext> {
  private static final String KEY = AdminBody.class.getName();

  private final long limit;

  AdminBody(long limit) {
    this.limit = limit;
  }

  /** The body read for this request (empty when it had none). */
  static String text(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body == null ? "" : body.toString(StandardCharsets.UTF_8);
  }

  /** The body as a JSON object, or null when it is not one (not JSON, another JSON value, empty). */
  static JsonObject jsonObject(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    try {
      return body != null && body.toJsonValue() instanceof JsonObject object ? object : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().isEnded()) {
      ctx.fail(new IllegalStateException("the admin request's body was read before its handler ran"));
      return;
    }
    new Reading(ctx).start();
  }

  /** One request's body on its way in. */
  private final class Reading {
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private Buffer body = Buffer.buffer();
    private Future<Void> refusal;
    private long discarded;
    private boolean closing;

    Reading(RoutingContext ctx) {
      this.ctx = ctx;
      this.request = ctx.request();
    }

    void start() {
      request.exceptionHandler(err -> body = null); // the client went away: there is no one to answer
      if (declaredLength() > limit) {
        refuse();
      } else if (expectsContinue()) {
        request.response().writeContinue();
      }
      request.handler(this::chunk).endHandler(v -> end()).resume();
    }

    private void chunk(Buffer chunk) {
      if (refusal != null) {
        discarded += chunk.length();
        if (discarded > limit) {
          close();
        }
      } else if (body != null && body.length() + (long) chunk.length() > limit) {
        refuse();
      } else if (body != null) {
        body.appendBuffer(chunk);
      }
    }

    private void end() {
      if (refusal != null) {
        close();
      } else if (body != null) {
        ctx.put(KEY, body);
        ctx.next();
      }
    }

    private void refuse() {
      body = null;
      if (request.version() != HttpVersion.HTTP_2) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      }
      refusal = AdminErrors.send(ctx, 413, "body_too_large",
          "the body is larger than " + limit + " bytes, the most this endpoint takes");
      if (expectsContinue()) {
        close(); // the client waits for 100 Continue: no body follows
      }
    }

    /** Closes an HTTP/1 connection once the refusal is written; HTTP/2 streams end on their own. */
    private void close() {
      if (!closing && request.version() != HttpVersion.HTTP_2) {
        closing = true;
        refusal.onComplete(v -> request.connection().close());
      }
    }

    private long declaredLength() {
      String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
      try {
        return length == null ? -1 : Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    private boolean expectsContinue() {
      return request.version() != HttpVersion.HTTP_1_0 && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    }
  }
}
