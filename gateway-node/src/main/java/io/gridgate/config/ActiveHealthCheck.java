package io.gridgate.config;

import java.time.Duration;

/** Periodic HTTP probe of each target; thresholds count consecutive results. */
public record ActiveHealthCheck(
    String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold) {}
