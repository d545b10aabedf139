package io.gridgate.config;

/** A host and port to listen on; port 0 picks a free port. */
public record Listener(String host, int port) {}
