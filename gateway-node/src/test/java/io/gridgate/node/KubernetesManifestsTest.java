package io.gridgate.node;

import static io.gridgate.node.Kustomize.list;
import static io.gridgate.node.Kustomize.map;
import static io.gridgate.node.Kustomize.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.kubernetes.HazelcastKubernetesDiscoveryStrategyFactory;
import com.hazelcast.logging.Logger;
import io.gridgate.admin.AdminToken;
import io.gridgate.cluster.HazelcastConfigs;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.NodeSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders {@code k8s/base} and {@code k8s/overlays/local} ({@code kubectl kustomize} where kubectl
 * is installed, else {@link Kustomize}'s own renderer) and checks what they deploy against the
 * node's real configuration: the mounted gateway.yaml goes through the real {@link ConfigParser},
 * the mounted hazelcast.yaml through Hazelcast's config loader and its Kubernetes discovery
 * factory, and ports, probe paths, token, image and timings must be the ones the node uses.
 * Surefire runs in {@code gateway-node/}, hence {@code ../k8s}.
 */
class KubernetesManifestsTest {
  private static final Path BASE = Path.of("../k8s/base");
  private static final Path LOCAL = Path.of("../k8s/overlays/local");
  private static final Pattern HASH_SUFFIX = Pattern.compile("-[a-z0-9]{10}$");

  @TempDir
  static Path mounted;

  private static List<Map<String, Object>> base;
  private static List<Map<String, Object>> local;
  private static NodeSettings node;

  @BeforeAll
  static void render() throws IOException {
    base = Kustomize.render(BASE);
    local = Kustomize.render(LOCAL);
    // the config volume as the pods see it at /config
    Map<String, Object> configMap = configMap(base);
    for (Map.Entry<String, Object> file : map(configMap.get("data")).entrySet()) {
      Files.writeString(mounted.resolve(file.getKey()), (String) file.getValue());
    }
    Path inPod = Path.of(gatewayFileArgument());
    node = new ConfigParser().parseFile(mounted.resolve(Path.of(mountPath(container(base), "config")).relativize(inPod)))
        .node();
  }

  @Test
  void theBuiltInRendererAgreesWithKubectl() throws IOException {
    assumeTrue(Kustomize.kubectlPresent(), "kubectl is not installed: the tests use the built-in renderer");
    for (Path dir : List.of(BASE, LOCAL)) {
      assertEquals(byKindAndName(withoutHashSuffixes(Kustomize.kubectl(dir))), byKindAndName(Kustomize.builtin(dir)),
          "built-in rendering of " + dir);
    }
  }

  @Test
  void theBaseHasEveryPartOfTheDeployment() {
    for (String kind : List.of("Namespace", "ServiceAccount", "Role", "RoleBinding", "Service", "StatefulSet",
        "NetworkPolicy", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ConfigMap", "Secret")) {
      assertTrue(base.stream().anyMatch(d -> kind.equals(d.get("kind"))), "no " + kind + " in k8s/base");
    }
    String namespace = name(find(base, "Namespace", "gridgate"));
    for (Map<String, Object> doc : base) {
      if (!"Namespace".equals(doc.get("kind"))) {
        assertEquals(namespace, map(doc.get("metadata")).get("namespace"), doc.get("kind") + " " + name(doc));
      }
    }
  }

  @Test
  void theMountedGatewayConfigIsTheNodesRealConfiguration() {
    assertEquals("0.0.0.0", node.http().host(), "http must listen on all interfaces in a pod");
    assertEquals("0.0.0.0", node.admin().host(), "admin must listen on all interfaces so probes reach it");
    assertEquals(Path.of("/data"), node.cluster().dataDir());
    assertTrue(mountPaths(container(base)).contains(node.cluster().dataDir().toString()), "data_dir volume mount");
    assertEquals(replicas(base), node.cluster().expectedSize(), "expected_size is the StatefulSet's replicas");
  }

  @Test
  void containerPortsAndProbesMatchTheNodeListeners() {
    for (List<Map<String, Object>> docs : List.of(base, local)) {
      Map<String, Object> container = container(docs);
      assertEquals(node.http().port(), containerPort(container, "http"));
      assertEquals(node.admin().port(), containerPort(container, "admin"));
      assertEquals("/ready", probe(container, "readinessProbe").get("path"));
      assertEquals("/health", probe(container, "livenessProbe").get("path"));
      assertEquals("/health", probe(container, "startupProbe").get("path"));
      for (String name : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
        assertEquals(node.admin().port(), resolvePort(container, probe(container, name).get("port")), name + " port");
      }
    }
  }

  @Test
  void thePodRunsTheImageWithTheMountedConfig() throws IOException {
    Map<String, Object> container = container(base);
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher image = Pattern.compile("<image\\.name>([^<]+)</image\\.name>").matcher(pom);
    assertTrue(image.find(), "no <image.name> in gateway-node/pom.xml");
    assertEquals(image.group(1), container.get("image"), "the image mvn -Pimage builds");
    assertFalse(container.containsKey("command"), "command would replace the image's entrypoint");
    String configMount = mountPath(container, "config");
    assertTrue(gatewayFileArgument().startsWith(configMount + "/"), "--config outside the config volume");
    Map<String, Object> volume = list(podSpec(base).get("volumes")).stream().map(Kustomize::map)
        .filter(v -> "config".equals(v.get("name"))).findFirst().orElseThrow();
    assertEquals(name(configMap(base)), map(volume.get("configMap")).get("name"), "config volume's ConfigMap");
  }

  @Test
  void theAdminTokenComesFromASecretTheOverlayRenders() {
    Map<String, Object> baseRef = tokenRef(container(base));
    Map<String, Object> baseSecret = find(base, "Secret", (String) baseRef.get("name"));
    assertTrue(map(baseSecret.get("data")).isEmpty(), "the base must ship no admin token: " + baseSecret);

    Map<String, Object> ref = tokenRef(container(local));
    Map<String, Object> secret = find(local, "Secret", (String) ref.get("name"));
    String token = (String) map(secret.get("data")).get(ref.get("key"));
    assertNotNull(token, "the local overlay's Secret has no key " + ref.get("key"));
    assertEquals("demo-admin-token", new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
  }

  @Test
  void hazelcastDiscoveryFindsTheHeadlessService() throws IOException {
    Config hazelcast = HazelcastConfigs.forNode(node.cluster(), mounted);
    Map<String, Object> file = map(map(new Yaml().load(Files.readString(mounted.resolve(
        node.cluster().hazelcastConfig())))).get("hazelcast"));
    assertEquals(node.cluster().name(), file.get("cluster-name"), "hazelcast.yaml's cluster-name");

    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
    assertFalse(join.getTcpIpConfig().isEnabled(), "tcp-ip");
    assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection");
    assertTrue(join.getKubernetesConfig().isEnabled(), "kubernetes join");
    Map<String, Comparable> properties = kubernetesDiscoveryProperties(join.getKubernetesConfig().getProperties());

    Map<String, Object> headless = find(base, "Service", "gridgate-hazelcast");
    String namespace = (String) map(headless.get("metadata")).get("namespace");
    assertEquals(name(headless) + "." + namespace + ".svc.cluster.local", properties.get("service-dns"));
    int hazelcastPort = containerPort(container(base), "hazelcast");
    assertEquals(hazelcastPort, hazelcast.getNetworkConfig().getPort());
    assertEquals(hazelcastPort, properties.get("service-port"));

    Map<String, Object> spec = map(headless.get("spec"));
    assertEquals("None", spec.get("clusterIP"));
    assertEquals(Boolean.TRUE, spec.get("publishNotReadyAddresses"), "members must find each other before Ready");
    Map<String, Object> port = map(list(spec.get("ports")).get(0));
    assertEquals(hazelcastPort, port.get("port"));
    assertEquals(hazelcastPort, resolvePort(container(base), port.get("targetPort")));
    assertSelectsPods(spec);
    assertEquals(name(headless), map(statefulSet(base).get("spec")).get("serviceName"));
  }

  @Test
  void theClusterPortsAreFixedBoundToThePodsIpAndOpenOnlyToGatewayPods() throws IOException {
    Config hazelcast = HazelcastConfigs.forNode(node.cluster(), mounted);
    assertEquals("false", hazelcast.getProperty("hazelcast.socket.bind.any"), "the member binds the pod's IP only");
    assertEquals(null, node.cluster().eventBus().host(), "the event bus listens on the member's address (the pod's IP)");
    Map<String, Integer> ports = Map.of("http", node.http().port(), "admin", node.admin().port(),
        "hazelcast", hazelcast.getNetworkConfig().getPort(), "eventbus", node.cluster().eventBus().port());
    assertTrue(node.cluster().eventBus().port() > 0, "a fixed event bus port a NetworkPolicy can name");
    for (List<Map<String, Object>> docs : List.of(base, local)) {
      Map<String, Object> container = container(docs);
      assertEquals(ports.keySet(), Set.copyOf(list(container.get("ports")).stream()
          .map(p -> (String) map(p).get("name")).toList()), "the container's ports are exactly the node's listeners");
      ports.forEach((name, port) -> assertEquals(port, containerPort(container, name), name + " port"));
    }

    Map<String, Object> spec = map(find(base, "NetworkPolicy", "gridgate").get("spec"));
    assertSelectsPods(map(Map.of("selector", map(spec.get("podSelector")).get("matchLabels"))));
    assertEquals(List.of("Ingress"), spec.get("policyTypes"));
    Map<String, List<Object>> fromByPort = new HashMap<>();
    for (Object rule : list(spec.get("ingress"))) {
      for (Object port : list(map(rule).get("ports"))) {
        fromByPort.put((String) map(port).get("port"), list(map(rule).get("from")));
      }
    }
    assertEquals(ports.keySet(), fromByPort.keySet(), "every listener has an ingress rule");
    assertTrue(fromByPort.get("http").isEmpty() && fromByPort.get("admin").isEmpty(), "clients and probes: from anywhere");
    for (String clusterPort : List.of("hazelcast", "eventbus")) {
      List<Object> from = fromByPort.get(clusterPort);
      assertEquals(1, from.size(), clusterPort + ": only gateway pods");
      assertSelectsPods(map(Map.of("selector", map(map(map(from.get(0)).get("podSelector")).get("matchLabels")))));
    }
  }

  @Test
  void theHazelcastDiscoveryCheckRejectsWhatHazelcastRejects() {
    Map<String, Comparable> typo = new HashMap<>(Map.of("service-dns", "a.b.svc.cluster.local", "service-prot", "5701"));
    assertThrows(AssertionError.class, () -> kubernetesDiscoveryProperties(typo));
    Map<String, Comparable> both = new HashMap<>(Map.of("service-dns", "a.b.svc.cluster.local", "service-name", "a"));
    assertThrows(InvalidConfigurationException.class, () -> kubernetesDiscoveryProperties(both));
  }

  @Test
  void theMountedHazelcastFileIsTheOneInClusterConfig() throws IOException {
    Yaml yaml = new Yaml();
    Object reference = yaml.load(Files.readString(Path.of("../cluster-config/hazelcast-k8s.yaml")));
    assertEquals(reference, yaml.load(Files.readString(mounted.resolve(node.cluster().hazelcastConfig()))),
        "k8s/base/hazelcast.yaml must stay a copy of cluster-config/hazelcast-k8s.yaml");
  }

  @Test
  void rbacLetsThePodsServiceAccountReadWhatDiscoveryReads() {
    String account = (String) podSpec(base).get("serviceAccountName");
    find(base, "ServiceAccount", account);
    Map<String, Object> binding = find(base, "RoleBinding", "gridgate-hazelcast-discovery");
    Map<String, Object> subject = map(list(binding.get("subjects")).get(0));
    assertEquals(account, subject.get("name"));
    assertEquals(map(binding.get("metadata")).get("namespace"), subject.get("namespace"));
    Map<String, Object> role = find(base, "Role", (String) map(binding.get("roleRef")).get("name"));
    String rules = role.get("rules").toString();
    for (String resource : List.of("endpoints", "pods", "services", "endpointslices")) {
      assertTrue(rules.contains(resource), "the Role does not cover " + resource + ": " + rules);
    }
  }

  @Test
  void theLoadBalancerTargetsTheHttpListener() {
    Map<String, Object> spec = map(find(base, "Service", "gridgate").get("spec"));
    assertEquals("LoadBalancer", spec.get("type"));
    List<Object> ports = list(spec.get("ports"));
    assertEquals(1, ports.size(), "only the http port is exposed: " + ports);
    assertEquals(80, map(ports.get(0)).get("port"));
    assertEquals(node.http().port(), resolvePort(container(base), map(ports.get(0)).get("targetPort")));
    assertSelectsPods(spec);

    Map<String, Object> localSpec = map(find(local, "Service", "gridgate").get("spec"));
    assertEquals("NodePort", localSpec.get("type"));
    assertEquals(30080, map(list(localSpec.get("ports")).get(0)).get("nodePort"));
  }

  @Test
  void terminationCoversPreStopDrainAndShutdown() {
    for (List<Map<String, Object>> docs : List.of(base, local)) {
      long grace = ((Number) podSpec(docs).get("terminationGracePeriodSeconds")).longValue();
      List<Object> preStop = list(map(map(map(container(docs).get("lifecycle")).get("preStop")).get("exec")).get("command"));
      assertEquals("sleep", preStop.get(0), "preStop: " + preStop);
      long sleep = Long.parseLong((String) preStop.get(1));
      assertTrue(grace >= sleep + node.drainTimeout().toSeconds() + 5, "terminationGracePeriodSeconds " + grace
          + " < preStop " + sleep + " s + drain_timeout " + node.drainTimeout().toSeconds() + " s + 5 s shutdown");
    }
  }

  @Test
  void availabilityAndScaling() {
    Map<String, Object> pdb = map(find(base, "PodDisruptionBudget", "gridgate").get("spec"));
    int minAvailable = ((Number) pdb.get("minAvailable")).intValue();
    assertTrue(minAvailable > replicas(base) / 2 && minAvailable < replicas(base),
        "minAvailable " + minAvailable + " must keep a majority and allow one disruption");
    assertSelectsPods(map(Map.of("selector", map(pdb.get("selector")).get("matchLabels"))));

    Map<String, Object> hpa = map(find(base, "HorizontalPodAutoscaler", "gridgate").get("spec"));
    assertEquals(Map.of("apiVersion", "apps/v1", "kind", "StatefulSet", "name", "gridgate"), hpa.get("scaleTargetRef"));
    assertTrue(((Number) hpa.get("minReplicas")).intValue() >= node.cluster().expectedSize(), "minReplicas < expected_size");
    assertEquals("cpu", map(map(list(hpa.get("metrics")).get(0)).get("resource")).get("name"));

    Map<String, Object> antiAffinity = map(map(podSpec(base).get("affinity")).get("podAntiAffinity"));
    Map<String, Object> term = map(map(list(antiAffinity.get("preferredDuringSchedulingIgnoredDuringExecution")).get(0))
        .get("podAffinityTerm"));
    assertEquals("kubernetes.io/hostname", term.get("topologyKey"));
    assertSelectsPods(map(Map.of("selector", map(term.get("labelSelector")).get("matchLabels"))));

    for (List<Map<String, Object>> docs : List.of(base, local)) {
      Map<String, Object> resources = map(container(docs).get("resources"));
      for (String kind : List.of("requests", "limits")) {
        for (String resource : List.of("cpu", "memory")) {
          assertNotNull(map(resources.get(kind)).get(resource), kind + "." + resource);
        }
      }
      assertEquals(3, replicas(docs));
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  /** The kubernetes join's properties as Hazelcast's discovery factory reads them; fails on an unknown key. */
  @SuppressWarnings("rawtypes")
  private static Map<String, Comparable> kubernetesDiscoveryProperties(Map<String, ? extends Comparable> raw) {
    HazelcastKubernetesDiscoveryStrategyFactory factory = new HazelcastKubernetesDiscoveryStrategyFactory();
    Map<String, Comparable> converted = new HashMap<>();
    for (Map.Entry<String, ? extends Comparable> e : raw.entrySet()) {
      PropertyDefinition definition = factory.getConfigurationProperties().stream()
          .filter(d -> d.key().equals(e.getKey())).findFirst()
          .orElseGet(() -> fail("Hazelcast's Kubernetes discovery has no property " + e.getKey()));
      converted.put(e.getKey(), definition.typeConverter().convert(e.getValue()));
    }
    // builds the strategy's KubernetesConfig, which validates the combination (DNS mode reads no files)
    factory.newDiscoveryStrategy(null, Logger.getLogger(KubernetesManifestsTest.class), converted);
    return converted;
  }

  private static List<Map<String, Object>> withoutHashSuffixes(List<Map<String, Object>> docs) {
    Map<String, String> renamed = new HashMap<>();
    for (Map<String, Object> doc : docs) {
      if (List.of("ConfigMap", "Secret").contains(doc.get("kind"))) {
        String name = name(doc);
        renamed.put(name, HASH_SUFFIX.matcher(name).replaceFirst(""));
      }
    }
    String yaml = new Yaml().dumpAll(docs.iterator());
    for (Map.Entry<String, String> e : renamed.entrySet()) {
      yaml = yaml.replace(e.getKey(), e.getValue());
    }
    return Kustomize.documents(yaml);
  }

  private static Map<String, Map<String, Object>> byKindAndName(List<Map<String, Object>> docs) {
    Map<String, Map<String, Object>> byKey = new HashMap<>();
    docs.forEach(d -> byKey.put(d.get("kind") + "/" + name(d), d));
    return byKey;
  }

  private static String gatewayFileArgument() {
    List<Object> args = list(container(base).get("args"));
    return (String) args.get(args.indexOf("--config") + 1);
  }

  private static Map<String, Object> tokenRef(Map<String, Object> container) {
    for (Object env : list(container.get("env"))) {
      if (AdminToken.ENV.equals(map(env).get("name"))) {
        return map(map(map(env).get("valueFrom")).get("secretKeyRef"));
      }
    }
    return fail("no env var " + AdminToken.ENV);
  }

  private static void assertSelectsPods(Map<String, Object> spec) {
    Map<String, Object> podLabels = map(map(map(map(statefulSet(base).get("spec")).get("template")).get("metadata"))
        .get("labels"));
    Map<String, Object> selector = map(spec.get("selector"));
    assertFalse(selector.isEmpty(), "empty selector");
    for (Map.Entry<String, Object> e : selector.entrySet()) {
      assertEquals(e.getValue(), podLabels.get(e.getKey()), "selector " + e.getKey());
    }
  }

  private static Map<String, Object> configMap(List<Map<String, Object>> docs) {
    return docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst()
        .orElseGet(() -> fail("no ConfigMap"));
  }

  private static Map<String, Object> statefulSet(List<Map<String, Object>> docs) {
    return find(docs, "StatefulSet", "gridgate");
  }

  private static int replicas(List<Map<String, Object>> docs) {
    return ((Number) map(statefulSet(docs).get("spec")).get("replicas")).intValue();
  }

  private static Map<String, Object> podSpec(List<Map<String, Object>> docs) {
    return map(map(map(statefulSet(docs).get("spec")).get("template")).get("spec"));
  }

  private static Map<String, Object> container(List<Map<String, Object>> docs) {
    List<Object> containers = list(podSpec(docs).get("containers"));
    assertEquals(1, containers.size());
    return map(containers.get(0));
  }

  private static int containerPort(Map<String, Object> container, String name) {
    for (Object port : list(container.get("ports"))) {
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
    assertNotNull(container.get(name), name);
    return map(map(container.get(name)).get("httpGet"));
  }

  private static List<String> mountPaths(Map<String, Object> container) {
    return list(container.get("volumeMounts")).stream().map(m -> (String) map(m).get("mountPath")).toList();
  }

  private static String mountPath(Map<String, Object> container, String volume) {
    return list(container.get("volumeMounts")).stream().map(Kustomize::map)
        .filter(m -> volume.equals(m.get("name"))).map(m -> (String) m.get("mountPath")).findFirst()
        .orElseGet(() -> fail("no mount of volume " + volume));
  }

  private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
    return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(name(d))).findFirst()
        .orElseGet(() -> fail("no " + kind + " " + name));
  }
}
