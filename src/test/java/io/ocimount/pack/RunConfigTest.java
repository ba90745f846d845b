package io.ocimount.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigTest {
    @TempDir
    Path tmp;

    private static String json(RunConfig c) {
        return Json.MAPPER.writeValueAsString(c.toJson());
    }

    @Test
    void fieldsAreNamedAsTheImageSpecsConfigObjectAndPortsAreObjects() {
        RunConfig c = new RunConfig(List.of("/bin/app"), List.of("serve", "--port", "8080"), List.of("A=1", "PATH=/bin"),
                "/srv", "65532:65532", Map.of("org.opencontainers.image.title", "app", "a", "x=y"),
                List.of("8080", "53/udp", "8080/tcp"));
        assertEquals("{\"User\":\"65532:65532\",\"ExposedPorts\":{\"53/udp\":{},\"8080/tcp\":{}},"
                + "\"Env\":[\"A=1\",\"PATH=/bin\"],\"Entrypoint\":[\"/bin/app\"],\"Cmd\":[\"serve\",\"--port\",\"8080\"],"
                + "\"WorkingDir\":\"/srv\",\"Labels\":{\"a\":\"x=y\",\"org.opencontainers.image.title\":\"app\"}}", json(c));
    }

    @Test
    void nothingGivenIsTheEmptyObjectAsBeforeAndAnEmptyCmdIsKept() {
        assertEquals("{}", json(RunConfig.NONE));
        assertEquals("{\"Cmd\":[]}", json(RunConfig.NONE.with(new RunConfig(null, List.of(), List.of(), null, null,
                Map.of(), List.of()))));
    }

    @Test
    void flagsGoOverTheFileEnvAndLabelsByKeyPortsAddedTheRestReplaced() throws IOException {
        Path f = tmp.resolve("image.toml");
        Files.writeString(f, """
                entrypoint = ["/opt/jre/bin/java", "-jar", "/app/app.jar"]
                cmd = ["serve"]
                env = ["JAVA_HOME=/opt/jre", "MODE=prod"]
                workdir = "/app"
                user = "1000"
                expose = ["9090"]
                [labels]
                "org.opencontainers.image.source" = "https://example.test/app"
                team = "a"
                """);
        RunConfig file = RunConfigFile.read(f);
        assertEquals(List.of("/opt/jre/bin/java", "-jar", "/app/app.jar"), file.entrypoint());
        assertEquals(List.of("9090/tcp"), file.exposed());
        RunConfig merged = file.with(new RunConfig(null, List.of("check"), List.of("MODE=dev", "X=1"), null, "0:0",
                Map.of("team", "b"), List.of("8080/tcp")));
        assertEquals(file.entrypoint(), merged.entrypoint());
        assertEquals(List.of("check"), merged.cmd());
        assertEquals(List.of("JAVA_HOME=/opt/jre", "MODE=dev", "X=1"), merged.env());
        assertEquals("/app", merged.workingDir());
        assertEquals("0:0", merged.user());
        assertEquals(Map.of("org.opencontainers.image.source", "https://example.test/app", "team", "b"), merged.labels());
        assertEquals(List.of("8080/tcp", "9090/tcp"), merged.exposed());
    }

    @Test
    void anArgvIsOneJsonArrayOrOneWordPerFlag() {
        assertEquals(List.of("sh", "-c", "echo a b"), RunConfig.argv("--cmd", List.of("[\"sh\", \"-c\", \"echo a b\"]")));
        assertEquals(List.of("sh", "-c", "echo a b"), RunConfig.argv("--cmd", List.of("sh", "-c", "echo a b")));
        assertEquals(List.of("/bin/app"), RunConfig.argv("--entrypoint", List.of("/bin/app")));
        assertEquals(List.of(), RunConfig.argv("--cmd", List.of("[]")));
        assertNull(RunConfig.argv("--cmd", null));
        refused("not a JSON array of strings", () -> RunConfig.argv("--cmd", List.of("[\"sh\"")));
        refused("non-string", () -> RunConfig.argv("--cmd", List.of("[\"sh\", 1]")));
    }

    @Test
    void badInputIsRefusedWithTheFieldNamed() {
        refused("env \"PATH\": give KEY=VALUE", () -> config(List.of("PATH"), List.of(), null, null));
        refused("env \"=x\"", () -> config(List.of("=x"), List.of(), null, null));
        refused("label \"team\": give KEY=VALUE", () -> RunConfig.label("team"));
        for (String port : List.of("http", "0", "65536", "8080/icmp", "8080/", "-1", "80/TCP", "")) {
            refused("expose \"" + port + "\": give PORT[/tcp|/udp|/sctp]", () -> config(List.of(), List.of(port), null, null));
        }
        refused("workdir \"app\": give an absolute path", () -> config(List.of(), List.of(), "app", null));
        refused("user \"a b\"", () -> config(List.of(), List.of(), null, "a b"));
        assertEquals("EMPTY=", config(List.of("EMPTY="), List.of(), null, null).env().get(0), "an empty value is a value");
    }

    @Test
    void theFileRefusesUnknownKeysAndWrongTypesWithTheFileAndKeyNamed() throws IOException {
        Path f = tmp.resolve("bad.toml");
        Files.writeString(f, "entrypoint = [\"/a\"]\nworkingdir = \"/srv\"\n");
        refused("image config " + f + ": unknown key \"workingdir\" (known: cmd, entrypoint, env, expose, labels, user, "
                + "workdir)", () -> RunConfigFile.read(f));
        Files.writeString(f, "cmd = \"serve\"\n");
        refused("image config " + f + ": cmd: give an array of strings", () -> RunConfigFile.read(f));
        Files.writeString(f, "env = [\"NOEQUALS\"]\n");
        refused("image config " + f + ": env \"NOEQUALS\"", () -> RunConfigFile.read(f));
        Files.writeString(f, "[labels]\nn = 1\n");
        refused("labels.n: give a string", () -> RunConfigFile.read(f));
        Files.writeString(f, "cmd = [\n");
        refused("not valid TOML", () -> RunConfigFile.read(f));
    }

    private static RunConfig config(List<String> env, List<String> ports, String workdir, String user) {
        return new RunConfig(null, null, env, workdir, user, Map.of(), ports);
    }

    private static void refused(String message, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
