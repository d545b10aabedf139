package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The gRPC status of each gateway error and the percent-encoding of grpc-message. */
class GrpcErrorsTest {
  @Test
  void gatewayStatusesMapToTheirGrpcCodes() {
    int[][] pairs = {{401, 16}, {403, 7}, {404, 12}, {413, 8}, {429, 8}, {502, 14}, {503, 14}, {504, 4}, {418, 2}};
    for (int[] pair : pairs) {
      assertEquals(pair[1], GrpcErrors.grpcStatus(pair[0]), "HTTP " + pair[0]);
    }
  }

  @Test
  void messagesArePercentEncodedAsUtf8OutsidePrintableAsciiAndPercent() {
    assertEquals("rate limit 'calls' exceeded", GrpcErrors.percentEncode("rate limit 'calls' exceeded"));
    assertEquals("caf%C3%A9 100%25%0A", GrpcErrors.percentEncode("café 100%\n"));
  }
}
