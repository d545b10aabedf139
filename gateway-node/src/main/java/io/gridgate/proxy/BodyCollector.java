package io.gridgate.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** Reads a body stream whole into one buffer, running {@code onChunk} as data arrives (to keep an idle clock at bay). */
final class BodyCollector {
  private BodyCollector() {}

  static Future<Buffer> collect(ReadStream<Buffer> body, Runnable onChunk) {
    Promise<Buffer> whole = Promise.promise();
    Buffer collected = Buffer.buffer();
    body.exceptionHandler(whole::tryFail);
    body.handler(chunk -> {
      collected.appendBuffer(chunk);
      onChunk.run();
    });
    body.endHandler(v -> whole.tryComplete(collected));
    body.resume();
    return whole.future();
  }
}
