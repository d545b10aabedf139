package io.gridgate.config;

import java.util.List;

/**
 * A route that answers by calling several upstreams at once and merging their JSON answers into
 * one object keyed by part name; each answer is read whole up to {@code maxBodySize} bytes.
 */
public record ComposeSpec(List<ComposePart> parts, long maxBodySize) {
  public ComposeSpec {
    parts = List.copyOf(parts);
  }
}
