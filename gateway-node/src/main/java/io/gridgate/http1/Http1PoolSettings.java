package io.gridgate.http1;

import io.vertx.core.tracing.TracingPolicy;

/**
 * How the Netty core's upstream pool of one upstream behaves on one event loop: connections per
 * target, requests that may wait for one, how long an idle connection is kept, the connect timeout
 * when a request names none, the largest answer head accepted, and when a request makes a client
 * span (as Vert.x's {@code HttpClientOptions.setTracingPolicy}, where Vert.x has a tracer).
 */
public record Http1PoolSettings(int maxConnections, int maxWaitQueue, int keepAliveSeconds, int connectTimeoutMillis,
    int maxHeaderSize, TracingPolicy tracingPolicy) {}
