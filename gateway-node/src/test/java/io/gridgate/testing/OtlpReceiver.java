package io.gridgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real OTLP trace receiver on {@code 127.0.0.1:0}, as a collector would be: OTLP/HTTP protobuf
 * POSTs on {@code /v1/traces} and OTLP/gRPC {@code TraceService/Export} calls (HTTP/2 with prior
 * knowledge), decoded with the OpenTelemetry protocol classes; it keeps every span it receives.
 */
public final class OtlpReceiver {
  private static final String GRPC_EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  /** A received span, its ids in hex, with the resource's {@code service.name}. */
  public record ReceivedSpan(String service, String name, Span.SpanKind kind, String traceId, String spanId,
                      String parentSpanId, Map<String, String> attributes) {
    public String attribute(String key) {
      return attributes.get(key);
    }
  }

  /** The server span and the client span of one trace. */
  public record ServerAndClient(ReceivedSpan server, ReceivedSpan client) {}

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  private OtlpReceiver(Vertx vertx) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setHttp2ClearTextEnabled(true))
        .requestHandler(request -> request.body().onSuccess(body -> receive(request, body)));
  }

  public static OtlpReceiver start(Vertx vertx) {
    OtlpReceiver receiver = new OtlpReceiver(vertx);
    GatewayFixture.await(receiver.server.listen());
    return receiver;
  }

  /** {@code http://127.0.0.1:port}, the endpoint to configure. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /**
   * The spans received of {@code traceId}, which must be one server span and one client span, the
   * client span the server span's child.
   */
  public ServerAndClient serverAndClient(String traceId) {
    List<ReceivedSpan> trace = spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    assertEquals(2, trace.size(), "spans of " + traceId + " in " + spans);
    ReceivedSpan server = trace.stream().filter(s -> s.kind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow(
        () -> new AssertionError("no server span in " + trace));
    ReceivedSpan client = trace.get(trace.get(0) == server ? 1 : 0);
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, client.kind(), "spans: " + trace);
    assertEquals(server.spanId(), client.parentSpanId(), "the client span is the server span's child");
    return new ServerAndClient(server, client);
  }

  private void receive(HttpServerRequest request, Buffer body) {
    try {
      if (request.path().equals("/v1/traces")) {
        keep(ExportTraceServiceRequest.parseFrom(body.getBytes()));
        request.response().putHeader("content-type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } else if (request.path().equals(GRPC_EXPORT)) {
        // one length-prefixed message: compressed flag, 4-byte length, protobuf
        keep(ExportTraceServiceRequest.parseFrom(body.getBytes(5, 5 + body.getInt(1))));
        request.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0")
            .end(Buffer.buffer(new byte[5])); // an empty ExportTraceServiceResponse
      } else {
        request.response().setStatusCode(404).end();
      }
    } catch (InvalidProtocolBufferException e) {
      request.response().setStatusCode(400).end(e.getMessage());
    }
  }

  private void keep(ExportTraceServiceRequest export) {
    HexFormat hex = HexFormat.of();
    for (ResourceSpans resource : export.getResourceSpansList()) {
      String service = attributes(resource.getResource().getAttributesList()).get("service.name");
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          spans.add(new ReceivedSpan(service, span.getName(), span.getKind(),
              hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
              hex.formatHex(span.getParentSpanId().toByteArray()), attributes(span.getAttributesList())));
        }
      }
    }
  }

  private static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> out = new HashMap<>();
    for (KeyValue kv : list) {
      AnyValue value = kv.getValue();
      out.put(kv.getKey(), value.hasIntValue() ? Long.toString(value.getIntValue()) : value.getStringValue());
    }
    return out;
  }
}
