package io.gridgate.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * A real gRPC client (Vert.x gRPC, HTTP/2) calling the methods of {@link GrpcUpstream} through the
 * gateway, and collecting what came back: status, message, response messages, headers, trailers.
 */
public final class GrpcCalls {
  /** What one call came to, as the gRPC client saw it. */
  public record Result(GrpcStatus status, String message, List<String> messages, MultiMap headers, MultiMap trailers) {}

  private final GrpcClient client;
  private final SocketAddress gateway;

  /** Calls over h2c with prior knowledge. */
  public GrpcCalls(Vertx vertx, int port) {
    this(vertx, port, new HttpClientOptions());
  }

  /** Calls with {@code options} (TLS, for one) made HTTP/2 with prior knowledge or ALPN. */
  public GrpcCalls(Vertx vertx, int port, HttpClientOptions options) {
    this.client = GrpcClient.client(vertx, options.setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setUseAlpn(options.isSsl()));
    this.gateway = SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  /** Calls {@code method}, sending {@code messages} then ending the request stream, and waits for the whole answer. */
  public Result call(String method, String... messages) {
    return GatewayFixture.await(client.request(gateway, GrpcUpstream.method(method)).compose(request -> {
      for (String message : messages) {
        request.write(Buffer.buffer(message));
      }
      request.end();
      return request.response().compose(GrpcCalls::collect);
    }));
  }

  /**
   * Calls the bidi method {@code Chat} sending each of {@code messages} only once the echo of the
   * previous one came back, so it completes only if both directions stream at the same time.
   */
  public Result chat(List<String> messages) {
    return GatewayFixture.await(client.request(gateway, GrpcUpstream.method("Chat")).compose(request -> {
      Future<Result> result = request.response().compose(response -> collect(response, request, messages));
      request.write(Buffer.buffer(messages.get(0)));
      return result;
    }));
  }

  private static Future<Result> collect(GrpcClientResponse<Buffer, Buffer> response) {
    return collect(response, null, List.of());
  }

  /** Collects the response; each message received sends the next of {@code toSend} on {@code request}, or ends it. */
  private static Future<Result> collect(GrpcClientResponse<Buffer, Buffer> response,
                                        GrpcClientRequest<Buffer, Buffer> request, List<String> toSend) {
    Promise<Result> done = Promise.promise();
    List<String> messages = new ArrayList<>();
    response.handler(message -> {
      messages.add(message.toString());
      if (request != null && messages.size() < toSend.size()) {
        request.write(Buffer.buffer(toSend.get(messages.size())));
      } else if (request != null) {
        request.end();
      }
    });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> done.tryComplete(new Result(response.status(), response.statusMessage(),
        List.copyOf(messages), HttpHeaders.headers().addAll(response.headers()),
        HttpHeaders.headers().addAll(response.trailers()))));
    return done.future();
  }
}
