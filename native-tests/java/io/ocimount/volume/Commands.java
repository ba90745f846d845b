package io.ocimount.volume;

import java.nio.file.Path;

/** mount(8) and umount(8) for tests that need a mount of someone else's on the way. */
final class Commands {
    private Commands() {
    }

    static void mountTmpfs(Path dir) throws Exception {
        run("mount", "-t", "tmpfs", "tmpfs", dir.toString());
    }

    static void unmount(Path dir) throws Exception {
        run("umount", "-l", dir.toString());
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", cmd) + ": " + out);
        }
    }
}
