package io.gridgate.config;

import java.time.Duration;

/** Per-route limits: connecting to a target, silence on an open exchange, and the whole exchange. */
public record Timeouts(Duration connect, Duration idle, Duration total) {}
