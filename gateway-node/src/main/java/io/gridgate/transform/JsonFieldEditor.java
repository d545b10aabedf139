package io.gridgate.transform;

import io.gridgate.config.JsonFieldOps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Applies a route's field operations to a JSON object, in the order rename, remove, set, add.
 * A dotted path walks nested objects; set, add and the target of a rename create missing objects
 * on the way, and an operation whose path runs into a value that is not an object does nothing.
 */
public final class JsonFieldEditor {
  private final JsonFieldOps ops;
  private final List<Field> renameFrom;
  private final List<Field> renameTo;
  private final List<Field> remove;
  private final List<Field> set;
  private final List<Field> add;

  public JsonFieldEditor(JsonFieldOps ops) {
    this.ops = ops;
    this.renameFrom = ops.rename().keySet().stream().map(Field::new).toList();
    this.renameTo = ops.rename().values().stream().map(Field::new).toList();
    this.remove = ops.remove().stream().map(Field::new).toList();
    this.set = ops.set().keySet().stream().map(Field::new).toList();
    this.add = ops.add().keySet().stream().map(Field::new).toList();
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  /** Changes {@code body} in place. */
  public void apply(JsonObject body) {
    for (int i = 0; i < renameFrom.size(); i++) {
      Field from = renameFrom.get(i);
      JsonObject parent = from.parent(body, false);
      if (parent != null && parent.containsKey(from.name)) {
        Object value = parent.remove(from.name);
        renameTo.get(i).put(body, value);
      }
    }
    for (Field field : remove) {
      JsonObject parent = field.parent(body, false);
      if (parent != null) {
        parent.remove(field.name);
      }
    }
    int i = 0;
    for (Object value : ops.set().values()) {
      set.get(i++).put(body, copyOf(value));
    }
    i = 0;
    for (Object value : ops.add().values()) {
      Field field = add.get(i++);
      JsonObject parent = field.parent(body, false);
      if (parent == null || !parent.containsKey(field.name)) {
        field.put(body, copyOf(value));
      }
    }
  }

  /** A fresh JSON value for a configured one, so that no request shares (or changes) the configuration's. */
  @SuppressWarnings("unchecked")
  private static Object copyOf(Object value) {
    if (value instanceof Map<?, ?> map) {
      return new JsonObject((Map<String, Object>) map).copy();
    }
    if (value instanceof List<?> list) {
      return new JsonArray((List<Object>) list).copy();
    }
    return value;
  }

  /** A dotted path split into the objects to walk and the field name at the end. */
  private static final class Field {
    private final String[] parents;
    private final String name;

    Field(String path) {
      String[] segments = path.split("\\.");
      this.parents = Arrays.copyOf(segments, segments.length - 1);
      this.name = segments[segments.length - 1];
    }

    /** The object holding the field; null when the path is blocked by a non-object (or missing and not {@code create}d). */
    JsonObject parent(JsonObject root, boolean create) {
      JsonObject current = root;
      for (String segment : parents) {
        Object child = current.getValue(segment);
        if (child instanceof JsonObject object) {
          current = object;
        } else if (child == null && create && !current.containsKey(segment)) {
          JsonObject created = new JsonObject();
          current.put(segment, created);
          current = created;
        } else {
          return null;
        }
      }
      return current;
    }

    void put(JsonObject root, Object value) {
      JsonObject parent = parent(root, true);
      if (parent != null) {
        parent.put(name, value);
      }
    }
  }
}
