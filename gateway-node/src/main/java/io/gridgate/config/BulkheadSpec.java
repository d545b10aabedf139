package io.gridgate.config;

/** The most requests one node sends to an upstream at the same time; more are refused with 503. */
public record BulkheadSpec(int maxConcurrent) {}
