package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code node.access_log}: defaults, every field, and each error at its YAML path. */
class AccessLogConfigTest {
  private final ConfigParser parser = new ConfigParser();

  private static String document(String accessLog) {
    return """
        node:
          access_log: %s
        upstreams:
          app: {targets: [{address: "127.0.0.1:9000"}]}
        routes:
          - {id: r, match: {path: {prefix: /}}, upstream: app}
        """.formatted(accessLog);
  }

  @Test
  void offByDefaultAndEveryFieldIsRead() {
    AccessLogSettings defaults = parser.parse(document("{}")).node().accessLog();
    assertFalse(defaults.enabled());
    assertEquals(AccessLogSettings.off(), defaults);

    AccessLogSettings set = parser.parse(document("{enabled: true, output: /var/log/gg.log, sample_ratio: 0.25, "
        + "always_log_errors: false, headers: [User-Agent, Referer], redact_query_params: [otp]}")).node().accessLog();
    assertEquals(new AccessLogSettings(true, "/var/log/gg.log", 0.25, false, List.of("user-agent", "referer"),
        List.of("otp")), set);
  }

  @Test
  void errorsNameTheirField() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> parser.parse(document("{enabled: maybe, sample_ratio: 2, headers: {user-agent: 1}, format: text}")));
    Map<String, String> errors = e.errors().stream()
        .collect(Collectors.toMap(ConfigError::path, ConfigError::reason, (a, b) -> a + "; " + b));
    assertTrue(errors.containsKey("node.access_log.enabled"), errors.toString());
    assertTrue(errors.get("node.access_log.sample_ratio").contains("at most 1"), errors.toString());
    assertTrue(errors.containsKey("node.access_log.headers"), errors.toString());
    assertTrue(errors.get("node.access_log.format").contains("unknown field"), errors.toString());
  }
}
