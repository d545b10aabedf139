package io.gridgate.config;

/**
 * One call of a composed route: its key in the merged answer, the upstream and path (with the
 * route's template parameters) it asks, and whether the merged answer may do without it.
 */
public record ComposePart(String name, String upstream, String path, boolean optional) {}
