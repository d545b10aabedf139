package io.gridgate.config;

/**
 * Limits on what a client may send: header block size (431), request line length (414), body size
 * (413; 0 means no limit), how much of a request body the gateway holds before it calls an upstream
 * ({@code requestBufferSize}; 0 streams every body at once) and the node's memory budget for such
 * held bodies ({@code requestBufferMemory}; past it, bodies stream).
 */
public record RequestLimits(int maxHeaderSize, int maxUriLength, long maxBodySize, int requestBufferSize,
                            long requestBufferMemory) {
  public static final int DEFAULT_REQUEST_BUFFER_SIZE = 64 * 1024;
  public static final long DEFAULT_REQUEST_BUFFER_MEMORY = 64L * 1024 * 1024;
}
