package io.ocimount;

import io.ocimount.cli.Cli;
import io.ocimount.cli.DaemonChannel;
import io.ocimount.daemon.DaemonCommand;
import io.ocimount.daemon.Logging;
import io.ocimount.registry.HttpClients;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of target/ocimount.jar: {@code daemon} runs the service, every other command is the CLI. It sits
 * above both, so neither the daemon nor the CLI depends on the other.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // By name, before anything touches java.util.logging: even loading DaemonLogManager would initialize LogManager.
        System.setProperty("java.util.logging.manager", "io.ocimount.daemon.DaemonLogManager");
        Logging.quietNetty();
        CommandLine cl = Cli.commandLine(args, Map.of("daemon", DaemonCommand::new));
        int rc = cl.execute(args);
        DaemonChannel.endEventLoopBeforeExit();
        HttpClients.endSelectorThreadsBeforeExit();
        System.exit(rc);
    }
}
