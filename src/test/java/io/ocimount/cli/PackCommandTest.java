package io.ocimount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The pack command's flags as far as the image config and the layers, offline (an OCI layout, no registry). */
class PackCommandTest {
    @TempDir
    Path tmp;
    Path jre;
    Path app;
    String err;

    @BeforeEach
    void dirs() throws Exception {
        jre = Files.createDirectories(tmp.resolve("jre/opt/jre/bin"));
        Files.writeString(jre.resolve("java"), "#!/bin/sh\n");
        app = Files.createDirectories(tmp.resolve("app/app"));
        Files.writeString(app.resolve("app.jar"), "jar");
    }

    private int pack(String... args) {
        List<String> all = new ArrayList<>(List.of("pack", "--tag", "app:v1", "--config", tmp.resolve("absent.toml").toString()));
        all.addAll(List.of(args));
        StringWriter e = new StringWriter();
        var cl = Cli.commandLine();
        cl.setErr(new PrintWriter(e, true));
        int rc = cl.execute(all.toArray(String[]::new));
        err = e.toString();
        return rc;
    }

    @Test
    void layersAndFlagsEndUpInTheLayoutsImageConfig() throws Exception {
        Path toml = tmp.resolve("image.toml");
        Files.writeString(toml, "cmd = [\"serve\"]\nenv = [\"MODE=prod\"]\n[labels]\nteam = \"a\"\n");
        Path layout = tmp.resolve("layout");
        assertEquals(0, pack("--layer", tmp.resolve("jre").toString(), "--layer", tmp.resolve("app").toString(),
                "--entrypoint", "[\"/opt/jre/bin/java\", \"-jar\", \"/app/app.jar\"]", "--env", "JAVA_HOME=/opt/jre",
                "--workdir", "/app", "--user", "65532", "--label", "version=1", "--expose", "8080",
                "--image-config", toml.toString(), "--oci-layout", layout.toString()), err);
        JsonNode manifest = blob(layout, Json.parse(Files.readAllBytes(layout.resolve("index.json")), "index")
                .path("manifests").get(0).path("digest").asString());
        assertEquals(2, manifest.path("layers").size());
        JsonNode c = blob(layout, manifest.path("config").path("digest").asString()).path("config");
        assertEquals("{\"User\":\"65532\",\"ExposedPorts\":{\"8080/tcp\":{}},\"Env\":[\"MODE=prod\",\"JAVA_HOME=/opt/jre\"],"
                + "\"Entrypoint\":[\"/opt/jre/bin/java\",\"-jar\",\"/app/app.jar\"],\"Cmd\":[\"serve\"],"
                + "\"WorkingDir\":\"/app\",\"Labels\":{\"team\":\"a\",\"version\":\"1\"}}", c.toString());
    }

    @Test
    void badInputIsAUsageErrorWithTheReason() throws Exception {
        String dir = tmp.resolve("app").toString();
        assertEquals(2, pack(dir, "--env", "JAVA_HOME"));
        assertTrue(err.contains("env \"JAVA_HOME\": give KEY=VALUE"), err);
        assertEquals(2, pack(dir, "--expose", "http"));
        assertTrue(err.contains("expose \"http\": give PORT[/tcp|/udp|/sctp]"), err);
        assertEquals(2, pack(dir, "--layer", dir));
        assertTrue(err.contains("give DIR or --layer DIR..., not both"), err);
        assertEquals(2, pack());
        assertTrue(err.contains("give the directory to pack"), err);
        assertEquals(2, pack("--layer", dir, "--layer", dir, "--artifact"));
        assertTrue(err.contains("--artifact packs one directory as files"), err);
        assertEquals(2, pack(dir, "--gzip", "zstd"));
        assertTrue(err.contains("--gzip zstd: give libdeflate or zlib"), err);
        Path toml = tmp.resolve("bad.toml");
        Files.writeString(toml, "ports = [\"80\"]\n");
        assertEquals(2, pack(dir, "--image-config", toml.toString()));
        assertTrue(err.contains("unknown key \"ports\""), err);
    }

    private static JsonNode blob(Path layout, String digest) throws Exception {
        return Json.parse(Files.readAllBytes(layout.resolve("blobs/sha256/" + digest.substring(7))), digest);
    }
}
