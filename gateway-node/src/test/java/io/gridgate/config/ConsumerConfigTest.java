package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code consumers} section: groups, API keys from a secret (literal or reference) or as an
 * imported SHA-256, JWT subjects; every mistake is an error at its field; literal keys are
 * redacted from what the admin API shows and never appear in the parsed form.
 */
class ConsumerConfigTest {
  private static final String KEY = "acme-key-0123456789abcdef";
  private static final String BASE = """
      upstreams:
        u: {targets: [{address: "10.0.0.1:8080"}]}
      routes:
        - {id: r, match: {path: {prefix: /}}, upstream: u, auth: {api_key: {}}}
      """;

  private static ConfigParser parser() {
    return new ConfigParser(SecretResolver.withEnvironment(Map.of("ACME_KEY", KEY, "SHORT", "abc")));
  }

  @Test
  void keysFromReferencesLiteralsAndHashesAreKeptAsHashes() {
    String imported = KeyHash.of("imported-from-elsewhere-0001").toUpperCase();
    GatewayConfig config = parser().parse(BASE + """
        consumers:
          acme:
            groups: [gold, partners]
            api_keys:
              - {key: "${env:ACME_KEY}"}
              - {id: imported, sha256: "%s"}
            jwt_subjects: [svc-acme, "client:acme@example.com"]
          bare: {}
        """.formatted(imported));
    ConsumerSpec acme = config.consumers().get("acme");
    assertEquals(Set.of("gold", "partners"), acme.groups());
    assertEquals(List.of(new ConsumerSpec.KeySpec("key-1", KeyHash.of(KEY)),
        new ConsumerSpec.KeySpec("imported", imported.toLowerCase())), acme.apiKeys());
    assertEquals(Set.of("svc-acme", "client:acme@example.com"), acme.jwtSubjects());
    assertEquals(new ConsumerSpec("bare", Set.of(), List.of(), Set.of()), config.consumers().get("bare"));
    assertFalse(config.toString().contains(KEY) || config.toString().contains(KeyHash.of(KEY)), config.toString());
  }

  @Test
  void invalidDeclarationsAreRejectedWholeWithTheFieldNamed() {
    List<ConfigError> errors = assertThrows(InvalidConfigException.class, () -> parser().parse(BASE + """
        consumers:
          "bad id!": {}
          a:
            groups: ["no spaces"]
            colour: red
            api_keys:
              - {key: "${env:SHORT}"}
              - {key: "${env:MISSING}"}
              - {sha256: "abc"}
              - {key: "%1$s", sha256: "%2$s"}
              - {}
              - {id: dup, key: "%1$s"}
              - {id: dup, sha256: "%2$s"}
            jwt_subjects: [alice, alice]
          b:
            api_keys: [{key: "%1$s"}]
            jwt_subjects: [alice]
        """.formatted(KEY, KeyHash.of("x".repeat(20))))).errors();
    Map<String, String> expected = Map.ofEntries(
        Map.entry("consumers.bad id!", "consumer id must match"),
        Map.entry("consumers.a.groups[0]", "group name must match"),
        Map.entry("consumers.a.colour", "unknown field"),
        Map.entry("consumers.a.api_keys[0].key", "must be at least 16 characters"),
        Map.entry("consumers.a.api_keys[1].key", "${env:MISSING}: environment variable MISSING is not set"),
        Map.entry("consumers.a.api_keys[2].sha256", "must be a SHA-256 as 64 hex digits"),
        Map.entry("consumers.a.api_keys[3]", "needs exactly one of key"),
        Map.entry("consumers.a.api_keys[4]", "needs exactly one of key"),
        Map.entry("consumers.a.api_keys[6].id", "duplicate key id 'dup'"),
        Map.entry("consumers.a.jwt_subjects[1]", "subject 'alice' is already mapped to consumer 'a'"),
        Map.entry("consumers.b.api_keys[0]", "the same API key is already given to consumer 'a'"),
        Map.entry("consumers.b.jwt_subjects[0]", "subject 'alice' is already mapped to consumer 'a'"));
    expected.forEach((path, reason) -> assertTrue(errors.stream().anyMatch(e -> e.path().equals(path)
        && e.reason().contains(reason)), path + ": " + reason + " not in " + errors));
    assertEquals(expected.size(), errors.size(), errors.toString());
    assertFalse(errors.toString().contains(KEY), "a literal key is never echoed");
  }

  @Test
  void literalKeysAreRedactedAndReferencesShownAsWritten() {
    String document = BASE + """
        consumers:
          acme:
            api_keys: [{key: "%s"}, {key: "${env:ACME_KEY}"}, {sha256: "%s"}]
        """.formatted(KEY, KeyHash.of("y".repeat(20)));
    String shown = SecretFields.redact(document);
    assertFalse(shown.contains(KEY), shown);
    assertTrue(shown.contains(SecretFields.REDACTED) && shown.contains("${env:ACME_KEY}") && shown.contains(KeyHash.of("y".repeat(20))),
        shown);
    InvalidConfigException pushedBack = assertThrows(InvalidConfigException.class, () -> parser().parse(shown));
    assertEquals("consumers.acme.api_keys[0].key", pushedBack.errors().get(0).path());
  }
}
