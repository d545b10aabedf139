package io.gridgate.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * The answer to a {@link ClientRequest}: a head (status, headers) written with the first body chunk
 * or the end, then the body with back-pressure, then trailers. Names follow Vert.x's
 * {@code HttpServerResponse}, of which this is the part the gateway uses.
 */
public interface ClientResponse extends WriteStream<Buffer> {
  int getStatusCode();

  ClientResponse setStatusCode(int status);

  /** A reason phrase other than the status code's standard one. */
  ClientResponse setStatusMessage(String reason);

  /** The headers of the head, changeable until it is written. */
  MultiMap headers();

  /**
   * Takes {@code answer}'s headers — an upstream answer's map as decoded, which the caller no longer
   * uses — as this answer's headers, when none were set yet and the engine writes such a map as it
   * is; false when it cannot (the caller then copies them).
   */
  default boolean adoptHeaders(UpstreamResponse answer) {
    return false;
  }

  /**
   * Adds a header whose name and value are known to pass the header check (the gateway's own
   * constant names with values it made): where the engine can, it is not checked again.
   */
  default void addChecked(CharSequence name, CharSequence value) {
    headers().add(name, value);
  }

  /** Sets a header known to pass the header check, as {@link #addChecked} adds one. */
  default void setChecked(CharSequence name, CharSequence value) {
    headers().set(name, value);
  }

  /** The trailers sent with the end (HTTP/2 trailers, or an HTTP/1.1 chunked body's). */
  MultiMap trailers();

  default ClientResponse putHeader(CharSequence name, CharSequence value) {
    headers().set(name, value);
    return this;
  }

  /** HTTP/1.1: send the body chunked (no Content-Length); ignored on HTTP/2. */
  ClientResponse setChunked(boolean chunked);

  boolean headWritten();

  boolean ended();

  /** Whether the client's connection (or stream) is gone. */
  boolean closed();

  /** Sends {@code 100 Continue} (an interim answer before the body is read). */
  ClientResponse writeContinue();

  Future<Void> end(Buffer last);

  default Future<Void> end(String last) {
    return end(Buffer.buffer(last));
  }

  /** Runs when the client's connection closes (or its stream is reset) before the answer ended. */
  ClientResponse closeHandler(Handler<Void> handler);

  /** Runs once the answer was written whole. */
  ClientResponse endHandler(Handler<Void> handler);

  /** Abandons the answer: resets an HTTP/2 stream, closes an HTTP/1.x connection. */
  default boolean reset() {
    return reset(0x08); // CANCEL
  }

  /** As {@link #reset()}, with an HTTP/2 error code (NO_ERROR is 0). */
  boolean reset(long code);

  /** Bytes of the answer written so far (head and body). */
  long bytesWritten();

  /** HTTP/1.x: the connection closes after this answer ({@code Connection: close}); nothing on HTTP/2. */
  ClientResponse closeConnectionAfter();

  /** Writes what is queued on the connection to the socket now, not at the end of the current read. */
  void flushNow();

  /** Closes the client's connection (all its streams, on HTTP/2). */
  void closeConnection();
}
