package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar and the install path (runs after `package`: tagged "packaging"). */
@Tag("packaging")
class PackagingTest {
    private static final Path JAR = Path.of("target/ocimount.jar");

    @Test
    void theJarCarriesTheNativesOfBothNodeArchitectures() throws Exception {
        Set<String> natives;
        try (ZipFile z = new ZipFile(JAR.toFile())) {
            natives = z.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".so")).collect(Collectors.toSet());
        }
        for (String needed : new String[] {"jni/x86_64-Linux/libjffi-1.2.so", "jni/aarch64-Linux/libjffi-1.2.so",
                "META-INF/native/libio_grpc_netty_shaded_netty_transport_native_epoll_x86_64.so",
                "META-INF/native/libio_grpc_netty_shaded_netty_transport_native_epoll_aarch_64.so"}) {
            assertTrue(natives.contains(needed), needed + " missing from " + natives);
        }
        assertEquals(4, natives.size(), "no other platform's natives: " + natives);
    }

    @Test
    @Tag("native")
    void installScriptPutsEverythingInPlaceWithAppCdsArchives(@TempDir Path dest) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/install.sh").redirectErrorStream(true);
        pb.environment().put("DESTDIR", dest.toString());
        Process install = pb.start();
        String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, install.waitFor(), out);
        for (String f : new String[] {"usr/lib/ocimount/ocimount.jar", "usr/lib/ocimount/ocimount.jsa",
                "usr/lib/ocimount/ocimount-cli.jsa", "usr/local/bin/ocimount", "etc/systemd/system/ocimount.service",
                "etc/ocimount/config.toml", "usr/share/doc/ocimount/README.md"}) {
            assertTrue(Files.size(dest.resolve(f)) > 0, f);
        }
        assertTrue(Files.isDirectory(dest.resolve("etc/ocimount/certs.d")));
        assertTrue(Files.isExecutable(dest.resolve("usr/local/bin/ocimount")));
        assertEquals(Files.readString(Path.of("systemd/ocimount.service")),
                Files.readString(dest.resolve("etc/systemd/system/ocimount.service")));
        // the shipped example config is all comments: the daemon must accept it as the defaults
        io.ocimount.config.DaemonConfig c = io.ocimount.config.DaemonConfig.load(dest.resolve("etc/ocimount/config.toml"));
        assertEquals(io.ocimount.config.DaemonConfig.defaults().root(), c.root());
        // C1 alone for short commands, C2 too for pack (which took twice as long on C1's code)
        Path wrapper = dest.resolve("usr/local/bin/ocimount");
        assertEquals("1", tierOf(wrapper, "images"));
        assertEquals("1", tierOf(wrapper, "-o", "json", "images"));
        assertEquals("4", tierOf(wrapper, "pack", "--help"));
        assertEquals("4", tierOf(wrapper, "--socket", "/run/x.sock", "pack", "dir"));
        assertEquals("1", tierOf(wrapper, "version", "pack"));
    }

    /**
     * The -XX:TieredStopAtLevel the wrapper execs java with for {@code args}, from the shell's trace of that exec
     * (the installed wrapper names /usr/lib/ocimount's jar, which a DESTDIR install does not have: java then fails).
     */
    private static String tierOf(Path wrapper, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("sh", "-x", wrapper.toString()));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\+ exec /usr/bin/java .*-XX:TieredStopAtLevel=(\\d) ")
                .matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }
}
