package io.gridgate.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real gRPC server (Vert.x gRPC) for tests on {@code 127.0.0.1:0}, h2c with prior knowledge or
 * h2 over TLS, whose service {@code gridgate.test.Echo} carries raw UTF-8 messages (no protoc):
 * {@code Unary} greets, {@code Count} streams n items, {@code Concat} joins a client stream,
 * {@code Chat} echoes each message as it arrives, {@code Lookup} answers NOT_FOUND and
 * {@code Hang} never answers. It records the head of every call and answers {@code GET /health}.
 */
public final class GrpcUpstream {
  static final ServiceName SERVICE = ServiceName.create("gridgate.test", "Echo");
  /** The path prefix of every method of {@link #SERVICE}, for a route. */
  public static final String PATH_PREFIX = "/" + SERVICE.fullyQualifiedName() + "/";
  /** A trailer {@code Count} adds to gRPC's own. */
  public static final String COUNT_TRAILER = "x-items-sent";

  /** The head of one call as the upstream received it. */
  public record Received(String path, HttpVersion version, MultiMap headers) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<HttpVersion> probes = new CopyOnWriteArrayList<>();

  private GrpcUpstream(Vertx vertx, HttpServerOptions options) {
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(server("Unary"), call -> call.last().onSuccess(name ->
        call.response().end(Buffer.buffer("hello " + name))));
    grpc.callHandler(server("Count"), call -> call.last().onSuccess(n -> {
      int count = Integer.parseInt(n.toString());
      call.response().trailers().set(COUNT_TRAILER, Integer.toString(count));
      for (int i = 1; i <= count; i++) {
        call.response().write(Buffer.buffer("item-" + i));
      }
      call.response().end();
    }));
    grpc.callHandler(server("Concat"), call -> {
      List<String> parts = new ArrayList<>();
      call.handler(part -> parts.add(part.toString()));
      call.endHandler(v -> call.response().end(Buffer.buffer(String.join("+", parts))));
    });
    grpc.callHandler(server("Chat"), call -> {
      call.handler(message -> call.response().write(Buffer.buffer("echo:" + message)));
      call.endHandler(v -> call.response().end());
    });
    grpc.callHandler(server("Lookup"), call -> call.last().onSuccess(key ->
        call.response().status(GrpcStatus.NOT_FOUND).statusMessage("no such key: " + key).end()));
    grpc.callHandler(server("Hang"), call -> call.handler(ignored -> { }));
    this.server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
      if (request.path().equals("/health")) {
        probes.add(request.version());
        request.response().end("ok");
        return;
      }
      received.add(new Received(request.path(), request.version(), HttpHeaders.headers().addAll(request.headers())));
      grpc.handle(request);
    });
  }

  /** Starts a gRPC upstream over h2c (prior knowledge). */
  public static GrpcUpstream start(Vertx vertx) {
    return start(vertx, new HttpServerOptions());
  }

  /** Starts a gRPC upstream with {@code options} (such as TLS with ALPN h2). */
  public static GrpcUpstream start(Vertx vertx, HttpServerOptions options) {
    GrpcUpstream upstream = new GrpcUpstream(vertx, options);
    GatewayFixture.await(upstream.server.listen());
    return upstream;
  }

  private static ServiceMethod<Buffer, Buffer> server(String method) {
    return ServiceMethod.server(SERVICE, method, GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);
  }

  /** The client side of {@code method} of {@link #SERVICE}. */
  static ServiceMethod<Buffer, Buffer> method(String method) {
    return ServiceMethod.client(SERVICE, method, GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);
  }

  /** {@code 127.0.0.1:port}, as written in a gateway configuration. */
  public String address() {
    return "127.0.0.1:" + server.actualPort();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public Received last() {
    if (received.isEmpty()) {
      throw new AssertionError("the gRPC upstream received no call");
    }
    return received.get(received.size() - 1);
  }

  /** The HTTP version of each {@code GET /health} request answered. */
  public List<HttpVersion> probes() {
    return List.copyOf(probes);
  }
}
