package io.ocimount.cli;

import io.ocimount.api.v1.InfoGrpc;
import io.ocimount.api.v1.VersionRequest;
import io.ocimount.config.Version;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Show the client's and the daemon's version.")
final class VersionCommand implements Callable<Integer> {
    @ParentCommand
    Cli cli;

    @Override
    public Integer call() {
        return cli.withDaemon(ch -> {
            var v = InfoGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS).version(VersionRequest.getDefaultInstance());
            if (cli.json()) {
                System.out.println("{\"client\": \"" + Version.VERSION + "\", \"daemon\": " + Cli.json(v) + "}");
                return 0;
            }
            System.out.println("client: " + Version.VERSION);
            System.out.println("daemon: " + v.getVersion() + " root=" + v.getRoot() + " platform=" + v.getPlatform());
            return 0;
        });
    }
}
