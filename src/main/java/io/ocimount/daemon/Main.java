package io.ocimount.daemon;

import io.ocimount.cli.Cli;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of target/ocimount.jar: {@code daemon} runs the service, every other command is the CLI. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // By name, before anything touches java.util.logging: even loading DaemonLogManager would initialize LogManager.
        System.setProperty("java.util.logging.manager", "io.ocimount.daemon.DaemonLogManager");
        Logging.quietNetty();
        CommandLine cl = Cli.commandLine();
        cl.addSubcommand("daemon", new DaemonCommand());
        System.exit(cl.execute(args));
    }

    @Command(name = "daemon", mixinStandardHelpOptions = true,
            description = "Run the ocimount daemon: the CRI ImageService on a root-only unix socket.")
    static final class DaemonCommand implements Callable<Integer> {
        @Option(names = "--root", description = "Store root (default /var/lib/ocimount).")
        Path root;

        @Option(names = "--state-dir", description = "Runtime state directory (default /run/ocimount).")
        Path stateDir;

        /** --socket is the command line's global option (default: ocimount.sock in the state directory). */
        @picocli.CommandLine.ParentCommand
        Cli cli;

        @Option(names = "--config", description = "Config file (default /etc/ocimount/config.toml; missing means defaults).")
        Path config = DaemonConfig.DEFAULT_CONFIG;

        @Override
        public Integer call() throws Exception {
            DaemonConfig cfg;
            try {
                cfg = DaemonConfig.load(config).withPaths(root, stateDir, cli.socketOption());
            } catch (DaemonConfig.ConfigException e) {
                System.err.println("ocimount: " + e.getMessage());
                return 2;
            }
            Logging.configure(cfg.logLevel());
            Daemon daemon;
            try {
                daemon = new Daemon(cfg);
            } catch (java.io.IOException e) {
                System.err.println("ocimount: cannot start: " + e.getMessage());
                return 1;
            }
            Thread hook = new Thread(daemon::close, "ocimount-shutdown");
            Runtime.getRuntime().addShutdownHook(hook); // SIGTERM and SIGINT run shutdown hooks
            daemon.awaitTermination();
            return 0;
        }
    }
}
