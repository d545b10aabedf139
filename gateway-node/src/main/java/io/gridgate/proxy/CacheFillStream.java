package io.gridgate.proxy;

import io.gridgate.cache.CacheFill;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * An upstream response body passed to the client unchanged while its copy is taken for the
 * response cache; the copy is stored only when the upstream body ends (never when it fails).
 */
final class CacheFillStream {
  private CacheFillStream() {}

  /** {@code body}, with every chunk also given to {@code fill} and its end completing the fill. */
  static ReadStream<Buffer> copying(ReadStream<Buffer> body, CacheFill fill) {
    return new ReadStreamFilter(body) {
      @Override
      protected void onChunk(Buffer chunk, Handler<Buffer> downstream) {
        fill.append(chunk);
        downstream.handle(chunk);
      }

      @Override
      public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        return super.endHandler(endHandler == null ? null : v -> {
          fill.complete();
          endHandler.handle(v);
        });
      }
    };
  }
}
