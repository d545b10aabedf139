package io.gridgate.config;

import java.time.Duration;

/** Keep-alive connection pool limits towards one upstream, per event loop. */
public record PoolSpec(int maxConnections, int maxWaitQueue, Duration keepAliveTimeout) {}
