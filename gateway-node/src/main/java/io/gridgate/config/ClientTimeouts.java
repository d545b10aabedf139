package io.gridgate.config;

import java.time.Duration;

/**
 * How long a node waits for its clients: for a whole request head ({@code requestHeader}), on an
 * idle keep-alive connection ({@code keepAlive}), for the next bytes of a request body
 * ({@code requestBody}), and the slowest average request-body rate it accepts once a body has been
 * read for {@code requestBody} ({@code minBodyRate} bytes per second; 0 turns the rate check off).
 */
public record ClientTimeouts(Duration requestHeader, Duration keepAlive, Duration requestBody, long minBodyRate) {
  public static ClientTimeouts defaults() {
    return new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), 1024);
  }
}
