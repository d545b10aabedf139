package io.gridgate.http1;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/** An upstream answer's head as {@link ResponseDecoder} read it, with the check of its header map. */
final class DecodedAnswerHead extends DefaultHttpResponse {
  private final HeaderCheck check;

  DecodedAnswerHead(HeadFields head, HttpResponseStatus status) {
    super(head.version(), status, head.fields());
    this.check = head.check();
  }

  /** The check of {@link #headers()}: off for the decoded fields, on for anything set later. */
  HeaderCheck check() {
    return check;
  }
}
