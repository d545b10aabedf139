package io.gridgate.config;

import java.net.URI;

/**
 * OpenTelemetry tracing of one node: off by default; when on, spans are exported over OTLP
 * ({@code grpc} or {@code http/protobuf}) to {@code endpoint}, new traces are sampled at
 * {@code sampleRatio} (a client's sampling decision is honoured) and named after {@code serviceName}.
 */
public record TracingSettings(boolean enabled, URI endpoint, Protocol protocol, double sampleRatio, String serviceName) {
  /** How spans travel to the collector. */
  public enum Protocol {
    GRPC("grpc", 4317),
    HTTP_PROTOBUF("http/protobuf", 4318);

    private final String word;
    private final int defaultPort;

    Protocol(String word, int defaultPort) {
      this.word = word;
      this.defaultPort = defaultPort;
    }

    /** As written in the configuration. */
    public String word() {
      return word;
    }

    /** The collector's conventional loopback endpoint for this protocol. */
    public URI defaultEndpoint() {
      return URI.create("http://127.0.0.1:" + defaultPort);
    }
  }

  public static TracingSettings disabled() {
    return new TracingSettings(false, Protocol.GRPC.defaultEndpoint(), Protocol.GRPC, 1.0, "gridgate");
  }
}
