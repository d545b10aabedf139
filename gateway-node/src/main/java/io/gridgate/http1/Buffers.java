package io.gridgate.http1;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** The Netty view of the Vert.x buffers the core writes (no copy). */
final class Buffers {
  static final Buffer EMPTY = Buffer.buffer();

  private Buffers() {}

  /** The bytes of {@code data} as a ByteBuf to write: a slice sharing its memory. */
  static ByteBuf byteBuf(Buffer data) {
    return ((BufferInternal) data).getByteBuf();
  }
}
