package io.gridgate.config;

/** Which rate-limit headers a route sends: the IETF {@code RateLimit-*} fields, the {@code X-RateLimit-*} ones, both or none. */
public enum RateLimitHeaders { BOTH, STANDARD, LEGACY, NONE }
