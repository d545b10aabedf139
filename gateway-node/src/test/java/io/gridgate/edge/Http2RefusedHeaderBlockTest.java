package io.gridgate.edge;

import static io.gridgate.testing.H2FrameClient.END_STREAM;
import static io.gridgate.testing.H2FrameClient.block;
import static io.gridgate.testing.H2FrameClient.continuation;
import static io.gridgate.testing.H2FrameClient.get;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.H2FrameClient;
import io.gridgate.testing.NodeProcesses;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client still sending a header block far over the limit when the node refuses it: the node
 * answers GOAWAY and closes, so the client's next writes fail; the GOAWAY it was sent before is
 * still in the client's socket and is read. This is the order of events of the
 * h2-header-list-far-over-limit battery case on a loaded machine (the client's writes of the
 * block's frames fall behind the node's refusal), made certain: the client writes until a write fails.
 */
class Http2RefusedHeaderBlockTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
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
  void aClientWhoseWritesFailAfterTheRefusalReadsTheGoAway() throws Exception {
    try (H2FrameClient client = H2FrameClient.open(node.port())) {
      int stream = client.newStreamId();
      client.headers(stream, END_STREAM, block(get("/app/refused")));
      byte[] fragment = continuation(stream, 0, block("x-a", "v".repeat(16_000)));
      NodeProcesses.await(DEADLINE, "a write fails after the node refused the header block", () -> {
        client.write(fragment);
        return client.writeFailed();
      });
      H2FrameClient.Outcome outcome = client.await(stream, Duration.ofSeconds(5));
      assertTrue(outcome.goAway() != null || outcome.reset() != null, "the refusal is read: " + outcome);
    }
    node.assertServes("after the refused header block");
  }
}
