package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every case of the HTTP/2, flood and slow-client batteries is a row of the section
 * "Edge battery: HTTP/2, floods and slow clients" of docs/security.md, and every row there is a case.
 */
class EdgeBatteryHttp2DocsTest {
  private static final String HEADING = "## Edge battery: HTTP/2, floods and slow clients";
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\|", Pattern.MULTILINE);

  private static List<String> caseNames() {
    return Stream.of(EdgeBatteryHttp2Test.cases(), EdgeBatteryHttp2Test.rawCases(), EdgeBatteryFloodTest.cases(),
            EdgeBatterySlowClientTest.cases())
        .flatMap(cases -> cases.map(Object::toString))
        .toList();
  }

  /** The section's text, from its heading to the next level-2 heading or the end. */
  private static String section() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "security.md"));
    int start = doc.indexOf(HEADING);
    assertTrue(start >= 0, "docs/security.md has no section '" + HEADING + "'");
    int end = doc.indexOf("\n## ", start + HEADING.length());
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }

  @Test
  void everyCaseHasARowAndEveryRowIsACase() throws IOException {
    List<String> rows = new ArrayList<>();
    Matcher row = ROW.matcher(section());
    while (row.find()) {
      rows.add(row.group(1));
    }
    List<String> cases = caseNames();

    assertEquals(List.of(), cases.stream().filter(name -> !rows.contains(name)).toList(), "cases without a row");
    assertEquals(List.of(), rows.stream().filter(name -> !cases.contains(name)).toList(), "rows without a case");
    assertEquals(cases.size(), cases.stream().distinct().count(), "case names are unique");
  }
}
