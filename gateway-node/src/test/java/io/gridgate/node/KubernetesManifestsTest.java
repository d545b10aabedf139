package io.gridgate.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.gridgate.cluster.HazelcastConfigs;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.config.NodeSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the kustomize base in {@code k8s/base} against the node's real configuration: the ports,
 * probe paths, cluster name, discovery DNS, drain time and admin-token variable the manifests use
 * must be the ones the node actually reads. Surefire runs in {@code gateway-node/}, hence {@code ../k8s}.
 */
class KubernetesManifestsTest {
  private static final Path BASE = Path.of("../k8s/base");
  private static final Path LOCAL = Path.of("../k8s/overlays/local");

  private static GatewayConfig config;
  private static NodeSettings node;
  private static Map<String, Object> kustomization;
  private static Map<String, Object> statefulSet;
  private static Map<String, Object> headless;
  private static Map<String, Object> loadBalancer;

  @BeforeAll
  static void load() throws IOException {
    config = new ConfigParser().parseFile(BASE.resolve("gateway.yaml"));
    node = config.node();
    kustomization = single(BASE.resolve("kustomization.yaml"));
    statefulSet = find(BASE.resolve("statefulset.yaml"), "StatefulSet", "gridgate");
    headless = find(BASE.resolve("service-headless.yaml"), "Service", "gridgate-hazelcast");
    loadBalancer = find(BASE.resolve("service.yaml"), "Service", "gridgate");
  }

  @Test
  void everyKustomizationResourceAndGeneratedFileExists() {
    for (Object resource : list(kustomization, "resources")) {
      assertTrue(Files.isRegularFile(BASE.resolve((String) resource)), "missing resource " + resource);
    }
    List<String> generated = new ArrayList<>();
    for (Object generator : list(kustomization, "configMapGenerator")) {
      for (Object file : list(map(generator), "files")) {
        String name = (String) file;
        String source = name.contains("=") ? name.substring(name.indexOf('=') + 1) : name;
        assertTrue(Files.isRegularFile(BASE.resolve(source)), "missing configMapGenerator file " + source);
        generated.add(name.contains("=") ? name.substring(0, name.indexOf('=')) : Path.of(name).getFileName().toString());
      }
    }
    assertTrue(generated.contains("gateway.yaml"), "gateway.yaml is not in a ConfigMap: " + generated);
    assertTrue(generated.contains(node.cluster().hazelcastConfig().toString()),
        "the node's hazelcast_config is not in a ConfigMap: " + generated);
    assertEquals("gridgate", kustomization.get("namespace"));
    assertFalse(list(kustomization, "resources").stream().anyMatch(r -> r.toString().contains("secret")),
        "the admin Secret must not be part of the base");
  }

  @Test
  void localOverlayReferencesTheBase() throws IOException {
    Map<String, Object> overlay = single(LOCAL.resolve("kustomization.yaml"));
    List<Object> resources = list(overlay, "resources");
    assertTrue(resources.contains("../../base"), "overlay resources: " + resources);
    for (Object resource : resources) {
      assertTrue(Files.exists(LOCAL.resolve((String) resource)), "missing overlay resource " + resource);
    }
  }

  @Test
  void containerPortsAndProbesMatchTheNodeListeners() {
    Map<String, Object> container = container();
    int http = node.http().port();
    int admin = node.admin().port();
    assertEquals("0.0.0.0", node.http().host(), "http must listen on all interfaces in a pod");
    assertEquals("0.0.0.0", node.admin().host(), "admin must listen on all interfaces so probes reach it");
    assertEquals(http, containerPort(container, "http"));
    assertEquals(admin, containerPort(container, "admin"));
    assertEquals(5701, containerPort(container, "hazelcast"));

    assertEquals("/ready", probe(container, "readinessProbe").get("path"));
    assertEquals("/health", probe(container, "livenessProbe").get("path"));
    assertNotNull(container.get("startupProbe"), "startupProbe");
    for (String name : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      assertEquals(admin, resolvePort(container, probe(container, name).get("port")), name + " port");
    }
    List<Object> command = list(container, "command");
    assertEquals("/config/gateway.yaml", command.get(command.indexOf("--config") + 1));
    assertTrue(mountPaths(container).contains("/config"), "config volume mount");
    assertTrue(mountPaths(container).contains(node.cluster().dataDir().toString()), "data_dir volume mount");
  }

  @Test
  void adminTokenComesFromTheSecret() {
    Map<String, Object> tokenVar = null;
    for (Object env : list(container(), "env")) {
      if (AdminToken.ENV.equals(map(env).get("name"))) {
        tokenVar = map(env);
      }
    }
    assertNotNull(tokenVar, "no env var " + AdminToken.ENV);
    Map<String, Object> ref = map(map(tokenVar.get("valueFrom")).get("secretKeyRef"));
    assertEquals("gridgate-admin", ref.get("name"));
    assertEquals("token", ref.get("key"));
  }

  @Test
  void hazelcastConfigMatchesTheNodeAndTheHeadlessService() throws IOException {
    Config hazelcast = HazelcastConfigs.forNode(node.cluster(), BASE);
    // forNode overrides the cluster name with the node's; the file itself must agree too
    Map<String, Object> file = map(single(BASE.resolve(node.cluster().hazelcastConfig().toString())).get("hazelcast"));
    assertEquals(node.cluster().name(), file.get("cluster-name"));
    assertEquals(node.cluster().name(), hazelcast.getClusterName());

    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
    assertFalse(join.getTcpIpConfig().isEnabled(), "tcp-ip");
    assertTrue(join.getKubernetesConfig().isEnabled(), "kubernetes join");
    String serviceDns = join.getKubernetesConfig().getProperty("service-dns");
    assertNotNull(serviceDns, "service-dns");
    Map<String, Object> meta = map(headless.get("metadata"));
    String namespace = (String) kustomization.get("namespace");
    assertTrue(serviceDns.startsWith(meta.get("name") + "." + namespace + "."),
        serviceDns + " does not name the headless Service in namespace " + namespace);
    assertEquals(5701, hazelcast.getNetworkConfig().getPort());
    String servicePort = join.getKubernetesConfig().getProperty("service-port");
    if (servicePort != null) {
      assertEquals("5701", servicePort);
    }
    assertEquals(meta.get("name"), map(statefulSet.get("spec")).get("serviceName"));
  }

  @Test
  void theMountedHazelcastFileIsTheOneInClusterConfig() throws IOException {
    Yaml yaml = new Yaml();
    Object mounted = yaml.load(Files.readString(BASE.resolve("hazelcast.yaml")));
    Object reference = yaml.load(Files.readString(Path.of("../cluster-config/hazelcast-k8s.yaml")));
    assertEquals(reference, mounted, "k8s/base/hazelcast.yaml must stay a copy of cluster-config/hazelcast-k8s.yaml");
  }

  @Test
  void headlessServiceExposesHazelcast() {
    Map<String, Object> spec = map(headless.get("spec"));
    assertEquals("None", spec.get("clusterIP"));
    assertEquals(Boolean.TRUE, spec.get("publishNotReadyAddresses"));
    List<Object> ports = list(spec, "ports");
    assertTrue(ports.stream().anyMatch(p -> Objects.equals(5701, map(p).get("port"))), "port 5701: " + ports);
    assertSelectsPods(spec);
  }

  @Test
  void loadBalancerTargetsTheHttpListener() {
    Map<String, Object> spec = map(loadBalancer.get("spec"));
    assertEquals("LoadBalancer", spec.get("type"));
    List<Object> ports = list(spec, "ports");
    assertEquals(1, ports.size(), "only the http port is exposed: " + ports);
    Map<String, Object> port = map(ports.get(0));
    assertEquals(80, port.get("port"));
    assertEquals(node.http().port(), resolvePort(container(), port.get("targetPort")));
    assertSelectsPods(spec);
  }

  @Test
  void gracePeriodCoversTheDrainAndReplicasTheExpectedSize() {
    Map<String, Object> spec = map(statefulSet.get("spec"));
    Map<String, Object> podSpec = map(map(spec.get("template")).get("spec"));
    long grace = ((Number) podSpec.get("terminationGracePeriodSeconds")).longValue();
    assertTrue(grace > node.drainTimeout().toSeconds(),
        "terminationGracePeriodSeconds " + grace + " <= drain_timeout " + node.drainTimeout().toSeconds());
    assertTrue(((Number) spec.get("replicas")).intValue() >= node.cluster().expectedSize(), "replicas < expected_size");
  }

  // --- helpers -------------------------------------------------------------------------------

  private static void assertSelectsPods(Map<String, Object> serviceSpec) {
    Map<String, Object> podLabels = map(map(map(map(statefulSet.get("spec")).get("template")).get("metadata")).get("labels"));
    for (Map.Entry<String, Object> e : map(serviceSpec.get("selector")).entrySet()) {
      assertEquals(e.getValue(), podLabels.get(e.getKey()), "selector " + e.getKey());
    }
  }

  private static Map<String, Object> container() {
    Map<String, Object> podSpec = map(map(map(statefulSet.get("spec")).get("template")).get("spec"));
    List<Object> containers = list(podSpec, "containers");
    assertEquals(1, containers.size());
    return map(containers.get(0));
  }

  private static int containerPort(Map<String, Object> container, String name) {
    for (Object port : list(container, "ports")) {
      if (name.equals(map(port).get("name"))) {
        return ((Number) map(port).get("containerPort")).intValue();
      }
    }
    return fail("no container port named " + name);
  }

  /** A numeric port, or a named container port resolved to its number. */
  private static int resolvePort(Map<String, Object> container, Object port) {
    return port instanceof Number n ? n.intValue() : containerPort(container, (String) port);
  }

  private static Map<String, Object> probe(Map<String, Object> container, String name) {
    Map<String, Object> probe = map(container.get(name));
    assertNotNull(probe, name);
    return map(probe.get("httpGet"));
  }

  private static List<String> mountPaths(Map<String, Object> container) {
    return list(container, "volumeMounts").stream().map(m -> (String) map(m).get("mountPath")).toList();
  }

  private static Map<String, Object> single(Path file) throws IOException {
    List<Map<String, Object>> docs = documents(file);
    assertEquals(1, docs.size(), file + " documents");
    return docs.get(0);
  }

  private static Map<String, Object> find(Path file, String kind, String name) throws IOException {
    for (Map<String, Object> doc : documents(file)) {
      if (kind.equals(doc.get("kind")) && name.equals(map(doc.get("metadata")).get("name"))) {
        return doc;
      }
    }
    return fail("no " + kind + " " + name + " in " + file);
  }

  private static List<Map<String, Object>> documents(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(file)) {
      for (Object doc : new Yaml().loadAll(in)) {
        if (doc != null) {
          docs.add(map(doc));
        }
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> owner, String key) {
    Object value = owner.get(key);
    assertNotNull(value, key);
    return (List<Object>) value;
  }
}
