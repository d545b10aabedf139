package io.gridgate.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shared query reading: {@code &} separates, {@code ;} does not, names and values form-decoded, malformed escapes kept. */
class QueryParametersTest {

  private static List<String> names(String query) {
    return QueryParameters.parse(query).stream().map(QueryParameters.Param::name).toList();
  }

  @Test
  void ampersandSeparatesAndSemicolonIsAnOrdinaryCharacter() {
    assertEquals(List.of("a", "b"), names("a=1&b=2"));
    assertEquals(List.of("a"), names("a=1;apikey=k"));
    assertEquals("1;apikey=k", QueryParameters.value("a=1;apikey=k", "a"));
    assertNull(QueryParameters.value("a=1;apikey=k", "apikey"));
    assertEquals(List.of("a;b"), names("a;b=2"));
  }

  @Test
  void emptySegmentsAreSkippedAndAbsentQueriesHaveNoParameters() {
    assertEquals(List.of("a", "b"), names("&a=1&&b&"));
    assertEquals(List.of(), names(""));
    assertEquals(List.of(), names(null));
    assertNull(QueryParameters.value(null, "a"));
  }

  @Test
  void namesAndValuesAreFormDecodedAndTheFirstOfARepeatedNameIsItsValue() {
    assertEquals("k y", QueryParameters.value("api%5Fkey=k+y&api_key=second", "api_key"));
    assertEquals("", QueryParameters.value("flag&x=1", "flag"), "a parameter without '=' has an empty value");
    assertEquals("ü", QueryParameters.value("u=%C3%BC", "u"));
  }

  @Test
  void malformedEscapesAreReadAsTheyAre() {
    assertEquals(List.of("%zz", "b"), names("%zz=1&b=%4"));
    assertEquals("%4", QueryParameters.value("%zz=1&b=%4", "b"));
  }

  @Test
  void withoutRemovesByDecodedNameAndKeepsTheRestAsSent() {
    Set<String> key = Set.of("apikey");
    assertEquals("a=%20&b", QueryParameters.without("a=%20&api%6Bey=k&b&apikey=j", key));
    assertEquals("a=1;apikey=k", QueryParameters.without("a=1;apikey=k", key), "a key after ';' is another parameter's value");
    assertNull(QueryParameters.without("apikey=k", key));
    assertNull(QueryParameters.without(null, key));
  }
}
