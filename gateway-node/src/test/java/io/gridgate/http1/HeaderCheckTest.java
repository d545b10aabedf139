package io.gridgate.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A header map of the core skips Vert.x's header check only for the one field its caller vouches
 * for: whatever is set after it, on a map of the core's own or on a decoded answer's, is checked.
 */
class HeaderCheckTest {
  private static final String BAD_VALUE = "a\r\nInjected: yes";

  @Test
  void aFieldSetAfterACheckedOneIsCheckedAgain() {
    HeaderCheck check = new HeaderCheck(false);
    HeadersMultiMap headers = HeadersMultiMap.httpHeaders(check);

    check.putChecked(headers, "X-Request-Id", "abc", true);
    check.putChecked(headers, "RateLimit-Remaining", "9", false);

    assertEquals("abc", headers.get("X-Request-Id"));
    assertThrows(IllegalArgumentException.class, () -> headers.set("X-Route", BAD_VALUE));
    assertThrows(IllegalArgumentException.class, () -> headers.add("X-Route", BAD_VALUE));
  }

  @Test
  void aDecodedAnswersMapChecksWhatIsSetOnItOnceDecoded() {
    DecodedAnswerHead head = decode("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Up: 1\r\n\r\n");
    HeadersMultiMap headers = (HeadersMultiMap) head.headers();

    head.check().putChecked(headers, "X-Request-Id", "abc", true);

    assertEquals("1", headers.get("X-Up"));
    assertEquals("abc", headers.get("X-Request-Id"));
    assertThrows(IllegalArgumentException.class, () -> headers.add("X-Route", BAD_VALUE));
  }

  private static DecodedAnswerHead decode(String answer) {
    HeadFields head = HeadFields.parseHead(answer.getBytes(StandardCharsets.US_ASCII));
    return new DecodedAnswerHead(head, HttpResponseStatus.valueOf(head.status()));
  }
}
