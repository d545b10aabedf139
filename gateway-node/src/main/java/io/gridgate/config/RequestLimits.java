package io.gridgate.config;

/**
 * Limits on what a client may send: header block size (431), request line length (414) and body
 * size (413). A body limit of 0 means no limit.
 */
public record RequestLimits(int maxHeaderSize, int maxUriLength, long maxBodySize) {}
