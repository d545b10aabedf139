package io.gridgate.edge;

import static io.gridgate.testing.H2FrameClient.END_STREAM;
import static io.gridgate.testing.H2FrameClient.block;
import static io.gridgate.testing.H2FrameClient.continuation;
import static io.gridgate.testing.H2FrameClient.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.H2FrameClient;
import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/2 connection the gateway ends with an error while the client is still sending: the client
 * reads the GOAWAY (the gateway lingers, discarding input) rather than a reset that destroys it.
 */
class Http2LingeringCloseTest {
  /** Far more than the node reads before it refuses the header block: most of it is still unread then. */
  private static final int FLOOD_FRAMES = 128;
  private BatteryNode node;

  @BeforeEach
  void start() {
    node = BatteryNode.start();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void aClientStillSendingReadsTheGoAway() {
    try (H2FrameClient client = H2FrameClient.open(node.port())) {
      int stream = client.newStreamId();
      client.headers(stream, END_STREAM, block(get("/")));
      byte[] fragment = block("x-a", "v".repeat(16_000));
      for (int i = 0; i < FLOOD_FRAMES; i++) {
        client.write(continuation(stream, 0, fragment)); // 2 MB of one header block, never ended
      }
      assertEquals(Long.valueOf(Http2Error.PROTOCOL_ERROR.code()), client.awaitGoAway(Duration.ofSeconds(10)),
          "the GOAWAY that ended the connection");
    }
  }
}
