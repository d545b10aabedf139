package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Query parameters a policy removes from the upstream URI (a token in {@code access_token}), split on {@code &} only. */
class PolicyContextTest {

  private static String without(String uri, String name) {
    PolicyContext context = new PolicyContext(null, "127.0.0.1", "r");
    context.removeQueryParameter(name);
    return context.upstreamUri(uri);
  }

  @Test
  void theParameterIsRemovedAndTheOthersKeptInOrder() {
    assertEquals("/a?x=1&y=2", without("/a?x=1&access_token=t&y=2", "access_token"));
    assertEquals("/a", without("/a?access_token=t", "access_token"));
    assertEquals("/a", without("/a?access_token=t&access_token=u", "access_token"));
    assertEquals("/a?x=%20", without("/a?access%5Ftoken=t&x=%20", "access_token"), "names are compared decoded");
    assertEquals("/a?x", without("/a?x&&access_token", "access_token"));
    assertEquals("/a?access_tokens=t", without("/a?access_tokens=t", "access_token"));
    assertEquals("/a?x=1;access_token=t", without("/a?x=1;access_token=t", "access_token"), "';' separates nothing");
  }

  @Test
  void withoutRemovalsTheUriIsUnchanged() {
    assertEquals("/a?access_token=t", new PolicyContext(null, "127.0.0.1", "r").upstreamUri("/a?access_token=t"));
    assertEquals("/a", without("/a", "access_token"));
  }
}
