package io.gridgate.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.config.JsonFieldOps;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dotted-path field operations: creation on the way, blocked paths, add versus set, fresh values per body. */
class JsonFieldEditorTest {

  private static JsonObject edited(JsonFieldOps ops, String json) {
    JsonObject body = new JsonObject(json);
    new JsonFieldEditor(ops).apply(body);
    return body;
  }

  @Test
  void renameMovesAValueIntoObjectsItCreates() {
    JsonFieldOps ops = new JsonFieldOps(Map.of("a", "x.y.z"), List.of(), Map.of(), Map.of());
    assertEquals(new JsonObject("{\"x\":{\"y\":{\"z\":1}}}"), edited(ops, "{\"a\":1}"));
    assertEquals(new JsonObject("{\"b\":2}"), edited(ops, "{\"b\":2}"), "nothing to move");
  }

  @Test
  void aPathThroughSomethingThatIsNotAnObjectIsLeftAlone() {
    JsonFieldOps ops = new JsonFieldOps(Map.of(), List.of("a.b"), Map.of("s.t", 1), Map.of());
    assertEquals(new JsonObject("{\"a\":[1],\"s\":\"text\"}"), edited(ops, "{\"a\":[1],\"s\":\"text\"}"));
  }

  @Test
  void addKeepsAPresentFieldEvenWhenItIsNullAndSetReplacesIt() {
    Map<String, Object> values = new HashMap<>();
    values.put("n", "filled");
    JsonFieldOps add = new JsonFieldOps(Map.of(), List.of(), Map.of(), values);
    assertEquals(new JsonObject("{\"n\":null}"), edited(add, "{\"n\":null}"));
    assertEquals(new JsonObject("{\"m\":1,\"n\":\"filled\"}"), edited(add, "{\"m\":1}"));
    JsonFieldOps set = new JsonFieldOps(Map.of(), List.of(), values, Map.of());
    assertEquals(new JsonObject("{\"n\":\"filled\"}"), edited(set, "{\"n\":null}"));
  }

  @Test
  void everyBodyGetsItsOwnCopyOfAConfiguredObject() {
    JsonFieldOps ops = new JsonFieldOps(Map.of(), List.of(), Map.of("meta", Map.of("tags", List.of("a"))), Map.of());
    JsonFieldEditor editor = new JsonFieldEditor(ops);
    JsonObject first = new JsonObject();
    editor.apply(first);
    first.getJsonObject("meta").getJsonArray("tags").add("changed");

    JsonObject second = new JsonObject();
    editor.apply(second);
    assertEquals(new JsonObject("{\"meta\":{\"tags\":[\"a\"]}}"), second);
  }
}
