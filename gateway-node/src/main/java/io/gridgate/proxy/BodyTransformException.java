package io.gridgate.proxy;

/** Why a body could not be transformed, with the gateway answer it gets. */
final class BodyTransformException extends RuntimeException {
  final int status;
  final String error;

  BodyTransformException(int status, String error, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
  }
}
