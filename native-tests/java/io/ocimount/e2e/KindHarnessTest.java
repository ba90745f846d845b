package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the Kind harness on a machine without Docker: the script parses and passes shellcheck,
 * its YAML parses and agrees with it, and its prerequisite check says what is missing.
 */
@Tag("native")
class KindHarnessTest {
    private static final Path DIR = Path.of("native-tests/kind");

    private static String run(int expected, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (expected >= 0) {
            assertEquals(expected, rc, String.join(" ", cmd) + ": " + out);
        }
        return rc + ":" + out;
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

    @Test
    void checkModeNamesWhatIsMissingOrSaysAllIsThere() throws Exception {
        String out = run(-1, "bash", DIR.resolve("run.sh").toString(), "--check");
        assertTrue(out.startsWith("0:kind harness: prerequisites present")
                || out.startsWith("3:kind harness: needs ") && out.contains("not available here"), out);
    }
}
