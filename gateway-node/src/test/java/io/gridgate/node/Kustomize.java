package io.gridgate.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders a kustomization directory into its documents: with {@code kubectl kustomize} where
 * kubectl is on the PATH, else with a small renderer of the kustomize features {@code k8s/} uses
 * (resources, namespace, labels, config map and secret generators, replicas, JSON 6902 patches).
 * The small renderer leaves out the generators' content-hash suffixes; any other kustomize field
 * makes it fail, naming the field.
 */
final class Kustomize {
  private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
      "configMapGenerator", "secretGenerator", "replicas", "patches");
  private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "ReplicaSet");

  private Kustomize() {}

  static boolean kubectlPresent() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
        return true;
      }
    }
    return false;
  }

  /** {@code kubectl kustomize} where kubectl is present, else {@link #builtin}. */
  static List<Map<String, Object>> render(Path dir) throws IOException {
    return kubectlPresent() ? kubectl(dir) : builtin(dir);
  }

  static List<Map<String, Object>> kubectl(Path dir) throws IOException {
    Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return documents(output);
  }

  static List<Map<String, Object>> builtin(Path dir) throws IOException {
    Map<String, Object> kustomization = map(new Yaml().load(Files.readString(dir.resolve("kustomization.yaml"))));
    for (String field : kustomization.keySet()) {
      if (!SUPPORTED.contains(field)) {
        throw new IllegalArgumentException(dir + "/kustomization.yaml: the built-in renderer does not support " + field);
      }
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object resource : list(kustomization.get("resources"))) {
      Path path = dir.resolve((String) resource);
      docs.addAll(Files.isDirectory(path) ? builtin(path) : documents(Files.readString(path)));
    }
    for (Object generator : list(kustomization.get("configMapGenerator"))) {
      generate(docs, dir, map(generator), "ConfigMap", content -> content);
    }
    for (Object generator : list(kustomization.get("secretGenerator"))) {
      generate(docs, dir, map(generator), "Secret",
          content -> Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)));
    }
    for (Object replicas : list(kustomization.get("replicas"))) {
      for (Map<String, Object> doc : docs) {
        if (WORKLOADS.contains(doc.get("kind")) && map(replicas).get("name").equals(name(doc))) {
          map(doc.get("spec")).put("replicas", map(replicas).get("count"));
        }
      }
    }
    for (Object patch : list(kustomization.get("patches"))) {
      Map<String, Object> target = map(map(patch).get("target"));
      for (Map<String, Object> doc : docs) {
        if (target.get("kind").equals(doc.get("kind")) && target.get("name").equals(name(doc))) {
          for (Object op : list(new Yaml().load((String) map(patch).get("patch")))) {
            JsonPatch.apply(doc, map(op));
          }
        }
      }
    }
    Object namespace = kustomization.get("namespace");
    for (Map<String, Object> doc : docs) {
      if (namespace != null && !"Namespace".equals(doc.get("kind"))) {
        map(doc.get("metadata")).put("namespace", namespace);
      }
      for (Object labels : list(kustomization.get("labels"))) {
        map(doc.get("metadata")).computeIfAbsent("labels", k -> new LinkedHashMap<>());
        map(map(doc.get("metadata")).get("labels")).putAll(map(map(labels).get("pairs")));
      }
    }
    return docs;
  }

  /** A generated ConfigMap or Secret; {@code behavior: merge} adds to the one a base generated. */
  private static void generate(List<Map<String, Object>> docs, Path dir, Map<String, Object> generator, String kind,
      UnaryOperator<String> encode) throws IOException {
    Map<String, Object> data = new LinkedHashMap<>();
    for (Object literal : list(generator.get("literals"))) {
      String entry = (String) literal;
      data.put(entry.substring(0, entry.indexOf('=')), encode.apply(entry.substring(entry.indexOf('=') + 1)));
    }
    for (Object file : list(generator.get("files"))) {
      String entry = (String) file;
      String key = entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : Path.of(entry).getFileName().toString();
      data.put(key, encode.apply(Files.readString(dir.resolve(entry.substring(entry.indexOf('=') + 1)))));
    }
    if ("merge".equals(generator.get("behavior"))) {
      Map<String, Object> base = docs.stream()
          .filter(d -> kind.equals(d.get("kind")) && generator.get("name").equals(name(d))).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("behavior: merge, but no " + kind + " " + generator.get("name")));
      map(base.get("data")).putAll(data);
      return;
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", generator.get("name"));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", "v1");
    doc.put("kind", kind);
    doc.put("metadata", metadata);
    doc.put("data", data);
    if (generator.containsKey("type")) {
      doc.put("type", generator.get("type"));
    }
    docs.add(doc);
  }

  static List<Map<String, Object>> documents(String yaml) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(yaml)) {
      if (doc != null) {
        docs.add(map(doc));
      }
    }
    return docs;
  }

  static String name(Map<String, Object> doc) {
    return (String) map(doc.get("metadata")).get("name");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }

  /** The {@code add} and {@code replace} operations of RFC 6902 on parsed YAML. */
  private static final class JsonPatch {
    static void apply(Map<String, Object> doc, Map<String, Object> op) {
      String[] path = ((String) op.get("path")).substring(1).split("/");
      Object parent = doc;
      for (int i = 0; i < path.length - 1; i++) {
        parent = parent instanceof List<?> l ? l.get(Integer.parseInt(path[i])) : map(parent).get(path[i]);
      }
      String last = path[path.length - 1];
      String kind = (String) op.get("op");
      if (!kind.equals("add") && !kind.equals("replace")) {
        throw new IllegalArgumentException("the built-in renderer does not support patch op " + kind);
      }
      if (parent instanceof List<?> l) {
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) l;
        if (last.equals("-")) {
          items.add(op.get("value"));
        } else if (kind.equals("add")) {
          items.add(Integer.parseInt(last), op.get("value"));
        } else {
          items.set(Integer.parseInt(last), op.get("value"));
        }
      } else {
        map(parent).put(last, op.get("value"));
      }
    }
  }
}
