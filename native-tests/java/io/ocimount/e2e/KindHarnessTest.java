package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be checked of the Kind harness on a machine without Docker: the script parses and passes shellcheck,
 * its YAML parses and agrees with it, and its prerequisite check ({@code --check}) exits 3 naming what is missing
 * (as here) and 0 when all is there; the test chooses the commands on PATH, so each outcome is asserted exactly.
 */
@Tag("native")
class KindHarnessTest {
    private static final Path DIR = Path.of("native-tests/kind");

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
    void scriptParsesAndPassesShellcheck() throws Exception {
        run(0, "bash", "-n", DIR.resolve("run.sh").toString());
        run(0, "shellcheck", DIR.resolve("run.sh").toString());
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

    /** A command that exits with {@code status} whatever it is asked, standing in for docker, kind, kubectl, jlink. */
    private static void stub(Path bin, String name, int status) throws Exception {
        Path f = Files.writeString(Files.createDirectories(bin).resolve(name), "#!/bin/sh\nexit " + status + "\n");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Exit 3 is "a prerequisite is missing", each one named. */
    @Test
    void checkModeExits3NamingEveryMissingPrerequisite(@TempDir Path tmp) throws Exception {
        assertEquals("kind harness: needs a running Docker engine kind kubectl jlink (a JDK 17); not available here\n",
                check(tmp.resolve("bin"), 3));
    }

    /** This machine: a docker CLI with no engine behind it, kubectl and a JDK, no kind. */
    @Test
    void checkModeExits3ForADockerCliWithoutAnEngineAndNoKind(@TempDir Path tmp) throws Exception {
        Path bin = tmp.resolve("bin");
        stub(bin, "docker", 1); // `docker info` fails without an engine
        stub(bin, "kubectl", 0);
        stub(bin, "jlink", 0);
        assertEquals("kind harness: needs a running Docker engine kind; not available here\n", check(bin, 3));
    }

    @Test
    void checkModeExits0WhenEveryPrerequisiteIsThere(@TempDir Path tmp) throws Exception {
        Path bin = tmp.resolve("bin");
        for (String tool : new String[] {"docker", "kind", "kubectl", "jlink"}) {
            stub(bin, tool, 0);
        }
        assertEquals("kind harness: prerequisites present\n", check(bin, 0));
    }
}
