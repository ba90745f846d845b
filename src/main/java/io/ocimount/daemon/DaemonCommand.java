package io.ocimount.daemon;

import io.ocimount.config.DaemonConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ocimount daemon}: loads the config, starts the daemon and serves until SIGTERM. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run the ocimount daemon: the CRI ImageService on a root-only unix socket.")
public final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--root", description = "Store root (default /var/lib/ocimount).")
    Path root;

    @Option(names = "--state-dir", description = "Runtime state directory (default /run/ocimount).")
    Path stateDir;

    @Option(names = "--config", description = "Config file (default /etc/ocimount/config.toml; missing means defaults).")
    Path config = DaemonConfig.DEFAULT_CONFIG;

    @Option(names = "--csi-socket", paramLabel = "PATH",
            description = "Serve the CSI node plugin on this socket (config csi.socket; off when neither is set).")
    Path csiSocket;

    /** --socket is the command line's global option, read by name so the daemon does not depend on the CLI. */
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DaemonConfig cfg;
        try {
            cfg = DaemonConfig.load(config).withPaths(root, stateDir, socketOption()).withCsiSocket(csiSocket);
        } catch (DaemonConfig.ConfigException e) {
            System.err.println("ocimount: " + e.getMessage());
            return 2;
        }
        Logging.configure(cfg.logLevel());
        // SIGTERM and SIGINT run shutdown hooks. The hook is in place before the socket serves: registered after,
        // a SIGTERM right after "serving on" (and READY=1) made addShutdownHook throw and the daemon die unclosed.
        CompletableFuture<Daemon> started = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Daemon d = started.join(); // a SIGTERM during the start waits for it, then closes what it made
            if (d != null) {
                d.close();
            }
        }, "ocimount-shutdown"));
        Daemon daemon;
        try {
            daemon = new Daemon(cfg);
        } catch (IOException e) {
            started.complete(null);
            System.err.println("ocimount: cannot start: " + e.getMessage());
            return 1;
        } catch (RuntimeException | Error e) {
            started.complete(null);
            throw e;
        }
        started.complete(daemon);
        daemon.awaitTermination();
        return 0;
    }

    private Path socketOption() {
        OptionSpec socket = spec.parent() == null ? null : spec.parent().findOption("--socket");
        return socket == null ? null : socket.getValue();
    }
}
