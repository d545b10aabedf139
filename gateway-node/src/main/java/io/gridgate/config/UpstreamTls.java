package io.gridgate.config;

import java.nio.file.Path;

/**
 * HTTPS to an upstream's targets, trusting only the PEM CA bundle {@code ca}; {@code serverName}
 * (null for the target's host) is sent as SNI and checked against the certificate when
 * {@code verifyHost}.
 */
public record UpstreamTls(Path ca, String serverName, boolean verifyHost) {}
