package io.gridgate.tracing;

import io.gridgate.config.TracingSettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.VertxBuilder;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;

/**
 * A node's OpenTelemetry: an SDK that samples new traces at the configured ratio (honouring a
 * client's decision), propagates W3C trace context only, and exports spans in batches over OTLP;
 * Vert.x built with it makes a server span per client request and a client span per upstream
 * request. {@link #OFF} when tracing is disabled: Vert.x then has no tracer at all.
 */
public final class NodeTracing implements AutoCloseable {
  public static final NodeTracing OFF = new NodeTracing(null);
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private final OpenTelemetrySdk sdk;

  private NodeTracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  public static NodeTracing start(TracingSettings settings) {
    if (!settings.enabled()) {
      return OFF;
    }
    SdkTracerProvider tracers = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, settings.serviceName()))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampleRatio())))
        .addSpanProcessor(new GatewaySpanAttributes())
        .addSpanProcessor(BatchSpanProcessor.builder(exporter(settings)).build())
        .build();
    // baggage is not propagated by OpenTelemetry: the client's header is forwarded as it came
    return new NodeTracing(OpenTelemetrySdk.builder()
        .setTracerProvider(tracers)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build());
  }

  private static SpanExporter exporter(TracingSettings settings) {
    String endpoint = settings.endpoint().toString().replaceAll("/+$", "");
    return switch (settings.protocol()) {
      case GRPC -> OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build();
      case HTTP_PROTOBUF -> OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces").build();
    };
  }

  /** Gives the Vert.x being built this node's tracer (unchanged when tracing is off). */
  public VertxBuilder configure(VertxBuilder builder) {
    return sdk == null ? builder : builder.withTracer(new OpenTelemetryTracingFactory(sdk));
  }

  /** Exports the spans still buffered (waiting up to 10 s) and stops exporting. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.close();
    }
  }
}
