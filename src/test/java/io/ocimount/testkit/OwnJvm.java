package io.ocimount.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs a class's main in a JVM of its own, for checks that would disturb every other test of this one. */
public final class OwnJvm {
    private OwnJvm() {
    }

    /** The class's standard output, stripped, once it exited 0; its standard error goes to the test's. */
    public static String run(Class<?> main) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), main.getName()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), main.getSimpleName() + " exit status");
        return out;
    }
}
