package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.config.CsiSettings;
import io.ocimount.config.DaemonConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * What can be checked of the Kind harness on a machine without Docker: the scripts parse and pass shellcheck,
 * its YAML parses and agrees with it (and with deploy/kubernetes and the daemon's CSI defaults), the config it
 * writes into the node turns the CSI plugin on as the daemon reads it, the DaemonSet mode's overlay is
 * deploy/kubernetes with only the image's digest changed, and its prerequisite check ({@code --check}, and
 * {@code --daemonset --check}) exits 3 naming what is missing (as here) and 0 when all is there; the test chooses
 * the commands on PATH, so each outcome is asserted exactly.
 */
@Tag("native")
class KindHarnessTest {
    private static final Path DIR = Path.of("native-tests/kind");
    private static final Path DEPLOY = Path.of("deploy/kubernetes");
    private static final String DRIVER = "image.ocimount.io";
    private static final List<String> CSI_PODS =
            List.of("csi-pod.yaml", "csi-subpath-pod.yaml", "csi-private-pod.yaml", "csi-private-nosecret-pod.yaml");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String run(int expected, String... cmd) throws Exception {
        return run(new ProcessBuilder(cmd), expected);
    }

    /** Runs {@code pb}, asserts its exit status, and returns what it printed (stdout and stderr together). */
    private static String run(ProcessBuilder pb, int expected) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(expected, p.waitFor(), String.join(" ", pb.command()) + ": " + out);
        return out;
    }

    @Test
    void scriptsParseAndPassShellcheck() throws Exception {
        run(0, "bash", "-n", DIR.resolve("run.sh").toString());
        run(0, "bash", "-n", DIR.resolve("csi-config.sh").toString());
        run(0, "bash", "-n", DIR.resolve("ds-overlay.sh").toString());
        run(0, "shellcheck", DIR.resolve("run.sh").toString(), DIR.resolve("csi-config.sh").toString(),
                DIR.resolve("ds-overlay.sh").toString());
    }

    /** Every document of a YAML file, as JSON trees (python3-yaml's safe loader: what kubectl would get). */
    private static List<JsonNode> yaml(Path file) throws Exception {
        String out = run(0, "python3", "-c", "import yaml,json,sys\n"
                + "print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d is not None]))",
                file.toString());
        List<JsonNode> docs = new ArrayList<>(JSON.readTree(out).values());
        assertFalse(docs.isEmpty(), file + " has no document");
        return docs;
    }

    private static JsonNode onlyDoc(Path file) throws Exception {
        List<JsonNode> docs = yaml(file);
        assertEquals(1, docs.size(), file + ": " + docs);
        return docs.get(0);
    }

    private static String script() throws Exception {
        return Files.readString(DIR.resolve("run.sh"));
    }

    /** The value the script gives {@code name=...} at the start of a line, with {@code $var} references expanded. */
    private static String scriptVar(String script, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "=([^\\s#]+)").matcher(script);
        assertTrue(m.find(), "run.sh sets " + name);
        String value = m.group(1);
        Matcher ref = Pattern.compile("\\$\\{?([a-z_]+)}?").matcher(value);
        StringBuilder sb = new StringBuilder();
        while (ref.find()) {
            ref.appendReplacement(sb, Matcher.quoteReplacement(scriptVar(script, ref.group(1))));
        }
        return ref.appendTail(sb).toString();
    }

    @Test
    void csiDriverIsExactlyAnEphemeralNodeOnlyDriver() throws Exception {
        JsonNode d = onlyDoc(DEPLOY.resolve("csidriver.yaml"));
        assertEquals("storage.k8s.io/v1", d.path("apiVersion").asString());
        assertEquals("CSIDriver", d.path("kind").asString());
        assertEquals(JSON.readTree("{\"name\":\"" + DRIVER + "\"}"), d.path("metadata"));
        assertEquals(JSON.readTree("{\"attachRequired\":false,\"podInfoOnMount\":true,"
                + "\"volumeLifecycleModes\":[\"Ephemeral\"],\"fsGroupPolicy\":\"None\",\"requiresRepublish\":false}"),
                d.path("spec"), "the CSIDriver's spec, field for field");
        assertEquals(CsiSettings.DEFAULT_DRIVER_NAME, d.path("metadata").path("name").asString(),
                "the object is named as the daemon's default driver name");
    }

    /**
     * Every {@code "$here/….ext"} and {@code "$repo/….ext"} file the script uses exists (the jar it builds aside) and each
     * YAML among them parses; every YAML in the harness directory is used by the script, the CSIDriver too.
     */
    @Test
    void everyFileTheScriptUsesExistsAndEveryHarnessYamlIsUsed() throws Exception {
        Matcher m = Pattern.compile("\"\\$(here|repo)/([^\"$]+\\.[a-z]+)\"").matcher(script());
        Set<Path> used = new TreeSet<>();
        while (m.find()) {
            used.add(("here".equals(m.group(1)) ? DIR : Path.of("")).resolve(m.group(2)).normalize());
        }
        used.remove(Path.of("target/ocimount.jar"));
        for (Path f : used) {
            assertTrue(Files.isRegularFile(f), "run.sh uses " + f + ", which does not exist");
            if (f.toString().endsWith(".yaml")) {
                yaml(f);
            }
        }
        assertTrue(used.contains(DEPLOY.resolve("csidriver.yaml")), "run.sh applies the CSIDriver: " + used);
        assertTrue(used.contains(DIR.resolve("csi-config.sh")), "run.sh writes the [csi] table with csi-config.sh: " + used);
        assertTrue(used.contains(DIR.resolve("ds-overlay.sh")), "run.sh --daemonset installs through ds-overlay.sh: " + used);
        assertTrue(used.contains(Path.of("scripts/build-image.sh")), "run.sh --daemonset builds the image: " + used);
        assertTrue(used.contains(DEPLOY.resolve("example-pod.yaml")), "the restart check runs the example pod: " + used);
        Set<Path> harnessYaml = new TreeSet<>();
        try (Stream<Path> s = Files.list(DIR)) {
            s.filter(f -> f.toString().endsWith(".yaml")).forEach(harnessYaml::add);
        }
        for (String pod : CSI_PODS) {
            assertTrue(harnessYaml.contains(DIR.resolve(pod)), pod + " is in " + DIR);
        }
        harnessYaml.removeAll(used);
        assertEquals(Set.of(), harnessYaml, "YAML in " + DIR + " that run.sh never uses");
    }

    /** The csi: volumes of a pod (at least one), each checked against what the driver accepts. */
    private static List<JsonNode> csiVolumes(JsonNode pod, String what) {
        assertEquals("v1", pod.path("apiVersion").asString(), what);
        assertEquals("Pod", pod.path("kind").asString(), what);
        List<JsonNode> csi = new ArrayList<>();
        Set<String> volumeNames = new TreeSet<>();
        for (JsonNode v : pod.path("spec").path("volumes").values()) {
            volumeNames.add(v.path("name").asString());
            if (!v.has("csi")) {
                continue;
            }
            JsonNode c = v.get("csi");
            csi.add(c);
            assertEquals(DRIVER, c.path("driver").asString(), what + ": the driver of volume " + v.path("name"));
            JsonNode attrs = c.path("volumeAttributes");
            assertTrue(Set.of("image", "subPath", "pullPolicy", "pullAlways").containsAll(attrs.propertyNames()),
                    what + ": volumeAttributes the driver does not know: " + attrs);
            assertFalse(attrs.path("image").asString("").isBlank(), what + ": no image in " + attrs);
            if (attrs.has("pullPolicy")) {
                assertTrue(Set.of("Always", "IfNotPresent", "Never").contains(attrs.get("pullPolicy").asString()),
                        what + ": pullPolicy " + attrs.get("pullPolicy"));
            }
            assertFalse(c.has("fsType"), what + ": an image volume has no fsType");
            if (c.has("readOnly")) {
                assertTrue(c.get("readOnly").asBoolean(), what + ": the volume is read-only");
            }
        }
        assertFalse(csi.isEmpty(), what + " has no csi: volume");
        for (JsonNode c : pod.path("spec").path("containers").values()) {
            for (JsonNode vm : c.path("volumeMounts").values()) {
                assertTrue(volumeNames.contains(vm.path("name").asString()), what + ": mount of an unknown volume " + vm);
            }
        }
        return csi;
    }

    @Test
    void podsMountImagesThroughTheDriverAsTheScriptExpects() throws Exception {
        String script = script();
        for (String file : CSI_PODS) {
            JsonNode pod = onlyDoc(DIR.resolve(file));
            String name = pod.path("metadata").path("name").asString();
            assertTrue(script.contains(name), "run.sh waits for or deletes pod " + name + " (" + file + ")");
            assertEquals(1, csiVolumes(pod, file).size(), file);
        }
        JsonNode whole = csiVolumes(onlyDoc(DIR.resolve("csi-pod.yaml")), "csi-pod.yaml").get(0);
        assertFalse(whole.path("volumeAttributes").has("subPath"), "(a) mounts the whole image");
        assertFalse(whole.has("readOnly"), "(a) does not ask for read-only: the driver must mount read-only anyway");

        JsonNode sub = csiVolumes(onlyDoc(DIR.resolve("csi-subpath-pod.yaml")), "csi-subpath-pod.yaml").get(0);
        assertEquals("etc", sub.path("volumeAttributes").path("subPath").asString(), "(b) mounts the image's etc");

        String privateImage = scriptVar(script, "private_image");
        assertEquals("ocimount-e2e-registry:5000/private/data:v1", privateImage);
        JsonNode priv = csiVolumes(onlyDoc(DIR.resolve("csi-private-pod.yaml")), "csi-private-pod.yaml").get(0);
        assertEquals(privateImage, priv.path("volumeAttributes").path("image").asString(), "(c) the image run.sh pushes");
        assertEquals(scriptVar(script, "secret"), priv.path("nodePublishSecretRef").path("name").asString(),
                "(c) the secret run.sh creates");
        JsonNode noSecret = csiVolumes(onlyDoc(DIR.resolve("csi-private-nosecret-pod.yaml")),
                "csi-private-nosecret-pod.yaml").get(0);
        assertEquals(privateImage, noSecret.path("volumeAttributes").path("image").asString());
        assertFalse(noSecret.has("nodePublishSecretRef"), "the refused pod has no secret");
        assertEquals("Always", noSecret.path("volumeAttributes").path("pullPolicy").asString(),
                "the refused pod pulls again rather than reuse what another pod's secret pulled");

        JsonNode example = onlyDoc(DEPLOY.resolve("example-pod.yaml"));
        JsonNode ex = csiVolumes(example, "example-pod.yaml").get(0);
        assertTrue(ex.path("readOnly").asBoolean(), "the example asks for a read-only volume");
    }

    /** Index in the script of the first match of {@code regex}, which must be there. */
    private static int at(String script, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(script);
        assertTrue(m.find(), "run.sh has " + regex);
        return m.start();
    }

    /** The body of the shell function {@code name} in {@code script}: from its opening line to its closing brace. */
    private static String body(String script, String name) {
        Matcher m = Pattern.compile("(?ms)^" + Pattern.quote(name) + "\\(\\) \\{\\n(.*?)^}$").matcher(script);
        assertTrue(m.find(), "run.sh defines " + name + "()");
        return m.group(1);
    }

    /** Indices in {@code text} of each regex's first match, all there and in the order given. */
    private static void inOrder(String text, String what, String... regexes) {
        int last = -1;
        for (String regex : regexes) {
            int i = at(text, "^\\s*" + regex);
            assertTrue(last < i, what + ": " + regex + " comes after " + List.of(regexes).subList(0, List.of(regexes).indexOf(regex)));
            last = i;
        }
    }

    /**
     * Each mode gets the driver registered before any csi: pod (else the first pods would meet "driver not found"
     * FailedMounts): the systemd mode turns the plugin on, restarts the daemon, applies the CSIDriver and waits for
     * kubelet's CSINode, and checks the daemon's own registration socket, under the path the daemon derives from
     * its defaults; the DaemonSet mode applies the overlay (the CSIDriver with it) and waits for the pod and the
     * CSINode. The csi: pods are run by the one csi_checks, which both modes call after that.
     */
    @Test
    void scriptRegistersTheDriverBeforeItMounts() throws Exception {
        String script = script();
        inOrder(body(script, "enable_csi_systemd"), "enable_csi_systemd", "in_node cat /etc/ocimount/config.toml \\| bash "
                + "\"\\$here/csi-config\\.sh\" \"\\$csi_socket\"", "in_node systemctl restart ocimount\\.service",
                "in_node test -S \"\\$registration_socket\"", "k apply -f \"\\$repo/deploy/kubernetes/csidriver\\.yaml\"",
                "wait_for \\d+ .* csi_registered$", "check_node_id$");
        inOrder(body(script, "run_systemd"), "run_systemd", "install_systemd$", "private_image_setup$",
                "enable_csi_systemd$", "csi_checks$", "csi_pods_go$");
        inOrder(body(script, "install_daemonset"), "install_daemonset",
                "bash \"\\$here/ds-overlay\\.sh\" \"\\$work/overlay\" \"\\$ds_image\" \"\\$digest\"$",
                "k apply -k \"\\$work/overlay\"$", "ds_ready$", "check_node_id$");
        inOrder(body(script, "ds_ready"), "ds_ready", "kds wait --for=condition=Ready ",
                "wait_for \\d+ .* in_node test -S \"\\$csi_socket\"",
                "wait_for \\d+ .* in_node test -S \"\\$ds_own_registration\"", "wait_for \\d+ .* csi_registered",
                "wait_for \\d+ .* in_node test -S \"\\$registration_socket\"");
        inOrder(body(script, "run_daemonset"), "run_daemonset", "build_image$", "create_cluster$", "load_image$",
                "install_daemonset$", "private_image_setup$", "csi_checks$", "check_liveness$",
                "check_restart_keeps_volumes$", "csi_pods_go$");
        String checks = body(script, "csi_checks");
        for (String pod : CSI_PODS) {
            assertEquals(1, script.split(Pattern.quote("\"$here/" + pod + "\""), -1).length - 1, pod + " is named once in run.sh");
            at(checks, "\"\\$here/" + Pattern.quote(pod) + "\"");
        }
        CsiSettings defaults = CsiSettings.defaults();
        assertEquals(defaults.registrationSocket().toString(), scriptVar(script, "registration_socket"));
        assertEquals(defaults.driverName(), scriptVar(script, "driver"));
    }

    /**
     * What the DaemonSet mode expects of deploy/kubernetes: the image name it imports and pins is the DaemonSet's,
     * the daemon's own registration socket is where configmap.yaml puts it, and the files it hands to the CLI in
     * the container are under a path the DaemonSet mounts from the node at the same place (store-tmp).
     */
    @Test
    void theDaemonSetModeAgreesWithTheManifests(@TempDir Path tmp) throws Exception {
        String script = script();
        JsonNode ds = onlyDoc(DEPLOY.resolve("daemonset.yaml"));
        JsonNode daemon = null;
        for (JsonNode c : ds.path("spec").path("template").path("spec").path("containers").values()) {
            if ("ocimount".equals(c.path("name").asString())) {
                daemon = c;
            }
        }
        assertTrue(daemon != null, "daemonset.yaml has the ocimount container");
        String baseImage = daemon.path("image").asString();
        assertEquals(scriptVar(script, "ds_image"), baseImage.substring(0, baseImage.indexOf('@')),
                "run.sh imports the image under daemonset.yaml's name");
        assertEquals(scriptVar(script, "ds_image") + ":kind-e2e", scriptVar(script, "ds_ref"));

        JsonNode cm = onlyDoc(DEPLOY.resolve("configmap.yaml"));
        DaemonConfig config = DaemonConfig.load(Files.writeString(tmp.resolve("config.toml"),
                cm.path("data").path("config.toml").asString()));
        assertEquals(config.csi().registrationSocket().toString(), scriptVar(script, "ds_own_registration"));
        assertEquals(config.csi().socket().toString(), scriptVar(script, "csi_socket"));

        String scratch = scriptVar(script, "scratch");
        boolean mounted = false;
        for (JsonNode m : daemon.path("volumeMounts").values()) {
            String at = m.path("mountPath").asString();
            for (JsonNode v : ds.path("spec").path("template").path("spec").path("volumes").values()) {
                if (v.path("name").asString().equals(m.path("name").asString()) && v.has("hostPath")
                        && v.path("hostPath").path("path").asString().equals(at) && scratch.startsWith(at + "/")) {
                    mounted = true;
                }
            }
        }
        assertTrue(mounted, scratch + " is under a host path the daemon's container mounts at the same place");
        assertTrue(body(script, "private_image_setup").contains("in_node rm -rf \"${scratch:?}\""),
                "the push's credentials leave the node");
    }

    /** {@code kubectl kustomize DIR} into {@code out} (stderr apart: kubectl may warn there). */
    private static Path kustomize(Path dir, Path out) throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, p.waitFor(), "kubectl kustomize " + dir);
        return out;
    }

    /** The overlay run.sh --daemonset applies is deploy/kubernetes with only the ocimount image's digest changed. */
    @Test
    void theOverlayPinsTheBuiltDigestAndChangesNothingElse(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl"))),
                "kubectl (for kubectl kustomize) is not on PATH");
        String image = scriptVar(script(), "ds_image");
        String digest = "sha256:" + "ab".repeat(32);
        Path overlay = tmp.resolve("overlay");
        run(0, "bash", DIR.resolve("ds-overlay.sh").toString(), overlay.toString(), image, digest);
        List<JsonNode> base = yaml(kustomize(DEPLOY, tmp.resolve("base.yaml")));
        List<JsonNode> pinned = yaml(kustomize(overlay, tmp.resolve("pinned.yaml")));
        int changed = 0;
        for (JsonNode doc : base) {
            if (!"DaemonSet".equals(doc.path("kind").asString())) {
                continue;
            }
            for (JsonNode c : doc.path("spec").path("template").path("spec").path("containers").values()) {
                if ("ocimount".equals(c.path("name").asString())) {
                    assertTrue(c.path("image").asString().startsWith(image + "@sha256:"), c.path("image").asString());
                    ((ObjectNode) c).put("image", image + "@" + digest);
                    changed++;
                }
            }
        }
        assertEquals(1, changed, "one ocimount container in the base");
        assertEquals(base, pinned, "the overlay changes the ocimount image's digest and nothing else");

        assertTrue(run(2, "bash", DIR.resolve("ds-overlay.sh").toString()).contains("usage: ds-overlay.sh DIR IMAGE DIGEST"));
        assertTrue(run(2, "bash", DIR.resolve("ds-overlay.sh").toString(), overlay.toString(), image, "sha256:abc")
                .contains("not a sha256 digest"));
    }

    /**
     * The node's JRE holds the modules jdeps finds in the shaded jar (a hand-written list missed jdk.management, and
     * with it the process_* metrics), plus SunEC, which TLS and cosign load as a service and jdeps cannot see.
     */
    @Test
    void theNodesJreIsLinkedFromTheJarsModulesPlusSunEc() throws Exception {
        String script = script();
        inOrder(body(script, "build_jre"), "build_jre", "modules=\\$\\(jdeps --multi-release 17 --print-module-deps "
                + "--ignore-missing-deps \"\\$repo/target/ocimount\\.jar\"\\)$", "jlink --add-modules \"\\$modules,jdk\\.crypto\\.ec\" ");
        assertEquals(1, script.split("jlink --add-modules", -1).length - 1, "one jlink");
        inOrder(body(script, "run_systemd"), "run_systemd", "build_jar$", "build_jre$", "install_systemd$");
    }

    /** csi-config.sh SOCKET on a config: what it writes, read by the daemon's own config loader. */
    private static DaemonConfig csiConfig(Path tmp, String input, String socket) throws Exception {
        Path in = Files.writeString(tmp.resolve("in.toml"), input);
        ProcessBuilder pb = new ProcessBuilder("bash", DIR.resolve("csi-config.sh").toString(), socket)
                .redirectInput(in.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Path written = Files.writeString(tmp.resolve("out.toml"), out);
        TomlMapper toml = new TomlMapper();
        ObjectNode before = (ObjectNode) toml.readTree(input);
        ObjectNode after = (ObjectNode) toml.readTree(out);
        assertEquals(JSON.readTree("{\"socket\":\"" + socket + "\"}"), after.get("csi"), "the one [csi] table: " + out);
        before.remove("csi");
        after.remove("csi");
        assertEquals(before, after, "every other key as it was");
        return DaemonConfig.load(written);
    }

    @Test
    void csiConfigTurnsThePluginOnAndKeepsTheRest(@TempDir Path tmp) throws Exception {
        String socket = scriptVar(script(), "csi_socket");
        assertEquals("/var/lib/kubelet/plugins/image.ocimount.io/csi.sock", socket);

        DaemonConfig installed = csiConfig(tmp, Files.readString(Path.of("systemd/config.toml")), socket);
        assertEquals(Path.of(socket), installed.csi().socket(), "the installed config with CSI on");
        assertEquals(DRIVER, installed.csi().driverName());
        assertEquals(DaemonConfig.defaults().root(), installed.root(), "the rest at its defaults");

        DaemonConfig replaced = csiConfig(tmp, "log_level = \"debug\"\n# [csi]\n[csi]\nsocket = \"/old/csi.sock\"\n"
                + "driver_name = \"other.example\"\n[csi.extra]\nx = 1\n\n[pull]\nmax_layers = 5\n", socket);
        assertEquals(Path.of(socket), replaced.csi().socket(), "an earlier [csi] table is replaced, not doubled");
        assertEquals(DRIVER, replaced.csi().driverName(), "and its keys are gone");
        assertEquals(5, replaced.maxLayers(), "a table after [csi] is kept");
        assertEquals("debug", replaced.logLevel());

        assertTrue(run(2, "bash", DIR.resolve("csi-config.sh").toString()).contains("usage: csi-config.sh SOCKET"));
    }

    @Test
    void yamlParsesAndMatchesTheScript() throws Exception {
        String py = "import yaml,sys\n"
                + "c=yaml.safe_load(open(sys.argv[1]))\nassert c['kind']=='Cluster' and c['apiVersion']=='kind.x-k8s.io/v1alpha4', c\n"
                + "m=c['nodes'][0]['extraMounts'][0]\nprint(c['name'], m['containerPath'], m['propagation'])\n"
                + "p=yaml.safe_load(open(sys.argv[2]))\nassert p['kind']=='Pod'\nprint(p['spec']['volumes'][0]['hostPath']['path'])\n";
        String out = run(0, "python3", "-c", py, DIR.resolve("kind-config.yaml").toString(), DIR.resolve("pod.yaml").toString());
        String script = Files.readString(DIR.resolve("run.sh"));
        assertTrue(out.contains("ocimount-e2e /var/lib/ocimount-volumes Bidirectional"), out);
        assertTrue(script.contains("cluster=ocimount-e2e"), "the script and the config name the same cluster");
        assertTrue(out.contains("/var/lib/ocimount-volumes/busybox-etc") && script.contains("/var/lib/ocimount-volumes/busybox-etc"),
                "the pod reads the directory the script mounts: " + out);
    }

    /**
     * {@code run.sh --check} with only the commands in {@code bin} (plus dirname, which the script itself uses):
     * which prerequisites it sees depends on that, not on what this machine happens to have installed.
     */
    private static String check(Path bin, int expected) throws Exception {
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", DIR.resolve("run.sh").toString(), "--check");
        pb.environment().put("PATH", bin.toString());
        return run(pb, expected);
    }

    /** A command that exits with {@code status} whatever it is asked, standing in for docker, kind, kubectl, jlink, jdeps. */
    private static void stub(Path bin, String name, int status) throws Exception {
        Path f = Files.writeString(Files.createDirectories(bin).resolve(name), "#!/bin/sh\nexit " + status + "\n");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Exit 3 is "a prerequisite is missing", each one named. */
    @Test
    void checkModeExits3NamingEveryMissingPrerequisite(@TempDir Path tmp) throws Exception {
        assertEquals("kind harness: needs a running Docker engine kind kubectl jlink and jdeps (a JDK 17); not available here\n",
                check(tmp.resolve("bin"), 3));
    }

    /** This machine: a docker CLI with no engine behind it, kubectl and a JDK, no kind. */
    @Test
    void checkModeExits3ForADockerCliWithoutAnEngineAndNoKind(@TempDir Path tmp) throws Exception {
        Path bin = tmp.resolve("bin");
        stub(bin, "docker", 1); // `docker info` fails without an engine
        stub(bin, "kubectl", 0);
        stub(bin, "jlink", 0);
        stub(bin, "jdeps", 0);
        assertEquals("kind harness: needs a running Docker engine kind; not available here\n", check(bin, 3));
    }

    /**
     * {@code run.sh ARGS} from a copy of the harness in {@code tmp/repo}, with only the commands in {@code bin}, so
     * that whether scripts/build-image.sh exists is the test's choice too.
     */
    private static String checkCopy(Path tmp, Path bin, boolean buildImage, int expected, String... args) throws Exception {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("native-tests/kind"));
        Files.createDirectories(repo.resolve("deploy/kubernetes"));
        Files.copy(DIR.resolve("run.sh"), repo.resolve("native-tests/kind/run.sh"));
        if (buildImage) {
            Files.writeString(Files.createDirectories(repo.resolve("scripts")).resolve("build-image.sh"), "exit 1\n");
        }
        Files.createDirectories(bin);
        if (!Files.exists(bin.resolve("dirname"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        }
        List<String> cmd = new ArrayList<>(List.of("/bin/bash", repo.resolve("native-tests/kind/run.sh").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", bin.toString());
        return run(pb, expected);
    }

    /** The DaemonSet mode needs no JDK tools but java, scripts/build-image.sh and kustomize. */
    @Test
    void daemonSetCheckNamesItsOwnPrerequisites(@TempDir Path tmp) throws Exception {
        assertEquals("kind harness: needs a running Docker engine kind kubectl java (build-image.sh runs ocimount pack) "
                + "apt-get and dpkg (build-image.sh takes Debian's JRE packages; run as root) "
                + "scripts/build-image.sh; not available here\n",
                checkCopy(tmp.resolve("none"), tmp.resolve("none/bin"), false, 3, "--daemonset", "--check"));

        Path bin = tmp.resolve("all/bin");
        for (String tool : new String[] {"docker", "kind", "kubectl", "java", "apt-get", "dpkg"}) {
            stub(bin, tool, 0);
        }
        assertEquals("kind harness: prerequisites present\n", checkCopy(tmp.resolve("all"), bin, true, 0, "--check", "--daemonset"));

        // a kubectl without kustomize (or one that cannot build deploy/kubernetes)
        Path old = tmp.resolve("old/bin");
        for (String tool : new String[] {"docker", "kind", "java", "apt-get", "dpkg"}) {
            stub(old, tool, 0);
        }
        Path kubectl = Files.writeString(old.resolve("kubectl"), "#!/bin/sh\n[ \"$1\" = kustomize ] && exit 1\nexit 0\n");
        Files.setPosixFilePermissions(kubectl, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals("kind harness: needs kustomize (kubectl kustomize); not available here\n",
                checkCopy(tmp.resolve("old"), old, true, 3, "--daemonset", "--check"));
        // the systemd mode does not ask for it, but for jlink and jdeps
        assertEquals("kind harness: needs jlink and jdeps (a JDK 17); not available here\n",
                checkCopy(tmp.resolve("old-systemd"), old, true, 3, "--check"));
    }

    @Test
    void anUnknownArgumentIsAUsageError(@TempDir Path tmp) throws Exception {
        assertEquals("usage: run.sh [--daemonset] [--check]\n", checkCopy(tmp, tmp.resolve("bin"), true, 2, "--daemon-set"));
    }

    @Test
    void checkModeExits0WhenEveryPrerequisiteIsThere(@TempDir Path tmp) throws Exception {
        Path bin = tmp.resolve("bin");
        for (String tool : new String[] {"docker", "kind", "kubectl", "jlink", "jdeps"}) {
            stub(bin, tool, 0);
        }
        assertEquals("kind harness: prerequisites present\n", check(bin, 0));
    }
}
