package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.gridgate.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every YAML example in the edge sections of docs/security.md parses: certificate paths are
 * replaced by real PEM files (a test CA's key for {@code .key} paths, its certificate otherwise,
 * since CA bundles are read), and an example that shows only a node or an upstream gets a minimal
 * upstream and route.
 */
class SecurityDocsTest {
  private static final Path DOC = Path.of("../docs/security.md");
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);
  private static final Pattern TLS_FILE = Pattern.compile("/etc/gridgate/tls/([\\w.-]+)");
  private static final List<String> SECTIONS = List.of("## Request validation and path normalisation",
      "## IP allow and deny lists", "## CORS", "## TLS termination and client certificates", "## TLS to upstreams",
      "## Request bodies");
  private static final Pattern FIRST_UPSTREAM = Pattern.compile("upstreams:\n  ([\\w.-]+):");

  @Test
  void everyYamlExampleIsAValidConfiguration(@TempDir Path dir) throws IOException {
    String doc = Files.readString(DOC);
    List<String> examples = new ArrayList<>();
    for (String heading : SECTIONS) {
      int start = doc.indexOf(heading + "\n");
      int end = doc.indexOf("\n## ", start + 1);
      Matcher block = YAML_BLOCK.matcher(doc.substring(start, end < 0 ? doc.length() : end));
      while (block.find()) {
        examples.add(block.group(1));
      }
    }
    assertEquals(8, examples.size(), "examples in the edge sections of " + DOC);
    TestCertificates.Issued pem = new TestCertificates(dir).authority("docs-ca");
    for (String example : examples) {
      assertNotNull(new ConfigParser().parse(complete(withFiles(example, dir.resolve("files"), pem))), example);
    }
  }

  private static String withFiles(String example, Path dir, TestCertificates.Issued pem) throws IOException {
    Files.createDirectories(dir);
    Matcher file = TLS_FILE.matcher(example);
    StringBuilder out = new StringBuilder();
    while (file.find()) {
      Path real = dir.resolve(file.group(1));
      if (!Files.exists(real)) {
        Files.copy(real.toString().endsWith(".key") ? pem.key() : pem.cert(), real);
      }
      file.appendReplacement(out, Matcher.quoteReplacement(real.toString()));
    }
    return file.appendTail(out).toString();
  }

  private static String complete(String example) {
    String yaml = example;
    if (!yaml.contains("upstreams:")) {
      yaml += "upstreams:\n  u: {targets: [{address: \"127.0.0.1:9000\"}]}\n";
    }
    if (!yaml.contains("routes:")) {
      Matcher upstream = FIRST_UPSTREAM.matcher(yaml);
      upstream.find();
      yaml += "routes:\n  - {id: r, match: {path: {prefix: /}}, upstream: " + upstream.group(1) + "}\n";
    }
    return yaml;
  }
}
