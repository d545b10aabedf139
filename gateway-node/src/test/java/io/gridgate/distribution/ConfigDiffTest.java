package io.gridgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A diff names every section that changed: routes, upstreams, JWT issuers, OAuth2 servers and the global IP rules. */
class ConfigDiffTest {
  private static final String BASE = """
      upstreams:
        u: {targets: [{address: "10.0.0.1:80"}]}
      jwt_issuers:
        main: {issuer: "https://a.test", algorithms: [HS256], keys: [{algorithm: HS256, secret: "0123456789abcdef0123456789abcdef"}]}
      routes:
        - {id: r, match: {path: {prefix: /}}, upstream: u}
      """;

  private static GatewayConfig parse(String yaml) {
    return new ConfigParser().parse(yaml);
  }

  @Test
  void sameDocumentsHaveNoChanges() {
    JsonObject diff = ConfigDiff.between(parse(BASE), parse(BASE));
    for (String section : ConfigDiff.SECTIONS) {
      JsonObject changes = diff.getJsonObject(section);
      assertEquals(new JsonObject().put("added", new JsonArray()).put("removed", new JsonArray())
          .put("changed", new JsonArray()), changes, section);
    }
    assertFalse(diff.getBoolean("ip_rules_changed"));
  }

  @Test
  void theDemoFileParsedTwiceHasNoChanges() {
    // a node with config_source: file compares its file with the cluster's document at every start:
    // equal documents must compare equal, or every start would push a new version
    ConfigParser parser = new ConfigParser();
    Path demo = Path.of("../cluster-config/gateway.yaml");
    GatewayConfig file = parser.parseFile(demo);
    assertTrue(ConfigDiff.isEmpty(ConfigDiff.between(parser.parseShared(file.sharedDocument(), file.node()),
        parser.parseFile(demo))));
    assertEquals("", ConfigDiff.describe(ConfigDiff.between(file, file), "added", "removed"));
  }

  @Test
  void aDiffIsDescribedOnOneLineInTheCallersWords() {
    String edited = BASE.replace("prefix: /}", "prefix: /x}") + """
          - {id: s, match: {path: {prefix: /s}}, upstream: u}
        ip_rules: {deny: [10.9.0.0/16]}
        """;
    JsonObject diff = ConfigDiff.between(parse(BASE), parse(edited));
    assertFalse(ConfigDiff.isEmpty(diff));
    assertEquals("routes only in the file [s], changed [r]; ip_rules changed",
        ConfigDiff.describe(diff, "only in the file", "only in the cluster"));
  }

  @Test
  void issuersServersAndGlobalIpRulesAreReported() {
    String edited = BASE.replace("https://a.test", "https://b.test") + """
        oauth2_servers:
          corp: {introspection_url: "http://127.0.0.1:9/introspect", client_id: gw, client_secret: s}
        ip_rules: {deny: [10.9.0.0/16]}
        """;
    JsonObject diff = ConfigDiff.between(parse(BASE), parse(edited));
    assertEquals(new JsonArray().add("main"), diff.getJsonObject("jwt_issuers").getJsonArray("changed"));
    assertEquals(new JsonArray().add("corp"), diff.getJsonObject("oauth2_servers").getJsonArray("added"));
    assertTrue(diff.getBoolean("ip_rules_changed"));
    assertTrue(diff.getJsonObject("routes").getJsonArray("changed").isEmpty());
  }
}
