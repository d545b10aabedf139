package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gridgate.testing.ListeningSockets;
import io.gridgate.testing.NodeProcesses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node JVMs on loopback: each listens on exactly its configured sockets, all on 127.0.0.1 (the
 * HTTP and admin listeners, the Hazelcast member port and the clustered event bus port), read from
 * the kernel's socket table; and a push through one node reaches the other over those ports.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterPortsProcessTest {
  private static final String DOCUMENT = """
      upstreams:
        u: {targets: [{address: "127.0.0.1:9"}]}
      routes:
        - {id: r, match: {path: {prefix: /r}}, upstream: u}
      """;

  @TempDir
  Path dir;

  private NodeProcesses nodes;

  @AfterEach
  void tearDown() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void eachNodeListensOnlyOnItsConfiguredLoopbackPorts() throws Exception {
    assumeTrue(ListeningSockets.supported(), "no /proc socket tables on this machine");
    nodes = new NodeProcesses(dir, 2, "ClusterPortsProcessTest").document(DOCUMENT);
    nodes.withNodeOutput(() -> {
      nodes.startAll();

      HttpResponse<String> push = nodes.admin(0, "PUT", "/admin/config?base_version=1",
          DOCUMENT + "  - {id: s, match: {path: {prefix: /s}}, upstream: u}\n");
      assertEquals(200, push.statusCode(), push.body());
      JsonObject result = new JsonObject(push.body());
      assertEquals(2, result.getJsonArray("members").size(), "both members acked: " + result.encode());
      assertEquals(new JsonArray(), result.getJsonArray("lagging"), "the push crossed the event bus: " + result.encode());

      for (int i = 0; i < nodes.size(); i++) {
        Set<String> configured = new TreeSet<>(Set.of(
            "127.0.0.1:" + nodes.httpPort(i), "127.0.0.1:" + nodes.adminPort(i),
            "127.0.0.1:" + nodes.memberPort(i), "127.0.0.1:" + nodes.eventBusPort(i)));
        assertEquals(configured, ListeningSockets.of(nodes.node(i).process().pid()),
            "listening sockets of node " + nodes.node(i).name() + " (http, admin, member, event bus)");
      }
    });
  }
}
