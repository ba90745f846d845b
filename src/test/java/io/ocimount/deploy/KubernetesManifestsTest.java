package io.ocimount.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.storage.CSIDriver;
import io.ocimount.config.CsiSettings;
import io.ocimount.config.DaemonConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentest4j.AssertionFailedError;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/kubernetes read as the API server would: each manifest into fabric8's model of its kind, with every field
 * the model does not know (a misspelling lands in a model object's additionalProperties) and every duplicate key
 * an error; then the fields that make the DaemonSet work: privilege, host paths and their propagation, the
 * daemon's command (the unit's), probes, tolerations, resources, images by digest, and the CSI wiring that must
 * agree across the ConfigMap, the registrar's arguments, the CSIDriver and the daemon's defaults.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final String NAMESPACE = "ocimount-system";
    /** Files in DIR that are not part of the install, and why. */
    private static final Set<String> NOT_INSTALLED = Set.of("example-pod.yaml"); // a user's pod, an example
    private static final Pattern BY_DIGEST = Pattern.compile("^[^@\\s]+@sha256:[0-9a-f]{64}$");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // for types without additionalProperties
            .build();
    /** apiVersion/kind → the model class; a kind not listed is an error. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Pod", Pod.class,
            "apps/v1/DaemonSet", DaemonSet.class,
            "storage.k8s.io/v1/CSIDriver", CSIDriver.class);

    /** The kustomization's own schema (kustomize's types are not in fabric8): only the fields used here. */
    record Kustomization(String apiVersion, String kind, List<String> resources) {}

    /** Reads {@code file}: one YAML document, of a known kind, with no field its model does not know. */
    static HasMetadata parse(Path file) throws Exception {
        List<JsonNode> docs;
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            docs = it.readAll();
        }
        assertEquals(1, docs.size(), file + ": one object per file");
        JsonNode doc = docs.get(0);
        String type = doc.path("apiVersion").asString() + "/" + doc.path("kind").asString();
        Class<? extends HasMetadata> cls = KINDS.get(type);
        assertNotNull(cls, file + ": a kind this test knows, not " + type);
        HasMetadata object = YAML.treeToValue(doc, cls);
        assertNoUnknownFields(object, file + ":" + doc.path("kind").asString());
        return object;
    }

    /**
     * fabric8's model keeps a field it does not know in the additionalProperties of the object where it appears
     * (rather than failing); walks the whole object tree and fails at the first object with any, naming its path.
     */
    static void assertNoUnknownFields(Object o, String path) throws Exception {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                assertNoUnknownFields(e, path + "[" + i++ + "]");
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertNoUnknownFields(e.getValue(), path + "." + e.getKey());
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return; // strings, numbers, booleans
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || g.getDeclaringClass() == Object.class
                    || !(g.getName().startsWith("get") || g.getName().startsWith("is"))) {
                continue;
            }
            Object v = g.invoke(o);
            if (g.getName().equals("getAdditionalProperties")) {
                assertTrue(v == null || ((Map<?, ?>) v).isEmpty(), path + ": unknown fields " + v);
            } else {
                assertNoUnknownFields(v, path + "." + g.getName());
            }
        }
    }

    private static <T> T parse(String name, Class<T> cls) throws Exception {
        return cls.cast(parse(DIR.resolve(name)));
    }

    private static DaemonSet daemonSet() throws Exception {
        return parse("daemonset.yaml", DaemonSet.class);
    }

    private static Container container(PodSpec spec, String name) {
        return spec.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionFailedError("no container " + name));
    }

    private static Map<String, Volume> volumes(PodSpec spec) {
        return spec.getVolumes().stream().collect(Collectors.toMap(Volume::getName, Function.identity()));
    }

    private static String arg(Container c, String flag) {
        return c.getArgs().stream().filter(a -> a.startsWith(flag + "=")).map(a -> a.substring(flag.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionFailedError(c.getName() + " has no " + flag));
    }

    /** The host path behind {@code mountPath} in container {@code c}. */
    private static String hostPath(PodSpec spec, Container c, String mountPath) {
        VolumeMount m = mount(c, mountPath);
        Volume v = volumes(spec).get(m.getName());
        assertNotNull(v.getHostPath(), c.getName() + " " + mountPath + " is a hostPath");
        return v.getHostPath().getPath();
    }

    /** The mount of {@code c} that {@code path} is in: the one with the longest mount path above or at it. */
    private static VolumeMount coveringMount(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> Path.of(path).startsWith(m.getMountPath()))
                .max(java.util.Comparator.comparingInt(m -> m.getMountPath().length()))
                .orElseThrow(() -> new AssertionFailedError(c.getName() + " mounts nothing over " + path));
    }

    private static VolumeMount mount(Container c, String mountPath) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(mountPath)).findFirst()
                .orElseThrow(() -> new AssertionFailedError(c.getName() + " mounts nothing at " + mountPath));
    }

    private static DaemonConfig config(Path tmp) throws Exception {
        ConfigMap cm = parse("configmap.yaml", ConfigMap.class);
        assertEquals(Set.of("config.toml"), cm.getData().keySet());
        return DaemonConfig.load(Files.writeString(tmp.resolve("config.toml"), cm.getData().get("config.toml")));
    }

    @Test
    void everyManifestParsesStrictlyAndTheKustomizationListsEveryInstalledOne() throws Exception {
        Set<String> yaml = new TreeSet<>();
        try (Stream<Path> s = Files.list(DIR)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(yaml::add);
        }
        assertTrue(yaml.remove("kustomization.yaml"));
        for (String f : yaml) {
            parse(DIR.resolve(f));
        }
        Kustomization k = YAML.readValue(DIR.resolve("kustomization.yaml").toFile(), Kustomization.class);
        assertEquals("kustomize.config.k8s.io/v1beta1", k.apiVersion());
        assertEquals("Kustomization", k.kind());
        assertEquals(k.resources().size(), Set.copyOf(k.resources()).size(), "no resource twice: " + k.resources());
        yaml.removeAll(NOT_INSTALLED);
        assertEquals(yaml, new TreeSet<>(k.resources()), "the kustomization lists every manifest of the install");

        for (String f : k.resources()) {
            HasMetadata o = parse(DIR.resolve(f));
            boolean clusterScoped = o instanceof Namespace || o instanceof CSIDriver;
            assertEquals(clusterScoped ? null : NAMESPACE, o.getMetadata().getNamespace(), f + "'s namespace");
        }
        assertEquals(NAMESPACE, parse("namespace.yaml", Namespace.class).getMetadata().getName());
        assertEquals("privileged", parse("namespace.yaml", Namespace.class).getMetadata().getLabels()
                .get("pod-security.kubernetes.io/enforce"), "Pod Security Admission lets the privileged daemon in");
    }

    /** The check fails on what kubectl apply would refuse or silently drop: the test is worth something. */
    @ParameterizedTest
    @CsvSource({
        "daemonset.yaml, 'mountPropagation: Bidirectional', 'mountPropogation: Bidirectional', mountPropogation",
        "daemonset.yaml, 'hostNetwork: true', 'hostNetwrok: true', hostNetwrok",
        "daemonset.yaml, '  privileged: true', '  privilegd: true', privilegd",
        "daemonset.yaml, 'initialDelaySeconds: 10', 'initialDelay: 10', initialDelay",
        "daemonset.yaml, 'kind: DaemonSet', 'kind: Daemonset', apps/v1/Daemonset",
        "daemonset.yaml, 'dnsPolicy: Default', 'dnsPolicy: Default\n      hostNetwork: false', Duplicate Object property",
        "csidriver.yaml, 'podInfoOnMount: true', 'podInfoOnmount: true', podInfoOnmount",
        "configmap.yaml, 'data:', 'date:', date",
        "daemonset.yaml, 'subPath: config.toml', 'subpath: config.toml', subpath",
    })
    void aMisspelledFieldFails(String file, String from, String to, String named, @TempDir Path tmp) throws Exception {
        String text = Files.readString(DIR.resolve(file));
        assertTrue(text.contains(from), file + " has " + from);
        String replacement = to.replace("\\n", "\n"); // CSV cannot hold a line break: \n stands for one
        Path mutant = Files.writeString(tmp.resolve(file),
                text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(replacement)));
        Throwable e = assertThrows(Throwable.class, () -> parse(mutant), "the mutant with " + to + " parses");
        assertTrue(e.getMessage().contains(named), "the failure names " + named + ": " + e.getMessage());
    }

    @Test
    void theDaemonRunsAsTheUnitDoesWithTheHostPathsItNeeds() throws Exception {
        PodSpec spec = daemonSet().getSpec().getTemplate().getSpec();
        Container d = container(spec, "ocimount");
        assertEquals(Boolean.TRUE, d.getSecurityContext().getPrivileged(), "mounts need a privileged container");

        String execStart = Files.readAllLines(Path.of("systemd/ocimount.service")).stream()
                .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
        List<String> unit = Arrays.asList(execStart.split(" "));
        // java and its flags are the image's Entrypoint (ImageBuildE2ETest compares them with the unit's)
        assertTrue(d.getCommand().isEmpty(), "the image's Entrypoint runs java with the unit's flags");
        assertEquals(unit.subList(unit.indexOf("/usr/lib/ocimount/ocimount.jar") + 1, unit.size()), d.getArgs(),
                "the unit's arguments");
        assertEquals(List.of("LANG=C.UTF-8"), d.getEnv().stream().map(e -> e.getName() + "=" + e.getValue()).toList());

        DaemonConfig defaults = DaemonConfig.defaults();
        // the same paths inside and outside: the config's defaults, kubelet's paths and the records all agree
        for (String p : List.of(defaults.root().toString(), defaults.stateDir().toString(), "/var/lib/kubelet")) {
            assertEquals(p, hostPath(spec, d, p), "the host's " + p + " at the same path");
        }
        assertEquals("/var/lib/ocimount/tmp", hostPath(spec, d, "/var/lib/ocimount/tmp"), "java.io.tmpdir exists");
        assertTrue(execStart.contains("-Djava.io.tmpdir=/var/lib/ocimount/tmp"));
        assertEquals("Bidirectional", mount(d, "/var/lib/kubelet").getMountPropagation(),
                "the binds on kubelet's targets reach the host");
        assertEquals("Bidirectional", mount(d, defaults.stateDir().toString()).getMountPropagation(),
                "the views outlive a container restart");
        assertNull(mount(d, defaults.root().toString()).getMountPropagation(), "no mounts in the store");

        // the ConfigMap's one key as the single file the command reads, not as /etc/ocimount (which hid certs.d)
        ConfigMap cm = parse("configmap.yaml", ConfigMap.class);
        VolumeMount config = mount(d, DaemonConfig.DEFAULT_CONFIG.toString());
        assertEquals(Boolean.TRUE, config.getReadOnly());
        assertEquals(cm.getMetadata().getName(), volumes(spec).get(config.getName()).getConfigMap().getName());
        assertEquals(Set.of(config.getSubPath()), cm.getData().keySet(), "the file is the ConfigMap's one key");
        assertEquals(DaemonConfig.DEFAULT_CONFIG.getFileName().toString(), config.getSubPath());
        assertTrue(d.getArgs().contains(DaemonConfig.DEFAULT_CONFIG.toString()));
        assertEquals(config, coveringMount(d, DaemonConfig.DEFAULT_CONFIG.toString()));

        // hosts.toml at registry.config_path's default, from the node as with the systemd install, read-only
        String certs = defaults.hostsDir().toString();
        VolumeMount hosts = coveringMount(d, certs + "/registry.example/hosts.toml");
        assertEquals(certs, hosts.getMountPath(), "the mount that serves " + certs + " is its own");
        assertEquals(Boolean.TRUE, hosts.getReadOnly());
        assertNull(hosts.getMountPropagation());
        assertNull(hosts.getSubPath());
        Volume certsVolume = volumes(spec).get(hosts.getName());
        assertNotNull(certsVolume.getHostPath(), certs + " is a hostPath");
        assertEquals(certs, certsVolume.getHostPath().getPath(), "the node's " + certs + ", at the same path");
        assertEquals("DirectoryOrCreate", certsVolume.getHostPath().getType(), "a node without hosts.toml still starts");

        for (Container c : spec.getContainers()) {
            for (VolumeMount m : c.getVolumeMounts()) {
                String prop = m.getMountPropagation();
                assertTrue(prop == null || Set.of("None", "HostToContainer", "Bidirectional").contains(prop), prop);
                assertFalse("Bidirectional".equals(prop) && !Boolean.TRUE.equals(c.getSecurityContext().getPrivileged()),
                        "the API server refuses Bidirectional in an unprivileged container: " + c.getName());
            }
        }
    }

    @Test
    void theDaemonSetRunsOnEveryNodeAsNodeCritical() throws Exception {
        DaemonSet ds = daemonSet();
        assertEquals(NAMESPACE, ds.getMetadata().getNamespace());
        assertEquals("ocimount", ds.getMetadata().getName());
        assertEquals(ds.getSpec().getSelector().getMatchLabels(), ds.getSpec().getTemplate().getMetadata().getLabels());
        PodSpec spec = ds.getSpec().getTemplate().getSpec();
        assertEquals("system-node-critical", spec.getPriorityClassName());
        assertEquals(List.of(new Toleration(null, null, "Exists", null, null)), spec.getTolerations(),
                "one toleration of every taint");
        assertEquals(Boolean.TRUE, spec.getHostNetwork(), "the node's network and host name (the CSI node id)");
        assertNull(spec.getHostPID(), "no host PID namespace");
        assertEquals("Default", spec.getDnsPolicy(), "the node's resolv.conf, as the systemd service has");
        assertEquals(Boolean.FALSE, spec.getAutomountServiceAccountToken(), "no API access is needed");
    }

    @Test
    void imagesAreByDigestAndEveryContainerHasResourcesAndALivenessProbe() throws Exception {
        PodSpec spec = daemonSet().getSpec().getTemplate().getSpec();
        assertTrue(spec.getInitContainers().isEmpty());
        for (Container c : spec.getContainers()) {
            assertTrue(BY_DIGEST.matcher(c.getImage()).matches(), c.getName() + ": by digest: " + c.getImage());
            Map<String, Quantity> req = c.getResources().getRequests();
            Map<String, Quantity> lim = c.getResources().getLimits();
            assertEquals(Set.of("cpu", "memory"), req.keySet(), c.getName() + " requests");
            assertEquals(Set.of("memory"), lim.keySet(), c.getName() + ": a memory limit, no CPU limit");
            assertTrue(lim.get("memory").getNumericalAmount().compareTo(req.get("memory").getNumericalAmount()) > 0,
                    c.getName() + ": the limit leaves headroom over the request");
            assertNotNull(c.getLivenessProbe(), c.getName() + " has a liveness probe");
        }
        // the ocimount image is a placeholder until scripts/build-image.sh pushes one: say so where it is
        String text = Files.readString(DIR.resolve("daemonset.yaml"));
        if (text.contains("@sha256:" + "0".repeat(64))) {
            assertTrue(text.contains("PLACEHOLDER") && text.contains("scripts/build-image.sh"), "the placeholder is marked");
        }

        Container d = container(spec, "ocimount");
        BigDecimal mib = BigDecimal.valueOf(1L << 20);
        // README "Footprint": 110 MiB after a small pull; the limit above the 512 MiB heap cap and ~110 MiB non-heap
        assertTrue(d.getResources().getRequests().get("memory").getNumericalAmount().compareTo(mib.multiply(BigDecimal.valueOf(110))) >= 0);
        assertTrue(d.getResources().getLimits().get("memory").getNumericalAmount().compareTo(mib.multiply(BigDecimal.valueOf(512 + 110 + 64))) >= 0);

        List<String> probe = d.getLivenessProbe().getExec().getCommand();
        assertEquals("/usr/bin/java", probe.get(0), "the java the image links (build-image.sh)");
        int jar = probe.indexOf("-jar");
        assertEquals(List.of("-jar", "/usr/lib/ocimount/ocimount.jar", "--socket",
                DaemonConfig.defaults().socket().toString(), "version"), probe.subList(jar, probe.size()),
                "the CLI asks the daemon's Version through its socket");
        assertTrue(d.getLivenessProbe().getTimeoutSeconds() >= 10, "room for a JVM start and the 5 s deadline");
        assertEquals(probe, d.getStartupProbe().getExec().getCommand(), "Ready once the daemon answers, as liveness asks");
        assertTrue(d.getStartupProbe().getPeriodSeconds() * d.getStartupProbe().getFailureThreshold() >= 60,
                "a minute at least for a start that reconciles volumes");
        assertNull(d.getReadinessProbe(), "no JVM per period for readiness: the startup probe gates Ready");

        Container r = container(spec, "node-driver-registrar");
        String endpoint = arg(r, "--http-endpoint");
        assertTrue(endpoint.startsWith("127.0.0.1:"), "loopback only on the host network: " + endpoint);
        assertEquals(endpoint.substring(endpoint.indexOf(':') + 1),
                String.valueOf(r.getLivenessProbe().getHttpGet().getPort().getIntVal()));
        assertEquals("127.0.0.1", r.getLivenessProbe().getHttpGet().getHost());
    }

    /** The CSI wiring: ConfigMap, daemon, registrar, kubelet's directories and the CSIDriver name all agree. */
    @Test
    void theRegistrarRegistersTheDaemonsCsiSocketUnderTheDriversName(@TempDir Path tmp) throws Exception {
        DaemonConfig config = config(tmp);
        CsiSettings csi = config.csi();
        String driver = parse("csidriver.yaml", CSIDriver.class).getMetadata().getName();
        assertEquals(CsiSettings.DEFAULT_DRIVER_NAME, driver);
        assertEquals(driver, csi.driverName());
        assertTrue(csi.enabled(), "the config turns the CSI plugin on");

        PodSpec spec = daemonSet().getSpec().getTemplate().getSpec();
        Container r = container(spec, "node-driver-registrar");
        assertEquals(Path.of("/var/lib/kubelet/plugins", driver, "csi.sock").toString(),
                arg(r, "--kubelet-registration-path"), "kubelet's plugin directory of the CSIDriver's name");
        assertEquals(csi.socket().toString(), arg(r, "--kubelet-registration-path"), "the daemon's CSI socket");
        String csiAddress = arg(r, "--csi-address");
        Path inRegistrar = Path.of(csiAddress).getParent();
        assertEquals(csi.socket().getParent().toString(), hostPath(spec, r, inRegistrar.toString()),
                "the registrar's " + inRegistrar + " is the socket's directory on the host");
        assertEquals(csi.socket().getFileName(), Path.of(csiAddress).getFileName());
        assertEquals(CsiSettings.DEFAULT_REGISTRATION_DIR.toString(), hostPath(spec, r, "/registration"),
                "the registrar serves in kubelet's plugin watcher directory");
        assertEquals(Boolean.TRUE, spec.getHostNetwork());

        // one registration: the daemon's own socket goes where kubelet does not look, inside a mounted host path
        assertNotEquals(CsiSettings.DEFAULT_REGISTRATION_DIR, csi.registrationDir());
        assertTrue(csi.registrationDir().startsWith(config.stateDir()), csi.registrationDir().toString());
        assertEquals(DaemonConfig.defaults().root(), config.root(), "the rest at its defaults");
        assertEquals(DaemonConfig.defaults().socket(), config.socket());
        // the daemon sees the socket's directory through its /var/lib/kubelet mount
        assertTrue(csi.socket().startsWith("/var/lib/kubelet"));
        Container d = container(spec, "ocimount");
        assertEquals(List.of(), d.getEnv().stream().map(EnvVar::getName).filter(n -> n.startsWith("CSI")).toList());
    }
}
