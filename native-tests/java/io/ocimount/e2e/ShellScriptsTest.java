package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The image build, the Debian JRE library it shares with the arm64 test's preparation, and the install script pass
 * shellcheck at every severity (info included), as the Kind harness's scripts do. Run from the repository root with
 * -x, so the "shellcheck source=scripts/lib/..." directives find the sourced file and its functions are checked where
 * they are used. Tagged native with the other tests whose tools run.sh installs as root.
 */
@Tag("native")
class ShellScriptsTest {
    private static final List<String> SCRIPTS = List.of("scripts/build-image.sh", "scripts/lib/debian-jre.sh",
            "scripts/lib/cds-training.sh",
            "native-tests/arm64/prepare.sh", "scripts/install.sh");

    @Test
    void buildAndInstallScriptsPassShellcheck() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-x"));
        cmd.addAll(SCRIPTS);
        Process p = new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
    }
}
