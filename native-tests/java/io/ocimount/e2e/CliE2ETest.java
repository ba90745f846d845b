package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.testkit.ImageBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ocimount command line against a running daemon: output forms, progress, help and exit codes. */
@Tag("native")
class CliE2ETest {
    @TempDir
    static Path tmp;
    static RealRegistry registry;
    static DaemonProcess daemon;
    static ImageBuilder.Image image = new ImageBuilder().layer(Map.of("a.txt", "a".repeat(200_000)))
            .layer(Map.of("b/c.txt", "c")).build();
    static String ref;

    @BeforeAll
    static void start() throws Exception {
        registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null);
        registry.push("cli/img", "1", image);
        ref = registry.host() + "/cli/img:1";
        daemon = DaemonProcess.start(Files.createDirectories(tmp.resolve("d")));
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        registry.close();
    }

    /** Runs the CLI in this JVM; returns exit code, stdout and stderr. */
    private static String[] cli(String... args) {
        return InProcessCli.run(DaemonProcess.socket(tmp.resolve("d")), args);
    }

    @Test
    void pullPrintsTheIdOnStdoutAndOneProgressLinePerLayerElsewhere() {
        String[] r = cli("pull", ref);
        assertEquals("0", r[0], r[2]);
        assertEquals(image.config().digest().toString(), r[1].trim());
        for (ImageBuilder.Blob layer : image.layers()) {
            String shortDigest = layer.digest().toString().substring(0, 19);
            assertTrue(r[2].lines().anyMatch(l -> l.startsWith(shortDigest) && (l.contains("done") || l.contains("already"))),
                    "a line for " + shortDigest + " in:\n" + r[2]);
        }
        assertTrue(r[2].contains("pulled in "), r[2]);
        String[] again = cli("pull", ref);
        assertEquals(2, again[2].lines().filter(l -> l.contains("already unpacked")).count(), again[2]);
    }

    @Test
    void outputJsonEverywhereItMeansSomething() throws Exception {
        cli("pull", ref);
        for (List<String> cmd : List.of(List.of("images"), List.of("inspect", ref), List.of("imagefsinfo"),
                List.of("volumes"), List.of("version"))) {
            String[] args = new String[cmd.size() + 2];
            for (int i = 0; i < cmd.size(); i++) {
                args[i] = cmd.get(i);
            }
            args[cmd.size()] = "-o";
            args[cmd.size() + 1] = "json";
            String[] r = cli(args);
            assertEquals("0", r[0], cmd + ": " + r[2]);
            assertTrue(r[1].trim().startsWith("{"), cmd + " prints JSON: " + r[1]);
            io.ocimount.oci.Json.MAPPER.readTree(r[1]); // parses
        }
        assertTrue(cli("images")[1].startsWith("IMAGE"), "table by default");
    }

    @Test
    void helpEverywhereAndDistinctExitCodes() {
        for (String sub : List.of("pull", "images", "inspect", "rmi", "imagefsinfo", "mount", "unmount", "volumes", "version", "pack")) {
            String[] r = cli(sub, "--help");
            assertEquals("0", r[0], sub);
            assertTrue(r[1].contains("Usage: ocimount " + sub), sub + ": " + r[1]);
        }
        assertEquals("3", cli("rmi", registry.host() + "/cli/absent:9")[0], "not found");
        assertEquals("4", cli("mount", ref, tmp.resolve("t").toString(), "--sub-path", "../x")[0], "refused");
        String[] down = new String[] {"--socket", tmp.resolve("nothing.sock").toString(), "images"};
        assertEquals(5, io.ocimount.cli.Cli.commandLine().execute(down), "daemon unavailable");
        assertEquals("2", cli("images", "--no-such-flag")[0], "usage");
    }
}
